/**
 * What the property suites share (tests/properties.test.ts on the CPU reference, tests/gpu/properties.test.ts on
 * the gpu backend): the arbitrary over the whole valid parameter space, and the checks of a run's series and final
 * state. What the suites check, and why these bounds: tests/properties.test.ts.
 */
import fc from "fast-check";
import { expect } from "vitest";
import { SERIES_FIELDS, type SeriesRow } from "../src/model/metrics.ts";
import { COATING_PARAMS, ELECTROLYTE_PARAMS, GRID_PARAMS, OPERATION_PARAMS, type ParamSpec } from "../src/model/params.ts";
import { PRESET_IDS } from "../src/model/presetTypes.ts";
import { coefficients } from "../src/model/coefficients.ts";
import { MIN_2D_HEIGHT_UM } from "../src/model/lengths.ts";
import { MAX_2D_DX_UM, parseScenario, ScenarioError, type Scenario } from "../src/model/scenario.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import type { Checkpoint } from "../src/reference/solver.ts";
import { znMassBalance } from "./helpers.ts";

/**
 * Failures this suite found (1 and 2 pinned at the end). The property leaves issue 1's region out; ZIL_STRICT=1
 * runs it over the whole space.
 *  1. 2d with coarse cells: the CPU reference goes to NaN within a few steps, at any current (the electrode
 *     potential runs to its clip, H2 explodes): from ~12 um at the default 50 mS/cm, ~20 um at 200 mS/cm, but
 *     already ~2 um at 1 mS/cm. Short of NaN, coarse cells at low current and dilute electrolyte plate at a positive
 *     electrode potential with the minimum surface Zn2+ rising far above c0 (11 x c0 at 7 um, 0.05 M, 1 mA/cm2;
 *     0.8 x at 1 um). The scenario schema now refuses 2d cells above MAX_2D_DX_UM (1.5 um) with a message; the
 *     property draws 2d cells up to coarse2dMaxDx: min(1.5 um, sqrt(sigma_l / (mS/cm)) um).
 *  2. (Fixed.) The concentration solve stopped at MG_TOL relative to the RMS of its right side, which the
 *     reservoir's Dirichlet term 2 D dt / dx^2 dominates where cells are fine and diffusion fast: up to 54 % of the
 *     Zn was lost (0.1 um, D = 5e-9 m2/s, 1 mA/cm2), 1.7 on the GPU. The residual's sum is exactly the Zn2+ a step
 *     loses, so the solve now also runs until that sum is below C_MASS_TOL of the step's applied Zn, on both
 *     backends. The GPU then still lost up to 26 % there: in f32, the reservoir's coupling 2 D dt / dx^2 (~1e5
 *     to 1e6 for such cells) times c near 1 loses more, per cell and step, than the step plates; it now solves for
 *     c / c0 - 1 (src/engine/engine.ts). Every run here is checked at 1e-3 on both backends (worst: CPU 4.3e-5,
 *     GPU 7.0e-5).
 */
export const STRICT = process.env.ZIL_STRICT === "1";
/** Known issue 1: the coarsest 2d cell (um) drawn, at an electrolyte conductivity sigma (mS/cm). */
const coarse2dMaxDx = (sigma: number) => (STRICT ? MAX_2D_DX_UM : Math.min(MAX_2D_DX_UM, Math.sqrt(sigma)));

export const FC_SEED = 20270611;
export const CPU_RUNS = 40;
export const CPU_MAX_STEPS = 400;
export const GPU_RUNS = 16;
export const GPU_MAX_STEPS = 20;
export const MASS_TOL = 1e-3;
/** Min surface Zn2+ may rise above c0 only where Zn dissolves (corrosion outrunning a tiny plating current). */
const SURFACE_C_BOUND = 3;

const spec = (params: readonly ParamSpec[], key: string) => params.find((p) => p.key === key)!;

