/**
 * Parameter sweeps: a base scenario, one or two axes over scenario parameters, and the metrics to collect at
 * the end of each run. Validated with zod; every error is one line (a ScenarioError) naming the field, its value
 * and its allowed range. Pure TypeScript (no DOM, no Node APIs): the runner's `--sweep` and the app share it.
 *
 * Every point is built through parseScenario, so it is exactly the scenario a single run of that point takes
 * (defaults, ranges and the coating's ohmic-drop check included); one invalid point fails the whole sweep.
 */
import { z } from "zod";
import { BYPRODUCT_FIELDS, CORROSION_FIELDS, CYCLE_FIGURES, PH_FIELDS, PROTOCOL_FIELDS, SERIES_FIELDS, type SeriesRow, type SweepMetric } from "./metrics.ts";
import { COATING_PARAMS, ELECTROLYTE_PARAMS, OPERATION_PARAMS, type ParamSpec } from "./params.ts";
import { parseJsonText, parseScenario, ScenarioError, type Scenario } from "./scenario.ts";
import { runStopKind, STOP_KINDS, type StopKind } from "./runStop.ts";

export const MAX_SWEEP_AXES = 2;
export const MAX_AXIS_STEPS = 50;
export const MAX_SWEEP_POINTS = 200;

/** The parameters a sweep axis can vary, each with its spec (range, unit, whole numbers). */
export const SWEEP_PARAM_SPECS: ReadonlyMap<string, ParamSpec> = new Map<string, ParamSpec>([
  ...COATING_PARAMS.map((p) => [`coating.${p.key}`, p] as const),
  ...ELECTROLYTE_PARAMS.map((p) => [`electrolyte.${p.key}`, p] as const),
  ...OPERATION_PARAMS.filter((p) => p.key === "current_mA_cm2" || p.key === "seed").map((p) => [p.key, p] as const),
]);
export const SWEEP_PARAMS: readonly string[] = [...SWEEP_PARAM_SPECS.keys()];

/** The metrics a sweep collects when it names none: every series field but the time. */
export const DEFAULT_SWEEP_METRICS: readonly SweepMetric[] = SERIES_FIELDS.filter((f) => f !== "t_s");
/** ... and with a protocol in its base: its dead zinc and cycle figures too. */
export const DEFAULT_PROTOCOL_SWEEP_METRICS: readonly SweepMetric[] = [...DEFAULT_SWEEP_METRICS, "dead_zn_mAh_cm2", ...CYCLE_FIGURES];
/** Every metric a sweep may name (those of a protocol, a rest, the pH or the by-product only where the base has one). */
const SWEEP_METRICS = [...SERIES_FIELDS, ...PROTOCOL_FIELDS, ...CYCLE_FIGURES, ...CORROSION_FIELDS, ...PH_FIELDS, ...BYPRODUCT_FIELDS] as const;
const PROTOCOL_ONLY: readonly string[] = [...PROTOCOL_FIELDS, ...CYCLE_FIGURES];

/** Why the base scenario has no value of metric m (null: it has one): what the metric needs, said in one clause. */
function missingFor(m: SweepMetric, base: Scenario): string | null {
  const within = (list: readonly string[]) => list.includes(m);
  if (within(PROTOCOL_ONLY) && !base.protocol) return "is a figure of a protocol run, and the base scenario has no protocol";
  if (within(CORROSION_FIELDS) && !restOrSweep(base)) return "is a figure of a protocol with a rest or sweep step, and the base scenario's has none";
  if (within(PH_FIELDS) && !base.ph_field) return "needs the pH field: the base scenario has no \"ph_field\": true";
  if (within(BYPRODUCT_FIELDS) && !base.byproduct) return "needs the by-product: the base scenario has no \"byproduct\": true";
  return null;
}
const restOrSweep = (s: Scenario) => !!s.protocol?.some((st) => st.step === "rest" || st.step === "sweep");

/**
 * The metrics of a sweep that names none: every series field but the time; with a protocol its dead zinc and cycle
 * figures; with a rest or sweep step the corrosion current and zinc lost (i_corr); with the pH field the interfacial
 * pH, with the by-product its film's thickness.
 */
