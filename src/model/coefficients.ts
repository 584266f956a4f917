/**
 * From a validated scenario to the numbers the discrete model uses. Both backends (the CPU reference and the
 * WGSL engine) take these coefficients, so the physics' constitutive choices live in one place.
 *
 * Scaling used by both solvers: lengths in cells (the model's lengths are in um, lengths.ts, and become cells here), c~ = c / c0, conductivities s = sigma / sigma_liquid,
 * diffusion numbers d = D dt / dx^2, potentials in V, currents in A/m2 (interface) or A/m3 (volume).
 */
import { D_OH_M2_S, F_NRT, F_RT, FARADAY, I_H0_BARE_A_M2, N_ZN, PH_2M_ZNSO4, ZN_MOLAR_VOLUME, ZN_SITE_DENSITY } from "./constants.ts";
import { monotoneStep } from "./allenCahn.ts";
import { LENGTHS_UM } from "./lengths.ts";
import { COATING_PARAMS, type CoatingValues } from "./params.ts";
import { coatingValues, substrateUm, type Scenario } from "./scenario.ts";
import { protocolSweepRate, restOnly } from "./protocol.ts";

/** Model constants not exposed as scenario fields; each is documented in docs/MODEL.md. */
export const MODEL_CONSTANTS = {
  /** Exchange current density of Zn2+/Zn in ZnSO4 (estimate: reported 1-10 mA/cm2). */
  i0_A_m2: 20,
  /** Symmetric charge-transfer coefficients. */
  alpha: 0.5,
  /** HER current on bare Zn at the Zn equilibrium potential = the corrosion current (estimate: tens of uA/cm2). */
  iH0_A_m2: I_H0_BARE_A_M2,
  /** HER transfer coefficient (per F/RT: a ~120 mV/decade Tafel slope). */
  alphaH: 0.5,
  /** Volcano slope: ln(i0_H) falls by this much per eV of |dG_H*|, calibrated so COF@Zn (2.94 eV) evolves ~100x less H2 than bare Zn (1.00 eV). */
  volcanoSlope_per_eV: Math.log(100) / (2.94 - 1.0),
  dGH_bare_eV: 1.0,
  /** Allen-Cahn relaxation rate L_sigma * W (1/s): a numerical regularisation, kept small so capillarity does not erase growth. */
  gamma_1_s: 0.02,
  /** Conductance floor (relative) inside metal so the electrolyte-phase operators stay regular. */
  floor: 1e-3,
  etaNucBare_V: 0.045,
  /**
   * Extra nucleation overpotential of zinc on copper over zinc on zinc (estimate: Zn||Cu cells in 2 M ZnSO4 show a
   * nucleation dip of roughly 50-100 mV on bare Cu at 1 mA/cm2, against tens of mV on Zn; 30 mV more than bare Zn's
   * 45 mV puts bare Cu at 75 mV).
   */
  etaNucCuExtra_V: 0.03,
  /** Area gain of an electronically conductive host (deposition inside the host per unit band volume). */
  hostAreaGain: 5,
  /** Largest allowed change of xi per step at a growing tip (sets dt). */
  maxDxiPerStep: 0.08,
  /** Assumed tip current as a multiple of the applied current, for the time-step bound. */
  tipFactor: 10,
  maxDt_s: 2,
  /**
   * The longest step of a protocol of rest steps alone (s): nothing grows there but by corrosion (tens of uA/cm2, nm
   * a minute), the diffusion, potential and pH solves are implicit, and the Allen-Cahn update takes substeps of its own
   * bound (acSubsteps). An estimate, from 24 h of bare Zn at rest: i_corr, E_mix and zinc lost move by under
   * 0.1 % between this and the 1.56 s steps of the explicit bound (docs/MODEL.md, "Time stepping").
   */
  maxRestDt_s: 20,
  /**
   * No step longer than this share of Sand's time (sandTime), nor, for that bound, shorter than minSandDt_s: an
   * estimate, from 6 seeds each at 100 mA/cm2 from 0.05 M (the default share 1 left 1 of 6 going non-finite at
   * 1 mS/cm, 0.5 none). The floor keeps the far corner of the valid space (1e-11 m2/s, 0.05 M, 100 mA/cm2: Sand's
   * time under 1 ms) runnable; there the bound is not met.
   */
  sandFraction: 0.5,
  minSandDt_s: 0.02,
  /** Sub-grid tip effect: field enhancement at Zn platelet edges far below the grid (estimate) and its cap; the
   * window a protrusion is measured against is LENGTHS_UM.tipWindow. */
  tipGain: 100,
  tipCap_V: 0.05,
} as const;

