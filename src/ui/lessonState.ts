/**
 * The lessons' page state (zustand): which lesson is open, its step, and each lesson's comparison run, which the
 * lesson worker (sim/lessonWorker.ts) computes row by row. One worker at a time: opening another lesson stops
 * the running one and keeps the rows it finished, so coming back runs only the rest.
 */
import { create } from "zustand";
import { getLesson, type LessonId } from "./lessons.ts";
import type { LessonReply, LessonRequest } from "./sim/lessonCore.ts";

export interface LessonRun {
  status: "idle" | "running" | "done" | "error";
  /** values[row] (rows as lesson.scenarios) once that row has run, else null. */
  values: (number[] | null)[];
  message: string | null;
}

export interface LessonState {
  open: LessonId | null;
  step: number;
  runs: Partial<Record<LessonId, LessonRun>>;
}

export const useLessons = create<LessonState>(() => ({ open: null, step: 0, runs: {} }));

let worker: Worker | null = null;
let workerLesson: LessonId | null = null;

function stopWorker(): void {
  worker?.terminate();
  worker = null;
  workerLesson = null;
}

function setRun(id: LessonId, patch: Partial<LessonRun>): void {
  useLessons.setState((s) => {
    const prev = s.runs[id] ?? { status: "idle", values: getLesson(id)!.scenarios.map(() => null), message: null };
    return { runs: { ...s.runs, [id]: { ...prev, ...patch } } };
  });
}

/** Starts (or resumes) a lesson's comparison run, unless it is done or already running. */
export function ensureLessonRun(id: LessonId): void {
  const lesson = getLesson(id)!;
  const run = useLessons.getState().runs[id];
  if (run?.status === "done" || (run?.status === "running" && workerLesson === id)) return;
  stopWorker();
  const values = run?.values ?? lesson.scenarios.map(() => null);
  const rows = values.flatMap((v, i) => (v ? [] : [i]));
  if (rows.length === 0) { setRun(id, { status: "done", values, message: null }); return; }
  setRun(id, { status: "running", values, message: null });
  let w: Worker;
  try {
    w = new Worker(new URL("./sim/lessonWorker.ts", import.meta.url), { type: "module" });
  } catch (e) {
    setRun(id, { status: "error", message: `the lesson worker could not start: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  worker = w;
  workerLesson = id;
  w.onmessage = (e: MessageEvent<LessonReply>) => {
    if (worker !== w) return;
    const r = e.data;
    if (r.type === "progress") {
      useLessons.setState((s) => {
        const prev = s.runs[id]!;
        const next = [...prev.values];
        next[r.index] = r.values;
        return { runs: { ...s.runs, [id]: { ...prev, values: next } } };
      });
    } else if (r.type === "done") {
      stopWorker();
      setRun(id, { status: "done" });
    } else {
      stopWorker();
      setRun(id, { status: "error", message: r.message });
    }
  };
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    if (worker !== w) return;
    stopWorker();
    setRun(id, { status: "error", message: `the lesson worker failed: ${e.message || "its script could not run"}` });
  };
  w.postMessage({ type: "run", lesson: id, rows } satisfies LessonRequest);
}

/** Opens a lesson at its first step (and starts its comparison run); opening the open one closes it. */
export function openLesson(id: LessonId | null): void {
  const cur = useLessons.getState().open;
  if (id === null || id === cur) {
    useLessons.setState({ open: null, step: 0 });
    return;
  }
  useLessons.setState({ open: id, step: 0 });
  // Another lesson's comparison stops (its finished rows stay): the open lesson's numbers come first.
  if (workerLesson && workerLesson !== id) {
    const prev = workerLesson;
    stopWorker();
    setRun(prev, { status: "idle" });
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
  useLessons.setState({ step: next });
  return true;
}

/** Stops the worker (the page is going away). */
export function disposeLessons(): void {
  stopWorker();
}