export function defaultSweepMetrics(base: Scenario): SweepMetric[] {
  return [
    ...(base.protocol ? DEFAULT_PROTOCOL_SWEEP_METRICS : DEFAULT_SWEEP_METRICS),
    ...(restOrSweep(base) ? CORROSION_FIELDS : []),
    ...(base.ph_field ? PH_FIELDS : []),
    ...(base.byproduct ? BYPRODUCT_FIELDS : []),
  ];
}

export interface SweepAxis {
  /** `coating.<key>`, `electrolyte.<key>`, `current_mA_cm2` or `seed`. */
  param: string;
  from: number;
  to: number;
  steps: number;
  scale: "linear" | "log";
}

export interface Sweep {
  /** The validated base scenario (every default filled in). */
  base: Scenario;
  axes: SweepAxis[];
  metrics: SweepMetric[];
  /** Which sample of each run's series the row takes: only "end" (the last sample) for now. */
  at: "end";
}

export interface SweepPoint {
  /** 0-based; the first axis is the outer loop, the second the inner. */
  index: number;
  /** The value of each axis at this point, in the order of `sweep.axes`. */
  values: number[];
  /** The full validated scenario of this point: what `--scenario` of it would run. */
  scenario: Scenario;
}

const rangeText = (p: ParamSpec) => `${p.min} to ${p.max} ${p.unit === "1" ? "" : p.unit}`.trim();

const numberField = z
  .number({ error: (iss) => (iss.input === undefined ? "is required" : `must be a number, got ${JSON.stringify(iss.input)}`) })
  .refine(Number.isFinite, { message: "must be finite" });

const axisSchema = z
  .object({
    param: z
      .string({ error: (iss) => (iss.input === undefined ? "is required" : `must be a string, got ${JSON.stringify(iss.input)}`) })
      .refine((p) => SWEEP_PARAM_SPECS.has(p), {
        error: (iss) =>
          `is not a sweepable parameter: ${JSON.stringify(iss.input)} (allowed: coating.<key> and electrolyte.<key> of src/model/params.ts, current_mA_cm2, seed)`,
      }),
    from: numberField,
    to: numberField,
    steps: z
      .number({ error: (iss) => (iss.input === undefined ? "is required" : `must be a number, got ${JSON.stringify(iss.input)}`) })
      .refine((n) => Number.isInteger(n) && n >= 1 && n <= MAX_AXIS_STEPS, {
        error: (iss) => `= ${iss.input} is out of range: a whole number from 1 to ${MAX_AXIS_STEPS}`,
      }),
    scale: z.enum(["linear", "log"], { error: (iss) => `must be "linear" or "log", got ${JSON.stringify(iss.input)}` }).default("linear"),
  })
  .strict()
  .superRefine((a, ctx) => {
    const p = SWEEP_PARAM_SPECS.get(a.param);
    if (!p) return; // the param's own message says why
    let bad = false;
    const fail = (issue: { path: string[]; message: string }) => {
      bad = true;
      ctx.addIssue({ code: "custom", ...issue });
    };
    for (const end of ["from", "to"] as const) {
      const v = a[end];
      if (v < p.min || v > p.max) {
        fail({ path: [end], message: `: ${a.param} = ${v} is out of range: allowed ${rangeText(p)} (${p.label})` });
      }
    }
    if (a.scale === "log" && (a.from <= 0 || a.to <= 0)) {
      fail({ path: ["scale"], message: `: a log scale needs from and to > 0, got from = ${a.from}, to = ${a.to}` });
    }
    if (a.steps === 1 && a.from !== a.to) {
      fail({ path: ["to"], message: `: with steps = 1 the axis has one value, so to must equal from (${a.from}), got ${a.to}` });
    }
    if (bad || !Number.isInteger(a.steps) || a.steps < 1) return;
    if (p.integer) {
      const bad = axisValues(a).find((v) => !Number.isInteger(v));
      if (bad !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["steps"],
          message: `: ${a.param} takes whole numbers, but ${a.from} to ${a.to} in ${a.steps} ${a.scale} steps gives ${bad}`,
        });
      }
    }
  });