export interface Coefficients {
  mode: "2d" | "1d";
  nx: number;
  ny: number;
  dx: number; // m
  dt: number; // s
  steps: number;
  stepsPerSample: number;
  /**
   * Allen-Cahn substeps a step (1 but at rest): where dt is longer than the explicit update's monotone bound, the
   * step's Allen-Cahn change is that of this many substeps of dt / m from the step's xi (docs/MODEL.md).
   */
  acSubsteps: number;
  samples: number;
  c0: number; // mol/m3
  csOverC0: number;
  /** d = D dt / dx^2 of the liquid. */
  dLiquid: number;
  tpLiquid: number;
  sigmaLiquid: number; // S/m
  /** Coating band: effective cell values (series across, parallel along the layer). */
  hasCoating: boolean;
  /** The pH field (scenario ph_field): its start and reservoir pH, and OH-'s diffusivity over Zn2+'s; null without. */
  ph: { pH0: number; dRatio: number; byproduct: boolean } | null;
  bandCells: number;
  bandLength: number; // m
  thickness: number; // m
  sBandX: number;
  sBandY: number;
  dBandX: number;
  dBandY: number;
  tpBand: number;
  floor: number;
  /** M = dt sigma_l / (dx^2 n F c0): migration number (1/V). */
  migration: number;
  /** dx^2 / sigma_l: turns a volume current (A/m3) into the scaled potential equation's right side. */
  qToPhi: number;
  iApp: number; // A/m2
  i0: number;
  alphaA: number;
  alphaC: number;
  fNRT: number;
  /** Ratio of the HER exponent to the Zn one per unit of f E: alphaH F/RT / (nF/RT). */
  alphaHrel: number;
  iH0: number;
  /** HER multiplier of the intact coating: volcano x water activity x corrosion shift. */
  herCoatFactor: number;
  /** The electrode under the first plating (Scenario.substrate): copper keeps its own metal, xi's floor. */
  substrate: "zn" | "cu";
  /** Cathodic multiplier on the pristine substrate: exp(-alpha_c f eta_nuc). */
  nucleationFactor: number;
  /** LENGTHS_UM's lengths in cells of this grid (the WGSL kernels take cells). */
  nucleationZone: number; // cells
  substrateCells: number; // cells (not necessarily whole)
  // Mechanics
  E: number; // Pa
  Gc: number; // J/m2
  stressDecay: number; // exp(-dt/tau)
  healStep: number; // 1 - exp(-k dt)
  penaltyPerPa: number; // V/Pa: V_m / (nF)
  strainLength: number; // m
  strainHalf: number; // cells: half the strain window (LENGTHS_UM.strainWindow)
  crackHalf: number; // cells: half a crack's opening (LENGTHS_UM.crackOpening)
  // Phase field
  gammaDt: number; // L_sigma W dt
  ell: number; // cells
  aniso: number; // delta
  /** Zn volume current -> dxi/dt: V_m / (n F) / (5 ell dx) is folded into the weight; this is V_m/(nF) in m3/C. */
  vmOverNF: number;
  tipGain: number;
  tipCap: number; // V
  tipWindow: number; // cells
  /** Columns in each strip of LENGTHS_UM.uniformityBin over which the uniformity metric averages the current. */
  uniformityBin: number;
  /** The layer's own conductivity (scaled by the liquid's), Zn2+ diffusion number (as dLiquid) and t+, not averaged over the
   * band: the tip closure's field inside the layer that covers a tip. */
  coatS: number;
  coatD: number;
  coatTp: number;
  /** Heights above a column's top between which the tip closure reads the field ahead of it (cells). */
  tipProbeNear: number;
  tipProbeFar: number;
  hostGain: number; // 0 if the layer is not electronically conductive
  ferroGain: number;
  coating: CoatingValues;
}

