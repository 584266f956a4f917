/** Byte layouts shared by the engine and the WGSL (shaders/params.wgsl): the uniform and the scalar slots. */
import { FARADAY, N_ZN, ZN_SITE_DENSITY } from "../model/constants.ts";
import type { Coefficients } from "../model/coefficients.ts";
import { DEAD_REACH_ELL } from "../reference/connectivity.ts";
import { alkalinityOf } from "../reference/alkalinity.ts";

export const S = {
  U: 0, EC: 1, EA: 2, EH: 3, A: 4, B: 5, C: 6, SAC: 7, MEAN: 8, QZN: 9, QH: 10, TOPIN: 11, DEP: 12, IZN: 13,
  IH: 14, Q0: 15, SY0: 16, SUMDQ: 17, NUM: 18, DEN: 19,
} as const;
export const SCALAR_SLOTS = 32;

/**
 * A CG lane's scalar slots in its system's PS buffer (shaders/pcg.wgsl; shaders/multigrid.wgsl reads DONE), LANE slots
 * a lane. The engine prepends them to both shader modules as WGSL constants (cgSlotsWgsl), and reads DONE, ITER and
 * RES back to tune the iterations: one place for the layout.
 */
export const CG = { RZ: 0, SCALE: 3, DONE: 4, ITER: 5, ALPHA: 6, BETA: 7, RES: 8, LANE: 16 } as const;
export const cgSlotsWgsl = Object.entries(CG).map(([k, v]) => `const CG_${k} = ${v}u;`).join("\n") + "\n";

/** Tolerances of the GPU solves: the CPU's relative residual, and the looser one of phi_b. */
export const GPU_TOL = 1e-6;
export const GPU_TOL_B = 1e-3;

/** Field order of `struct Params`; u32 fields are marked. */
const FIELDS: [string, "u" | "f"][] = [
  ["nx", "u"], ["ny", "u"], ["mode1d", "u"], ["hasCoating", "u"],
  ["dx", "f"], ["dt", "f"], ["csOverC0", "f"], ["dLiquid", "f"],
  ["tpLiquid", "f"], ["bandCells", "f"], ["sBandX", "f"], ["sBandY", "f"],
  ["dBandX", "f"], ["dBandY", "f"], ["tpBand", "f"], ["floorK", "f"],
  ["migration", "f"], ["qToPhi", "f"], ["iApp", "f"], ["i0", "f"],
  ["alphaA", "f"], ["alphaC", "f"], ["fNRT", "f"], ["alphaHrel", "f"],
  ["iH0", "f"], ["herCoatFactor", "f"], ["nucleationZone", "f"], ["substrateCells", "f"],
  ["E", "f"], ["Gc", "f"], ["stressDecay", "f"], ["healStep", "f"],
  ["penaltyPerPa", "f"], ["strainLength", "f"], ["gamma", "f"], ["ell", "f"],
  ["aniso", "f"], ["vmOverNF", "f"], ["tipGain", "f"], ["tipCap", "f"],
  ["tipWindow", "u"], ["hostGain", "f"], ["nfcs", "f"], ["nfc0", "f"],
  ["thickness", "f"], ["tol", "f"], ["tolB", "f"], ["phiLane", "u"],
  ["tipProbeNear", "f"], ["tipProbeFar", "f"], ["uniformityBin", "u"], ["coatS", "f"],
  ["coatD", "f"], ["coatTp", "f"], ["deadReach", "u"], ["cu", "u"],
  ["acSub", "u"], ["ph", "u"], ["byproduct", "u"], ["w0", "f"],
  ["dOH", "f"], ["c0", "f"], ["potentiostatic", "u"], ["eImp", "f"],
  ["strainHalf", "f"], ["crackHalf", "f"], ["pad0", "f"], ["pad1", "f"],
];
export const PARAMS_BYTES = FIELDS.length * 4;

/** Byte offset of a field of `struct Params` (the engine rewrites iApp between the steps of a protocol). */
export function paramOffset(name: string): number {
  const k = FIELDS.findIndex(([f]) => f === name);
  if (k < 0) throw new Error(`paramOffset: no field ${name}`);
  return k * 4;
}

/** The dead-zinc window's half-width in cells (src/reference/connectivity.ts DEAD_REACH_ELL; CpuSolver.deadReach). */
export function deadReach(ell: number): number {
  return Math.max(1, Math.ceil(DEAD_REACH_ELL * ell - 1e-9));
}

