/**
 * The lessons' comparison runs: the lesson worker (sim/lessonWorker.ts) computes each lesson's rows, and the lesson
 * store (state/lessonStore.ts) hears of each. One lesson at a time, its rows shared among a few workers (workerCount):
 * opening another lesson stops the running one and keeps the rows it finished, so coming back runs only the rest.
 * No React.
 */
import { getLesson, type LessonId } from "../lessonData.ts";
import { lessonActions, useLessons } from "../state/lessonStore.ts";
import type { LessonReply, LessonRequest } from "./lessonCore.ts";

/** The lesson's running workers (a lesson's rows are shared among them); none when no comparison runs. */
let workers: Worker[] = [];
let workerLesson: LessonId | null = null;

/**
 * How many workers share a lesson's rows: one a row, up to one per core but the page's (at least two, at most four).
 * Each row is a whole CPU run (10 to 40 s at the lessons' converged grid), so rows side by side finish a lesson's
 * table in the time of its longest row where there are cores for them.
 */
function workerCount(rows: number): number {
  const cores = typeof navigator !== "undefined" && navigator.hardwareConcurrency > 0 ? navigator.hardwareConcurrency : 2;
  return Math.max(1, Math.min(rows, 4, Math.max(2, cores - 1)));
}

function stopWorker(): void {
  for (const w of workers) w.terminate();
  workers = [];
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
  const k = workerCount(rows.length);
  const started: Worker[] = [];
  try {
    for (let n = 0; n < k; n++) started.push(new Worker(new URL("./lessonWorker.ts", import.meta.url), { type: "module" }));
  } catch (e) {
    for (const w of started) w.terminate();
    lessonActions.patchRun(id, { status: "error", message: `the lesson worker could not start: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  workers = started;
  workerLesson = id;
  let running = k;
  const fail = (message: string) => {
    stopWorker();
    lessonActions.patchRun(id, { status: "error", message });
  };
  started.forEach((w, n) => {
    const mine = () => workers.includes(w);
    w.onmessage = (e: MessageEvent<LessonReply>) => {
      if (!mine()) return;
      const r = e.data;
      if (r.type === "progress") {
        lessonActions.setRowValues(id, r.index, r.values);
      } else if (r.type === "done") {
        w.terminate();
        if (--running === 0) {
          stopWorker();
          lessonActions.patchRun(id, { status: "done" });
        }
      } else {
        fail(r.message);
      }
    };
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      if (mine()) fail(`the lesson worker failed: ${e.message || "its script could not run"}`);
    };
    // Rows dealt round-robin: worker n takes rows n, n + k, ...
    w.postMessage({ type: "run", lesson: id, rows: rows.filter((_, i) => i % k === n) } satisfies LessonRequest);
  });
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
