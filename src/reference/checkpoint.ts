/**
 * The CPU solver's checkpoint: everything needed to continue a run exactly, on either backend; the length of each
 * of its arrays and the checks a checkpoint must pass before a run continues from it.
 */
import type { CpuSolver } from "./solver.ts";

/** Everything needed to continue a run exactly, on either backend. */
export interface Checkpoint {
  nx: number;
  ny: number;
  step: number;
  xi: Float32Array;
  /**
   * Zn2+ / c0, in f64: a fine cell's change per step can be below half an f32 step of c ~ 1, and f32 storage then
   * lost Zn (0.6 % of a run at 0.05 um cells, 0.1 mA/cm2; tests/properties.test.ts). The GPU stores c / c0 - 1.
   */
  c: Float64Array;
  phi: Float32Array;
  /** Warm start of the potential's response to a shift of E_m (part of the state for an exact restart). */
  phiB: Float32Array;
  /**
   * phi, phi_b and c one step earlier: each solve starts from the linear extrapolation 2 u^n - u^(n-1) (WARM_START).
   * A state without them (an older file) takes them equal to the current fields: its next step starts from u^n.
   */
  phiPrev: Float32Array;
  phiBPrev: Float32Array;
  cPrev: Float64Array;
  site: Float32Array;
  integrity: Float32Array;
  stress: Float32Array;
  strainPrev: Float32Array;
  /** [u = f E_m, Q_Zn, Q_H, top influx, deposit, I_Zn, I_H, q0] in the units used by the solver. */
  scalars: Float64Array;
  /** With the pH field (scenario ph_field): its state (alkalinity.ts, byproduct.ts); absent without. */
  ph?: PhCheckpoint;
}

/**
 * The pH field's state: the alkalinity per cell (mol/m3, f64), the OH- made and gone out (mol/m2), the cells the
 * by-product's saturation held in the last step (the next step's active set starts from them: 1 held, 0 not),
 * and with the by-product its amount per cell (mol/m3) and the total formed (mol/m2); null without it.
 */
export interface PhCheckpoint {
  w: Float64Array;
  made: number;
  out: number;
  held: Uint8Array | null;
  byproduct: { m: Float64Array; formed: number } | null;
}

/** The length of each of a checkpoint's arrays on an nx x ny grid. */
export function checkpointSizes(nx: number, ny: number) {
  const cells = nx * ny;
  return {
    xi: cells, c: cells, phi: cells, phiB: cells, phiPrev: cells, phiBPrev: cells, cPrev: cells,
    site: nx, integrity: nx, stress: nx, strainPrev: nx, scalars: 8,
  } as const;
}

/** Throws, naming what is wrong, unless `cp` fits an nx x ny run: its grid, a whole step, each array's length, finite values. */
export function checkCheckpoint(cp: Checkpoint, nx: number, ny: number): void {
  if (!cp || typeof cp !== "object") throw new Error("no checkpoint");
  if (cp.nx !== nx || cp.ny !== ny) throw new Error(`checkpoint grid ${cp.nx}x${cp.ny} does not match the run's ${nx}x${ny}`);
  if (!Number.isInteger(cp.step) || cp.step < 0) throw new Error(`the checkpoint's step must be a whole number >= 0, got ${cp.step}`);
  for (const [key, n] of Object.entries(checkpointSizes(nx, ny))) {
    const v = cp[key as keyof ReturnType<typeof checkpointSizes>] as ArrayLike<number> | undefined;
    if (v?.length !== n) throw new Error(`the checkpoint's ${key} has ${v?.length ?? "no"} values, the run needs ${n}`);
    for (let k = 0; k < n; k++) if (!Number.isFinite(v[k])) throw new Error(`the checkpoint's ${key} is not finite at ${k}`);
  }
  if (cp.ph) {
    const cells = nx * ny;
    const arrays: [string, ArrayLike<number> | undefined][] = [["ph.w", cp.ph.w], ["ph.held", cp.ph.held ?? undefined], ["ph.byproduct.m", cp.ph.byproduct?.m]];
    for (const [key, v] of arrays) {
      if (v === undefined) continue;
      if (v.length !== cells) throw new Error(`the checkpoint's ${key} has ${v.length} values, the run needs ${cells}`);
      for (let k = 0; k < cells; k++) if (!Number.isFinite(v[k])) throw new Error(`the checkpoint's ${key} is not finite at ${k}`);
    }
  }
}

/**
 * Throws unless the checkpoint carries the pH field exactly where the run tracks it (`ph`), and the by-product likewise
 * (`byproduct`): either backend's restore (restoreCheckpoint, src/engine/state.ts writeCheckpoint).
 */
export function checkPhOf(cp: Checkpoint, ph: boolean, byproduct: boolean): void {
  if (ph !== !!cp.ph) throw new Error(ph ? "the checkpoint has no pH field, and this run tracks the pH (ph_field)" : "the checkpoint holds a pH field, and this run tracks none (no ph_field)");
  if (ph && byproduct !== !!cp.ph!.byproduct) throw new Error(byproduct ? "the checkpoint has no by-product, and this run forms it (byproduct)" : "the checkpoint holds a by-product, and this run forms none (no byproduct)");
}

/** A copy of the solver's state (CpuSolver.checkpoint). */
export function takeCheckpoint(s: CpuSolver): Checkpoint {
  return {
    nx: s.nx, ny: s.ny, step: s.step,
    xi: s.xi.slice(), c: s.c.slice(), phi: s.phi.slice(), phiB: s.phiB.slice(), site: s.site.slice(),
    phiPrev: s.phiPrev.slice(), phiBPrev: s.phiBPrev.slice(), cPrev: s.cPrev.slice(),
    integrity: s.integrity.slice(), stress: s.stress.slice(), strainPrev: s.strainPrev.slice(),
    scalars: Float64Array.from([s.u, s.qZn, s.qH, s.topInflux, s.depositChange, s.lastIZn, s.lastIH, s.q0]),
    ...(s.ph ? { ph: { ...s.ph.state(), byproduct: s.byproduct ? { m: s.byproduct.m.slice(), formed: s.byproduct.formed } : null } } : {}),
  };
}

/** Sets the solver's state to `cp` (CpuSolver.restore); throws, naming what does not fit, and keeps the state. */
export function restoreCheckpoint(s: CpuSolver, cp: Checkpoint): void {
  checkCheckpoint(cp, s.nx, s.ny);
  checkPhOf(cp, !!s.ph, !!s.byproduct);
  s.step = cp.step;
  s.xi.set(cp.xi); s.c.set(cp.c); s.phi.set(cp.phi); s.phiB.set(cp.phiB); s.site.set(cp.site);
  s.phiPrev.set(cp.phiPrev); s.phiBPrev.set(cp.phiBPrev); s.cPrev.set(cp.cPrev);
  s.integrity.set(cp.integrity); s.stress.set(cp.stress); s.strainPrev.set(cp.strainPrev);
  [s.u, s.qZn, s.qH, s.topInflux, s.depositChange, s.lastIZn, s.lastIH, s.q0] = Array.from(cp.scalars);
  s.qZnCell.fill(0);
  if (s.ph && cp.ph) {
    s.ph.restore(cp.ph);
    if (s.byproduct && cp.ph.byproduct) {
      s.byproduct.m.set(cp.ph.byproduct.m);
      s.byproduct.formed = cp.ph.byproduct.formed;
    }
  }
}
