/**
 * Property-based robustness checks (fast-check) over the whole valid parameter space, on both backends: every
 * coating parameter, every electrolyte parameter, the current density, the seed, the preset, the mode (2d / 1d)
 * and the cell size, each drawn over its full range from src/model/params.ts (log-scaled parameters uniformly in
 * their logarithm, as their sliders are; fast-check's bias adds the range ends). Scenarios the schema refuses
 * (ScenarioError: a layer whose ohmic drop would block the cell) are skipped and counted.
 *
 * For every run: every series value finite; the metrics in their ranges (uniformity and CE in [0, 1], roughness,
 * max height, HER current and cumulative H2 >= 0, H2 non-decreasing, min surface Zn2+ in [0, a few c0], cracked
 * fraction in [0, 1], t_s increasing up to the duration); every field of the final state finite (and the coating
 * integrity in [0, 1]); the Zn mass balance (tests/helpers.ts znMassBalance, the bookkeeping of the CPU and GPU
 * mass-balance tests) below 1e-3 of the Zn the applied charge stands for (but see the known issues below).
 *
 * CPU: fc.assert on a 16 x 32 grid (1d: 32 cells). GPU: the same arbitrary, fc.sample'd, in ONE child process
 * (tests/gpu/properties.test.ts, through tests/gpu/batch.ts on the GPU driver or SwiftShader), then the same checks on each series and checkpoint.
 * Durations are cut so a run takes at most CPU_MAX_STEPS / GPU_MAX_STEPS steps (small cells at high current
 * need a short time step), keeping the suite's time bounded.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { runCpu } from "../src/reference/run.ts";
import { znMassBalance } from "./helpers.ts";
import { checkSeries, checkState, CPU_MAX_STEPS, CPU_RUNS, FC_SEED, label, MASS_TOL, note, prepare, rawScenario, report, tally } from "./propertyChecks.ts";

describe("property: the CPU reference over the whole valid parameter space", () => {
  it(`${CPU_RUNS} random scenarios: finite, metrics in range, Zn balance within ${MASS_TOL}`, () => {
    const t = tally();
    const t0 = performance.now();
    fc.assert(
      fc.property(rawScenario, (raw) => {
        const s = prepare(raw, CPU_MAX_STEPS);
        if (!s) t.skipped++;
        fc.pre(s !== undefined);
        t.ran++;
        const what = `cpu ${label(s!)}`;
        const { series, solver } = runCpu(s!);
        checkSeries(what, s!, series);
        note(t, what, checkState(what, s!, solver.checkpoint()));
      }),
      { numRuns: CPU_RUNS, seed: FC_SEED, endOnFailure: true },
    );
    report("cpu", t, performance.now() - t0);
    // fc.pre-skipped runs do not count towards numRuns: every one of them must have run.
    expect(t.ran).toBeGreaterThanOrEqual(CPU_RUNS);
    // 2d cells down to 0.05 um are now tall enough for the 3 um substrate (up to 256 rows) and relax their
    // 12-cell-wide interface longer: ~230 s on this 2-core machine beside other work.
  }, 900_000);
});

/** The issues above, pinned: their minimal scenarios. */
describe("issues this suite found (CPU reference), pinned", () => {

  // Issue 1 is kept out of the valid space: a 2d cell coarser than MAX_2D_DX_UM is refused with a message (it went
  // to NaN at 15 um within a step).
  it("1. a 2d cell of 15 um is refused with a clear message; the same cell in 1d runs finite", () => {
    expect(() => parseScenario({ grid: { nx: 16, ny: 16, dx_um: 15 }, current_mA_cm2: 10, duration_s: 10, samples: 1, coating: { preset: "bare" } }))
      .toThrow(/grid\.dx_um = 15 um is too coarse for 2d mode: the interface half-width is 0\.6 um and needs at least 0\.6 cell .*cells of at most 1 um/);
    const s = parseScenario({ mode: "1d", grid: { nx: 1, ny: 16, dx_um: 15 }, current_mA_cm2: 10, duration_s: 10, samples: 1, coating: { preset: "bare" } });
    const { series, solver } = runCpu(s);
    checkSeries("1d dx 15 um", s, series);
    checkState("cpu 1d dx 15 um", s, solver.checkpoint());
  });

  // Issue 2, fixed: this lost 54 % of the Zn before the concentration solve bounded its residual's sum.
  it("2. fine cells with fast diffusion keep their Zn: 0.1 um, D = 5e-9 m2/s, 1 mA/cm2, 20 s", () => {
    const s = parseScenario({
      grid: { nx: 32, ny: 128, dx_um: 0.1 }, current_mA_cm2: 1, duration_s: 20, samples: 2, electrolyte: { D_m2_s: 5e-9 }, coating: { preset: "bare" },
    });
    const { solver } = runCpu(s);
    const m = znMassBalance(s, solver);
    expect(m.relConservation, `conservation error ${m.relConservation}`).toBeLessThan(MASS_TOL);
  });

  // Issue 3, fixed: once the lengths were in um (a 2d cell tall enough for the substrate at 0.05 um), f32 storage of
  // the CPU's c lost 0.57 % of the Zn here: each cell's change per step was below half an f32 step of c ~ 1. It is f64.
  it("3. fine cells at a low current keep their Zn: 0.05 um, 0.1 mA/cm2, D = 5e-9 m2/s, 3.75 M", () => {
    const s = parseScenario({
      grid: { nx: 16, ny: 256, dx_um: 0.05 }, current_mA_cm2: 0.1, duration_s: 3.3352, samples: 2, seed: 1236227959,
      electrolyte: { c0_M: 3.75, D_m2_s: 5e-9, t_plus: 0.9, sigma_mS_cm: 1 },
      coating: { preset: "pvb", sigma_mS_cm: 1, t_plus: 1, channel_anisotropy: 1, eta_nuc_mV: 117, anisotropy_6fold: 0, water_activity: 0.24, E_GPa: 1, tau_s: 1, electronic: 1 },
    });
    const { solver } = runCpu(s);
    const m = znMassBalance(s, solver);
    expect(m.relConservation, `conservation error ${m.relConservation}`).toBeLessThan(1e-4);
  });
});
