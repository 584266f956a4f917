/**
 * The pH field on the CPU reference (docs/MODEL.md, "pH"): the OH- that HER makes is all in the cell or gone out
 * through the reservoir, a planar electrode's interfacial pH is the steady linear profile's, and the field stays
 * finite; a scenario without ph_field has no pH column.
 */
import { describe, expect, it } from "vitest";
import { D_OH_M2_S, FARADAY, PH_2M_ZNSO4 } from "../src/model/constants.ts";
import { seriesToCsv } from "../src/model/csv.ts";
import { alkalinityOf, pHOf } from "../src/reference/alkalinity.ts";
import { runUntil, scenario } from "./helpers.ts";

describe("pH field", () => {
  it("pH and alkalinity invert each other, finite from pH 1 to 13", () => {
    for (let pH = 1; pH <= 13; pH += 0.5) expect(pHOf(alkalinityOf(pH))).toBeCloseTo(pH, 9);
  });

  for (const mode of ["1d", "2d"] as const) {
    it(`${mode}: OH- made = HER charge / F, and all of it is in the cell or out through the reservoir (1e-3)`, () => {
      const grid = mode === "1d" ? { nx: 1, ny: 64, dx_um: 0.5 } : { nx: 32, ny: 64, dx_um: 0.5 };
      const s = scenario({ mode, grid, ph_field: true, current_mA_cm2: 10, duration_s: 60 });
      const sv = runUntil(s, 60);
      const ph = sv.ph!;
      expect(Math.abs(ph.made / (sv.qH / FARADAY) - 1)).toBeLessThan(1e-3);
      expect(Math.abs((ph.excess(sv) + ph.out) / ph.made - 1)).toBeLessThan(1e-3);
      // The substrate is closed (no flux): what leaves goes out at the top, never in.
      expect(ph.out).toBeGreaterThan(0);
      for (const w of ph.w) expect(Number.isFinite(pHOf(w))).toBe(true);
      expect(Math.min(...Array.from(ph.w, pHOf))).toBeGreaterThan(PH_2M_ZNSO4 - 1e-9);
      expect(sv.ph!.surfacePH(sv)).toBeGreaterThan(PH_2M_ZNSO4);
    });
  }

  it("a planar electrode's interfacial pH is the steady diffusion profile's: w = w0 + (i_H / F) L / D_OH", () => {
    const ny = 64, dx = 0.5e-6;
    const s = scenario({ mode: "1d", grid: { nx: 1, ny, dx_um: 0.5 }, ph_field: true, current_mA_cm2: 10, duration_s: 60 });
    const sv = runUntil(s, 60);
    // From the electrode's cell centre to the reservoir at the top face.
    const w = alkalinityOf(PH_2M_ZNSO4) + ((sv.lastIH / FARADAY) * (ny - 0.5) * dx) / D_OH_M2_S;
    expect(Math.abs(sv.ph!.w[0]! / w - 1)).toBeLessThan(1e-3);
    expect(sv.ph!.surfacePH(sv)).toBeCloseTo(pHOf(w), 3);
    expect(seriesToCsv([sv.metrics()]).split("\n")[0]).toMatch(/,surface_pH$/);
  });

  it("has no pH column without ph_field, and refuses a pH without it", () => {
    const sv = runUntil(scenario({ mode: "1d", grid: { nx: 1, ny: 32, dx_um: 0.5 }, duration_s: 10 }), 10);
    expect(sv.ph).toBeNull();
    expect(seriesToCsv([sv.metrics()])).not.toMatch(/pH/);
    expect(() => scenario({ electrolyte: { pH: 5 } })).toThrow(/electrolyte\.pH = 5 is the pH field's start: give "ph_field": true/);
  });
});
