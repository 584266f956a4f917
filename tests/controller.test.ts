/** The run controller's rules: the CPU fallback's grid, and what a running run takes live and what waits for a restart. */
import { describe, expect, it } from "vitest";
import { parseScenario, withDuration, type Scenario } from "../src/model/scenario.ts";
import type { SimBackend } from "../src/ui/sim/types.ts";
import type { Checkpoint } from "../src/reference/solver.ts";
import { coefficients, stepSchedule } from "../src/model/coefficients.ts";
import {
  CPU_FALLBACK_CELLS, fallbackGridText, fallbackScenario, isDefaultGrid, isSoftwareNote, liveScenario, restartReason, runPiece, SMALL_DEFAULT_CELLS,
  smallerPiece, softwareGridText,
} from "../src/ui/sim/runRules.ts";
import { APP_GRID } from "../src/ui/state/urlState.ts";
import { DEFAULT_GRID } from "../src/model/scenario.ts";
import { cellChoices, chosen, gridWidthsUm, MAX_GRID_SIDE, sizeChoices } from "../src/ui/sim/gridChoices.ts";

const on = (nx: number, ny: number, dx_um = 1) => parseScenario({ grid: { nx, ny, dx_um }, coating: { preset: "cof" } });

describe("fallbackScenario", () => {
  it("keeps every grid of at most 128 x 128 cells as it is", () => {
    for (const [nx, ny] of [[16, 16], [32, 32], [64, 64], [128, 128], [256, 64], [16, 1024]]) {
      const s = on(nx, ny);
      expect(fallbackScenario(s)).toBe(s);
      expect(fallbackGridText(s, s)).toBe(`on the same ${nx} × ${ny} grid (${nx} × ${ny} µm)`);
    }
  });

  it("narrows a larger grid (down to 32 columns), then lowers it, until it fits, keeping the cell size and everything else", () => {
    const cases: [number, number, number, number][] = [
      // The height first kept: it keeps a growing deposit inside the cell (runStop.ts).
      [256, 256, 64, 256], [256, 128, 128, 128], [128, 256, 64, 256], [512, 64, 256, 64], [2048, 2048, 32, 512], [1024, 16, 1024, 16], [64, 1024, 32, 512],
    ];
    for (const [nx, ny, wx, wy] of cases) {
      const s = on(nx, ny, 0.5);
      const f = fallbackScenario(s);
      expect([f.grid.nx, f.grid.ny], `${nx} x ${ny}`).toEqual([wx, wy]);
      expect(f.grid.nx * f.grid.ny).toBeLessThanOrEqual(CPU_FALLBACK_CELLS);
      expect(f.grid.dx_um).toBe(0.5);
      expect({ ...f, grid: s.grid }).toEqual(s);
    }
    expect(fallbackGridText(on(256, 128, 0.5), fallbackScenario(on(256, 128, 0.5)))).toBe(
      "on a smaller 128 × 128 grid (64 × 64 µm of the 128 × 64 µm asked, same 0.5 µm cells)",
    );
  });
});

