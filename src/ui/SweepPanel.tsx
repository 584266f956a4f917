/**
 * The in-app parameter sweep: one or two parameters of the page's current scenario over a range, each point run on
 * the CPU reference solver in a Web Worker (sim/sweepWorker.ts, the runner's cpu code path, so the numbers are the
 * runner's), with a progress bar, a chart of one metric against the first axis, a table of every row, and
 * downloads of the CSV (exactly the runner's `--sweep` output) and of the sweep file the runner reads.
 * No physics here: the model's sweep validation (src/model/sweep.ts) decides what is allowed and says why not.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { SERIES_META, type SeriesField, type SeriesRow } from "../model/metrics.ts";
import type { ParamSpec } from "../model/params.ts";
import { rowStopMessage, runStopKind, type StopKind } from "../model/runStop.ts";
import { coatingValues, ScenarioError, type Scenario } from "../model/scenario.ts";
import {
  axisValues, DEFAULT_SWEEP_METRICS, parseSweep, sweepFile, SWEEP_PARAM_SPECS, SWEEP_PARAMS, sweepPoints, sweepRowsToCsv,
  type Sweep, type SweepPoint,
} from "../model/sweep.ts";
import { usePage } from "./store.ts";
import type { SweepReply, SweepRequest } from "./sim/sweepCore.ts";
import { download } from "./ExportBar.tsx";
import { clearSweep, holdSweep, loadSweeps, newSweepId, saveSweep, type LoadedSweeps } from "./sweepStore.ts";
import { labelText, unitSuffix, unitText } from "./text.ts";

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
type SweepGrid = (typeof SWEEP_GRIDS)[number];

interface AxisForm {
  param: string;
  from: string;
  to: string;
  steps: string;
  scale: "linear" | "log";
}

/** The table's words for the CSV's stopped column (its tooltip says the whole why). */
const STOP_TEXT: Record<StopKind, string> = { dendrite: "dendrite across the cell", not_finite: "not finite" };