export function packParams(co: Coefficients): ArrayBuffer {
  const v: Record<string, number> = {
    nx: co.nx, ny: co.ny, mode1d: co.mode === "1d" ? 1 : 0, hasCoating: co.hasCoating ? 1 : 0,
    dx: co.dx, dt: co.dt, csOverC0: co.csOverC0, dLiquid: co.dLiquid, tpLiquid: co.tpLiquid, bandCells: co.bandCells,
    sBandX: co.sBandX, sBandY: co.sBandY, dBandX: co.dBandX, dBandY: co.dBandY, tpBand: co.tpBand, floorK: co.floor,
    migration: co.migration, qToPhi: co.qToPhi, iApp: co.iApp, i0: co.i0, alphaA: co.alphaA, alphaC: co.alphaC,
    fNRT: co.fNRT, alphaHrel: co.alphaHrel, iH0: co.iH0, herCoatFactor: co.herCoatFactor,
    nucleationZone: co.nucleationZone, substrateCells: co.substrateCells, E: co.E, Gc: co.Gc,
    stressDecay: co.stressDecay, healStep: co.healStep, penaltyPerPa: co.penaltyPerPa, strainLength: co.strainLength,
    gamma: co.gammaDt / co.dt, ell: co.ell, aniso: co.aniso, vmOverNF: co.vmOverNF, tipGain: co.tipGain,
    tipCap: co.tipCap, tipWindow: co.tipWindow, hostGain: co.hostGain, nfcs: N_ZN * FARADAY * ZN_SITE_DENSITY,
    nfc0: N_ZN * FARADAY * co.c0, thickness: co.thickness, tol: GPU_TOL, tolB: GPU_TOL_B,
    phiLane: levelCells(gridLevels(co.nx, co.ny)),
    tipProbeNear: co.tipProbeNear, tipProbeFar: co.tipProbeFar, uniformityBin: co.uniformityBin, coatS: co.coatS,
    coatD: co.coatD, coatTp: co.coatTp, deadReach: deadReach(co.ell), cu: co.substrate === "cu" ? 1 : 0,
    acSub: co.mode === "1d" ? 1 : co.acSubsteps,
    ph: co.ph ? 1 : 0, byproduct: co.ph?.byproduct ? 1 : 0, w0: co.ph ? alkalinityOf(co.ph.pH0) : 0, dOH: co.ph?.dRatio ?? 0, c0: co.c0,
    // Potential control (a sweep step) is set step by step (GpuEngine.setImposed): none to start.
    potentiostatic: 0, eImp: 0,
    strainHalf: co.strainHalf, crackHalf: co.crackHalf, pad0: 0, pad1: 0,
  };
  const buf = new ArrayBuffer(PARAMS_BYTES);
  const u = new Uint32Array(buf), f = new Float32Array(buf);
  FIELDS.forEach(([name, kind], k) => {
    const x = v[name];
    if (x === undefined) throw new Error(`packParams: no value for ${name}`);
    if (kind === "u") u[k] = x;
    else f[k] = x;
  });
  return buf;
}

/** Multigrid levels, as src/reference/multigrid.ts builds them: coarsen each even dimension > 2 by 2. */
export interface GridLevel { nx: number; ny: number; off: number; rx: number; ry: number }
export function gridLevels(nx: number, ny: number): GridLevel[] {
  const levels: GridLevel[] = [{ nx, ny, off: 0, rx: 1, ry: 1 }];
  let off = nx * ny;
  for (;;) {
    const lv = levels.at(-1)!;
    const rx = lv.nx % 2 === 0 && lv.nx > 2 ? 2 : 1;
    const ry = lv.ny % 2 === 0 && lv.ny > 2 ? 2 : 1;
    if (rx === 1 && ry === 1) break;
    lv.rx = rx;
    lv.ry = ry;
    const next = { nx: lv.nx / rx, ny: lv.ny / ry, off, rx: 1, ry: 1 };
    off += next.nx * next.ny;
    levels.push(next);
  }
  return levels;
}

/**
 * Cells of all the levels: the stride between a multigrid system's lanes (the potential's phi_a and phi_b, solved
 * together: shaders/multigrid.wgsl) in its U, B, R and CG vectors.
 */
export function levelCells(levels: GridLevel[]): number {
  return levels.reduce((s, l) => s + l.nx * l.ny, 0);
}
