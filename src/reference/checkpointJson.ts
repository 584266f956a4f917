/**
 * A checkpoint as JSON (typed arrays as plain arrays) and back, for the runner's --checkpoint file. The runner's
 * file also holds the run's scenario and its samples so far (a run state), so that `--resume` can continue it;
 * checkpointFromJson reads the state part of either.
 */
import { seriesRowOf } from "../model/metrics.ts";
import { parseScenario, ScenarioError, type Scenario } from "../model/scenario.ts";
import type { PartialRun } from "./run.ts";
import { checkpointSizes, type Checkpoint } from "./solver.ts";
import type { PhCheckpoint } from "./checkpoint.ts";

const FLOAT_FIELDS = ["xi", "c", "phi", "phiB", "phiPrev", "phiBPrev", "cPrev", "site", "integrity", "stress", "strainPrev"] as const;
/** The fields one step earlier (Checkpoint.phiPrev): a file written before they were kept has none of them. */
const PREV_FIELDS = [["phiPrev", "phi"], ["phiBPrev", "phiB"], ["cPrev", "c"]] as const;

function checkpointFields(cp: Checkpoint): Record<string, unknown> {
  const out: Record<string, unknown> = { nx: cp.nx, ny: cp.ny, step: cp.step, scalars: Array.from(cp.scalars) };
  for (const k of FLOAT_FIELDS) out[k] = Array.from(cp[k]);
  if (cp.ph) {
    const { w, made, out: gone, held, byproduct } = cp.ph;
    out.ph = {
      w: Array.from(w), made, out: gone, held: held ? Array.from(held) : null,
      byproduct: byproduct ? { m: Array.from(byproduct.m), formed: byproduct.formed } : null,
    };
  }
  return out;
}

/** The pH field's part of a checkpoint (Checkpoint.ph), read back; throws naming the first thing wrong. */
function phOf(raw: unknown, cells: number): PhCheckpoint {
  const r = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || raw === null) throw new Error("checkpoint: ph must be an object");
  const nums = (k: string, v: unknown, ok: (x: number) => boolean = Number.isFinite) => {
    if (!Array.isArray(v) || v.length !== cells || !v.every((x) => typeof x === "number" && ok(x))) throw new Error(`checkpoint: ${k} must be ${cells} finite numbers`);
    return v as number[];
  };
  const scalar = (k: string, v: unknown) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`checkpoint: ${k} must be a finite number`);
    return v;
  };
  const bp = r.byproduct as Record<string, unknown> | null | undefined;
  if (bp !== null && (typeof bp !== "object" || bp === undefined)) throw new Error("checkpoint: ph.byproduct must be an object or null");
  return {
    w: Float64Array.from(nums("ph.w", r.w)),
    made: scalar("ph.made", r.made),
    out: scalar("ph.out", r.out),
    held: r.held === null ? null : Uint8Array.from(nums("ph.held", r.held, (x) => x === 0 || x === 1)),
    byproduct: bp === null ? null : { m: Float64Array.from(nums("ph.byproduct.m", bp.m)), formed: scalar("ph.byproduct.formed", bp.formed) },
  };
}

export function checkpointToJson(cp: Checkpoint): string {
  return JSON.stringify(checkpointFields(cp));
}

function checkpointOf(raw: Record<string, unknown>): Checkpoint {
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
  const f32 = (k: (typeof FLOAT_FIELDS)[number]) => {
    const a = Float32Array.from(arr(k, sizes[k]));
    const at = a.findIndex((x) => !Number.isFinite(x));
    if (at >= 0) throw new Error(`checkpoint: ${k}'s value at ${at} does not fit a 32-bit float`);
    return a;
  };
  const has = PREV_FIELDS.filter(([k]) => raw[k] !== undefined).map(([k]) => k);
  if (has.length > 0 && has.length < PREV_FIELDS.length) {
    throw new Error(`checkpoint: has ${has.join(" and ")} but not ${PREV_FIELDS.map(([k]) => k).filter((k) => !has.includes(k)).join(" and ")} (the fields one step earlier come together)`);
  }
  // c and the step before's in f64 (Checkpoint.c), which JSON's numbers hold exactly.
  const f64 = (k: "c" | "cPrev") => Float64Array.from(arr(k, sizes[k]));
  const xi = f32("xi"), c = f64("c"), phi = f32("phi"), phiB = f32("phiB");
  // An older file: the step before taken as the current one, so the next step starts from u^n (as it did then).
  const prev = (k: "phiPrev" | "phiBPrev", now: Float32Array) => (has.length ? f32(k) : now.slice());
  return {
    nx, ny, step, xi, c, phi, phiB,
    phiPrev: prev("phiPrev", phi), phiBPrev: prev("phiBPrev", phiB), cPrev: has.length ? f64("cPrev") : c.slice(),
    site: f32("site"), integrity: f32("integrity"), stress: f32("stress"), strainPrev: f32("strainPrev"),
    scalars: Float64Array.from(arr("scalars", sizes.scalars)),
    ...(raw.ph !== undefined ? { ph: phOf(raw.ph, nx * ny) } : {}),
  };
}

function objectOf(text: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`checkpoint: not JSON (${(e as Error).message})`);
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new Error("checkpoint: must be a JSON object");
  return raw as Record<string, unknown>;
}

export function checkpointFromJson(text: string): Checkpoint {
  return checkpointOf(objectOf(text));
}

/** A run so far: its scenario, its samples and the state at the end of the last of them. */
export interface RunState extends PartialRun {
  scenario: Scenario;
}

export function runStateToJson(s: RunState): string {
  return JSON.stringify({ scenario: s.scenario, series: s.series, ...checkpointFields(s.checkpoint) });
}

/** Reads a run state; throws, naming the first thing that is missing or wrong. */
export function runStateFromJson(text: string): RunState {
  const raw = objectOf(text);
  if (raw.scenario === undefined || raw.series === undefined) {
    throw new Error("checkpoint: holds no scenario and samples (a bare state, not a run the runner can resume)");
  }
  let scenario: Scenario;
  try {
    scenario = parseScenario(raw.scenario);
  } catch (e) {
    if (e instanceof ScenarioError) throw new Error(`checkpoint: its scenario: ${e.message}`);
    throw e;
  }
  if (!Array.isArray(raw.series)) throw new Error("checkpoint: series must be an array of samples");
  const series = raw.series.map((row: unknown, i: number) => seriesRowOf(row, `checkpoint: sample ${i + 1}`));
  return { scenario, series, checkpoint: checkpointOf(raw) };
}
