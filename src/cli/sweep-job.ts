/**
 * One of `npm run sim -- --sweep ... --jobs N`'s child processes: runs the sweep points it is sent on the CPU
 * reference solver (`runSweepPoint`, as a sweep of one job does) and sends each point's series back (and why it
 * stopped early, where it did). It ends when the
 * runner lets it go or goes itself (its IPC channel closes): a killed runner's jobs end after the point each is on.
 *
 * In: `{ index, scenario }` (a point's validated scenario). Out: `{ index, series, stopped }` or `{ index, error }`.
 */
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import { runSweepPoint } from "../reference/run.ts";

export type JobRequest = { index: number; scenario: Scenario };
export type JobReply = { index: number; series: SeriesRow[]; stopped: string | null } | { index: number; error: string };

process.on("message", (msg: JobRequest) => {
  let reply: JobReply;
  try {
    reply = { index: msg.index, ...runSweepPoint(msg.scenario) };
  } catch (e) {
    reply = { index: msg.index, error: e instanceof Error ? e.message : String(e) };
  }
  process.send!(reply);
});
process.on("disconnect", () => process.exit(0));