describe("the grid each adapter runs (runPiece)", () => {
  const app = parseScenario({ coating: { preset: "bare" }, grid: APP_GRID });
  const { nx, ny, dx_um } = DEFAULT_GRID;

  it("the app's default grid is the model's: the converged cell size over a cell wide enough for several nuclei", () => {
    expect(APP_GRID).toEqual(DEFAULT_GRID);
    expect(nx * dx_um).toBeGreaterThanOrEqual(64);
    expect(isDefaultGrid(app, false)).toBe(true);
    // Asked for (the address, the grid control, a file), or another grid or mode: not the default.
    expect(isDefaultGrid(app, true)).toBe(false);
    expect(isDefaultGrid(on(nx / 2, ny, dx_um), false)).toBe(false);
    expect(isDefaultGrid(parseScenario({ ...app, grid: { ...APP_GRID, dx_um: dx_um / 2 } }), false)).toBe(false);
  });

  it("a hardware adapter runs the default grid; a software adapter and the CPU worker a smaller piece at the same cell size", () => {
    expect(runPiece(app, "hardware", true)).toBe(app);
    for (const place of ["software", "cpu"] as const) {
      const run = runPiece(app, place, true);
      expect(run.grid.dx_um, place).toBe(dx_um);
      expect(run.grid.nx * run.grid.ny).toBeLessThanOrEqual(SMALL_DEFAULT_CELLS);
      expect(run.grid.nx * run.grid.ny).toBeLessThanOrEqual(nx * ny);
      expect({ ...run, grid: app.grid }).toEqual(app);
    }
    // The piece stays as square as the grid: its longer side halved first.
    expect(smallerPiece(on(128, 128, 0.5)).grid).toEqual({ nx: 64, ny: 64, dx_um: 0.5 });
    expect(smallerPiece(on(256, 128, 0.5)).grid).toEqual({ nx: 64, ny: 64, dx_um: 0.5 });
    expect(smallerPiece(on(64, 256, 0.25)).grid).toEqual({ nx: 64, ny: 64, dx_um: 0.25 });
    expect(smallerPiece(on(1024, 16, 0.5)).grid).toEqual({ nx: 256, ny: 16, dx_um: 0.5 });
    const small = on(32, 32, 0.5);
    expect(smallerPiece(small)).toBe(small);
  });

  it("a grid asked for runs as asked on a software adapter; the CPU worker still caps it at CPU_FALLBACK_CELLS", () => {
    const big = on(256, 256, 0.5);
    expect(runPiece(big, "software", false)).toBe(big);
    expect(runPiece(big, "cpu", false)).toEqual(fallbackScenario(big));
    const asked = parseScenario({ ...app, mode: "1d", grid: { nx: 1, ny: 64, dx_um: 1 } });
    expect(runPiece(asked, "software", true)).toBe(asked);
  });

  it("the banner says, in µm and cells, which piece a software adapter runs, and why", () => {
    const asked = on(128, 128, 0.5);
    const text = softwareGridText("Google SwiftShader", asked, smallerPiece(asked));
    expect(text).toBe(
      "This WebGPU adapter is a software one (Google SwiftShader), slow, so the default grid runs on a smaller 64 × 64 grid " +
        "(32 × 32 µm of the 64 × 64 µm asked, same 0.5 µm cells). Pick a grid in the run bar to run that one as asked.",
    );
    expect(isSoftwareNote(text)).toBe(true);
    expect(isSoftwareNote("WebGPU is not available here")).toBe(false);
  });
});

describe("the run bar's grid choices (gridChoices.ts)", () => {
  const s = (nx: number, ny: number, dx_um: number, mode: "2d" | "1d" = "2d") => parseScenario({ mode, grid: { nx, ny, dx_um }, coating: { preset: "bare" } });
  const app = s(DEFAULT_GRID.nx, DEFAULT_GRID.ny, DEFAULT_GRID.dx_um);
  const width = DEFAULT_GRID.nx * DEFAULT_GRID.dx_um;

  it("sizes in µm and cells at the cell size that runs, the default among them; every one a power of two the schema takes", () => {
    const sizes = sizeChoices(app);
    expect(chosen(app, sizes)).toBe(String(width));
    expect(sizes.find((c) => c.value === String(width))!.label).toMatch(
      new RegExp(`^${width} × ${width} µm · ${DEFAULT_GRID.nx} × ${DEFAULT_GRID.nx} cells`),
    );
    expect(sizes.length).toBeGreaterThanOrEqual(3);
    for (const c of sizes) {
      const g = c.scenario!.grid;
      expect(g.dx_um).toBe(DEFAULT_GRID.dx_um);
      expect(g.nx & (g.nx - 1)).toBe(0);
      expect(g.nx).toBeGreaterThanOrEqual(16);
      expect(g.nx).toBeLessThanOrEqual(MAX_GRID_SIDE);
      expect(c.label).toContain(`${g.nx * g.dx_um} × ${g.ny * g.dx_um} µm · ${g.nx} × ${g.ny} cells`);
      expect(gridWidthsUm()).toContain(Number(c.value));
    }
  });

  it("cell sizes at the width that runs, the default marked, a size the schema refuses listed with its reason", () => {
    const cells = cellChoices(app);
    expect(chosen(app, cells)).toBe(String(DEFAULT_GRID.dx_um));
    expect(cells.find((c) => c.value === String(DEFAULT_GRID.dx_um))!.label).toBe(`${DEFAULT_GRID.dx_um} µm cells (converged)`);
    for (const c of cells) {
      const g = c.scenario?.grid;
      if (!g) {
        expect(c.label).toMatch(new RegExp(`^${c.value} µm cells: \\S`));
        continue;
      }
      expect(g.nx * g.dx_um).toBeCloseTo(width, 9);
      expect(c.label).toMatch(new RegExp(`^${c.value} µm cells`));
    }
    // A 2d cell the schema refuses (the coarsest choice, twice the default, where it is too coarse): listed, not
    // offered, with the schema's reason; one it takes is offered.
    const d = 2 * DEFAULT_GRID.dx_um;
    const small = s(32, 32, DEFAULT_GRID.dx_um);
    const coarse = cellChoices(small).find((c) => Number(c.value) === d)!;
    let refused: string | null = null;
    try { parseScenario({ ...small, grid: { nx: 16, ny: 16, dx_um: d } }); } catch (e) { refused = (e as Error).message; }
    if (refused) {
      expect(coarse.scenario).toBeNull();
      expect(refused).toContain(coarse.why!.replace(/µm/g, "um"));
      expect(coarse.label).toMatch(new RegExp(`^${d} µm cells: too coarse`));
    } else expect(coarse.scenario!.grid).toEqual({ nx: 16, ny: 16, dx_um: d });
    // In 1d the schema takes coarser cells.
    expect(cellChoices(s(1, 32, DEFAULT_GRID.dx_um, "1d")).every((c) => c.scenario)).toBe(true);
  });

  it("a grid that is none of the choices is none of them (the control shows it as itself)", () => {
    const odd = s(32, 64, DEFAULT_GRID.dx_um);
    expect(chosen(odd, sizeChoices(odd))).toBeNull();
    expect(chosen(odd, cellChoices(odd))).toBe(String(DEFAULT_GRID.dx_um));
    const cellOdd = s(64, 64, 0.3);
    expect(chosen(cellOdd, cellChoices(cellOdd))).toBeNull();
    // 1d: the column's height in µm and cells, its width one cell.
    const line = s(1, 64, 1, "1d");
    for (const c of sizeChoices(line)) expect(c.scenario!.grid.nx).toBe(1);
  });
});

