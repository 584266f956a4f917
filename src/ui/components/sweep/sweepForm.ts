/**
 * The sweep panel's form and run state without React: the app's own limits, the form's axes, the form read as a
 * sweep file's object and checked by the model (its messages, named by the form's own fields), and the words and
 * files of a sweep. No physics here: the model's sweep validation (src/model/sweep.ts) decides what is allowed.
 */
import { METRIC_META, type SeriesRow, type SweepMetric } from "../../../model/metrics.ts";
import type { ParamSpec } from "../../../model/params.ts";
import { ScenarioError, type Scenario } from "../../../model/scenario.ts";
import { DEFAULT_SWEEP_METRICS, parseSweep, sweepFile, SWEEP_PARAM_SPECS, sweepPoints, type Sweep, type SweepPoint } from "../../../model/sweep.ts";
import { labelText, unitSuffix } from "../../text.ts";

/** The app's own limits on points per axis (the model allows 1 to 50; a CPU worker keeps the app's sweeps small). */
export const APP_MIN_STEPS = 2;
export const APP_MAX_STEPS = 20;
/** Grids a sweep may run on (cells a side): the CPU solver, point after point. */
export const SWEEP_GRIDS = [32, 64, 128] as const;
/** The most workers a sweep runs side by side. */
export const MAX_SWEEP_WORKERS = 8;

/** Workers for a sweep of `left` points: one per CPU core but the page's own, 1 to MAX_SWEEP_WORKERS. */
export function sweepWorkers(left: number, cores = navigator.hardwareConcurrency || 1): number {
  return Math.max(1, Math.min(MAX_SWEEP_WORKERS, cores - 1, left));
}
export type SweepGrid = (typeof SWEEP_GRIDS)[number];

export interface AxisForm {
  param: string;
  from: string;
  to: string;
  steps: string;
  scale: "linear" | "log";
}

/** A sweep this page runs or ran. */
export interface RunState {
  sweep: Sweep;
  points: SweepPoint[];
  /** rows[i] is the row of points[i]: the points done without a gap from the first (what is saved and shown). */
  rows: SeriesRow[];
  /** Points done, counting those that ended ahead of a point still running (not in rows yet). */
  done: number;
  /** Workers running the sweep's points side by side. */
  workers: number;
  total: number;
  status: "running" | "cancelling" | "done" | "cancelled" | "error";
  message: string | null;
  started: number;
  wall_s: number | null;
}

export const GROUPS: { label: string; test: (p: string) => boolean }[] = [
  { label: "Coating", test: (p) => p.startsWith("coating.") },
  { label: "Electrolyte", test: (p) => p.startsWith("electrolyte.") },
  { label: "Operation", test: (p) => !p.includes(".") },
];

export const paramText = (p: string) => {
  const s = SWEEP_PARAM_SPECS.get(p);
  return s ? `${labelText(s.label)}${unitSuffix(s.unit)}` : p;
};
export const metricText = (m: SweepMetric) => `${labelText(METRIC_META[m].label)}${unitSuffix(METRIC_META[m].unit)}`;

const AXIS_ORDINAL = ["First", "Second"];
const FORM_FIELD: Record<string, string> = { from: "From", to: "To", steps: "Steps", scale: "Scale" };
/**
 * A message of the sweep's checks as the form reads: the sweep file's paths (axes[0].to, base.duration_s) named by
 * the form's own fields (First parameter, "To"; Duration), units and ions as the page prints them.
 */
export function formMessage(message: string): string {
  return labelText(
    message
      .replace(/axes\[(\d)\]\.(from|to|steps|scale)(:?)/g, (_, k: string, f: string, colon: string) => `${AXIS_ORDINAL[Number(k)] ?? `Axis ${k}`} parameter, "${FORM_FIELD[f]}"${colon}`)
      .replace(/base(\.|: )duration_s/g, "Duration (s)"),
  );
}

/** A fresh axis for a parameter: its whole range (a few whole numbers for integer ones), log where the control is. */
export function defaultAxis(param: string, steps: number): AxisForm {
  const s = SWEEP_PARAM_SPECS.get(param) as ParamSpec;
  if (s.integer) {
    const to = Math.min(s.max, s.min + Math.max(1, steps - 1));
    return { param, from: String(s.min), to: String(to), steps: String(Math.min(steps, to - s.min + 1)), scale: "linear" };
  }
  const log = !!s.log && s.min > 0;
  return { param, from: String(s.min), to: String(s.max), steps: String(steps), scale: log ? "log" : "linear" };
}

export type Parsed = { sweep: Sweep; points: SweepPoint[]; error: null; field: null } | { sweep: null; points: null; error: string; field: string | null };

/** The form as a sweep file's object, checked by the model (its messages); the app's own limits first. */
export function buildSweep(axes: AxisForm[], grid: SweepGrid, durationText: string, scenario: Scenario): Parsed {
  const fail = (error: string, field: string | null = null): Parsed => ({ sweep: null, points: null, error, field });
  const rawAxes: Record<string, unknown>[] = [];
  for (const [k, a] of axes.entries()) {
    const at = `axes[${k}]`;
    const nums: Record<string, number> = {};
    for (const end of ["from", "to"] as const) {
      const t = a[end].trim();
      const v = Number(t);
      if (t === "" || !Number.isFinite(v)) return fail(`${at}.${end} must be a number, got ${JSON.stringify(t)}`, `${k}.${end}`);
      nums[end] = v;
    }
    const st = a.steps.trim();
    const steps = Number(st);
    if (st === "" || !Number.isInteger(steps) || steps < APP_MIN_STEPS || steps > APP_MAX_STEPS) {
      return fail(`${at}.steps = ${st === "" ? '""' : st} is out of range: a whole number from ${APP_MIN_STEPS} to ${APP_MAX_STEPS} in the app`, `${k}.steps`);
    }
    rawAxes.push({ param: a.param, from: nums.from, to: nums.to, steps, scale: a.scale });
  }
  const dt = durationText.trim();
  const duration = Number(dt);
  if (dt === "" || !Number.isFinite(duration)) return fail(`base.duration_s must be a number, got ${JSON.stringify(dt)}`, "duration");
  const raw = {
    base: { ...scenario, grid: { ...scenario.grid, nx: grid, ny: grid }, duration_s: duration },
    axes: rawAxes,
    metrics: [...DEFAULT_SWEEP_METRICS],
    at: "end",
  };
  try {
    const sweep = parseSweep(raw);
    return { sweep, points: sweepPoints(sweep), error: null, field: null };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    const m = /^axes\[(\d)\]\.(from|to|steps|scale)/.exec(e.message);
    const field = m ? `${m[1]}.${m[2]}` : e.message.startsWith("base: duration_s") ? "duration" : null;
    return fail(e.message, field);
  }
}

/** The sweep file the runner reads (`npm run sim -- --sweep FILE --out RESULTS.csv`). */
export function sweepFileJson(sweep: Sweep): string {
  return JSON.stringify(sweepFile(sweep), null, 2) + "\n";
}

export const sweepFileStem = (sweep: Pick<Sweep, "axes">) => `zinc-sweep-${sweep.axes.map((a) => a.param).join("-")}`;
