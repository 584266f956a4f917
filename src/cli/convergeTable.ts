/**
 * `npm run converge`'s table: the final sample's metrics of every run, per cell size the mean over seeds and its
 * spread, the change between neighbouring cell sizes and the observed order of convergence; as text and as CSV.
 * Pure (no Node, no runs): the tests call it on hand-made numbers.
 */
import type { SeriesRow } from "../model/metrics.ts";

/** One finished run: its final sample, or the last one before it stopped early. */
export interface RunOutcome {
  dx_um: number;
  seed: number;
  /** The final sample (for a stopped run its last sample, not averaged in). */
  row: SeriesRow;
  /** Box-counting dimension of the final deposit's outline; null where not measured (the gpu backend, a stopped run). */
  dimension: number | null;
  /** Why it stopped early (RunStoppedError's message), or null where it ran to the end. */
  stopped: string | null;
  wall_s: number;
}

/** The runs at one cell size. */
export interface Level {
  dx_um: number;
  nx: number;
  ny: number;
  runs: RunOutcome[];
}

export interface Metric {
  key: string;
  unit: string;
  /** A 0..1 quantity: its change is the absolute difference, not a relative one. */
  absolute: boolean;
  /** The value of a run (null: not measured). */
  of(r: RunOutcome): number | null;
}

export const METRICS: readonly Metric[] = [
  { key: "max_height_um", unit: "um", absolute: false, of: (r) => r.row.max_height_um },
  { key: "roughness_um", unit: "um", absolute: false, of: (r) => r.row.roughness_um },
  { key: "uniformity", unit: "1", absolute: true, of: (r) => r.row.uniformity },
  { key: "voltage_mV", unit: "mV", absolute: false, of: (r) => r.row.voltage_V * 1000 },
  { key: "h2_mmol_cm2", unit: "mmol/cm2", absolute: false, of: (r) => r.row.h2_mmol_cm2 },
  { key: "ce", unit: "1", absolute: true, of: (r) => r.row.ce },
  { key: "min_surface_c_M", unit: "M", absolute: false, of: (r) => r.row.min_surface_c_M },
  { key: "outline_dimension", unit: "1", absolute: false, of: (r) => r.dimension },
];

export interface SeedStats {
  mean: number;
  /** Sample standard deviation (NaN with one value). */
  std: number;
  min: number;
  max: number;
  n: number;
}

export function seedStats(values: readonly number[]): SeedStats {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN, n };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n < 2 ? NaN : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { mean, std, min: Math.min(...values), max: Math.max(...values), n };
}

/** The change from `b` (the next coarser cell's value) to `a`: |a - b| / |b| in %, or |a - b| where `absolute`. */
export function change(a: number, b: number, absolute: boolean): number {
  return absolute ? Math.abs(a - b) : (100 * Math.abs(a - b)) / Math.abs(b);
}

/**
 * The observed order of convergence from three values f1, f2, f3 at cells h, h/r, h/r^2 (coarse to fine):
 * p = log(|f1 - f2| / |f2 - f3|) / log r. Null where it means nothing: a difference ~0 (below 1e-12 of the values'
 * size), the differences not of one sign (not monotone), or a value not finite.
 */
export function observedOrder(f1: number, f2: number, f3: number, r: number): number | null {
  const d12 = f1 - f2, d23 = f2 - f3;
  const tiny = 1e-12 * (Math.abs(f1) + Math.abs(f2) + Math.abs(f3));
  if (![d12, d23, r].every(Number.isFinite) || Math.abs(d12) <= tiny || Math.abs(d23) <= tiny) return null;
  if (Math.sign(d12) !== Math.sign(d23)) return null;
  return Math.log(Math.abs(d12) / Math.abs(d23)) / Math.log(r);
}

/** The refinement ratio of the three finest cells (given coarse to fine), or null where it is not one ratio. */
export function refinementRatio(dxs: readonly number[]): number | null {
  if (dxs.length < 3) return null;
  const [a, b, c] = dxs.slice(-3) as [number, number, number];
  return Math.abs(a / b - b / c) <= 1e-9 * (a / b) ? a / b : null;
}

/** One metric at one cell size. */
export interface Cell extends SeedStats {
  /** Change from the next coarser cell (null at the coarsest, or where either is not measured). */
  change: number | null;
}

export interface MetricRow {
  metric: Metric;
  cells: Cell[];
  /** Observed order over the three finest cells (null: n/a, or fewer than 3 sizes). */
  order: number | null;
}

/** Every metric over the levels (coarse to fine), averaging the runs that ran to the end. */
export function summarize(levels: readonly Level[], metrics: readonly Metric[] = METRICS): MetricRow[] {
  const r = refinementRatio(levels.map((l) => l.dx_um));
  return metrics.map((metric) => {
    const cells: Cell[] = levels.map((l) => ({
      ...seedStats(l.runs.filter((x) => !x.stopped).map(metric.of).filter((v): v is number => v !== null && Number.isFinite(v))),
      change: null,
    }));
    cells.forEach((c, k) => {
      const prev = cells[k - 1];
      if (prev && c.n > 0 && prev.n > 0) c.change = change(c.mean, prev.mean, metric.absolute);
    });
    const last = cells.slice(-3);
    const order = r !== null && last.length === 3 && last.every((c) => c.n > 0) ? observedOrder(last[0]!.mean, last[1]!.mean, last[2]!.mean, r) : null;
    return { metric, cells, order };
  });
}

