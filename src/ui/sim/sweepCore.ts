/**
 * The in-app sweep's work, without a Worker: each point runs on the CPU reference solver through `runCpu`, the
 * same code path as the runner's `--sweep` on its cpu backend, so each row is the number the runner writes.
 * sim/sweepWorker.ts is a thin wrapper around `createSweepCore`; the panel (SweepPanel.tsx) talks to it.
 */
import type { SeriesRow } from "../../model/metrics.ts";
import { ScenarioError } from "../../model/scenario.ts";
import { parseSweep, sweepPoints, sweepRow, type Sweep, type SweepPoint } from "../../model/sweep.ts";
import { runSweepPoint } from "../../reference/run.ts";

/**
 * `from`: the points already done (a sweep resumed after a reload), run from the next one on; `to`: the point to
 * stop before (the panel hands each of its workers one point at a time), the last by default.
 */
export type SweepRequest = { type: "run"; sweep: Sweep; from?: number; to?: number } | { type: "cancel" };

export type SweepReply =
  /**
   * One point done: `done` of `total`, its axis values and its row (the run's last sample); `stopped`: why the run
   * ended before its duration (runSweepPoint), its row then the last sample before the stop.
   */
  | { type: "progress"; done: number; total: number; index: number; values: number[]; row: SeriesRow; stopped?: string }
  /** The sweep ended: every point done, or `cancelled` after the point that was running. */
  | { type: "done"; done: number; total: number; cancelled: boolean }
  | { type: "error"; message: string };

/** One point's row: a single run of the point's scenario, its last sample (what `--sweep` writes for it), and why it stopped early, if it did. */
export function sweepPointRow(sweep: Pick<Sweep, "at">, point: Pick<SweepPoint, "scenario">): { row: SeriesRow; stopped: string | null } {
  const { series, stopped } = runSweepPoint(point.scenario);
  return { row: sweepRow(sweep, series), stopped };
}

/** Lets queued messages (a cancel) in between points. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export interface SweepCore {
  /** Handles one request; a run resolves when the sweep has ended (done, cancelled or failed). */
  handle(msg: SweepRequest): Promise<void>;
}

/**
 * The sweep's message handling: `run` validates the sweep again (the message could come from anywhere), runs its
 * points in order and posts a progress reply after each; `cancel` stops it after the current point.
 */
export function createSweepCore(post: (reply: SweepReply) => void, between: () => Promise<void> = nextTask): SweepCore {
  let running = false;
  let cancelled = false;

  async function run(raw: Sweep, from = 0, to?: number): Promise<void> {
    if (running) throw new Error("a sweep is already running");
    running = true;
    cancelled = false;
    try {
      const sweep = parseSweep(raw);
      const points = sweepPoints(sweep);
      const total = points.length;
      if (!Number.isInteger(from) || from < 0 || from > total) throw new Error(`sweep worker: from must be a whole number of points from 0 to ${total}, got ${from}`);
      const end = to ?? total;
      if (!Number.isInteger(end) || end < from || end > total) throw new Error(`sweep worker: to must be a whole number of points from ${from} to ${total}, got ${to}`);
      let done = from;
      for (const p of points.slice(from, end)) {
        await between();
        if (cancelled) break;
        const { row, stopped } = sweepPointRow(sweep, p);
        done++;
        post({ type: "progress", done, total, index: p.index, values: p.values, row, ...(stopped ? { stopped } : {}) });
      }
      post({ type: "done", done, total, cancelled: done < end });
    } finally {
      running = false;
    }
  }

  return {
    async handle(msg: SweepRequest): Promise<void> {
      try {
        if (!msg || typeof msg !== "object") throw new Error("sweep worker: a message must be an object");
        if (msg.type === "cancel") {
          cancelled = true;
          return;
        }
        if (msg.type === "run") return await run(msg.sweep, msg.from, msg.to);
        throw new Error(`sweep worker: unknown message type ${JSON.stringify((msg as { type?: unknown }).type)}`);
      } catch (e) {
        post({ type: "error", message: e instanceof ScenarioError || e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