/** Composite of a layer of thickness h (property pc) and liquid (pl) filling a band of length L. */
const series = (h: number, L: number, pc: number, pl: number) => L / (h / pc + (L - h) / pl);
const parallel = (h: number, L: number, pc: number, pl: number) => (h * pc + (L - h) * pl) / L;

/**
 * The factor from a cell's HER volume current (A/m3) to the HER current per electrode area in mA/cm2, as the HER layer
 * and the hover show it: times dx (m) is A/m2, a tenth of that is mA/cm2.
 */
export const herToMaCm2 = (co: Pick<Coefficients, "dx">): number => co.dx * 0.1;

/**
 * The membrane strain that would crack the coating unrelaxed (reference/columns.ts mechanics): stress E eps stores
 * (E eps)^2 h / (2 E) per area, which passes the fracture energy Gc (Griffith) at eps = sqrt(2 Gc / (E h)). 0 where
 * the run has no coating (or its mechanics are off: no modulus or thickness). The field view's band is drawn palest
 * there.
 */
export function crackStrain(co: Pick<Coefficients, "hasCoating" | "E" | "Gc" | "thickness">): number {
  if (!co.hasCoating || !(co.E > 0) || !(co.thickness > 0)) return 0;
  return Math.sqrt((2 * co.Gc) / (co.E * co.thickness));
}

/** The Zn2+ the applied current plates in one step, in units of c0 x one cell's volume (both solvers' units). */
export function appliedZnPerStep(co: Coefficients): number {
  return (co.iApp * co.dt * co.nx) / (N_ZN * FARADAY * co.c0 * co.dx);
}

/**
 * Sand's time of the scenario's electrolyte at its current (s): when a planar electrode's surface Zn2+ first runs
 * out, pi D (n F c0)^2 / (4 (i (1 - t+))^2). No step is longer: past the limiting current a step longer than that
 * empties the surface cells within the step, and the explicit reaction then swung E_m between Zn plating and
 * hydrogen evolution from step to step until the fields stopped being finite (100 mA/cm2 from 0.05 M at 5 mS/cm:
 * every one of 6 seeds within 9 s at dt 0.3 s, none at 0.15 s). stepSchedule keeps a step to half of it
 * (MODEL_CONSTANTS.sandFraction). Infinite without a current.
 */
export function sandTime(s: Pick<Scenario, "current_mA_cm2" | "electrolyte">): number {
  const i = s.current_mA_cm2 * 10 * (1 - s.electrolyte.t_plus);
  const q = N_ZN * FARADAY * s.electrolyte.c0_M * 1e3;
  return i > 0 ? (Math.PI * s.electrolyte.D_m2_s * q * q) / (4 * i * i) : Infinity;
}

/**
 * The run's time steps: a growing tip may change xi by at most maxDxiPerStep per step, and the explicit Allen-Cahn
 * update stays monotone at any coating's anisotropy (allenCahn.ts monotoneStep at delta_max), no step
 * outlasts half of Sand's time; each sample a whole number of steps. Set by the current, the electrolyte, the
 * duration and samples and the cell size, not by the coating: a run whose schedule changes must start again (its
 * steps so far were of another length).
 */
