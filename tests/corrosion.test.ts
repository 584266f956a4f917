/**
 * Open circuit, corrosion and the Tafel sweep on the CPU reference (docs/MODEL.md, "Open circuit and corrosion",
 * "Linear sweep and Tafel"): a planar electrode at rest sits at the mixed potential of the Butler-Volmer / HER
 * balance, a simulated sweep's fit gives it back, and a sweep step is validated like the others.
 */
import { describe, expect, it } from "vitest";
import { coefficients, MODEL_CONSTANTS } from "../src/model/coefficients.ts";
import { F_NRT, F_RT } from "../src/model/constants.ts";
import { seriesToCsv } from "../src/model/csv.ts";
import { cyclesToCsv } from "../src/model/cycleLog.ts";
import { protocolPreset } from "../src/model/protocol.ts";
import { ScenarioError } from "../src/model/scenario.ts";
import { fitTafel } from "../src/model/tafel.ts";
import { runProtocolCpu } from "../src/reference/protocolRun.ts";
import { scenario } from "./helpers.ts";

const planar = { mode: "1d", grid: { nx: 1, ny: 128, dx_um: 0.5 } };
const rest = (preset: string, time_s: number) => scenario({ ...planar, coating: { preset }, protocol: [{ step: "rest", until: { time_s } }] });

/**
 * The mixed potential (V) and corrosion current (A/m2) of a planar electrode with surface Zn2+ c~ (c / c0), solved
 * by bisection from the model's own coefficients: i0 [c~ e^{-a f E} - e^{a f E}] + i_H0 F e^{-a_H (F/RT) E} = 0.
 */
function mixedPotential(herFactor: number, cSurf: number): { E: number; iCorr: number } {
  const K = MODEL_CONSTANTS;
  const her = (E: number) => K.iH0_A_m2 * herFactor * Math.exp(-K.alphaH * F_RT * E);
  const g = (E: number) => K.i0_A_m2 * (cSurf * Math.exp(-K.alpha * F_NRT * E) - Math.exp(K.alpha * F_NRT * E)) + her(E);
  let lo = -0.2, hi = 0.2; // g falls with E
  for (let k = 0; k < 200; k++) {
    const mid = 0.5 * (lo + hi);
    if (g(mid) > 0) lo = mid; else hi = mid;
  }
  const E = 0.5 * (lo + hi);
  return { E, iCorr: her(E) };
}

describe("open circuit", () => {
  for (const preset of ["bare", "cof"]) {
    it(`a planar ${preset} electrode at rest reaches the analytic mixed potential and corrosion current within 2 %`, () => {
      const s = rest(preset, 600);
      const { series, cycles } = runProtocolCpu(s);
      const last = series.at(-1)!;
      const want = mixedPotential(coefficients(s).herCoatFactor, last.min_surface_c_M / s.electrolyte.c0_M);
      expect(Math.abs(last.voltage_V / want.E - 1)).toBeLessThan(0.02);
      expect(Math.abs(last.corrosion_uA_cm2! / (want.iCorr * 100) - 1)).toBeLessThan(0.02);
      // The table: zinc lost = the HER charge at rest = i_corr t.
      const c = cycles[0]!;
      expect(c.rest_s).toBeCloseTo(600, 9);
      expect(Math.abs(c.e_mix_mV / (want.E * 1e3) - 1)).toBeLessThan(0.02);
      expect(Math.abs(c.corrosion_uA_cm2 / (want.iCorr * 100) - 1)).toBeLessThan(0.02);
      expect(Math.abs(c.rest_h2_mmol_cm2 / ((c.zn_lost_mAh_cm2 * 36_000) / (2 * 96485.33212) * 0.1) - 1)).toBeLessThan(1e-9);
    });
  }

  it("an hour at rest in 20 s steps of Allen-Cahn substeps gives the 1.5 s steps' E_mix, i_corr, zinc lost and deposit", () => {
    // 32 x 32 cells of 0.5 um, bare Zn: samples of 120 s (steps of 20 s, 13 substeps) against samples of 1.5 s (one).
    const at = (samples: number) => scenario({ grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples, duration_s: 3600, protocol: [{ step: "rest", until: { time_s: 3600 } }] });
    const long = at(30), short = at(2400);
    expect([coefficients(long).dt, coefficients(long).acSubsteps]).toEqual([20, 13]);
    expect([coefficients(short).dt, coefficients(short).acSubsteps]).toEqual([1.5, 1]);
    const a = runProtocolCpu(long), b = runProtocolCpu(short);
    const ca = a.cycles[0]!, cb = b.cycles[0]!;
    const la = a.series.at(-1)!, lb = b.series.at(-1)!;
    const rel = (x: number, y: number) => Math.abs(x / y - 1);
    console.log(`rest 1 h, 20 s vs 1.5 s steps: E_mix ${ca.e_mix_mV.toFixed(5)} vs ${cb.e_mix_mV.toFixed(5)} mV, i_corr ${rel(ca.corrosion_uA_cm2, cb.corrosion_uA_cm2).toExponential(2)}, max height ${la.max_height_um.toFixed(4)} vs ${lb.max_height_um.toFixed(4)} um, roughness ${la.roughness_um.toFixed(4)} vs ${lb.roughness_um.toFixed(4)} um`);
    expect(Math.abs(ca.e_mix_mV - cb.e_mix_mV)).toBeLessThan(0.01);
    for (const f of ["corrosion_uA_cm2", "zn_lost_mAh_cm2", "rest_h2_mmol_cm2"] as const) expect(rel(ca[f], cb[f]), f).toBeLessThan(1e-3);
    // The nuclei level by capillarity at rest: the substeps carry it as the short steps do.
    expect(rel(la.max_height_um, lb.max_height_um)).toBeLessThan(0.01);
    expect(Math.abs(la.roughness_um - lb.roughness_um)).toBeLessThan(1e-3); // um: a 500th of a cell (it is ~8 nm here)
  });

  it("a protocol without rest or sweep has no corrosion columns; one with rest has them", () => {
    const sym = runProtocolCpu(scenario({ ...planar, ...protocolPreset("symmetric", { current_mA_cm2: 1, capacity_mAh_cm2: 0.002, cycles: 1, duration_s: 1 }) }));
    expect(seriesToCsv(sym.series)).not.toMatch(/corrosion/);
    expect(cyclesToCsv(sym.cycles)).not.toMatch(/e_mix_mV/);
    const r = runProtocolCpu(rest("bare", 30));
    expect(seriesToCsv(r.series).split("\n")[0]).toMatch(/,corrosion_uA_cm2,zn_lost_mAh_cm2,zn_lost_um$/);
    expect(cyclesToCsv(r.cycles).split("\n")[0]).toMatch(/,rest_s,e_mix_mV,corrosion_uA_cm2,zn_lost_mAh_cm2,zn_lost_um,rest_h2_mmol_cm2$/);
  });
});