describe("what a run takes live and what waits for a restart", () => {
  const base = parseScenario({ grid: { nx: 32, ny: 32, dx_um: 1 }, coating: { preset: "cof" }, current_mA_cm2: 10, duration_s: 1200 });
  it("a new seed or grid waits; the rest (here the HER exchange current) applies at once", () => {
    const edited = parseScenario({ ...base, seed: 2, coating: { ...base.coating, dG_H_eV: 1.5 } });
    expect(restartReason(base, edited)).toBe("the new seed");
    const live = liveScenario(base, edited)!;
    expect(live.seed).toBe(base.seed);
    expect(live.coating.dG_H_eV).toBe(1.5);
    expect(restartReason(base, live)).toBeNull();
    expect(restartReason(base, parseScenario({ ...base, grid: { nx: 64, ny: 32, dx_um: 1 } }))).toBe("the new grid");
  });

  it("a current or duration that changes the time step waits (the steps so far would stand for another time); one that keeps it applies", () => {
    for (const change of [{ current_mA_cm2: 40 }, { duration_s: 600 }]) {
      const edited = parseScenario({ ...base, ...change, electrolyte: { ...base.electrolyte, sigma_mS_cm: 20 } });
      expect(stepSchedule(edited).dt).not.toBe(stepSchedule(base).dt);
      expect(restartReason(base, edited)).toMatch(/^the new time step/);
      const live = liveScenario(base, edited)!;
      expect(live.current_mA_cm2).toBe(base.current_mA_cm2);
      expect(live.duration_s).toBe(base.duration_s);
      expect(live.electrolyte.sigma_mS_cm).toBe(20);
      expect(stepSchedule(live)).toEqual(stepSchedule(base));
    }
    // At a low current the phase field's limit sets the step, and a small change of current keeps it.
    const low = parseScenario({ ...base, current_mA_cm2: 0.5 });
    const lower = parseScenario({ ...base, current_mA_cm2: 0.4 });
    expect(stepSchedule(lower)).toEqual(stepSchedule(low));
    expect(restartReason(low, lower)).toBeNull();
  });
});