export function stepSchedule(s: Scenario): { dt: number; stepsPerSample: number; acSubsteps: number } {
  const K = MODEL_CONSTANTS;
  const dx = s.grid.dx_um * 1e-6;
  const iApp = s.current_mA_cm2 * 10;
  const vTip = (K.tipFactor * iApp * ZN_MOLAR_VOLUME) / (N_ZN * FARADAY);
  const ell = LENGTHS_UM.ell * 1e-6;
  const dtGrowth = (K.maxDxiPerStep * 3 * ell) / vTip;
  // At the largest anisotropy any coating may have, so that every coating of a grid steps alike (a comparison's
  // panes run in lock-step) and a coating's change never changes the time step.
  const dtPf = monotoneStep(ell / dx, MAX_ANISOTROPY) / K.gamma_1_s;
  const sampleDt = s.duration_s / s.samples;
  const dtSand = Math.max(K.minSandDt_s, K.sandFraction * sandTime(s));
  // A sweep moves E_m by at most 1 mV a step (its polarization curve a point a mV); none without a sweep.
  const rate = protocolSweepRate(s.protocol);
  const dtSweep = rate > 0 ? 1 / rate : Infinity;
  // A protocol of rest steps alone (open circuit throughout) steps past the Allen-Cahn bound: its update takes
  // substeps of the bound instead (the rest of the step is implicit or slow there: MODEL_CONSTANTS.maxRestDt_s).
  const resting = restOnly(s.protocol);
  const dtMax = resting ? K.maxRestDt_s : Math.min(dtGrowth, dtPf, dtSand, K.maxDt_s, dtSweep);
  const stepsPerSample = Math.max(1, Math.ceil(sampleDt / dtMax - 1e-9));
  const dt = sampleDt / stepsPerSample;
  return { dt, stepsPerSample, acSubsteps: resting ? Math.max(1, Math.ceil(dt / dtPf - 1e-9)) : 1 };
}

/** The largest hexagonal anisotropy delta of the valid range: the Allen-Cahn step bound takes it (stepSchedule). */
const MAX_ANISOTROPY = COATING_PARAMS.find((p) => p.key === "anisotropy_6fold")!.max;

