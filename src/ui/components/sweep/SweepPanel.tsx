/**
 * The in-app parameter sweep: one or two parameters of the page's current scenario over a range, each point run on
 * the CPU reference solver in a Web Worker (sim/sweepWorker.ts, the runner's cpu code path, so the numbers are the
 * runner's), with a progress bar, a chart of one metric against the first axis, a table of every row, and
 * downloads of the CSV (exactly the runner's `--sweep` output) and of the sweep file the runner reads.
 * No physics here: the model's sweep validation (src/model/sweep.ts) decides what is allowed and says why not.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import type { SeriesField, SeriesRow } from "../../../model/metrics.ts";
import { coatingValues } from "../../../model/scenario.ts";
import { DEFAULT_SWEEP_METRICS, sweepPoints, sweepRowsToCsv, type Sweep, type SweepPoint } from "../../../model/sweep.ts";
import { usePage } from "../../state/pageStore.ts";
import { runSweepInWorkers, type SweepRun } from "../../sim/sweepRun.ts";
import { download } from "../ExportBar.tsx";
import { clearSweep, holdSweep, loadSweeps, newSweepId, saveSweep, type LoadedSweeps } from "../../state/sweepStorage.ts";
import { AxisFields, ParamSelect } from "./SweepFields.tsx";
import { SweepResults } from "./SweepResults.tsx";
import { noEffectWarning } from "./sweepEffect.ts";
import {
  buildSweep, defaultAxis, formMessage, metricText, paramText, SWEEP_GRIDS, sweepFileJson, sweepFileStem, sweepWorkers,
  type AxisForm, type RunState, type SweepGrid,
} from "./sweepForm.ts";

/** Saves text through ExportBar's download helper. */
const saveText = (name: string, text: string, type: string) => download(name, new Blob([text], { type }));

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
  /** The sweep running on its workers (null when none runs). */
  const sweepRun = useRef<SweepRun | null>(null);
  /** The storage id of the sweep this page runs (or last ran), and how to let go of it (sweepStorage.holdSweep). */
  const sweepId = useRef<string | null>(null);
  const release = useRef<() => void>(() => {});

  const duration = durationText ?? String(scenario.duration_s);
  const parsed = useMemo(() => buildSweep(axis1 ? [axis0, axis1] : [axis0], grid, duration, scenario), [axis0, axis1, grid, duration, scenario]);
  const active = run?.status === "running" || run?.status === "cancelling";
  // Said before it runs: a property of the layer swept where there is no layer would give identical rows.
  const idle = useMemo(() => noEffectWarning(axis1 ? [axis0.param, axis1.param] : [axis0.param], scenario), [axis0.param, axis1, scenario]);
  const errorId = `${id}-error`;

  useEffect(() => () => {
    sweepRun.current?.stop();
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
    sweepRun.current?.stop();
    sweepRun.current = null;
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
   * side (sim/sweepRun.ts, on the ordered pool the runner's --jobs shares): rows grows by the points done without a
   * gap (a point that ends early waits for those before it).
   */
  const launch = (sweep: Sweep, points: SweepPoint[], rows: SeriesRow[]) => {
    stop();
    const total = points.length;
    const n = sweepWorkers(total - rows.length);
    setRun({ sweep, points, rows, done: rows.length, workers: n, total, status: "running", message: null, started: performance.now(), wall_s: null });
    sweepRun.current = runSweepInWorkers(sweep, points, rows, n, {
      onRows: (grown, done) => setRun((s) => s && { ...s, rows: grown, done }),
      onEnd: (have) => {
        sweepRun.current = null;
        const finished = have.length === total;
        setRun((s) => s && { ...s, done: have.length, status: finished ? "done" : "cancelled", wall_s: (performance.now() - s.started) / 1000 });
      },
      onFail: (message) => {
        sweepRun.current = null;
        setRun((s) => s && { ...s, status: "error", message });
      },
    });
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
    if (!sweepRun.current || run?.status !== "running") return;
    sweepRun.current.cancel();
    setRun((s) => s && { ...s, status: "cancelling" });
  };

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
      {idle && <p className="sweep-warning" role="status" data-testid="sweep-no-effect">{idle}</p>}
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
      <SweepResults run={run} metric={metric} active={active} />
    </section>
  );
}
