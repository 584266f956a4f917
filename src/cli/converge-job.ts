/**
 * One of `npm run converge`'s child processes on the cpu backend: runs each scenario it is sent on the CPU
 * reference solver (runCpu) and sends back the final sample and the box-counting dimension of the final deposit's
 * outline (from the solver's xi field), or, where the run stopped early (RunStoppedError), its last sample and why.
 * It ends when the parent lets it go or goes itself (its IPC channel closes).
 *
 * In: `{ index, scenario }`. Out: a ConvergeJobReply.
 */
import { outlineDimension } from "../model/boxCounting.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { RunStoppedError } from "../model/runStop.ts";
import type { Scenario } from "../model/scenario.ts";
import { runCpu } from "../reference/run.ts";

export type ConvergeJobRequest = { index: number; scenario: Scenario };
export type ConvergeJobReply =
  | { index: number; row: SeriesRow; dimension: number | null; stopped: string | null; wall_s: number }
  | { index: number; error: string };

/** A run on the CPU: its final sample and outline dimension, or where it stopped, its last sample and why (no dimension). */
export function convergeRunCpu(index: number, scenario: Scenario): ConvergeJobReply {
  const t0 = performance.now();
  const wall = () => (performance.now() - t0) / 1000;
  try {
    const { series, solver } = runCpu(scenario);
    const { dimension } = outlineDimension(solver.xi, solver.nx, solver.ny, solver.co.dx);
    return { index, row: series.at(-1)!, dimension, stopped: null, wall_s: wall() };
  } catch (e) {
    if (e instanceof RunStoppedError && e.series.length > 0) return { index, row: e.series.at(-1)!, dimension: null, stopped: e.message, wall_s: wall() };
    return { index, error: e instanceof Error ? e.message : String(e) };
  }
}

if (process.send) {
  process.on("message", (msg: ConvergeJobRequest) => process.send!(convergeRunCpu(msg.index, msg.scenario)));
  process.on("disconnect", () => process.exit(0));
}