describe("a new duration", () => {
  const base = parseScenario({ grid: { nx: 32, ny: 32, dx_um: 1 }, coating: { preset: "cof" }, current_mA_cm2: 10, duration_s: 1200 });

  it("a whole number of samples longer or shorter keeps the time step (withDuration) and applies at once; another waits", () => {
    expect(base.duration_s / base.samples).toBe(6);
    for (const d of [2400, 600, 1206, 6]) {
      const edited = withDuration(base, d);
      expect(edited.duration_s).toBe(d);
      expect(edited.duration_s / edited.samples, `${d} s`).toBe(6);
      expect(stepSchedule(edited)).toEqual(stepSchedule(base));
      expect(restartReason(base, edited)).toBeNull();
      expect(coefficients(edited).steps).toBe((coefficients(base).steps * d) / 1200);
    }
    // An interval that is not a whole number in binary (0.1 s): 20 s in 200 samples raised to 40 s is 400 of them.
    const tenths = parseScenario({ ...base, duration_s: 20 });
    expect(withDuration(tenths, 40).samples).toBe(400);
    expect(restartReason(tenths, withDuration(tenths, 40))).toBeNull();
    // 1000 s is 166.7 samples of 6 s: the same 200 samples over it, another time step, a restart.
    const odd = withDuration(base, 1000);
    expect(odd.samples).toBe(200);
    expect(restartReason(base, odd)).toMatch(/^the new time step/);
    // A duration out of range is refused as the control's other values are.
    expect(() => withDuration(base, 0)).toThrow(/duration_s = 0 is out of range/);
  });

  it("a finished run given a longer duration goes on from where it ended, to the new end", async () => {
    const { RunController } = await import("../src/ui/sim/runController.ts");
    const { usePage } = await import("../src/ui/state/pageStore.ts");
    (globalThis as { requestAnimationFrame?: (f: () => void) => void }).requestAnimationFrame ??= (f) => void setTimeout(f, 0);
    const small = parseScenario({ ...base, duration_s: 60, samples: 10 });
    let steps = coefficients(small).steps, step = 0;
    const frames: number[] = [];
    const fake: SimBackend = {
      kind: "gpu", label: "fake", nx: 32, ny: 32, get steps() { return steps; }, dt_s: coefficients(small).dt,
      frame: async (n) => {
        step = Math.min(steps, step + n);
        frames.push(step);
        return { step, t_s: step, rows: [], pixels: new Uint8ClampedArray(32 * 32 * 4), scale: { lo: 0, hi: 1, unit: "1", label: "" }, done: step >= steps };
      },
      update: (s) => { steps = coefficients(s).steps; },
      probe: async () => ({ metal: 0, c_M: 0, phi_V: 0, her_mA_cm2: 0, integrity: null, pH: null, film_um: null }),
      destroy: () => {},
    };
    const controller = new RunController({ gpu: async () => fake, cpu: () => Promise.reject(new Error("no cpu here")) });
    usePage.setState({ scenario: small, running: small, speed: 5 });
    await controller.start(small);
    const until = async (status: string) => {
      for (let k = 0; k < 2000 && usePage.getState().status !== status; k++) await new Promise((r) => setTimeout(r, 1));
      expect(usePage.getState().status).toBe(status);
    };
    controller.play();
    await until("done");
    const end = coefficients(small).steps;
    expect(step).toBe(end);
    // Twice the duration: the same time step, twice the steps; Play is live again and goes on from the old end.
    const longer = withDuration(small, 120);
    usePage.setState({ scenario: longer });
    expect(controller.apply(longer)).toBe(true);
    expect(usePage.getState().status).toBe("paused");
    expect(usePage.getState().steps).toBe(2 * end);
    const before = frames.length;
    controller.play();
    await until("done");
    expect(step).toBe(2 * end);
    expect(frames.slice(before).every((k) => k > end)).toBe(true);
    // A shorter duration than the time run: nothing to go on to, the run stays done.
    controller.apply(withDuration(small, 60));
    expect(usePage.getState().status).toBe("done");
    controller.destroy();
  });
});

describe("a control moved while the run is starting", () => {
  it("reaches the backend once it is made (a live value at once; a new seed as a pending restart)", async () => {
    const { RunController } = await import("../src/ui/sim/runController.ts");
    const { usePage } = await import("../src/ui/state/pageStore.ts");
    const base = parseScenario({ grid: { nx: 16, ny: 16, dx_um: 1 }, coating: { preset: "cof" } });
    const updates: Scenario[] = [];
    let made!: (b: SimBackend) => void;
    const fake: SimBackend = {
      kind: "gpu", label: "fake", nx: 16, ny: 16, steps: 100, dt_s: 1,
      frame: async () => ({ step: 0, t_s: 0, rows: [], pixels: new Uint8ClampedArray(16 * 16 * 4), scale: { lo: 0, hi: 1, unit: "1", label: "" }, done: false }),
      update: (s) => { updates.push(s); },
      probe: async () => ({ metal: 0, c_M: 0, phi_V: 0, her_mA_cm2: 0, integrity: null, pH: null, film_um: null }),
      destroy: () => {},
    };
    const controller = new RunController({ gpu: () => new Promise((r) => { made = r; }), cpu: () => Promise.reject(new Error("no cpu here")) });
    usePage.setState({ scenario: base, running: base });
    const started = controller.start(base);
    // The page's onScenario while "starting": the store takes the edit; the controller has nothing to write to yet.
    const edited = parseScenario({ ...base, seed: base.seed + 1, coating: { ...base.coating, dG_H_eV: 1.5 } });
    usePage.setState({ scenario: edited });
    expect(controller.apply(edited)).toBe(false);
    expect(updates).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 0));
    made(fake);
    await started;
    expect(updates.at(-1)?.coating.dG_H_eV).toBe(1.5);
    const { running, status } = usePage.getState();
    expect(status).toBe("paused");
    expect(running.coating.dG_H_eV).toBe(1.5);
    expect(running.seed).toBe(base.seed);
    expect(restartReason(running, usePage.getState().scenario)).toBe("the new seed");
    controller.destroy();
  });
});

