/**
 * Issue 26, item 4: on a hardware adapter the default grid is chosen by a warm-up: the finest candidate that keeps
 * 30 frames/s at the chosen speed (src/ui/sim/warmup.ts, pure); the run controller runs and shows it, and says why
 * in the run bar; a software adapter keeps today's choice (the default grid's smaller piece) and says why.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_GRID, parseScenario, type Scenario } from "../src/model/scenario.ts";
import { chooseWarmGrid, warmCandidates, warmFps, type WarmTiming } from "../src/ui/sim/warmup.ts";
import type { SimBackend } from "../src/ui/sim/types.ts";
import { TUNE_STEPS, warmTiming, type WarmEngine } from "../src/ui/sim/medianTime.ts";

const t = (stepMs: number, drawMs = 1): WarmTiming => ({ stepMs, drawMs });

describe("the warm-up's choice of grid (pure)", () => {
  it("takes the finest candidate whose frame at the speed keeps 30 frames/s, the coarsest where none does", () => {
    // Frames of 2, 7, 31 and 201 ms at 1 step a frame: 500, 143, 32 and 5 frames/s.
    const timings = [t(1), t(6), t(30), t(200)];
    expect(warmFps(timings[2]!, 1)).toBeCloseTo(1000 / 31, 9);
    expect(chooseWarmGrid(timings, 1)).toBe(2);
    // At 5 steps a frame: 6, 31, 151 and 1001 ms: only the two coarsest keep 30 frames/s.
    expect(chooseWarmGrid(timings, 5)).toBe(1);
    // A frame of 33.3 ms (30.03 frames/s) keeps; one of 33.4 ms (29.94 frames/s) does not.
    expect(chooseWarmGrid([t(1), t(32.3)], 1)).toBe(1);
    expect(chooseWarmGrid([t(1), t(32.4)], 1)).toBe(0);
    // None fast enough: the coarsest. Not measured (the warm-up stopped at a slow one): not chosen.
    expect(chooseWarmGrid([t(100), t(400)], 1)).toBe(0);
    expect(chooseWarmGrid([t(1), t(50), undefined], 1)).toBe(0);
    expect(chooseWarmGrid([t(1), t(2), undefined], 1)).toBe(1);
  });

  it("offers the default grid's smaller piece, the default grid, and the same cell in finer cells, coarse to fine", () => {
    const s = parseScenario({ grid: DEFAULT_GRID, coating: { preset: "bare" } });
    expect(warmCandidates(s).map((c) => [c.grid.nx, c.grid.ny, c.grid.dx_um])).toEqual([[64, 64, 0.5], [128, 128, 0.5], [256, 256, 0.25], [512, 512, 0.125]]);
  });
});

describe("the run controller's grid on a hardware and on a software adapter", () => {
  const fakeOn = (made: Scenario[]) => async (s: Scenario): Promise<SimBackend> => {
    made.push(s);
    const { nx, ny } = s.grid;
    return {
      kind: "gpu", label: "fake", nx, ny, steps: 100, dt_s: 1,
      frame: async () => ({ step: 0, t_s: 0, rows: [], pixels: new Uint8ClampedArray(nx * ny * 4), scale: { lo: 0, hi: 1, unit: "1", label: "" }, done: false }),
      update: () => {},
      probe: async () => ({ metal: 0, c_M: 0, phi_V: 0, her_mA_cm2: 0, integrity: null, pH: null, film_um: null }),
      destroy: () => {},
    };
  };

  it("hardware: runs the warm-up's grid, shows it, and says so; software: no warm-up, the smaller piece as before", async () => {
    const { RunController } = await import("../src/ui/sim/runController.ts");
    const { usePage } = await import("../src/ui/state/pageStore.ts");
    (globalThis as { requestAnimationFrame?: (f: () => void) => void }).requestAnimationFrame ??= (f) => void setTimeout(f, 0);
    const s = parseScenario({ grid: DEFAULT_GRID, coating: { preset: "bare" } });
    const made: Scenario[] = [];
    const warmed: number[][] = [];
    // The finer 256 x 256 keeps 30 frames/s at 2 steps a frame (2 x 10 + 3 ms), the 512 x 512 does not.
    const gpuWarmup = async (c: readonly Scenario[], speed: number) => {
      warmed.push([c.length, speed]);
      return { label: "Test GPU", timings: [t(1), t(3), t(10, 3), t(40, 8)] };
    };
    const hardware = new RunController({ gpu: fakeOn(made), cpu: () => Promise.reject(new Error("no cpu")), gpuPlace: async () => "hardware", gpuWarmup });
    usePage.setState({ scenario: s, running: s, speed: 2, gridAsked: false, gridWhy: null });
    await hardware.start(s);
    expect(warmed).toEqual([[4, 2]]);
    expect(made.map((m) => [m.grid.nx, m.grid.dx_um])).toEqual([[256, 0.25]]);
    expect(usePage.getState().scenario.grid).toEqual({ nx: 256, ny: 256, dx_um: 0.25 });
    const why = usePage.getState().gridWhy!;
    console.log(why);
    expect(why).toContain("Grid chosen by a warm-up on Test GPU: 64 × 64 µm · 256 × 256 cells");
    expect(why).toContain("keeps 30 frames/s at 2 steps/frame: 43.5 frames/s (a step 10 ms, drawing 3 ms)");
    // A restart on the chosen grid keeps it without a new warm-up; a grid asked in the run bar runs as asked.
    await hardware.start(usePage.getState().scenario);
    expect(warmed).toHaveLength(1);
    expect(usePage.getState().gridWhy).toBe(why);
    usePage.setState({ gridAsked: true });
    await hardware.start(s);
    expect(made.at(-1)!.grid.nx).toBe(128);
    expect(usePage.getState().gridWhy).toBeNull();
    hardware.destroy();

    const software = new RunController({ gpu: fakeOn(made), cpu: () => Promise.reject(new Error("no cpu")), gpuPlace: async () => "software", gpuWarmup });
    usePage.setState({ scenario: s, running: s, gridAsked: false, gridWhy: null });
    await software.start(s);
    expect(warmed).toHaveLength(1);
    expect(made.at(-1)!.grid).toEqual({ nx: 64, ny: 64, dx_um: 0.5 });
    expect(usePage.getState().scenario.grid).toEqual(DEFAULT_GRID);
    expect(usePage.getState().gridWhy).toBe("No warm-up on a software adapter (fake): the default grid runs smaller, 32 × 32 µm · 64 × 64 cells.");
    software.destroy();
  });
});

describe("the warm-up times the steps a run takes (medianTime.ts warmTiming)", () => {
  it("tunes the solves' iteration budget by metrics readbacks before it times any step", async () => {
    // A stand-in engine: like GpuEngine, it encodes its solves at their maximum iterations until a metrics readback
    // after a step tunes them (IterationBudget); it records at which budget each step ran.
    const ran: ("max" | "tuned")[] = [];
    let tuned = false, stepped = false, reads = 0, draws = 0;
    const engine = {
      sampleRoom: () => 8,
      readSamples: async () => [],
      advanceSampled: () => { ran.push(tuned ? "tuned" : "max"); stepped = true; },
      device: { queue: { onSubmittedWorkDone: async () => {} } },
      metrics: async () => { reads++; if (stepped) tuned = true; return {}; },
      image: async () => { draws++; return new Uint8Array(0); },
    } as unknown as WarmEngine;
    const t = await warmTiming(engine, [0, 0]);
    expect(t.stepMs).toBeGreaterThanOrEqual(0);
    expect(reads).toBe(TUNE_STEPS);
    expect(draws).toBe(3);
    // The timed steps (the last 5) all ran at the tuned budget; only the first, before any readback, at the maximum.
    expect(ran).toHaveLength(TUNE_STEPS + 5);
    expect(ran.slice(-5)).toEqual(["tuned", "tuned", "tuned", "tuned", "tuned"]);
    expect(ran[0]).toBe("max");
  });
});
