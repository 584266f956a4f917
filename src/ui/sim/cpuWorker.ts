/**
 * Module Web Worker that runs the CPU reference solver off the page's thread (the fallback where WebGPU is
 * missing). A thin wrapper: the message handling lives in sim/cpuCore.ts; sim/cpuBackend.ts talks to it.
 */
import { createWorkerCore, type CpuRequest, type Outgoing } from "./cpuCore.ts";

/** The worker's global scope, typed without the WebWorker lib (the project compiles against the DOM lib). */
interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  onmessage: ((e: MessageEvent<CpuRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const core = createWorkerCore();

scope.onmessage = (e: MessageEvent<CpuRequest>) => {
  let out: Outgoing | null;
  try {
    out = core.handle(e.data);
  } catch (err) {
    const id = e.data && typeof e.data === "object" && "id" in e.data ? e.data.id : undefined;
    out = { reply: { type: "error", id, message: err instanceof Error ? err.message : String(err) }, transfer: [] };
  }
  if (out) scope.postMessage(out.reply, out.transfer);
};