const sweepSchema = z
  .object({
    base: z.unknown().optional(),
    axes: z
      .array(axisSchema, { error: (iss) => (iss.input === undefined ? "is required" : "must be an array of axes") })
      .min(1, { message: "needs at least one axis" })
      .max(MAX_SWEEP_AXES, { error: (iss) => `has ${(iss.input as unknown[]).length} axes; at most ${MAX_SWEEP_AXES}` }),
    metrics: z
      .array(z.enum(SWEEP_METRICS, { error: (iss) => `is not a series field: ${JSON.stringify(iss.input)} (known: ${SERIES_FIELDS.join(", ")}; with a protocol also ${PROTOCOL_ONLY.join(", ")}; with a rest or sweep step ${CORROSION_FIELDS.join(", ")}; with ph_field ${PH_FIELDS.join(", ")}, with byproduct ${BYPRODUCT_FIELDS.join(", ")})` }), {
        error: "must be an array of series field names",
      })
      .min(1, { message: "must name at least one series field (or be left out for all of them)" })
      .optional(),
    at: z.literal("end", { error: (iss) => `must be "end" (the last sample; the only choice for now), got ${JSON.stringify(iss.input)}` }).default("end"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.base === undefined) ctx.addIssue({ code: "custom", path: ["base"], message: " is required (the scenario every point starts from)" });
    if (!Array.isArray(s.axes)) return;
    const params = s.axes.map((a) => a.param);
    const twice = params.find((p, i) => params.indexOf(p) !== i);
    if (twice) ctx.addIssue({ code: "custom", path: ["axes"], message: `: ${twice} is on two axes` });
    const metrics = s.metrics ?? [];
    const dup = metrics.find((m, i) => metrics.indexOf(m) !== i);
    if (dup) ctx.addIssue({ code: "custom", path: ["metrics"], message: `: ${dup} is named twice` });
    const total = s.axes.reduce((n, a) => n * a.steps, 1);
    if (total > MAX_SWEEP_POINTS) {
      ctx.addIssue({
        code: "custom",
        path: ["axes"],
        message: `: the sweep has ${s.axes.map((a) => a.steps).join(" x ")} = ${total} points; at most ${MAX_SWEEP_POINTS}`,
      });
    }
  });

/** `axes.0.from` -> `axes[0].from`. */
const pathText = (path: readonly PropertyKey[]) =>
  path.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i ? "." : ""}${String(k)}`)).join("") || "sweep";

/** One clear line from the first zod issue. Custom messages that start with ":" or " " follow the path directly. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]!;
  const path = pathText(issue.path);
  if (issue.code === "unrecognized_keys") return `${path}: unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  if (issue.code === "invalid_type" && issue.expected === "object") return `${path} must be an object`;
  if (issue.message.startsWith(":") || issue.message.startsWith(" ")) return `${path}${issue.message}`;
  return `${path} ${issue.message}`;
}

/** Rounds to 12 significant digits, so 0.3 + 0.13 is 0.43 and 10^-1 is 0.1 (what a person would type). */
const clean = (v: number) => Number(v.toPrecision(12));

/** The values of one axis, from `from` to `to` inclusive (both exact), evenly spaced in the value or its log. */
export function axisValues(a: Pick<SweepAxis, "from" | "to" | "steps" | "scale">): number[] {
  if (a.steps === 1) return [a.from];
  const lo = Math.min(a.from, a.to);
  const hi = Math.max(a.from, a.to);
  const out: number[] = [];
  for (let i = 0; i < a.steps; i++) {
    const f = i / (a.steps - 1);
    let v: number;
    if (i === 0) v = a.from;
    else if (i === a.steps - 1) v = a.to;
    else if (a.scale === "log") v = clean(10 ** (Math.log10(a.from) + f * (Math.log10(a.to) - Math.log10(a.from))));
    else v = clean(a.from + f * (a.to - a.from));
    out.push(Math.min(hi, Math.max(lo, v)));
  }
  return out;
}

/** The base scenario with one parameter set: the raw object a single run of that point would read. */
function withParam(s: Scenario, param: string, value: number): Scenario {
  const next: Scenario = { ...s, grid: { ...s.grid }, electrolyte: { ...s.electrolyte }, coating: { ...s.coating } };
  const [group, key] = param.split(".") as [string, string | undefined];
  if (group === "coating") (next.coating as Record<string, unknown>)[key!] = value;
  else if (group === "electrolyte") (next.electrolyte as Record<string, number>)[key!] = value;
  else (next as unknown as Record<string, number>)[group] = value;
  return next;
}