/** A number as the table shows it: 4 significant digits, exponent form outside 1e-3..1e6; "n/a" where not finite. */
export function fmt(x: number | null): string {
  if (x === null || !Number.isFinite(x)) return "n/a";
  if (x === 0) return "0";
  const a = Math.abs(x);
  return a >= 1e-3 && a < 1e6 ? x.toPrecision(4) : x.toExponential(3);
}

/** The seed-mean with its spread: just the value (1 seed), min..max (2 seeds), ± the sample std (3 or more). */
function valueText(c: Cell, level: Level, metric: Metric, gpu: boolean): string {
  if (c.n === 0) {
    if (level.runs.length > 0 && level.runs.every((x) => x.stopped)) return "stopped";
    return metric.key === "outline_dimension" && gpu ? "n/a (gpu)" : "n/a";
  }
  if (c.n === 1) return fmt(c.mean);
  if (c.n === 2) return `${fmt(c.mean)} (${fmt(c.min)}..${fmt(c.max)})`;
  return `${fmt(c.mean)} ± ${fmt(c.std)}`;
}

const changeText = (c: Cell, m: Metric) => (c.change === null ? "n/a" : m.absolute ? `${fmt(c.change)} (abs)` : `${fmt(c.change)} %`);

const levelName = (l: Level) => `dx ${l.dx_um} um (${l.nx} x ${l.ny})`;

/** The runs at a level: "2 done", "1 done, 1 stopped". */
function runsText(l: Level): string {
  const stopped = l.runs.filter((r) => r.stopped).length;
  return `${l.runs.length - stopped} done${stopped ? `, ${stopped} stopped` : ""}`;
}

/**
 * The table as text: a row per metric (its unit in brackets), a column per cell size (the seed-mean and its spread,
 * in the metric's unit), after each but the coarsest the change from the next coarser size (in %, or the absolute
 * difference "(abs)" for the 0..1 metrics), and with three or more sizes the observed order.
 * Below it: the runs that stopped early (left out of the means), and each size's mean wall time per run.
 */
export function formatTable(levels: readonly Level[], opts: { gpu?: boolean } = {}): string {
  const rows = summarize(levels);
  const withOrder = levels.length >= 3;
  const header = ["metric [unit]"];
  levels.forEach((l, k) => {
    header.push(levelName(l));
    if (k > 0) header.push("change [% | abs]");
  });
  const r = refinementRatio(levels.map((l) => l.dx_um));
  if (withOrder) header.push(`order p [1] (r = ${r === null ? "n/a: not one ratio" : Number(r.toPrecision(6))})`);
  const lines: string[][] = [header];
  const runs = ["runs [count]"];
  levels.forEach((l, k) => runs.push(runsText(l), ...(k > 0 ? [""] : [])));
  if (withOrder) runs.push("");
  lines.push(runs);
  for (const { metric, cells, order } of rows) {
    const line = [`${metric.key} [${metric.unit}]`];
    cells.forEach((c, k) => line.push(valueText(c, levels[k]!, metric, opts.gpu ?? false), ...(k > 0 ? [changeText(c, metric)] : [])));
    if (withOrder) line.push(fmt(order));
    lines.push(line);
  }
  const widths = header.map((_, i) => Math.max(...lines.map((l) => l[i]!.length)));
  const text = lines.map((l) => l.map((s, i) => s.padEnd(widths[i]!)).join(" | ").trimEnd());
  text.splice(1, 0, widths.map((w) => "-".repeat(w)).join("-+-"));
  for (const l of levels) for (const r of l.runs) if (r.stopped) text.push(`stopped early (left out of the means): dx ${l.dx_um} um, seed ${r.seed}: ${r.stopped}`);
  text.push(`wall time per run [s]: ${levels.map((l) => `dx ${l.dx_um} um ${fmt(seedStats(l.runs.map((r) => r.wall_s)).mean)}`).join(", ")}`);
  return text.join("\n") + "\n";
}

export const CSV_HEADER = "metric,unit,dx_um,nx,ny,mean,spread,n_seeds,rel_change_to_previous,order,change_unit";

/**
 * The table as CSV, a row per metric x cell size: spread is the sample standard deviation over seeds (empty with
 * one); rel_change_to_previous the change from the next coarser cell in change_unit (% relative; "1": the absolute
 * difference, for uniformity and ce); order the observed order, on the finest cell's row; empty where n/a.
 */
export function tableCsv(levels: readonly Level[]): string {
  const num = (x: number | null) => (x === null || !Number.isFinite(x) ? "" : String(x));
  const lines = [CSV_HEADER];
  for (const { metric, cells, order } of summarize(levels)) {
    cells.forEach((c, k) => {
      const l = levels[k]!;
      const last = k === cells.length - 1;
      lines.push([metric.key, metric.unit, l.dx_um, l.nx, l.ny, num(c.mean), num(c.std), c.n, num(c.change), last ? num(order) : "", metric.absolute ? "1" : "%"].join(","));
    });
  }
  return lines.join("\n") + "\n";
}