/** A value over a parameter's whole range; log-scaled ones uniformly in their logarithm. */
function value(p: ParamSpec, range: { min?: number; max?: number } = {}): fc.Arbitrary<number> {
  const min = range.min ?? p.min, max = range.max ?? p.max;
  if (p.integer) return fc.integer({ min, max });
  if (p.log && min > 0) {
    return fc.double({ min: Math.log10(min), max: Math.log10(max), noNaN: true }).map((x) => Math.min(max, Math.max(min, 10 ** x)));
  }
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

const record = (params: readonly ParamSpec[]) =>
  fc.record(Object.fromEntries(params.map((p) => [p.key, value(p)])) as Record<string, fc.Arbitrary<number>>, { requiredKeys: [] });

/** The cell size, uniform in its logarithm over the range (2d: up to coarse2dMaxDx, known issue 1). */
function dxOf(mode: "2d" | "1d", u: number, sigma: number): number {
  const p = spec(GRID_PARAMS, "dx_um");
  const max = mode === "2d" ? Math.min(p.max, coarse2dMaxDx(sigma)) : p.max;
  return Math.min(max, Math.max(p.min, p.min * (max / p.min) ** u));
}

/** A raw scenario (as a --scenario file holds it) anywhere in the valid space, on a small grid for a short time. */
export const rawScenario = fc
  .record({
    mode: fc.oneof({ weight: 4, arbitrary: fc.constant("2d" as const) }, { weight: 1, arbitrary: fc.constant("1d" as const) }),
    dxLog: fc.double({ min: 0, max: 1, noNaN: true }),
    preset: fc.constantFrom(...PRESET_IDS),
    coating: record(COATING_PARAMS),
    electrolyte: record(ELECTROLYTE_PARAMS),
    current_mA_cm2: value(spec(OPERATION_PARAMS, "current_mA_cm2")),
    seed: value(spec(OPERATION_PARAMS, "seed")),
    duration_s: value(spec(OPERATION_PARAMS, "duration_s"), { min: 20, max: 60 }),
    samples: fc.integer({ min: 2, max: 5 }),
  })
  .map((r) => ({ ...r, dx: dxOf(r.mode, r.dxLog, r.electrolyte.sigma_mS_cm ?? spec(ELECTROLYTE_PARAMS, "sigma_mS_cm").default) }))
  .map((r) => ({
    mode: r.mode,
    // 2d: 16 cells wide, and tall enough for the substrate and nuclei (MIN_2D_HEIGHT_UM), at least 32 cells.
    grid: { nx: r.mode === "1d" ? 1 : 16, ny: r.mode === "1d" ? 32 : Math.max(32, 2 ** Math.ceil(Math.log2(MIN_2D_HEIGHT_UM / r.dx - 1e-9))), dx_um: r.dx },
    current_mA_cm2: r.current_mA_cm2,
    duration_s: r.duration_s,
    samples: r.samples,
    seed: r.seed,
    electrolyte: r.electrolyte,
    coating: { preset: r.preset, ...r.coating },
  }));

/**
 * Parses the raw scenario and shortens its duration (to no less than 1 s) so that it takes at most about maxSteps
 * steps. Returns undefined for a scenario the schema refuses (ScenarioError); anything else it throws is a bug.
 */
export function prepare(raw: Record<string, unknown>, maxSteps: number): Scenario | undefined {
  try {
    let s = parseScenario(raw);
    const steps = coefficients(s).steps;
    if (steps > maxSteps) s = parseScenario({ ...raw, duration_s: Math.max(1, (s.duration_s * maxSteps) / steps) });
    return s;
  } catch (e) {
    if (e instanceof ScenarioError) return undefined;
    throw e;
  }
}

export const label = (s: Scenario) => JSON.stringify(s);

/** The series checks; `what` names the scenario in every message. */
export function checkSeries(what: string, s: Scenario, series: SeriesRow[]): void {
  expect(series, `${what}: rows`).toHaveLength(s.samples);
  const c0 = s.electrolyte.c0_M;
  let prev: SeriesRow | undefined;
  for (const [k, row] of series.entries()) {
    const at = `${what}, row ${k}`;
    for (const f of SERIES_FIELDS) expect(Number.isFinite(row[f]), `${at}: ${f} = ${row[f]} not finite`).toBe(true);
    expect(row.uniformity, `${at}: uniformity`).toBeGreaterThanOrEqual(0);
    expect(row.uniformity, `${at}: uniformity`).toBeLessThanOrEqual(1);
    expect(row.roughness_um, `${at}: roughness`).toBeGreaterThanOrEqual(0);
    expect(row.max_height_um, `${at}: max height`).toBeGreaterThanOrEqual(0);
    expect(row.her_mA_cm2, `${at}: HER current`).toBeGreaterThanOrEqual(0);
    expect(row.h2_mmol_cm2, `${at}: cumulative H2`).toBeGreaterThanOrEqual(0);
    expect(row.ce, `${at}: CE`).toBeGreaterThanOrEqual(0);
    expect(row.ce, `${at}: CE`).toBeLessThanOrEqual(1);
    expect(row.min_surface_c_M, `${at}: min surface c`).toBeGreaterThanOrEqual(0);
    expect(row.min_surface_c_M, `${at}: min surface c (c0 = ${c0} M)`).toBeLessThanOrEqual(SURFACE_C_BOUND * c0);
    expect(row.cracked_fraction, `${at}: cracked fraction`).toBeGreaterThanOrEqual(0);
    expect(row.cracked_fraction, `${at}: cracked fraction`).toBeLessThanOrEqual(1);
    if (s.mode === "1d") {
      expect(row.roughness_um, `${at}: 1d roughness`).toBe(0);
      expect(row.max_height_um, `${at}: 1d max height`).toBe(0);
    }
    if (prev) {
      expect(row.t_s, `${at}: t_s increasing`).toBeGreaterThan(prev.t_s);
      expect(row.h2_mmol_cm2, `${at}: cumulative H2 non-decreasing`).toBeGreaterThanOrEqual(prev.h2_mmol_cm2 * (1 - 1e-6));
    } else {
      expect(row.t_s, `${at}: first t_s`).toBeGreaterThan(0);
    }
    prev = row;
  }
  expect(Math.abs(series.at(-1)!.t_s / s.duration_s - 1), `${what}: last t_s ${series.at(-1)!.t_s} vs duration ${s.duration_s}`).toBeLessThan(1e-5);
}

export const FIELDS = ["xi", "c", "phi", "phiB", "phiPrev", "phiBPrev", "cPrev", "site", "integrity", "stress", "strainPrev", "scalars"] as const;

/** The final-state checks: every field finite, the integrity in [0, 1], the Zn mass balance; returns the balance. */
export function checkState(what: string, s: Scenario, cp: Checkpoint) {
  for (const f of FIELDS) {
    const a = cp[f];
    const bad = Array.prototype.findIndex.call(a, (v: number) => !Number.isFinite(v));
    expect(bad, `${what}: ${f}[${bad}] = ${a[bad]} not finite`).toBe(-1);
  }
  for (const v of cp.integrity) {
    expect(v, `${what}: integrity`).toBeGreaterThanOrEqual(0);
    expect(v, `${what}: integrity`).toBeLessThanOrEqual(1);
  }
  const sv = createCpuSolver(s);
  sv.restore(cp);
  const m = znMassBalance(s, sv);
  expect(m.relConservation, `${what}: Zn conservation error ${m.conservation} of ${m.applied} applied`).toBeLessThan(MASS_TOL);
  expect(m.relFaradaic, `${what}: deposit ${m.deposit} vs Faradaic, error ${m.faradaic} of ${m.applied} applied`).toBeLessThan(MASS_TOL);
  return m;
}

export interface Tally { ran: number; skipped: number; worstConservation: number; worstFaradaic: number; worstWhat: string }
export const tally = (): Tally => ({ ran: 0, skipped: 0, worstConservation: 0, worstFaradaic: 0, worstWhat: "" });
export function note(t: Tally, what: string, m: ReturnType<typeof znMassBalance>): void {
  if (Math.max(m.relConservation, m.relFaradaic) > Math.max(t.worstConservation, t.worstFaradaic)) t.worstWhat = what;
  t.worstConservation = Math.max(t.worstConservation, m.relConservation);
  t.worstFaradaic = Math.max(t.worstFaradaic, m.relFaradaic);
}
export const report = (backend: string, t: Tally, ms: number) =>
  console.log(
    `${backend}: ${t.ran} runs, ${t.skipped} skipped (ScenarioError), worst Zn conservation ${t.worstConservation.toExponential(2)}, ` +
      `worst deposit vs Faradaic ${t.worstFaradaic.toExponential(2)} (${t.worstWhat}); ${(ms / 1000).toFixed(1)} s`,
  );