describe("linear sweep and Tafel", () => {
  it("the fit of a simulated planar sweep returns the model's own i_corr within 5 % and E_corr within 2 mV", () => {
    const s = scenario({ ...planar, ...protocolPreset("tafel", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 1, duration_s: 1 }) });
    const { polarization, series } = runProtocolCpu(s);
    expect(polarization.length).toBeGreaterThan(250);
    const fit = fitTafel(polarization);
    // The model's own: the planar electrode at rest, before the sweep.
    const atRest = runProtocolCpu(rest("bare", 60)).series.at(-1)!;
    expect(Math.abs(fit.E_corr_V - atRest.voltage_V)).toBeLessThan(0.002);
    expect(Math.abs(fit.i_corr_A_m2 * 100 / atRest.corrosion_uA_cm2! - 1)).toBeLessThan(0.05);
    // The HER line is the model's a_H = 0.5: 2.303 RT / (0.5 F) = 118 mV/decade.
    expect(Math.abs(fit.her_slope_mV_dec / (Math.LN10 / (MODEL_CONSTANTS.alphaH * F_RT) * 1e3) - 1)).toBeLessThan(0.05);
    expect(series.at(-1)!.voltage_V).toBeCloseTo(0.15, 9);
  });

  it("refuses a sweep step with a message naming the step, the field, the value and the range", () => {
    const bad = (step: Record<string, unknown>, mode = "1d") => () => scenario({ ...planar, mode, protocol: [step] });
    expect(bad({ step: "sweep", from_V: -0.1, to_V: 0.9, rate_mV_s: 1 })).toThrow(/protocol\.0\.to_V = 0\.9 is out of range: allowed -0\.5 to 0\.5 V vs Zn \(sweep end potential\)/);
    expect(bad({ step: "sweep", from_V: -0.1, to_V: 0.1, rate_mV_s: 0 })).toThrow(/protocol\.0\.rate_mV_s = 0 is out of range: allowed 0\.01 to 100 mV\/s/);
    expect(bad({ step: "sweep", from_V: -0.1, to_V: 0.1 })).toThrow(/protocol\.0\.rate_mV_s is required for a sweep step/);
    expect(bad({ step: "sweep", from_V: 0.1, to_V: 0.1, rate_mV_s: 1 })).toThrow(/to_V = 0\.1 equals from_V/);
    expect(bad({ step: "rest", from_V: 0.1, until: { time_s: 5 } })).toThrow(/protocol\.0\.from_V = 0\.1: only a sweep step takes from_V/);
    expect(bad({ step: "sweep", from_V: -0.1, to_V: 0.1, rate_mV_s: 1 }, "2d")).toThrow(ScenarioError);
    expect(bad({ step: "sweep", from_V: -0.1, to_V: 0.1, rate_mV_s: 1, until: { time_s: 3 } })).toThrow(/does not apply to a sweep step/);
  });
});
