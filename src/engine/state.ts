/** The engine's state as the CPU reference's checkpoint: read back in one readback, and written from one. */
import type { Coefficients } from "../model/coefficients.ts";
import { checkCheckpoint, type Checkpoint } from "../reference/solver.ts";
import { checkPhOf, type PhCheckpoint } from "../reference/checkpoint.ts";
import { alkalinityOf } from "../model/water.ts";
import type { Encoder } from "./encoder.ts";
import { S, SCALAR_SLOTS } from "./layout.ts";
import { readParts, type Part, type StagingPool } from "./readback.ts";
import type { Core } from "./resources.ts";

/** The checkpoint's scalars, in its order (CpuSolver's). */
const SCALARS = [S.U, S.QZN, S.QH, S.TOPIN, S.DEP, S.IZN, S.IH, S.Q0] as const;
/** The first four of a column's 8 floats (shaders/columns.wgsl), in the checkpoint. */
const COLUMN = ["site", "integrity", "stress", "strainPrev"] as const;

/** All the state at `step`, in the CPU reference's checkpoint format (so either backend can resume it). */
export async function readCheckpoint(core: Core, e: Encoder, pool: StagingPool, co: Coefficients, step: number): Promise<Checkpoint> {
  const { n, f } = core;
  const nx = co.nx;
  const parts: Part[] = [
    { buf: f.xi, bytes: n * 4 }, { buf: f.c, bytes: 2 * n * 4 }, { buf: f.phi, bytes: n * 4 }, { buf: f.phiB, bytes: n * 4 },
    { buf: f.cols, bytes: nx * 32 }, { buf: core.scalars, bytes: SCALAR_SLOTS * 4 },
    // With the pH field: the alkalinity's deviation, the by-product and the held set (shaders/ph.wgsl), after the rest.
    ...(core.wSys ? [{ buf: f.c, bytes: 3 * n * 4, offset: 2 * n * 4 }] : []),
  ];
  e.begin();
  const all = await readParts(e, pool, parts);
  const floats = (from: number, length: number) => new Float32Array(all.slice(from * 4, (from + length) * 4));
  // Offsets in floats: xi 0, c (the field, then the step before's) n, phi 3n, phiB 4n, cols 5n, scalars 5n + 8 nx.
  const xi = floats(0, n), phi = floats(3 * n, n), phiB = floats(4 * n, n);
  // In f64 (Checkpoint.c): 1 + d is exact there, so writeCheckpoint gives back the very d.
  const cOf = (from: number) => Float64Array.from(floats(from, n), (d) => 1 + d);
  const col = floats(5 * n, nx * 8);
  const pick = (k: number) => Float32Array.from({ length: nx }, (_, i) => col[i * 8 + k]!);
  const s = floats(5 * n + nx * 8, SCALAR_SLOTS);
  // The potential's solves start from their last solution, so the GPU keeps no step before for phi and phi_b: the
  // checkpoint gives the field itself (the rule a checkpoint without them follows), and a CPU run that takes it
  // over starts its first potential solve from phi^n, extrapolating from the next step on.
  return {
    nx, ny: co.ny, step,
    xi, c: cOf(n), phi, phiB, phiPrev: new Float32Array(phi), phiBPrev: new Float32Array(phiB), cPrev: cOf(2 * n),
    site: pick(0), integrity: pick(1), stress: pick(2), strainPrev: pick(3),
    scalars: Float64Array.from(SCALARS, (k) => s[k]!),
    ...(co.ph ? { ph: phOf(floats(5 * n + nx * 8 + SCALAR_SLOTS, 3 * n), n, co.ph.pH0, co.ph.byproduct) } : {}),
  };
}

/**
 * The pH field's part of a checkpoint from the engine's dw, m and held set (3n floats). The engine keeps no totals of
 * the OH- made and gone out or of the by-product formed (the CPU's balance diagnostics): 0 in its checkpoints.
 */
function phOf(v: Float32Array, n: number, pH0: number, byproduct: boolean): PhCheckpoint {
  const w0 = alkalinityOf(pH0);
  return {
    w: Float64Array.from(v.subarray(0, n), (d) => w0 + d), made: 0, out: 0,
    held: byproduct ? Uint8Array.from(v.subarray(2 * n, 3 * n), (h) => (h > 0.5 ? 1 : 0)) : null,
    byproduct: byproduct ? { m: Float64Array.from(v.subarray(n, 2 * n)), formed: 0 } : null,
  };
}

/**
 * Writes a checkpoint taken on either backend into the engine's buffers; throws, naming what does not fit (the CPU
 * solver's own checks, checkCheckpoint: grid, a whole step, each array's length, finite values), before writing.
 */
export function writeCheckpoint(core: Core, co: Coefficients, cp: Checkpoint): void {
  const { nx, ny } = co;
  checkCheckpoint(cp, nx, ny);
  checkPhOf(cp, co.ph !== null, co.ph?.byproduct === true);
  const { n, f } = core;
  const q = core.device.queue;
  q.writeBuffer(f.xi, 0, new Float32Array(cp.xi));
  const c = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) { c[k] = cp.c[k]! - 1; c[n + k] = cp.cPrev[k]! - 1; }
  q.writeBuffer(f.c, 0, c);
  if (co.ph && cp.ph) {
    const w0 = alkalinityOf(co.ph.pH0);
    const v = new Float32Array(3 * n);
    for (let k = 0; k < n; k++) {
      v[k] = cp.ph.w[k]! - w0;
      v[n + k] = cp.ph.byproduct?.m[k] ?? 0;
      v[2 * n + k] = cp.ph.held?.[k] ?? 0;
    }
    q.writeBuffer(f.c, 2 * n * 4, v);
  }
  q.writeBuffer(f.phi, 0, new Float32Array(cp.phi));
  q.writeBuffer(f.phiB, 0, new Float32Array(cp.phiB));
  const col = new Float32Array(nx * 8);
  for (let i = 0; i < nx; i++) COLUMN.forEach((name, k) => (col[i * 8 + k] = cp[name][i]!));
  q.writeBuffer(f.cols, 0, col);
  const s = new Float32Array(SCALAR_SLOTS);
  // A checkpoint from before Q0 was kept has 7 scalars: Q0 is then 0.
  SCALARS.forEach((slot, k) => (s[slot] = cp.scalars[k] ?? (slot === S.Q0 ? 0 : NaN)));
  q.writeBuffer(core.scalars, 0, s);
  q.writeBuffer(core.phiSys.X, 0, new Float32Array(core.phiSys.X.size / 4));
  q.writeBuffer(f.qcell, 0, new Float32Array(n));
}
