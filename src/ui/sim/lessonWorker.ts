/**
 * Module Web Worker that runs a lesson's comparison (each of its scenarios on the CPU reference solver) off the
 * page's thread. A thin wrapper: the work lives in sim/lessonCore.ts; sim/lessonRuns.ts talks to it.
 */
import { createLessonCore, type LessonReply, type LessonRequest } from "./lessonCore.ts";

/** The worker's global scope, typed without the WebWorker lib (the project compiles against the DOM lib). */
interface WorkerScope {
  postMessage(message: LessonReply): void;
  onmessage: ((e: MessageEvent<LessonRequest>) => void) | null;
}

const scope = self as unknown as WorkerScope;
const core = createLessonCore((reply) => scope.postMessage(reply));

scope.onmessage = (e: MessageEvent<LessonRequest>) => {
  void core.handle(e.data);
};
