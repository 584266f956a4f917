/** The in-app sweep's core (what sim/sweepWorker.ts runs): rows identical to the runner's, progress, cancel, errors. */
import { describe, expect, it } from "vitest";
import { parseSweep, sweepPoints, sweepRow, sweepRowsToCsv } from "../src/model/sweep.ts";
import { runCpu } from "../src/reference/run.ts";
import { createSweepCore, sweepPointRow, type SweepReply } from "../src/ui/sim/sweepCore.ts";

const tiny = parseSweep({
  base: { grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 5, samples: 3, coating: { preset: "znf2" } },
  axes: [{ param: "coating.t_plus", from: 0.3, to: 0.9, steps: 2 }],
});

async function collect(run: (post: (r: SweepReply) => void) => Promise<void>): Promise<SweepReply[]> {
  const out: SweepReply[] = [];
  await run((r) => out.push(r));
  return out;
}

describe("sweep core", () => {
  it("gives, for a 2-point sweep, the rows of sweepRow over runCpu of each point, then done", async () => {
    const points = sweepPoints(tiny);
    const expected = points.map((p) => sweepRow(tiny, runCpu(p.scenario).series));
    // A structured-clone round trip, as the worker receives it.
    const replies = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: structuredClone(tiny) }));
    expect(replies.map((r) => r.type)).toEqual(["progress", "progress", "done"]);
    const progress = replies.filter((r) => r.type === "progress");
    expect(progress.map((r) => [r.done, r.total, r.index])).toEqual([[1, 2, 0], [2, 2, 1]]);
    expect(progress.map((r) => r.values)).toEqual([[0.3], [0.9]]);
    expect(progress.map((r) => r.row)).toEqual(expected);
    expect(replies.at(-1)).toEqual({ type: "done", done: 2, total: 2, cancelled: false });
    expect(sweepPointRow(tiny, points[1]!)).toEqual({ row: expected[1], stopped: null });
    // The CSV the panel writes from these rows is the runner's.
    const csv = sweepRowsToCsv(tiny, points, progress.map((r) => [r.row]));
    expect(csv).toBe(sweepRowsToCsv(tiny, points, points.map((p) => runCpu(p.scenario).series)));
  });

  it("stops after the current point when cancelled", async () => {
    const replies: SweepReply[] = [];
    let core!: ReturnType<typeof createSweepCore>;
    core = createSweepCore((r) => {
      replies.push(r);
      if (r.type === "progress" && r.done === 1) void core.handle({ type: "cancel" });
    });
    await core.handle({ type: "run", sweep: tiny });
    expect(replies.map((r) => r.type)).toEqual(["progress", "done"]);
    expect(replies.at(-1)).toEqual({ type: "done", done: 1, total: 2, cancelled: true });
  });

  it("resumed from point 1 (a reload), runs only point 2, to the row of the sweep run whole; refuses a from outside 0 to 2", async () => {
    const points = sweepPoints(tiny);
    const replies = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: tiny, from: 1 }));
    expect(replies.map((r) => r.type)).toEqual(["progress", "done"]);
    expect(replies[0]).toMatchObject({ done: 2, total: 2, index: 1, values: [0.9], row: sweepRow(tiny, runCpu(points[1]!.scenario).series) });
    expect(replies.at(-1)).toEqual({ type: "done", done: 2, total: 2, cancelled: false });
    for (const from of [3, -1, 0.5]) {
      const bad = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: tiny, from }));
      expect(bad).toEqual([{ type: "error", message: `sweep worker: from must be a whole number of points from 0 to 2, got ${from}` }]);
    }
  });

  it("with to, runs only the points from from up to to (one at a time for the panel's workers); refuses a to outside from to 2", async () => {
    const points = sweepPoints(tiny);
    const replies = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: tiny, from: 0, to: 1 }));
    expect(replies.map((r) => r.type)).toEqual(["progress", "done"]);
    expect(replies[0]).toMatchObject({ done: 1, total: 2, index: 0, values: [0.3], row: sweepRow(tiny, runCpu(points[0]!.scenario).series) });
    expect(replies.at(-1)).toEqual({ type: "done", done: 1, total: 2, cancelled: false });
    for (const to of [3, 0, 1.5]) {
      const bad = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: tiny, from: 1, to }));
      expect(bad).toEqual([{ type: "error", message: `sweep worker: to must be a whole number of points from 1 to 2, got ${to}` }]);
    }
  });

  it("posts the model's message for a bad sweep and runs nothing", async () => {
    const bad = { ...tiny, axes: [{ ...tiny.axes[0]!, to: 1.5 }] };
    const replies = await collect((post) => createSweepCore(post).handle({ type: "run", sweep: bad }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ type: "error" });
    expect((replies[0] as { message: string }).message).toMatch(/axes\[0\]\.to: coating\.t_plus = 1\.5 is out of range/);
  });
});
