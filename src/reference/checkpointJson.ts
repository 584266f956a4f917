/** A checkpoint as JSON (typed arrays as plain arrays) and back, for the runner's --checkpoint file. */
import type { Checkpoint } from "./solver.ts";

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
  const cells = nx * ny;
  return {
    nx, ny, step,
    xi: Float32Array.from(arr("xi", cells)), c: Float32Array.from(arr("c", cells)), phi: Float32Array.from(arr("phi", cells)),
    phiB: Float32Array.from(arr("phiB", cells)), site: Float32Array.from(arr("site", nx)),
    integrity: Float32Array.from(arr("integrity", nx)), stress: Float32Array.from(arr("stress", nx)),
    strainPrev: Float32Array.from(arr("strainPrev", nx)), scalars: Float64Array.from(arr("scalars", 8)),
  };
}
