/**
 * The app's sweep on Web Workers (sweepWorker.ts, the runner's cpu code path) through the ordered pool the runner's
 * --jobs shares (model/orderedPool.ts): each worker is handed the next point as it ends one, so the points start in
 * order, and the rows grow in the points' order without a gap. No React: the sweep panel gives it callbacks.
 */
import type { SeriesRow } from "../../model/metrics.ts";
import { orderedPool } from "../../model/orderedPool.ts";
import type { Sweep, SweepPoint } from "../../model/sweep.ts";
import type { SweepReply, SweepRequest } from "./sweepCore.ts";

export interface SweepRunEvents {
  /** After each point's end: the rows so far (in order, no gap) and how many points have ended (in any order). */
  onRows(rows: SeriesRow[], ended: number): void;
  /** Every worker let go: `rows` the rows done (all of them, or those before a cancel). */
  onEnd(rows: SeriesRow[]): void;
  onFail(message: string): void;
}

export interface SweepRun {
  /** Hands out no more points; those running end, so the rows done stay without a gap. */
  cancel(): void;
  /** Ends every worker at once; nothing more is reported. */
  stop(): void;
}

/** Runs `points` (after the `rows` already done) on `workers` Web Workers. */
export function runSweepInWorkers(sweep: Sweep, points: readonly SweepPoint[], rows: readonly SeriesRow[], workers: number, on: SweepRunEvents): SweepRun {
  const have = [...rows];
  const started: Worker[] = [];
  let stopped = false;
  const pool = orderedPool<SweepPoint, SeriesRow>({
    items: points.slice(rows.length),
    workers,
    start: (port) => {
      const w = new Worker(new URL("./sweepWorker.ts", import.meta.url), { type: "module" });
      started.push(w);
      /** The row of the point `w` runs, from its progress message, delivered at its done message. */
      let row: SeriesRow | undefined;
      w.onmessage = (e: MessageEvent<SweepReply>) => {
        const r = e.data;
        if (stopped) return;
        if (r.type === "progress") row = r.row;
        else if (r.type === "done") port.done(row!);
        else port.fail(new Error(r.message));
      };
      w.onerror = (e: ErrorEvent) => {
        e.preventDefault();
        if (stopped) return;
        port.fail(new Error(`the sweep worker failed: ${e.message || "its script could not run"}`));
      };
      return {
        send: (p) => w.postMessage({ type: "run", sweep, from: p.index, to: p.index + 1 } satisfies SweepRequest),
        release: () => w.terminate(),
        kill: () => w.terminate(),
      };
    },
    onResult: (_p, row) => {
      have.push(row);
    },
    onEnded: (ended) => on.onRows([...have], rows.length + ended),
    onEnd: () => on.onEnd(have),
    onFail: (e) => on.onFail(e.message),
  });
  return {
    cancel: pool.cancel,
    stop: () => {
      stopped = true;
      for (const w of started) w.terminate();
    },
  };
}
