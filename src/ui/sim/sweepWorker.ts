/**
 * Module Web Worker that runs an in-app parameter sweep on the CPU reference solver, point after point, off the
 * page's thread. A thin wrapper: the work lives in sim/sweepCore.ts; SweepPanel.tsx talks to it.
 *
 * In: `{type: "run", sweep}` (a parsed Sweep) and `{type: "cancel"}` (stops after the current point).
 * Out: `{type: "progress", done, total, row, ...}` after each point, then `{type: "done", ...}`, or
 * `{type: "error", message}`.
 */
import { createSweepCore, type SweepReply, type SweepRequest } from "./sweepCore.ts";

/** The worker's global scope, typed without the WebWorker lib (the project compiles against the DOM lib). */
interface WorkerScope {
  postMessage(message: SweepReply): void;
  onmessage: ((e: MessageEvent<SweepRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const core = createSweepCore((reply) => scope.postMessage(reply));

scope.onmessage = (e: MessageEvent<SweepRequest>) => {
  void core.handle(e.data);
};
