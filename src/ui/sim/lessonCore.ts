/**
 * The lessons' comparison runs, without a Worker: each of a lesson's scenarios runs on the CPU reference solver
 * through `runCpu` (the runner's cpu code path, as the sweep does) and `summarize` turns its series into the
 * table's numbers. sim/lessonWorker.ts is a thin wrapper around `createLessonCore`; sim/lessonRuns.ts talks to it.
 */
import { runCpu } from "../../reference/run.ts";
import { runProtocolCpu } from "../../reference/protocolRun.ts";
import { getLesson, lessonScenario, summarize, type Lesson } from "../lessonData.ts";

/** `rows`: which of the lesson's scenarios to run (indices into lesson.scenarios); all when left out. */
export type LessonRequest = { type: "run"; lesson: string; rows?: number[] };

export type LessonReply =
  /** One scenario done: its index in lesson.scenarios and its values (one per lesson metric). */
  | { type: "progress"; lesson: string; index: number; values: number[] }
  | { type: "done"; lesson: string }
  | { type: "error"; lesson: string; message: string };

/** The values of one lesson row: a full run of its scenario, summarized as the table shows it. */
export function lessonRow(lesson: Lesson, index: number): number[] {
  const row = lesson.scenarios[index];
  if (!row) throw new Error(`lesson ${lesson.id} has no row ${index}`);
  const s = lessonScenario(lesson, row.id);
  // A lesson with a protocol (IV: plate, then strip) runs it as the runner does.
  return summarize(s.protocol ? runProtocolCpu(s).series : runCpu(s).series, lesson.metrics);
}

/** Lets the page's messages in between rows. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export function createLessonCore(post: (reply: LessonReply) => void, between: () => Promise<void> = nextTask) {
  return {
    async handle(msg: LessonRequest): Promise<void> {
      const id = typeof msg?.lesson === "string" ? msg.lesson : "?";
      try {
        if (!msg || typeof msg !== "object" || msg.type !== "run") throw new Error("lesson worker: expected {type: \"run\", lesson}");
        const lesson = getLesson(id);
        if (!lesson) throw new Error(`lesson worker: no lesson ${JSON.stringify(id)}`);
        const rows = msg.rows ?? lesson.scenarios.map((_, i) => i);
        for (const index of rows) {
          await between();
          post({ type: "progress", lesson: id, index, values: lessonRow(lesson, index) });
        }
        post({ type: "done", lesson: id });
      } catch (e) {
        post({ type: "error", lesson: id, message: e instanceof Error ? e.message : String(e) });
      }
    },
  };
}