export function coefficients(s: Scenario): Coefficients {
  const K = MODEL_CONSTANTS;
  const cv = coatingValues(s);
  const dx = s.grid.dx_um * 1e-6;
  const nx = s.mode === "1d" ? 1 : s.grid.nx;
  const ny = s.grid.ny;
  const c0 = s.electrolyte.c0_M * 1000;
  const D = s.electrolyte.D_m2_s;
  const sigmaL = s.electrolyte.sigma_mS_cm * 0.1;
  const iApp = s.current_mA_cm2 * 10;
  const { dt, stepsPerSample, acSubsteps } = stepSchedule(s);

  const h = cv.thickness_nm * 1e-9;
  const hasCoating = h > 0;
  const bandCells = hasCoating ? Math.max(1, Math.ceil(h / dx - 1e-9)) : 0;
  const L = bandCells * dx;
  const sigmaC = cv.sigma_mS_cm * 0.1;
  // Nernst-Einstein: with the same carrier density, Zn2+ diffusivity in the layer scales with its conductivity.
  const Dc = D * Math.min(10, sigmaC / sigmaL);
  const hh = Math.min(h, L);
  const sBandY = hasCoating ? series(hh, L, sigmaC, sigmaL) / sigmaL : 1;
  const sBandX = hasCoating ? (parallel(hh, L, sigmaC, sigmaL) / sigmaL) * (1 + cv.ferro_gain) : 1;
  const dBandY = hasCoating ? series(hh, L, Dc, D) : D;
  const dBandX = hasCoating ? parallel(hh, L, Dc * cv.channel_anisotropy, D) : D;
  const tpBand = hasCoating ? parallel(hh, L, cv.t_plus, s.electrolyte.t_plus) : s.electrolyte.t_plus;

  const volcano = Math.exp(-K.volcanoSlope_per_eV * (Math.abs(cv.dG_H_eV) - K.dGH_bare_eV));
  // Mixed-potential theory: a corrosion-potential shift dE (either sign) by a barrier layer means the
  // corrosion current falls by exp(-alpha_H F |dE| / RT).
  const corrosion = Math.exp(-K.alphaH * F_RT * Math.abs(cv.dEcorr_mV * 1e-3));
  const herCoatFactor = volcano * cv.water_activity * corrosion;

  const tau = cv.tau_s;
  return {
    mode: s.mode,
    nx,
    ny,
    dx,
    dt,
    steps: stepsPerSample * s.samples,
    stepsPerSample,
    acSubsteps,
    samples: s.samples,
    c0,
    csOverC0: ZN_SITE_DENSITY / c0,
    dLiquid: (D * dt) / (dx * dx),
    tpLiquid: s.electrolyte.t_plus,
    sigmaLiquid: sigmaL,
    hasCoating,
    bandCells,
    bandLength: L,
    thickness: h,
    sBandX,
    sBandY,
    dBandX: (dBandX * dt) / (dx * dx),
    dBandY: (dBandY * dt) / (dx * dx),
    tpBand,
    floor: K.floor,
    migration: (dt * sigmaL) / (dx * dx * N_ZN * FARADAY * c0),
    qToPhi: (dx * dx) / sigmaL,
    iApp,
    i0: K.i0_A_m2,
    alphaA: K.alpha,
    alphaC: 1 - K.alpha,
    fNRT: F_NRT,
    alphaHrel: (K.alphaH * F_RT) / F_NRT,
    iH0: K.iH0_A_m2,
    herCoatFactor,
    ph: s.ph_field ? { pH0: s.electrolyte.pH ?? PH_2M_ZNSO4, dRatio: D_OH_M2_S / D, byproduct: s.byproduct === true } : null,
    substrate: s.substrate ?? "zn",
    nucleationFactor: Math.exp(-(1 - K.alpha) * F_NRT * (cv.eta_nuc_mV * 1e-3 + (s.substrate === "cu" ? K.etaNucCuExtra_V : 0))),
    nucleationZone: LENGTHS_UM.nucleationZone / s.grid.dx_um,
    substrateCells: s.mode === "1d" ? 0 : substrateUm(s) / s.grid.dx_um,
    E: cv.E_GPa * 1e9,
    Gc: cv.Gc_J_m2,
    stressDecay: Math.exp(-dt / tau),
    healStep: 1 - Math.exp(-cv.k_heal_1_s * dt),
    penaltyPerPa: ZN_MOLAR_VOLUME / (N_ZN * FARADAY),
    strainLength: LENGTHS_UM.strainLength * 1e-6,
    strainHalf: LENGTHS_UM.strainWindow / 2 / s.grid.dx_um,
    crackHalf: LENGTHS_UM.crackOpening / 2 / s.grid.dx_um,
    gammaDt: K.gamma_1_s * dt,
    ell: LENGTHS_UM.ell / s.grid.dx_um,
    aniso: cv.anisotropy_6fold,
    vmOverNF: ZN_MOLAR_VOLUME / (N_ZN * FARADAY),
    tipGain: K.tipGain,
    tipCap: K.tipCap_V,
    tipWindow: Math.max(1, Math.round(LENGTHS_UM.tipWindow / s.grid.dx_um)),
    coatS: sigmaC / sigmaL,
    coatD: (Dc * dt) / (dx * dx),
    coatTp: cv.t_plus,
    uniformityBin: Math.max(1, Math.round(LENGTHS_UM.uniformityBin / s.grid.dx_um)),
    tipProbeNear: LENGTHS_UM.tipProbeNear / s.grid.dx_um,
    tipProbeFar: LENGTHS_UM.tipProbeFar / s.grid.dx_um,
    hostGain: cv.electronic >= 0.5 && hasCoating ? K.hostAreaGain : 0,
    ferroGain: cv.ferro_gain,
    coating: cv,
  };
}

/**
 * The planar limiting current of the scenario's cell (mA/cm2): nF D c0 / ((1 - t+) L), L the electrolyte between
 * the substrate and the reservoir. The reservoir stands for the bulk beyond the diffusion layer, so the cell's height
 * sets it; past it the surface runs out of Zn2+ for good (Sand's time is the semi-infinite cell's onset of the same).
 */
export function limitingCurrent(s: Pick<Scenario, "grid" | "electrolyte">): number {
  const L = (s.grid.ny * s.grid.dx_um - LENGTHS_UM.substrate) * 1e-6;
  const e = s.electrolyte;
  return (N_ZN * FARADAY * e.D_m2_s * e.c0_M * 1e3) / ((1 - e.t_plus) * L) / 10;
}