/** `coating.t_plus = 0.43, current_mA_cm2 = 10`: a point's axis values, for messages and progress lines. */
export function pointLabel(sweep: Pick<Sweep, "axes">, point: Pick<SweepPoint, "values">): string {
  return sweep.axes.map((a, i) => `${a.param} = ${point.values[i]}`).join(", ");
}

/**
 * Every point of the grid (first axis outer, second inner), each with its full validated scenario. Throws a
 * ScenarioError naming the first point that is not a valid scenario.
 */
export function sweepPoints(sweep: Sweep): SweepPoint[] {
  const values = sweep.axes.map(axisValues);
  const total = values.reduce((n, v) => n * v.length, 1);
  const points: SweepPoint[] = [];
  for (let index = 0; index < total; index++) {
    let rest = index;
    const at: number[] = new Array(values.length);
    for (let k = values.length - 1; k >= 0; k--) {
      at[k] = values[k]![rest % values[k]!.length]!;
      rest = Math.floor(rest / values[k]!.length);
    }
    let raw = sweep.base;
    sweep.axes.forEach((a, k) => (raw = withParam(raw, a.param, at[k]!)));
    let scenario: Scenario;
    try {
      scenario = parseScenario(raw);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      throw new ScenarioError(`sweep point ${index + 1}/${total} (${pointLabel(sweep, { values: at })}): ${e.message}`);
    }
    points.push({ index, values: at, scenario });
  }
  return points;
}

/** Validates a sweep (parsed JSON), fills the defaults and checks every point. Throws ScenarioError with one clear line. */
export function parseSweep(raw: unknown): Sweep {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ScenarioError("sweep must be a JSON object");
  const r = sweepSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(describe(r.error));
  let base: Scenario;
  try {
    base = parseScenario(r.data.base);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new ScenarioError(`base: ${e.message}`);
  }
  const sweep: Sweep = {
    base,
    axes: r.data.axes.map((a) => ({ param: a.param, from: a.from, to: a.to, steps: a.steps, scale: a.scale })),
    metrics: [...(r.data.metrics ?? defaultSweepMetrics(base))],
    at: r.data.at,
  };
  for (const m of sweep.metrics) {
    const why = missingFor(m, base);
    if (why) throw new ScenarioError(`metrics: ${m} ${why}`);
  }
  sweepPoints(sweep); // fail up front, before anything runs
  return sweep;
}

/** The sweep as its file: what parseSweep reads back to the same sweep (the runner's `--sweep` file). */
export function sweepFile(sweep: Sweep): { base: Scenario; axes: SweepAxis[]; metrics: SweepMetric[]; at: Sweep["at"] } {
  return { base: sweep.base, axes: sweep.axes, metrics: sweep.metrics, at: sweep.at };
}

/** Parses JSON text; a syntax error becomes a ScenarioError too. */
export function parseSweepJson(text: string): Sweep {
  return parseSweep(parseJsonText(text, "sweep"));
}

/** The row of a run's series that the sweep records (`at: "end"`: the last sample). */
export function sweepRow(sweep: Pick<Sweep, "at">, series: readonly SeriesRow[]): SeriesRow {
  if (sweep.at !== "end") throw new Error(`sweep: unknown sample choice ${JSON.stringify(sweep.at)}`);
  const row = series.at(-1);
  if (!row) throw new Error("sweep: a run produced no samples");
  return row;
}

const STOPPED_COLUMN = "stopped";

/**
 * The sweep CSV's header: the axis params, then the metrics (units in the names), then `stopped`: empty where the
 * point ran its whole duration, else how it stopped early (`dendrite`, `not_finite`: runStopKind), its row then its
 * last sample.
 */
export function sweepCsvHeader(sweep: Pick<Sweep, "axes" | "metrics">): string {
  return [...sweep.axes.map((a) => a.param), ...sweep.metrics, STOPPED_COLUMN].join(",");
}

