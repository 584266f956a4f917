/**
 * The lessons (src/ui/lessons.ts): every scenario validates, and run on the CPU reference at the lesson's settings
 * (through the lesson worker's own code, sim/lessonCore.ts) shows the direction the lesson teaches. This is the
 * lessons' physics check: if the model changes so that a lesson no longer shows its point, this fails.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_GRID, parseScenario } from "../src/model/scenario.ts";
import { runCpu } from "../src/reference/run.ts";
import { answerLines, checkTrends, formatMetric, getLesson, LESSON_GRID, LESSON_I_GRID, LESSONS, lessonScenario, summarize } from "../src/ui/lessonData.ts";
import { createLessonCore, lessonRow, type LessonReply } from "../src/ui/sim/lessonCore.ts";

describe("lesson definitions", () => {
  it("has five lessons, one per principle, II's shelf (corrosion at rest) and one on dead zinc, each with a question, an answer step and steps that load its scenarios", () => {
    expect(LESSONS.map((l) => l.id)).toEqual(["I", "II", "IIb", "III", "IV"]);
    for (const l of LESSONS) {
      const ids = l.scenarios.map((s) => s.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(l.steps.some((s) => s.question)).toBe(true);
      expect(l.steps.at(-1)!.answer).toBe(true);
      for (const s of l.steps) if (s.scenario) expect(ids).toContain(s.scenario);
      // Every scenario is shown in the field view by some step.
      for (const id of ids) expect(l.steps.some((s) => s.scenario === id)).toBe(true);
      for (const t of l.trends) {
        expect(ids).toContain(t.a);
        expect(ids).toContain(t.b);
        expect(l.metrics.map((m) => m.field)).toContain(t.metric);
      }
    }
  });

  it("every lesson scenario validates with parseScenario, on the lesson grid", () => {
    for (const l of LESSONS) {
      for (const row of l.scenarios) {
        const s = lessonScenario(l, row.id);
        expect(parseScenario(JSON.parse(JSON.stringify(s)))).toEqual(s);
        expect(s.grid).toEqual(l.id === "I" || l.id === "IV" ? LESSON_I_GRID : LESSON_GRID);
        // The converged cell size, and a cell wide enough for several nuclei (docs/MODEL.md).
        expect(s.grid.dx_um).toBe(DEFAULT_GRID.dx_um);
        expect(s.grid.nx * s.grid.dx_um).toBeGreaterThanOrEqual(64);
        expect(s.mode).toBe("2d");
      }
    }
  });

  it("summarizes a series: the last row or the mean", () => {
    const rows = [{ uniformity: 0.2, ce: 0.9 }, { uniformity: 0.4, ce: 0.95 }] as never;
    const l = getLesson("I")!;
    expect(summarize(rows, [l.metrics[0]!, { ...l.metrics[0]!, field: "ce", at: "end" }])).toEqual([0.30000000000000004, 0.95]);
    expect(formatMetric({ field: "ce", at: "end", label: "", unit: "%", format: "percent", digits: 3 }, 0.98691)).toBe("98.691");
    expect(formatMetric({ field: "h2_mmol_cm2", at: "end", label: "", unit: "", format: "exp", digits: 2 }, 4.07e-4)).toBe("4.1e-4");
  });
});

describe("the lessons' runs show their trends (CPU reference, lesson settings)", () => {
  for (const lesson of LESSONS) {
    it(`lesson ${lesson.id}: ${lesson.title}`, () => {
      const values = lesson.scenarios.map((_, i) => lessonRow(lesson, i));
      const results = checkTrends(lesson, values);
      const report = results.map((r) => `${r.holds ? "ok " : "NO "} ${r.trend.text}: ${r.a} vs ${r.b}`).join("\n");
      console.log(`lesson ${lesson.id}\n${lesson.scenarios.map((s, i) => `  ${s.label}: ${values[i]!.join(", ")}`).join("\n")}\n${report}\n${answerLines(lesson, values).join("\n")}`);
      for (const r of results) expect(r.holds, r.trend.text).toBe(true);
      // The answer is filled with the numbers: no placeholder, no NaN.
      for (const line of answerLines(lesson, values)) expect(line).not.toMatch(/NaN|undefined|–/);
    });
  }
});

describe("lesson core", () => {
  it("runs the requested rows in order, each as runCpu of its scenario summarized, then done", async () => {
    const lesson = getLesson("II")!;
    const replies: LessonReply[] = [];
    await createLessonCore((r) => replies.push(r), async () => {}).handle({ type: "run", lesson: "II", rows: [1] });
    expect(replies.map((r) => r.type)).toEqual(["progress", "done"]);
    const expected = summarize(runCpu(lessonScenario(lesson, "cof")).series, lesson.metrics);
    expect(replies[0]).toEqual({ type: "progress", lesson: "II", index: 1, values: expected });
  });

  it("answers a bad request with an error message", async () => {
    const replies: LessonReply[] = [];
    await createLessonCore((r) => replies.push(r), async () => {}).handle({ type: "run", lesson: "V" });
    expect(replies).toEqual([{ type: "error", lesson: "V", message: 'lesson worker: no lesson "V"' }]);
  });
});
