/** Module Web Worker running the app's Tafel sweep (sim/tafelCore.ts) off the page's thread. */
import { runTafel, type TafelReply, type TafelRequest } from "./tafelCore.ts";

/** The worker's global scope, typed without the WebWorker lib (the project compiles against the DOM lib). */
interface WorkerScope {
  postMessage(message: TafelReply): void;
  onmessage: ((e: MessageEvent<TafelRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (e: MessageEvent<TafelRequest>) => {
  const msg = e.data;
  scope.postMessage(msg?.type === "run" && msg.scenario ? runTafel(msg.scenario) : { type: "error", message: "tafel worker: expected {type: \"run\", scenario}" });
};
