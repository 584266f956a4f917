/**
 * A run with the pH field and the by-product continues from a checkpoint (through the runner's JSON file) to the
 * same series, bit for bit, as the run never stopped; a state without the pH field does not continue such a run.
 */
import { describe, expect, it } from "vitest";
import type { SeriesRow } from "../src/model/metrics.ts";
import { runStateFromJson, runStateToJson } from "../src/reference/checkpointJson.ts";
import { createCpuSolver, runCpu, type PartialRun } from "../src/reference/run.ts";
import { scenario } from "./helpers.ts";

// Bare Zn at 10 mA/cm2: HER raises the pH to the by-product's saturation within seconds, and the film grows.
const s = scenario({ grid: { nx: 32, ny: 64, dx_um: 0.5 }, ph_field: true, byproduct: true, current_mA_cm2: 10, duration_s: 120, samples: 12 });

describe("checkpoints with the pH field and the by-product", () => {
  it("a run resumed from its state at sample 5 gives the same series, pH and film included, bit for bit", () => {
    const full = runCpu(s).series;
    let saved: PartialRun | null = null;
    runCpu(s, { save: (series: readonly SeriesRow[], cp) => { if (series.length === 5) saved = { series: [...series], checkpoint: cp() }; } });
    expect(saved).not.toBeNull();
    const back = runStateFromJson(runStateToJson({ scenario: s, ...saved! }));
    expect(back.checkpoint.ph?.byproduct?.m.some((m) => m > 0)).toBe(true);
    expect((back.series[4] as Record<string, number>).byproduct_um).toBeGreaterThan(0);
    const resumed = runCpu(s, { resume: back }).series;
    expect(resumed).toEqual(full);
    expect((full.at(-1) as Record<string, number>).surface_pH).toBeGreaterThan(5);
  });

  it("refuses a state without the pH field for a run that tracks it, and the other way round", () => {
    const plain = scenario({ grid: { nx: 32, ny: 64, dx_um: 0.5 }, current_mA_cm2: 10, duration_s: 120, samples: 12 });
    const withPh = createCpuSolver(s), without = createCpuSolver(plain);
    expect(() => withPh.restore(without.checkpoint())).toThrow("the checkpoint has no pH field, and this run tracks the pH (ph_field)");
    expect(() => without.restore(withPh.checkpoint())).toThrow("the checkpoint holds a pH field, and this run tracks none (no ph_field)");
  });
});
