/**
 * The one place where the WGSL engine's series are held against the CPU reference's (the truth): six presets
 * that exercise every part of the model (bare Zn; ZnF2's and ZnS's ion-conducting layers; COF@Zn's resistive,
 * HER-blocking one; PDMS/TiO2's soft polymer; carbon's electronically conducting one) agree within 1 % at every
 * sample over 200 coupled steps; the same seed gives the same fields to the bit; and a GPU checkpoint continues
 * the run on the CPU (the app's device-loss fallback) to the CPU's own series. Tagged `fast`: this is the GPU
 * batch of `npm run test:fast`. One child process on one device (tests/gpu/runs.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { coefficients } from "../../src/model/coefficients.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { createCpuSolver, runCpu } from "../../src/reference/run.ts";
import { expectSeriesNear, gpuRuns, type GpuResult } from "./runs.ts";

const PRESETS = ["bare", "znf2", "cof", "zns", "pdms-tio2", "carbon"];
// 32 x 32 cells of 1 um; dt = 2 s at 10 mA/cm2, so 400 s are 200 coupled steps.
const agreement = (preset: string) => ({ grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 400, samples: 4, coating: { preset } });
const repeat = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 100, samples: 2, coating: { preset: "bare" } };
// Self-healing: the coating's integrity and healing state travel in the checkpoint too.
const whole = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 200, samples: 2, coating: { preset: "self-healing" } };
const half = { ...whole, duration_s: 100, samples: 1 };
// Half-micrometre cells (the default): the tip closure reads the field between grid rows, and uniformity averages
// strips of two columns. ZnS, 32 x 16 um, 100 s at 10 mA/cm2.
const fine = { grid: { nx: 64, ny: 32, dx_um: 0.5 }, duration_s: 100, samples: 4, coating: { preset: "zns" } };
// Quarter-micrometre cells and a brittle ZnS (1 J/m2) at 50 mA/cm2: cracks within 30 s, each opening 0.5 um, two
// columns' worth (colMech then colOpen on the GPU).
const brittle = { grid: { nx: 64, ny: 32, dx_um: 0.25 }, current_mA_cm2: 50, duration_s: 30, samples: 4, coating: { preset: "zns", Gc_J_m2: 1 } };

describe("the GPU engine against the CPU reference", { tags: ["fast"] }, () => {
  let runs: GpuResult[] = [];
  beforeAll(() => { runs = gpuRuns([...PRESETS.map(agreement), repeat, repeat, half, fine, brittle]); });

  it.each(PRESETS.map((p, k) => [p, k] as const))("%s: every metric at every sample within 1 % over 200 steps, the deposit growing", (preset, k) => {
    const gpu = runs[k]!;
    expect(gpu.adapter).toBeTruthy();
    const s = parseScenario(agreement(preset));
    expect(gpu.steps).toBe(coefficients(s).steps);
    const cpu = runCpu(s);
    expectSeriesNear(`${preset} gpu vs cpu`, gpu.series, cpu.series, 0.01);
    expect(gpu.series.at(-1)!.max_height_um).toBeGreaterThan(gpu.series[0]!.max_height_um);
  });

  it("the same seed gives the same series and the same fields to the bit", () => {
    const [a, b] = runs.slice(PRESETS.length, PRESETS.length + 2);
    expect(b!.series).toEqual(a!.series);
    for (const f of ["xi", "c", "phi", "phiB"] as const) {
      const differ = a!.checkpoint[f].filter((x, i) => !Object.is(x, b!.checkpoint[f][i])).length;
      expect(differ, `${f}: cells that differ between two runs of one seed`).toBe(0);
    }
  });

  it("zns at 0.5 um cells: every metric at every sample within 1 %", () => {
    const s = parseScenario(fine);
    expectSeriesNear("zns 0.5 um gpu vs cpu", runs.at(-2)!.series, runCpu(s).series, 0.01);
  });

  it("a brittle layer at 0.25 um cells: the same columns crack, each crack opening 0.5 um, and the series within 1 %", () => {
    const gpu = runs.at(-1)!;
    const cpu = runCpu(parseScenario(brittle));
    expectSeriesNear("brittle zns 0.25 um gpu vs cpu", gpu.series, cpu.series, 0.01);
    const k = Array.from(gpu.checkpoint.integrity);
    expect(k.filter((x) => x < 1).length, k.join(",")).toBeGreaterThan(1);
    expect(k.some((x) => x > 0 && x < 1), k.join(",")).toBe(true); // the gap's edge columns are half open
    k.forEach((x, i) => expect(x, `column ${i}`).toBeCloseTo(cpu.solver.integrity[i]!, 6));
  });

  it("a GPU checkpoint taken half way continues on the CPU to the CPU's whole run within 1 %", () => {
    const gpuHalf = runs[PRESETS.length + 2]!;
    const s = parseScenario(whole);
    const cpu = createCpuSolver(s);
    cpu.restore(gpuHalf.checkpoint);
    expect(cpu.step).toBe(gpuHalf.steps);
    while (cpu.step < cpu.co.steps) cpu.advance();
    const straight = runCpu(s).series.at(-1)!;
    expectSeriesNear("gpu half, then cpu, vs cpu", [cpu.metrics()], [straight], 0.01);
  });
});
