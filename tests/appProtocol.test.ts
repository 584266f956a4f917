/**
 * A protocol on the page's CPU worker (src/ui/sim/cpuCore.ts): the same driver as the runner, so its frames carry the
 * runner's samples and cycle table whatever the steps a frame; a checkpoint taken mid-cycle with the protocol's state
 * resumes to the same rows (a lost GPU device's path); one without that state is refused with a message, not run on.
 */
import { describe, expect, it } from "vitest";
import { protocolPreset } from "../src/model/protocol.ts";
import { ProtocolDriver } from "../src/model/protocolDriver.ts";
import { cpuProtocolStep, runProtocolCpu } from "../src/reference/protocolRun.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import { createWorkerCore } from "../src/ui/sim/cpuCore.ts";
import type { Frame, RunCheckpoint } from "../src/ui/sim/types.ts";
import type { ProtocolRow, SeriesRow } from "../src/model/metrics.ts";
import { scenario } from "./helpers.ts";

const s = scenario({
  grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 12,
  ...protocolPreset("symmetric", { current_mA_cm2: 10, capacity_mAh_cm2: 0.02, cycles: 2, duration_s: 1 }),
});

/** Frames of `steps` until the worker says done: every row and the last frame. */
function runFrames(core: ReturnType<typeof createWorkerCore>, steps: number): { rows: SeriesRow[]; last: Frame } {
  const rows: SeriesRow[] = [];
  for (let id = 1; id < 10_000; id++) {
    const r = core.handle({ type: "frame", id, steps, layer: "deposit" })!.reply;
    if (r.type !== "frame") throw new Error(r.type === "error" ? r.message : r.type);
    rows.push(...r.frame.rows);
    if (r.frame.done) return { rows, last: r.frame };
  }
  throw new Error("the run never ended");
}

describe("a protocol on the page's CPU worker", () => {
  const whole = runProtocolCpu(s);

  it("gives the runner's samples and cycle table, at 7 steps a frame, and ends with the protocol", () => {
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: s });
    const { rows, last } = runFrames(core, 7);
    expect(whole.cycles).toHaveLength(2);
    expect(rows).toEqual(whole.series);
    expect(last.cycles).toEqual(whole.cycles);
    // Plate then strip in each cycle: the rows' steps are what the charts shade.
    expect(new Set(rows.map((r) => (r as ProtocolRow).step))).toEqual(new Set([1, 2]));
    expect(last.dead).toHaveLength(32 * 32);
  });

  it("resumes from a checkpoint taken mid-cycle with the protocol's state to the same rows; refuses one without it", () => {
    // The state a GPU backend's checkpoint carries, taken 47 steps in (mid-strip of cycle 1, between samples).
    const solver = createCpuSolver(s);
    const driver = new ProtocolDriver(s, solver.co.dt, solver.co.stepsPerSample);
    const before: SeriesRow[] = [];
    for (let q = 0; q < 47; q++) { const row = cpuProtocolStep(solver, driver); if (row) before.push(row); }
    expect(driver.clock.step.kind).toBe("strip");
    expect(driver.sinceSample).toBeGreaterThan(0);
    const cp: RunCheckpoint = { ...solver.checkpoint(), protocol: driver.state };
    solver.close();

    const core = createWorkerCore();
    core.handle({ type: "init", scenario: s });
    const bare = { ...cp };
    delete bare.protocol;
    const refused = core.handle({ type: "restore", id: 1, checkpoint: bare })!.reply;
    expect(refused).toMatchObject({ type: "error", message: expect.stringContaining("holds no protocol state") });
    const ok = core.handle({ type: "restore", id: 2, checkpoint: structuredClone(cp) })!.reply;
    expect(ok.type).toBe("ready");
    const { rows, last } = runFrames(core, 13);
    expect([...before, ...rows]).toEqual(whole.series);
    expect(last.cycles).toEqual(whole.cycles);
  });
});