interface RunState {
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

const GROUPS: { label: string; test: (p: string) => boolean }[] = [
  { label: "Coating", test: (p) => p.startsWith("coating.") },
  { label: "Electrolyte", test: (p) => p.startsWith("electrolyte.") },
  { label: "Operation", test: (p) => !p.includes(".") },
];

const paramText = (p: string) => {
  const s = SWEEP_PARAM_SPECS.get(p);
  return s ? `${labelText(s.label)}${unitSuffix(s.unit)}` : p;
};
const metricText = (m: SeriesField) => `${labelText(SERIES_META[m].label)}${unitSuffix(SERIES_META[m].unit)}`;

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

/** Compact number for ticks and the tooltip: 4 significant digits (sweeps often span a narrow range), exponential for tiny or huge magnitudes. */
function fmt(v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

/** A fresh axis for a parameter: its whole range (a few whole numbers for integer ones), log where the control is. */
function defaultAxis(param: string, steps: number): AxisForm {
  const s = SWEEP_PARAM_SPECS.get(param) as ParamSpec;
  if (s.integer) {
    const to = Math.min(s.max, s.min + Math.max(1, steps - 1));
    return { param, from: String(s.min), to: String(to), steps: String(Math.min(steps, to - s.min + 1)), scale: "linear" };
  }
  const log = !!s.log && s.min > 0;
  return { param, from: String(s.min), to: String(s.max), steps: String(steps), scale: log ? "log" : "linear" };
}

type Parsed = { sweep: Sweep; points: SweepPoint[]; error: null; field: null } | { sweep: null; points: null; error: string; field: string | null };

/** The form as a sweep file's object, checked by the model (its messages); the app's own limits first. */
function buildSweep(axes: AxisForm[], grid: SweepGrid, durationText: string, scenario: Scenario): Parsed {
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

/** Saves text through ExportBar's download helper. */
const saveText = (name: string, text: string, type: string) => download(name, new Blob([text], { type }));

/** Dark, distinct hues (each at least 4.5:1 on white); lines after the first are dashed too. */
const COLORS = ["#0b5cad", "#b3400b", "#0b6b5a", "#6b3d9a", "#8a4b00", "#a3202c"];
const DASHES = [undefined, "6 3", "2 3", "8 3 2 3"];

function SweepChart({ run, metric }: { run: RunState; metric: SeriesField }) {
  const { sweep, points, rows } = run;
  const [a0, a1] = sweep.axes as [Sweep["axes"][0], Sweep["axes"][1] | undefined];
  const inner = a1 ? axisValues(a1) : [undefined];
  const outer = axisValues(a0);
  const data = useMemo(() => {
    const out: Record<string, number>[] = [];
    outer.forEach((x, i) => {
      const d: Record<string, number> = { x };
      let any = false;
      inner.forEach((_, j) => {
        const row = rows[i * inner.length + j];
        if (row) { d[`y${j}`] = row[metric]; any = true; }
      });
      if (any) out.push(d);
    });
    return out;
  }, [rows, metric, points]);
  const logX = a0.scale === "log";
  const name = (j: number) => (a1 ? `${a1.param} = ${inner[j]}` : labelText(SERIES_META[metric].label));
  return (
    <div className="sweep-plot" aria-hidden="true" data-testid="sweep-chart" data-points={rows.length}>
      <ResponsiveContainer width="100%" height={220} initialDimension={{ width: 400, height: 220 }}>
        <LineChart data={data} margin={{ top: 6, right: 12, bottom: 18, left: 8 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
          <XAxis
            dataKey="x" type="number" scale={logX ? "log" : "auto"} domain={["dataMin", "dataMax"]} allowDataOverflow={logX}
            tickFormatter={fmt} tick={{ fontSize: 11 }} height={34}
            label={{ value: paramText(a0.param), position: "insideBottom", offset: -10, fontSize: 11 }}
          />
          <YAxis
            width={64} tickFormatter={fmt} tick={{ fontSize: 11 }} domain={["auto", "auto"]}
            label={{ value: metricText(metric), angle: -90, position: "insideLeft", fontSize: 11, style: { textAnchor: "middle" } }}
          />
          <Tooltip
            formatter={(v: unknown) => (typeof v === "number" ? fmt(v) : String(v ?? ""))}
            labelFormatter={(x: unknown) => `${a0.param} = ${typeof x === "number" ? fmt(x) : String(x)}`}
            isAnimationActive={false}
          />
          {a1 && <Legend itemSorter={null} verticalAlign="top" height={22} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />}
          {inner.map((_, j) => (
            <Line
              key={j} dataKey={`y${j}`} name={name(j)} type="linear" stroke={COLORS[j % COLORS.length]} strokeWidth={2}
              strokeDasharray={DASHES[j % DASHES.length]} dot={{ r: 3 }} isAnimationActive={false} connectNulls
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

function AxisFields(props: {
  k: number; axis: AxisForm; invalid: string | null; errorId: string; onChange: (a: AxisForm) => void;
}) {
  const { k, axis, invalid, errorId, onChange } = props;
  const id = useId();
  const spec = SWEEP_PARAM_SPECS.get(axis.param)!;
  const unit = unitText(spec.unit) ? ` ${unitText(spec.unit)}` : "";
  const field = (key: "from" | "to" | "steps", label: string, extra: string) => {
    const bad = invalid === `${k}.${key}`;
    return (
      <div className="sweep-field">
        <label htmlFor={`${id}-${key}`}>{label}{extra && <span className="param-unit"> {extra}</span>}</label>
        <input
          id={`${id}-${key}`} type="text" inputMode="decimal" value={axis[key]} data-testid={`sweep-${key}-${k}`}
          aria-invalid={bad || undefined} aria-describedby={bad ? errorId : undefined}
          onChange={(e) => onChange({ ...axis, [key]: e.target.value })}
        />
      </div>
    );
  };
  return (
    <div className="sweep-axis-fields" data-testid={`sweep-axis-${k}`}>
      {field("from", "From", unit ? `(${unit.trim()})` : "")}
      {field("to", "To", unit ? `(${unit.trim()})` : "")}
      {field("steps", "Points", `(${APP_MIN_STEPS} to ${APP_MAX_STEPS})`)}
      <div className="sweep-field">
        <label htmlFor={`${id}-scale`}>Spacing</label>
        <select
          id={`${id}-scale`} value={axis.scale} data-testid={`sweep-scale-${k}`}
          aria-invalid={invalid === `${k}.scale` || undefined} aria-describedby={invalid === `${k}.scale` ? errorId : undefined}
          onChange={(e) => onChange({ ...axis, scale: e.target.value as AxisForm["scale"] })}
        >
          <option value="linear">linear</option>
          <option value="log">log</option>
        </select>
      </div>
      <p className="sweep-range">Allowed {String(spec.min)} to {String(spec.max)}{unit}</p>
    </div>
  );
}

function ParamSelect(props: { id: string; value: string; exclude?: string; none?: boolean; testId: string; onChange: (p: string) => void }) {
  return (
    <select id={props.id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
      {props.none && <option value="">none (one axis)</option>}
      {GROUPS.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {SWEEP_PARAMS.filter((p) => g.test(p) && p !== props.exclude).map((p) => (
            <option key={p} value={p}>{paramText(p)}: {p}</option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

export function SweepPanel() {
  const scenario = usePage((s) => s.scenario);
  const id = useId();
  // The first axis on offer: the layer's cation transference number, or, where there is no layer (bare Zn, whose
  // layer properties change nothing), the current density.
  const [axis0, setAxis0] = useState<AxisForm>(() =>
    coatingValues(scenario).thickness_nm > 0 ? defaultAxis("coating.t_plus", 5)
    // 1 to 20 mA/cm2: at the page's 1200 s on the sweep's 32 x 32 cells the deposit stays inside the cell (at 100 a dendrite crosses it).
    : { ...defaultAxis("current_mA_cm2", 5), from: "1", to: "20" });
  const [axis1, setAxis1] = useState<AxisForm | null>(null);
  const [grid, setGrid] = useState<SweepGrid>(32);
  /** null: the page scenario's duration. */
  const [durationText, setDurationText] = useState<string | null>(null);
  const [metric, setMetric] = useState<SeriesField>("uniformity");
  const [run, setRun] = useState<RunState | null>(null);
  const [refused, setRefused] = useState(false);
  /**
   * Unfinished sweeps that earlier visits left in storage and no other live tab runs (the first is offered for
   * resuming), and why stored ones that could not be read were discarded; null until storage has been read.
   */
  const [stored, setStored] = useState<LoadedSweeps | null>(null);
  const saved = stored?.offered[0];
  /** The workers of the sweep running (none when none runs), and how to tell them to stop after their points. */
  const pool = useRef<Worker[]>([]);
  const cancelPool = useRef<() => void>(() => {});
  /** The storage id of the sweep this page runs (or last ran), and how to let go of it (sweepStore.holdSweep). */
  const sweepId = useRef<string | null>(null);
  const release = useRef<() => void>(() => {});

  const duration = durationText ?? String(scenario.duration_s);
  const parsed = useMemo(() => buildSweep(axis1 ? [axis0, axis1] : [axis0], grid, duration, scenario), [axis0, axis1, grid, duration, scenario]);
  const active = run?.status === "running" || run?.status === "cancelling";
  const errorId = `${id}-error`;

  useEffect(() => () => {
    for (const w of pool.current) w.terminate();
    release.current();
  }, []);
  useEffect(() => {
    let live = true;
    void loadSweeps().then((r) => live && setStored(r));
    return () => {
      live = false;
    };
  }, []);
  useEffect(() => setRefused(false), [parsed]);
  // Every point done is kept in storage until the sweep ends, so a reload or a crash loses none of them (the last
  // point's rows are not: the sweep is done, and storage would hold a sweep with nothing left to resume).
  useEffect(() => {
    const sid = sweepId.current;
    if (!run || !sid) return;
    if (run.status === "done") {
      clearSweep(sid);
      release.current();
    } else if (run.rows.length > 0 && run.rows.length < run.total) saveSweep(sid, { sweep: run.sweep, rows: run.rows });
  }, [run]);
  /** From now on this page runs (and stores, and holds) the sweep `sid`. */
  const own = (sid: string) => {
    release.current();
    sweepId.current = sid;
    release.current = holdSweep(sid);
  };
  /** Drops the offered sweep from the offers (after Resume, Discard or Start). */
  const dropOffer = () => setStored((s) => s && { ...s, offered: s.offered.slice(1) });
  /**
   * After a button that removes itself (Resume, Discard, Continue), focus goes to the status line, not the page: at
   * once, while the button is still there (the status line always is), so the re-render that removes the button
   * finds the focus already moved. (It once waited for the next animation frame: in one fresh-clone CI run the
   * status line was still not focused 5 s after Discard, on a page whose GPU run was starting.)
   */
  const focusStatus = () => document.getElementById(`${id}-status`)?.focus();

  const stop = () => {
    for (const w of pool.current) w.terminate();
    pool.current = [];
  };

  const start = () => {
    if (active) return;
    if (!parsed.sweep) {
      setRefused(true);
      document.getElementById(errorId)?.focus();
      return;
    }
    // Start discards the sweep on offer, as the offer says (shown only before this page runs a sweep; any others stay
    // stored, offered after a reload).
    if (saved && !run) {
      clearSweep(saved.id);
      dropOffer();
    }
    own(newSweepId());
    launch(parsed.sweep, parsed.points, []);
  };

  /**
   * Runs the sweep's points from rows.length on (rows: the points already done), on sweepWorkers() workers side by
   * side: each is handed the next point as it ends one, so the points start in order; rows grows by the points done
   * without a gap (a point that ends early waits, in `ahead`, for those before it).
   */
  const launch = (sweep: Sweep, points: SweepPoint[], rows: SeriesRow[]) => {
    stop();
    const total = points.length;
    const n = sweepWorkers(total - rows.length);
    const ahead = new Map<number, SeriesRow>();
    /** This run's rows so far (kept here, so that the state updates below stay pure). */
    const have = [...rows];
    let next = rows.length, running = 0, cancelled = false;
    const workers: Worker[] = [];
    pool.current = workers;
    // Cancel hands out no more points; those running end, so the rows done stay without a gap.
    cancelPool.current = () => {
      cancelled = true;
    };
    setRun({ sweep, points, rows, done: rows.length, workers: n, total, status: "running", message: null, started: performance.now(), wall_s: null });
    const fail = (message: string) => {
      if (pool.current !== workers) return;
      stop();
      setRun((s) => s && { ...s, status: "error", message });
    };
    /** Hands `w` the next point, or lets it go; the sweep ends when the last worker is let go. */
    const handOut = (w: Worker) => {
      if (!cancelled && next < total) {
        running++;
        w.postMessage({ type: "run", sweep, from: next, to: next + 1 } satisfies SweepRequest);
        next++;
        return;
      }
      w.terminate();
      if (running > 0) return;
      pool.current = [];
      const finished = have.length === total;
      setRun((s) => s && { ...s, done: have.length, status: finished ? "done" : "cancelled", wall_s: (performance.now() - s.started) / 1000 });
    };
    for (let k = 0; k < n; k++) {
      const w = new Worker(new URL("./sim/sweepWorker.ts", import.meta.url), { type: "module" });
      workers.push(w);
      w.onmessage = (e: MessageEvent<SweepReply>) => {
        const r = e.data;
        if (pool.current !== workers) return;
        if (r.type === "progress") {
          ahead.set(r.index, r.row);
          while (ahead.has(have.length)) {
            have.push(ahead.get(have.length)!);
            ahead.delete(have.length - 1);
          }
          const grown = [...have], done = have.length + ahead.size;
          setRun((s) => s && { ...s, rows: grown, done });
        } else if (r.type === "done") {
          running--;
          handOut(w);
        } else fail(r.message);
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        fail(`the sweep worker failed: ${e.message || "its script could not run"}`);
      };
      handOut(w);
    }
  };

  const resume = () => {
    if (active || !saved) return;
    dropOffer();
    // A sweep of the first storage version (one key for every tab) moves to a key of its own, stored before the old
    // one goes, so that a crash in between loses nothing.
    const sid = saved.id === "v1" ? newSweepId() : saved.id;
    own(sid);
    saveSweep(sid, saved);
    if (sid !== saved.id) clearSweep(saved.id);
    launch(saved.sweep, sweepPoints(saved.sweep), saved.rows);
    focusStatus();
  };
  const discard = () => {
    if (!saved) return;
    clearSweep(saved.id);
    dropOffer();
    focusStatus();
  };
  const dismissErrors = () => {
    setStored((s) => s && { ...s, errors: [] });
    focusStatus();
  };

  const cancel = () => {
    if (pool.current.length === 0 || run?.status !== "running") return;
    cancelPool.current();
    setRun((s) => s && { ...s, status: "cancelling" });
  };

  // How each point done stopped early, if it did: read from its row (its last sample), as the CSV's stopped column
  // is, so a sweep resumed after a reload marks its earlier points too.
  const stops = useMemo(() => (run ? run.rows.map((row, i) => {
    const s = run.points[i]!.scenario, kind = runStopKind(row, s);
    return kind ? { kind, why: rowStopMessage(row, s)! } : null;
  }) : []), [run?.rows, run?.points]);
  const stopped = stops.flatMap((p, index) => (p ? [{ index, why: p.why }] : []));
  const csvText = run ? sweepRowsToCsv(run.sweep, run.points, run.rows.map((r) => [r])) : "";
  const exportSweep = run?.sweep ?? parsed.sweep;
  const changeParam0 = (p: string) => {
    setAxis0(defaultAxis(p, Number(axis0.steps) || 5));
    if (axis1?.param === p) setAxis1(null);
  };
  const changeParam1 = (p: string) => setAxis1(p ? defaultAxis(p, 3) : null);

  // What the sweep runs on: while one runs, its own grid and duration (a resumed sweep keeps those it was started
  // with, whatever the form holds after the reload); else the form's, for the next Start.
  const base = active ? run.sweep.base : undefined;
  const overrides = base
    ? [
        `grid ${base.grid.nx} × ${base.grid.ny} cells (page: ${scenario.grid.nx} × ${scenario.grid.ny})`,
        `duration ${base.duration_s} s (page: ${scenario.duration_s} s)`,
      ]
    : [
        `grid ${grid} × ${grid} cells (page: ${scenario.grid.nx} × ${scenario.grid.ny})`,
        `duration ${duration.trim() || "?"} s${durationText === null ? " (the page's)" : ` (page: ${scenario.duration_s} s)`}`,
      ];
  const statusText = !run
    ? parsed.sweep ? `Not started: ${parsed.points.length} points.` : "Not started."
    : run.status === "running"
      ? run.workers > 1 ? `Running ${run.workers} points at a time (one worker each, on ${run.workers} of this computer's cores): ${run.done} of ${run.total} done…`
      : `Running point ${Math.min(run.done + 1, run.total)} of ${run.total}…`
    : run.status === "cancelling" ? run.workers > 1 ? `Cancelling after the points running…` : `Cancelling after the current point…`
    : run.status === "cancelled" ? `Cancelled after ${run.done} of ${run.total} points.`
    : run.status === "done" ? `Done: ${run.total} points in ${run.wall_s?.toFixed(1)} s.`
    : `The sweep failed: ${run.message}`;

  return (
    <section className="sweep-panel" aria-labelledby={`${id}-heading`} data-testid="sweep-panel" data-stored={stored ? "read" : "reading"}>
      <h2 id={`${id}-heading`}>Parameter sweep</h2>
      <p className="hint" data-testid="sweep-note">
        Sweeps the page's current scenario ({scenario.coating.preset}) on the CPU reference solver in Web Workers,{" "}
        {sweepWorkers(Infinity) > 1 ? `${sweepWorkers(Infinity)} points at a time (one per CPU core but the page's own)` : "one point after another"},
        through the same code as <code>npm run sim -- --sweep</code>, so the app and the runner
        give the same numbers (at most the last digit differs, where the browser's and Node's JavaScript engines round
        exp, log and powers differently). Overridden for the sweep: <span data-testid="sweep-overrides">{overrides.join("; ")}</span>.
      </p>
      {stored && stored.errors.length > 0 && (
        <p className="sweep-saved" data-testid="sweep-saved-errors">
          {stored.errors.length === 1 ? "A sweep saved by an earlier visit could not be read and was discarded" : `${stored.errors.length} sweeps saved by earlier visits could not be read and were discarded`}:{" "}
          {stored.errors.join("; ")}.{" "}
          <button type="button" onClick={dismissErrors} data-testid="sweep-saved-dismiss">Dismiss</button>
        </p>
      )}
      {saved && !run && (
        <div className="sweep-saved" role="region" aria-label="Unfinished sweep" data-testid="sweep-saved">
          <p>
            An unfinished sweep from an earlier visit: <strong>{saved.rows.length} of {sweepPoints(saved.sweep).length} points done</strong>{" "}
            ({saved.sweep.axes.map((a) => `${paramText(a.param)} ${a.from} to ${a.to}`).join(" × ")}; {saved.sweep.base.coating.preset},{" "}
            grid {saved.sweep.base.grid.nx} × {saved.sweep.base.grid.ny} cells, {saved.sweep.base.duration_s} s). Start sweep
            starts a new one instead and discards it.
            {stored!.offered.length > 1 && ` ${stored!.offered.length - 1} more stored (offered once this one is discarded, or after a reload).`}
          </p>
          <button type="button" className="primary" onClick={resume} data-testid="sweep-resume">Resume sweep</button>{" "}
          <button type="button" onClick={discard} data-testid="sweep-discard">Discard it</button>
        </div>
      )}
      <div className="sweep-form">
        <div className="sweep-axis">
          <div className="sweep-field sweep-param">
            <label htmlFor={`${id}-p0`}>Parameter</label>
            <ParamSelect id={`${id}-p0`} value={axis0.param} testId="sweep-param-0" onChange={changeParam0} />
          </div>
          <AxisFields k={0} axis={axis0} invalid={parsed.field} errorId={errorId} onChange={setAxis0} />
        </div>
        <div className="sweep-axis">
          <div className="sweep-field sweep-param">
            <label htmlFor={`${id}-p1`}>Second parameter</label>
            <ParamSelect id={`${id}-p1`} value={axis1?.param ?? ""} exclude={axis0.param} none testId="sweep-param-1" onChange={changeParam1} />
          </div>
          {axis1 && <AxisFields k={1} axis={axis1} invalid={parsed.field} errorId={errorId} onChange={setAxis1} />}
        </div>
        <div className="sweep-run-fields">
          <div className="sweep-field">
            <label htmlFor={`${id}-grid`}>Sweep grid</label>
            <select id={`${id}-grid`} value={grid} data-testid="sweep-grid" onChange={(e) => setGrid(Number(e.target.value) as SweepGrid)}>
              {SWEEP_GRIDS.map((g) => <option key={g} value={g}>{g} × {g}</option>)}
            </select>
          </div>
          <div className="sweep-field">
            <label htmlFor={`${id}-dur`}>Duration <span className="param-unit">(s)</span></label>
            <input
              id={`${id}-dur`} type="text" inputMode="decimal" value={duration} data-testid="sweep-duration"
              aria-invalid={parsed.field === "duration" || undefined} aria-describedby={parsed.field === "duration" ? errorId : undefined}
              onChange={(e) => setDurationText(e.target.value)}
            />
          </div>
          <div className="sweep-field">
            <label htmlFor={`${id}-metric`}>Plot</label>
            <select id={`${id}-metric`} value={metric} data-testid="sweep-metric" onChange={(e) => setMetric(e.target.value as SeriesField)}>
              {DEFAULT_SWEEP_METRICS.map((m) => <option key={m} value={m}>{metricText(m)}</option>)}
            </select>
          </div>
        </div>
      </div>
      {parsed.error && (
        <p className={`sweep-error${refused ? " sweep-refused" : ""}`} id={errorId} role="alert" tabIndex={-1} data-testid="sweep-error">
          {formMessage(parsed.error)}{refused ? " The sweep was not started." : ""}
        </p>
      )}
      <div className="sweep-actions">
        <button type="button" className="primary" onClick={start} disabled={active} data-testid="sweep-start"
          aria-describedby={parsed.error ? errorId : undefined}>Start sweep</button>
        <button type="button" onClick={cancel} disabled={run?.status !== "running"} data-testid="sweep-cancel">Cancel</button>
        {run && (run.status === "cancelled" || run.status === "error") && run.rows.length < run.total && (
          <button type="button" onClick={() => { launch(run.sweep, run.points, run.rows); focusStatus(); }} data-testid="sweep-continue">
            Continue from point {run.rows.length + 1}
          </button>
        )}
        <button type="button" disabled={!run || run.rows.length === 0} data-testid="sweep-csv"
          onClick={() => run && saveText(`${sweepFileStem(run.sweep)}.csv`, csvText, "text/csv")}>Download CSV</button>
        <button type="button" disabled={!exportSweep} data-testid="sweep-json"
          onClick={() => exportSweep && saveText(`${sweepFileStem(exportSweep)}.sweep.json`, sweepFileJson(exportSweep), "application/json")}>
          Download sweep JSON
        </button>
      </div>
      <div className="sweep-progress">
        <label htmlFor={`${id}-progress`}>Progress</label>
        <progress id={`${id}-progress`} max={run?.total ?? 1} value={run?.done ?? 0} data-testid="sweep-progress" />
        <span data-testid="sweep-progress-text">{run ? `${run.done} of ${run.total} points` : `0 of ${parsed.points?.length ?? 0} points`}</span>
      </div>
      <p className="sweep-status" role="status" id={`${id}-status`} tabIndex={-1} data-testid="sweep-status" data-state={run?.status ?? "idle"} data-workers={run?.workers}>{statusText}</p>
      {run && stopped.length > 0 && (
        <ul className="sweep-stopped" data-testid="sweep-stopped">
          {stopped.map((p) => (
            <li key={p.index}>Point {p.index + 1} ({run.points[p.index]!.values.join(", ")}): {p.why}. Its row is its last sample.</li>
          ))}
        </ul>
      )}
      {run && run.rows.length > 0 ? (
        <>
          <h3 className="sweep-chart-title">{metricText(metric)} against {paramText(run.sweep.axes[0]!.param)}</h3>
          <SweepChart run={run} metric={metric} />
          <div className="sweep-table-wrap" role="region" aria-label="Sweep results" tabIndex={0}>
            <table className="sweep-table" data-testid="sweep-table">
              <caption className="visually-hidden">Sweep results, one row per point, as the CSV has them</caption>
              <thead>
                <tr>
                  {run.sweep.axes.map((a) => <th key={a.param} scope="col">{paramText(a.param)}<code>{a.param}</code></th>)}
                  {run.sweep.metrics.map((m) => <th key={m} scope="col">{metricText(m)}<code>{m}</code></th>)}
                  <th scope="col">Stopped early<code>stopped</code></th>
                </tr>
              </thead>
              <tbody>
                {run.rows.map((r, i) => (
                  <tr key={i} data-point={i} data-stopped={stops[i] !== null || undefined}>
                    {/* Four digits on the page; the exact value (as the CSV has it) in data-value and the tooltip. */}
                    {run.points[i]!.values.map((v, k) => <td key={`a${k}`} data-value={String(v)} title={String(v)}>{fmt(v)}</td>)}
                    {run.sweep.metrics.map((m) => <td key={m} data-metric={m} data-value={String(r[m])} title={String(r[m])}>{fmt(r[m])}</td>)}
                    <td data-value={stops[i]?.kind ?? ""} title={stops[i]?.why}>{stops[i] ? STOP_TEXT[stops[i].kind] : ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : (
        <p className="sweep-empty">{active ? "The first point is running…" : "No results yet: set the axes and press Start sweep."}</p>
      )}
    </section>
  );
}
