// Shared by every pass: the coefficients (src/model/coefficients.ts, packed by src/engine/layout.ts) and the
// scalar slots. Scaled units as in docs/MODEL.md: lengths in cells, c / c0, sigma / sigma_liquid.
struct Params {
  nx: u32, ny: u32, mode1d: u32, hasCoating: u32,
  dx: f32, dt: f32, csOverC0: f32, dLiquid: f32,
  tpLiquid: f32, bandCells: f32, sBandX: f32, sBandY: f32,
  dBandX: f32, dBandY: f32, tpBand: f32, floorK: f32,
  migration: f32, qToPhi: f32, iApp: f32, i0: f32,
  alphaA: f32, alphaC: f32, fNRT: f32, alphaHrel: f32,
  iH0: f32, herCoatFactor: f32, nucleationZone: f32, substrateCells: f32,
  E: f32, Gc: f32, stressDecay: f32, healStep: f32,
  penaltyPerPa: f32, strainLength: f32, gamma: f32, ell: f32,
  aniso: f32, vmOverNF: f32, tipGain: f32, tipCap: f32,
  tipWindow: u32, hostGain: f32, nfcs: f32, nfc0: f32,
  thickness: f32, tol: f32, tolB: f32, phiLane: u32,
  tipProbeNear: f32, tipProbeFar: f32, uniformityBin: u32, coatS: f32,
  coatD: f32, coatTp: f32, deadReach: u32, cu: u32,
  acSub: u32, ph: u32, byproduct: u32, w0: f32,
  dOH: f32, c0: f32, potentiostatic: u32, eImp: f32,
  strainHalf: f32, crackHalf: f32, pad0: f32, pad1: f32,
};

// P: Params and S (the scalar slots) are group 0, declared by the engine from its binding table (src/engine/bindings.ts).

// Scalar slots (keep in step with src/engine/layout.ts).
const S_U = 0u;      const S_EC = 1u;    const S_EA = 2u;     const S_EH = 3u;
const S_A = 4u;      const S_B = 5u;     const S_C = 6u;      const S_SAC = 7u;
const S_MEAN = 8u;   const S_QZN = 9u;   const S_QH = 10u;    const S_TOPIN = 11u;
const S_DEP = 12u;   const S_IZN = 13u;  const S_IH = 14u;    const S_Q0 = 15u;
const S_SY0 = 16u;   const S_SUMDQ = 17u; const S_NUM = 18u;  const S_DEN = 19u;

const MAX_PENALTY_V = 0.5;

fn expClip(x: f32) -> f32 { return exp(clamp(x, -60.0, 60.0)); }
fn hInterp(x: f32) -> f32 { return x * x * x * (x * (6.0 * x - 15.0) + 10.0); }
fn west(i: u32) -> u32 { return select(i - 1u, P.nx - 1u, i == 0u); }
fn east(i: u32) -> u32 { return select(i + 1u, 0u, i == P.nx - 1u); }
// The xi buffer holds three fields of n cells: xi, then xi's floor (a copper substrate's own metal; 0 on zinc),
// then the dead-zinc mask (1 dead; dead.wgsl writes it at the start of each step), and on a long step two more for its
// Allen-Cahn substeps (ac_substeps.wgsl); see src/engine/resources.ts.
fn cellIndex(g: vec3u, nwg: vec3u) -> u32 { return g.x + g.y * nwg.x * 256u; }

// Reductions over the cells: each thread of a partial pass (workgroups of 64) sums CHUNK cells into its own
// slot, with no workgroup barrier (software rasterisers run those as coroutines, hundreds of times slower);
// one workgroup then sums the partCount() slots (sum_slots.wgsl).
const CHUNK = 64u;
fn partCount() -> u32 { return ((P.nx * P.ny + 4095u) / 4096u) * 64u; }
/** Cell q of thread t in workgroup w: consecutive threads take consecutive cells. */
fn chunkCell(w: u32, q: u32, t: u32) -> u32 { return w * 4096u + q * 64u + t; }

/** Fraction of row j covered by the coating band sitting on the mean deposit height. */
fn bandFrac(j: u32) -> f32 {
  if (P.hasCoating == 0u) { return 0.0; }
  let lo = S[S_MEAN];
  let hi = lo + P.bandCells;
  return max(0.0, min(f32(j) + 1.0, hi) - max(f32(j), lo));
}
