/** MODEL.md checks of transport in the planar (1d) cell, on the CPU reference solver. */
import { describe, expect, it } from "vitest";
import { sandTime } from "../src/model/coefficients.ts";
import { FARADAY, N_ZN } from "../src/model/constants.ts";
import { runUntil, scenario } from "./helpers.ts";

const NF = N_ZN * FARADAY;

describe("Sand's time (1d galvanostatic, no growth)", () => {
  for (const t_plus of [0.4, 0.2]) {
    it(`surface Zn2+ reaches zero at t_s = pi D (nFc0)^2 / (4 (i (1 - t+))^2) within 5% (t+ = ${t_plus})`, () => {
      const c0 = 2000, D = 6e-10, i = 1000; // mol/m3, m2/s, A/m2 (100 mA/cm2)
      const tSand = (Math.PI * D * (NF * c0) ** 2) / (4 * (i * (1 - t_plus)) ** 2);
      const s = scenario({
        mode: "1d", grid: { nx: 1, ny: 512, dx_um: 4 }, current_mA_cm2: i / 10, duration_s: 2 * tSand, samples: 400,
        electrolyte: { c0_M: c0 / 1000, D_m2_s: D, t_plus },
        // Sand's law assumes every electron reduces Zn2+: switch HER off (dG_H* far from 0, no water).
        coating: { preset: "bare", dG_H_eV: 3.5, water_activity: 0.01 },
      });
      let prevT = 0, prevC = 1, tCross = NaN;
      runUntil(s, 2 * tSand, (sv) => {
        const t = sv.step * sv.co.dt, cs = sv.surfaceConcentration();
        if (cs <= 0) { tCross = prevT + (t - prevT) * (prevC / (prevC - cs)); return true; }
        prevT = t; prevC = cs;
      });
      console.log(`Sand t+=${t_plus}: simulated ${tCross.toFixed(2)} s, analytic ${tSand.toFixed(2)} s`);
      // The model's own Sand time (which bounds the time step) is this analytic one.
      expect(sandTime(s) / tSand - 1).toBeCloseTo(0, 12);
      expect(Math.abs(tCross / tSand - 1)).toBeLessThan(0.05);
    });
  }
});

describe("steady limiting current grows as 1 / (1 - t+)", () => {
  it("i_lim(t+ = 0.6) / i_lim(t+ = 0.2) = 0.8 / 0.4 within 2%", () => {
    const limiting = (t_plus: number) => {
      const s = scenario({
        mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, current_mA_cm2: 20, duration_s: 1500, samples: 50,
        electrolyte: { t_plus },
      });
      const sv = runUntil(s, 1500);
      // At steady state the surface depletion is linear in the current: c_s / c0 = 1 - i / i_lim.
      return (s.current_mA_cm2 * 10) / (1 - sv.surfaceConcentration());
    };
    const ratio = limiting(0.6) / limiting(0.2);
    expect(Math.abs(ratio / (0.8 / 0.4) - 1)).toBeLessThan(0.02);
  });
});

describe("ohmic drop of a coating", () => {
  it("a layer of thickness h and conductivity sigma_c adds i h (1/sigma_c - 1/sigma_l) within 2%", () => {
    const i = 100, h = 20e-6, sigmaC = 0.1, sigmaL = 5; // A/m2, m, S/m, S/m
    const base = { mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, current_mA_cm2: i / 10, duration_s: 4, samples: 2 };
    const face = (coating: Record<string, unknown>) => runUntil(scenario({ ...base, coating }), 4).electrodeFacePotential();
    const bare = face({ preset: "bare" });
    const coated = face({ preset: "pvb", thickness_nm: h * 1e9, sigma_mS_cm: sigmaC * 10, t_plus: 1, water_activity: 1, dEcorr_mV: 0 });
    const expected = i * h * (1 / sigmaC - 1 / sigmaL);
    expect(Math.abs((bare - coated) / expected - 1)).toBeLessThan(0.02);
  });

  it("a sub-cell layer (200 nm in a 4 um cell) still adds its own drop", () => {
    const i = 100, h = 200e-9, sigmaC = 0.001;
    const base = { mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, current_mA_cm2: i / 10, duration_s: 4, samples: 2 };
    const face = (coating: Record<string, unknown>) => runUntil(scenario({ ...base, coating }), 4).electrodeFacePotential();
    const drop = face({ preset: "bare" }) - face({ preset: "pvb", thickness_nm: h * 1e9, sigma_mS_cm: sigmaC * 10, t_plus: 1 });
    expect(Math.abs(drop / (i * h * (1 / sigmaC - 1 / 5)) - 1)).toBeLessThan(0.02);
  });
});
