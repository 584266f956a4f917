/**
 * The lessons' page state (zustand) and its named actions: which lesson is open, its step, and each lesson's
 * comparison run, which the lesson worker computes row by row (sim/lessonRuns.ts drives it).
 */
import { create } from "zustand";
import { getLesson, type LessonId } from "../lessonData.ts";

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

const set = useLessons.setState;

export const lessonActions = {
  /** Opens lesson `id` at its first step (null: closes the open one). */
  open(id: LessonId | null): void { set({ open: id, step: 0 }); },
  setStep(step: number): void { set({ step }); },
  /** Changes lesson `id`'s run (a fresh one where it has none yet). */
  patchRun(id: LessonId, patch: Partial<LessonRun>): void {
    set((s) => {
      const prev = s.runs[id] ?? { status: "idle", values: getLesson(id)!.scenarios.map(() => null), message: null };
      return { runs: { ...s.runs, [id]: { ...prev, ...patch } } };
    });
  },
  /** Row `index` of lesson `id`'s run has run: its values. */
  setRowValues(id: LessonId, index: number, values: number[]): void {
    set((s) => {
      const prev = s.runs[id]!;
      const next = [...prev.values];
      next[index] = values;
      return { runs: { ...s.runs, [id]: { ...prev, values: next } } };
    });
  },
};
