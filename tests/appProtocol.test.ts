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
import type { Scenario } from "../src/model/scenario.ts";
import type { CpuInfo } from "../src/ui/sim/cpuCore.ts";
import type { SimBackend } from "../src/ui/sim/types.ts";

/** The page's CPU worker's handler in this process, as a SimBackend (what createCpuBackend wraps in a Worker). */
async function inProcess(sc: Scenario): Promise<SimBackend> {
  const core = createWorkerCore();
  let id = 0;
  const ask = (msg: Parameters<typeof core.handle>[0]) => {
    const r = core.handle(msg)?.reply;
    if (r?.type === "error") throw new Error(r.message);
    return r;
  };
  const info = (ask({ type: "init", id: ++id, scenario: sc }) as { info: CpuInfo }).info;
  return {
    kind: "cpu", label: "CPU in this process", nx: info.nx, ny: info.ny, steps: info.steps, dt_s: info.dt_s,
    frame: async (n, layer) => (ask({ type: "frame", id: ++id, steps: n, layer }) as { frame: Frame }).frame,
    update: (next) => void core.handle({ type: "update", scenario: next }),
    restore: (cp) => void ask({ type: "restore", id: ++id, checkpoint: cp }),
    probe: async () => ({ metal: 0, c_M: 0, phi_V: 0, her_mA_cm2: 0, integrity: null, pH: null, film_um: null }),
    destroy: () => {},
  };
}

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
    // The state a GPU backend's checkpoint carries, taken mid-strip of cycle 1, between samples (a few steps into
    // the strip, not at a sample: wherever the time step puts them).
    const solver = createCpuSolver(s);
    const driver = new ProtocolDriver(s, solver.co.dt, solver.co.stepsPerSample);
    const before: SeriesRow[] = [];
    const take = () => { const row = cpuProtocolStep(solver, driver); if (row) before.push(row); };
    while (driver.clock.step.kind !== "strip") take();
    for (let q = 0; q < 3 || driver.sinceSample === 0; q++) take();
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

  it("the comparison runs the page's protocol on every pane in lock-step, to its end, though one pane's strip hits its cut-off first", async () => {
    const { CompareController, compareScenarios } = await import("../src/ui/sim/compareController.ts");
    const { compareActions, useCompare } = await import("../src/ui/state/compareStore.ts");
    (globalThis as { requestAnimationFrame?: (f: () => void) => void }).requestAnimationFrame ??= (f) => void setTimeout(f, 0);
    // Zn||Cu: the strip ends at the +0.5 V cut-off once the zinc that still connects is gone, at another step for each coating.
    // The strip may pass twice the plated charge: only its cut-off ends it.
    const p = protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 1, duration_s: 1 });
    p.protocol[1]!.until.capacity_mAh_cm2 = 0.06;
    const base = scenario({ grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 24, ...p });
    const panes = compareScenarios(base, ["bare", "cof"]);
    expect(panes.map((p) => [p.protocol, p.cycles, p.substrate])).toEqual([[base.protocol, 1, "cu"], [base.protocol, 1, "cu"]]);
    const compare = new CompareController({ gpu: () => Promise.reject(new Error("no WebGPU here")), cpu: inProcess });
    try {
      compareActions.setSpeed(50);
      await compare.start(base, ["bare", "cof"]);
      compare.play();
      for (let k = 0; k < 5000 && !["done", "error"].includes(useCompare.getState().status); k++) await new Promise((r) => setTimeout(r, 2));
      const st = useCompare.getState();
      expect(st.error).toBeNull();
      expect(st.status).toBe("done");
      // The panes' strips ended at different steps: the one done first waited while the other went on.
      console.log(`comparison: the panes ended at steps ${st.panes.map((q) => q.step).join(" and ")}`);
      expect(new Set(st.panes.map((q) => q.step)).size).toBe(2);
      // Each pane charted its plate and its strip, and its strip ran to the cut-off (the cycler's end of a Zn||Cu cycle).
      for (const p of st.panes) {
        const rows = p.history as ProtocolRow[];
        expect(new Set(rows.map((r) => r.step))).toEqual(new Set([1, 2]));
        expect(rows.at(-1)!.voltage_V).toBeGreaterThanOrEqual(0.5);
      }
    } finally {
      compare.destroy();
    }
  });
});
