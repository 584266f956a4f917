/**
 * The lessons' comparison runs: the lesson worker (sim/lessonWorker.ts) computes each lesson's rows, and the lesson
 * store (state/lessonStore.ts) hears of each. One worker at a time: opening another lesson stops the running one and
 * keeps the rows it finished, so coming back runs only the rest. No React.
 */
import { getLesson, type LessonId } from "../lessonData.ts";
import { lessonActions, useLessons } from "../state/lessonStore.ts";
import type { LessonReply, LessonRequest } from "./lessonCore.ts";

let worker: Worker | null = null;
let workerLesson: LessonId | null = null;

function stopWorker(): void {
  worker?.terminate();
  worker = null;
  workerLesson = null;
}

/** Starts (or resumes) a lesson's comparison run, unless it is done or already running. */
export function ensureLessonRun(id: LessonId): void {
  const lesson = getLesson(id)!;
  const run = useLessons.getState().runs[id];
  if (run?.status === "done" || (run?.status === "running" && workerLesson === id)) return;
  stopWorker();
  const values = run?.values ?? lesson.scenarios.map(() => null);
  const rows = values.flatMap((v, i) => (v ? [] : [i]));
  if (rows.length === 0) { lessonActions.patchRun(id, { status: "done", values, message: null }); return; }
  lessonActions.patchRun(id, { status: "running", values, message: null });
  let w: Worker;
  try {
    w = new Worker(new URL("./lessonWorker.ts", import.meta.url), { type: "module" });
  } catch (e) {
    lessonActions.patchRun(id, { status: "error", message: `the lesson worker could not start: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  worker = w;
  workerLesson = id;
  w.onmessage = (e: MessageEvent<LessonReply>) => {
    if (worker !== w) return;
    const r = e.data;
    if (r.type === "progress") {
      lessonActions.setRowValues(id, r.index, r.values);
    } else if (r.type === "done") {
      stopWorker();
      lessonActions.patchRun(id, { status: "done" });
    } else {
      stopWorker();
      lessonActions.patchRun(id, { status: "error", message: r.message });
    }
  };
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    if (worker !== w) return;
    stopWorker();
    lessonActions.patchRun(id, { status: "error", message: `the lesson worker failed: ${e.message || "its script could not run"}` });
  };
  w.postMessage({ type: "run", lesson: id, rows } satisfies LessonRequest);
}

/** Opens a lesson at its first step (and starts its comparison run); opening the open one closes it. */
export function openLesson(id: LessonId | null): void {
  const cur = useLessons.getState().open;
  if (id === null || id === cur) {
    lessonActions.open(null);
    return;
  }
  lessonActions.open(id);
  // Another lesson's comparison stops (its finished rows stay): the open lesson's numbers come first.
  if (workerLesson && workerLesson !== id) {
    const prev = workerLesson;
    stopWorker();
    lessonActions.patchRun(prev, { status: "idle" });
  }
  ensureLessonRun(id);
}

/** Moves the open lesson by `delta` steps (clamped); false where no lesson is open or nothing moved. */
export function moveLessonStep(delta: number): boolean {
  const { open, step } = useLessons.getState();
  if (!open) return false;
  const n = getLesson(open)!.steps.length;
  const next = Math.max(0, Math.min(n - 1, step + delta));
  if (next === step) return false;
  lessonActions.setStep(next);
  return true;
}

/** Stops the worker (the page is going away). */
export function disposeLessons(): void {
  stopWorker();
}