/** One point's CSV line: its axis values, the metrics of its recorded row as the single run's `--csv` writes them, and how it stopped early, if it did. */
export function sweepCsvLine(sweep: Sweep, point: Pick<SweepPoint, "values" | "scenario">, series: readonly SeriesRow[]): string {
  const row = sweepRow(sweep, series);
  const last = series.at(-1)!;
  return [...point.values.map(String), ...sweep.metrics.map((m) => String((row as Record<string, number>)[m])), runStopKind(last, point.scenario) ?? ""].join(",");
}

/** How the point of a CSV line of this sweep stopped early (its `stopped` column), or null where it ran to its end. */
export function sweepLineStop(line: string): StopKind | null {
  const cell = line.slice(line.lastIndexOf(",") + 1);
  return (STOP_KINDS as readonly string[]).includes(cell) ? (cell as StopKind) : null;
}

/**
 * The sweep as CSV: a header of the axis params, the metrics (units in the names) and `stopped`, one row per point,
 * the numbers written as the single run's `--csv` writes them. `results[i]` is the series of `points[i]`; fewer
 * results than points gives the rows done so far.
 */
export function sweepRowsToCsv(sweep: Sweep, points: readonly SweepPoint[], results: readonly (readonly SeriesRow[])[]): string {
  if (results.length > points.length) throw new Error(`sweep: ${results.length} results for ${points.length} points`);
  return [sweepCsvHeader(sweep), ...results.map((series, i) => sweepCsvLine(sweep, points[i]!, series))].join("\n") + "\n";
}

/**
 * The lines of the points already done in `text`, the CSV an interrupted run of this same sweep wrote (to resume
 * it). Throws a ScenarioError naming the first thing that shows it is not: another header, more rows than points,
 * a row whose axis values are not its point's, a metric that is not a finite number. `points` may be some of the
 * sweep's (a shard's); `firstLine` is the file's line of the first row (for messages).
 */
export function sweepCsvDone(sweep: Sweep, points: readonly SweepPoint[], text: string, firstLine = 2): string[] {
  const [header = "", ...lines] = text.replace(/\r?\n$/, "").split(/\r?\n/);
  const want = sweepCsvHeader(sweep).split(",");
  const has = header.split(",");
  const col = want.findIndex((name, k) => has[k] !== name);
  if (col >= 0 || has.length !== want.length) {
    const k = col >= 0 ? col : want.length;
    const older = has.length === want.length - 1 && k === want.length - 1 ? ` (a sweep CSV written before the ${STOPPED_COLUMN} column was added: start the sweep over)` : "";
    throw new ScenarioError(`its header is not this sweep's: column ${k + 1} is ${JSON.stringify(has[k] ?? "(none)")}, this sweep writes ${JSON.stringify(want[k] ?? "(none)")}${older}`);
  }
  if (lines.length > points.length) throw new ScenarioError(`it has ${lines.length} rows; this sweep has ${points.length} points`);
  const nAxes = sweep.axes.length;
  lines.forEach((line, i) => {
    const cells = line.split(",");
    const where = `row ${i + 1} (line ${i + firstLine})`;
    if (cells.length !== want.length) throw new ScenarioError(`${where} has ${cells.length} values; the header names ${want.length}`);
    points[i]!.values.forEach((v, k) => {
      if (cells[k] !== String(v)) throw new ScenarioError(`${where}: ${sweep.axes[k]!.param} is ${cells[k]}, but point ${points[i]!.index + 1} of this sweep has ${v}`);
    });
    const stop = cells.at(-1)!;
    if (stop !== "" && sweepLineStop(line) === null) {
      throw new ScenarioError(`${where}: ${STOPPED_COLUMN} = ${JSON.stringify(stop)} is not empty or one of ${STOP_KINDS.join(", ")}`);
    }
    sweep.metrics.forEach((m, k) => {
      const cell = cells[nAxes + k]!;
      // A point whose solution stopped being finite records that sample, as its single run's CSV does.
      const number = cell.trim() !== "" && (Number.isFinite(Number(cell)) || (stop === "not_finite" && /^(-?Infinity|NaN)$/.test(cell)));
      if (!number) throw new ScenarioError(`${where}: ${m} = ${JSON.stringify(cell)} is not a finite number`);
    });
  });
  return lines;
}