describe("a comparison whose GPU device is lost with no new device", () => {
  it("continues every pane on the CPU backend from their checkpoint, in lock-step", async () => {
    const { vi } = await import("vitest");
    const { CompareController } = await import("../src/ui/sim/compareController.ts");
    const { compareActions, useCompare } = await import("../src/ui/state/compareStore.ts");
    (globalThis as { requestAnimationFrame?: (f: () => void) => void }).requestAnimationFrame ??= (f) => void setTimeout(f, 0);
    // One clock reading for the whole test: the first playing frame keeps a checkpoint, none after (CHECKPOINT_MS).
    const now = vi.spyOn(performance, "now").mockReturnValue(1e9);
    const base = parseScenario({ grid: { nx: 16, ny: 16, dx_um: 1 }, coating: { preset: "bare" }, seed: 3 });
    const steps = 1000;
    const frameOf = (step: number) => ({ step, t_s: step, rows: [], pixels: new Uint8ClampedArray(16 * 16 * 4), scale: { lo: 0, hi: 1, unit: "1", label: "" }, done: step >= steps });
    const probe = async () => ({ metal: 0, c_M: 0, phi_V: 0, her_mA_cm2: 0, integrity: null, pH: null, film_um: null });
    const lose: ((reason: string) => void)[] = [];
    let gpuGone = false;
    const gpu = async (): Promise<SimBackend> => {
      if (gpuGone) throw new Error("no adapter");
      let step = 0;
      return {
        kind: "gpu", label: "fake GPU", nx: 16, ny: 16, steps, dt_s: 1,
        frame: async (n) => frameOf((step = Math.min(steps, step + n))),
        update: () => {}, probe, destroy: () => {},
        checkpoint: async () => ({ step }) as unknown as Checkpoint,
        lost: new Promise<string>((r) => lose.push(r)),
      };
    };
    const restored: number[] = [];
    const cpuPanes: { step: number }[] = [];
    const cpu = async (s: Scenario): Promise<SimBackend> => {
      const pane = { step: 0 };
      cpuPanes.push(pane);
      return {
        kind: "cpu", label: "fake CPU", nx: s.grid.nx, ny: s.grid.ny, steps, dt_s: 1,
        frame: async (n) => frameOf((pane.step = Math.min(steps, pane.step + n))),
        update: () => {}, probe, destroy: () => {},
        restore: (cp) => { pane.step = cp.step; restored.push(cp.step); },
      };
    };
    const compare = new CompareController({ gpu, cpu });
    const until = async (what: string, ok: () => boolean) => {
      for (let k = 0; k < 3000 && !ok(); k++) await new Promise((r) => setTimeout(r, 1));
      expect(ok(), what).toBe(true);
    };
    try {
      compareActions.setSpeed(2);
      await compare.start(base, ["bare", "cof"]);
      expect(useCompare.getState().backend?.kind).toBe("gpu");
      compare.play();
      expect(lose).toHaveLength(2);
      await new Promise((r) => setTimeout(r, 30)); // a few frames (the store hears of them at the pause)
      compare.pause();
      await until("paused", () => useCompare.getState().status === "paused");
      const at = useCompare.getState().panes[0]!.step;
      expect(at).toBeGreaterThan(2);

      gpuGone = true;
      lose.forEach((l) => l("test loss"));
      await until("resumed on the CPU", () => useCompare.getState().status === "paused" && useCompare.getState().backend?.kind === "cpu");
      const st = useCompare.getState();
      // The checkpoint was kept at the first playing frame (2 steps), before the pause.
      expect(restored).toEqual([2, 2]);
      expect(st.note).toMatch(/^The GPU device was lost \(test loss\); every pane resumed from their checkpoint at t = 2 s on the CPU reference solver in Web Workers, same 16 × 16 grid/);
      expect(st.error).toBeNull();
      expect(st.panes.map((p) => p.step)).toEqual([2, 2]);

      // It plays on, on the CPU, every pane at the same step.
      await compare.stepOnce();
      expect(cpuPanes.map((p) => p.step)).toEqual([3, 3]);
      expect(useCompare.getState().panes.map((p) => p.step)).toEqual([3, 3]);
    } finally {
      compare.destroy();
      now.mockRestore();
    }
  });
});
