/** A checkpoint as JSON (typed arrays as plain arrays) and back, for the runner's --checkpoint file. */
import { checkpointSizes, type Checkpoint } from "./solver.ts";

const FLOAT_FIELDS = ["xi", "c", "phi", "phiB", "site", "integrity", "stress", "strainPrev"] as const;

export function checkpointToJson(cp: Checkpoint): string {
  const out: Record<string, unknown> = { nx: cp.nx, ny: cp.ny, step: cp.step, scalars: Array.from(cp.scalars) };
  for (const k of FLOAT_FIELDS) out[k] = Array.from(cp[k]);
  return JSON.stringify(out);
}

export function checkpointFromJson(text: string): Checkpoint {
  const raw = JSON.parse(text) as Record<string, unknown>;
  const num = (k: string) => {
    const v = raw[k];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`checkpoint: ${k} must be a whole number`);
    return v;
  };
  const nx = num("nx"), ny = num("ny"), step = num("step");
  const arr = (k: string, len: number) => {
    const v = raw[k];
    if (!Array.isArray(v) || v.length !== len || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
      throw new Error(`checkpoint: ${k} must be ${len} finite numbers`);
    }
    return v as number[];
  };
  const sizes = checkpointSizes(nx, ny);
  const f32 = (k: (typeof FLOAT_FIELDS)[number]) => Float32Array.from(arr(k, sizes[k]));
  return {
    nx, ny, step,
    xi: f32("xi"), c: f32("c"), phi: f32("phi"), phiB: f32("phiB"),
    site: f32("site"), integrity: f32("integrity"), stress: f32("stress"), strainPrev: f32("strainPrev"),
    scalars: Float64Array.from(arr("scalars", sizes.scalars)),
  };
}
