/**
 * Principle II in sweeps (docs/MODEL.md, "Open circuit and corrosion", "pH", "By-product"): a sweep whose base rests
 * records the corrosion current and zinc lost, one with the pH field the interfacial pH, one with the by-product its
 * film's thickness; a sweep that asks for them without what makes them is refused with one line.
 */
import { describe, expect, it } from "vitest";
import { CORROSION_FIELDS } from "../src/model/metrics.ts";
import { MODEL_CONSTANTS } from "../src/model/coefficients.ts";
import { F_RT } from "../src/model/constants.ts";
import { ScenarioError } from "../src/model/scenario.ts";
import { parseSweep, sweepPoints, sweepRowsToCsv } from "../src/model/sweep.ts";
import { runSweepPoint } from "../src/reference/run.ts";

// A planar (1d) electrode at open circuit for 600 s under TiO2, its corrosion-potential shift swept.
const restBase = {
  mode: "1d", grid: { nx: 1, ny: 128, dx_um: 0.5 }, duration_s: 600, samples: 10, coating: { preset: "tio2" },
  protocol: [{ step: "rest", until: { time_s: 600 } }], cycles: 1,
};

/** The CSV's columns by header name, as numbers (the stopped column as text). */
function columns(csv: string): Record<string, string[]> {
  const [head, ...rows] = csv.trim().split("\n").map((l) => l.split(","));
  return Object.fromEntries(head!.map((h, k) => [h, rows.map((r) => r[k]!)]));
}

describe("corrosion, pH and by-product in sweeps", () => {
  it("a resting base records i_corr and zinc lost by default, and i_corr falls with the corrosion-potential shift as the model's exp(-a_H F dE / RT)", () => {
    const sweep = parseSweep({ base: restBase, axes: [{ param: "coating.dEcorr_mV", from: 0, to: 40, steps: 2 }] });
    for (const f of CORROSION_FIELDS) expect(sweep.metrics).toContain(f);
    const points = sweepPoints(sweep);
    const col = columns(sweepRowsToCsv(sweep, points, points.map((p) => runSweepPoint(p.scenario).series)));
    const [i0, i40] = col.corrosion_uA_cm2!.map(Number) as [number, number];
    const want = Math.exp(-MODEL_CONSTANTS.alphaH * F_RT * 0.04);
    console.log(`sweep of dE_corr 0 -> 40 mV at rest: i_corr ${i0.toFixed(3)} -> ${i40.toFixed(3)} uA/cm2, ratio ${(i40 / i0).toFixed(4)} (model ${want.toFixed(4)})`);
    expect(i0).toBeGreaterThan(0);
    expect(Math.abs(i40 / i0 / want - 1)).toBeLessThan(0.02);
    // Zinc lost at rest is the corrosion charge: the same ratio.
    const [z0, z40] = col.zn_lost_mAh_cm2!.map(Number) as [number, number];
    expect(Math.abs(z40 / z0 / want - 1)).toBeLessThan(0.02);
  });

  it("with the pH field and the by-product the rows carry the interfacial pH and the film's thickness", () => {
    const base = { ...restBase, coating: { preset: "bare" }, ph_field: true, byproduct: true, protocol: [{ step: "plate", current_mA_cm2: 10, until: { time_s: 300 } }, { step: "rest", until: { time_s: 300 } }] };
    const sweep = parseSweep({ base, axes: [{ param: "coating.water_activity", from: 0.1, to: 1, steps: 2, scale: "log" }] });
    expect(sweep.metrics).toContain("surface_pH");
    expect(sweep.metrics).toContain("byproduct_um");
    const points = sweepPoints(sweep);
    const col = columns(sweepRowsToCsv(sweep, points, points.map((p) => runSweepPoint(p.scenario).series)));
    const pH = col.surface_pH!.map(Number), film = col.byproduct_um!.map(Number);
    console.log(`water activity 0.1 -> 1: surface pH ${pH.map((v) => v.toFixed(2)).join(" -> ")}, film ${film.map((v) => v.toFixed(4)).join(" -> ")} um`);
    // More water at the metal, more HER: the pH rises further (4.3, the bulk's, is the floor), and no less film forms.
    expect(pH[0]!).toBeGreaterThan(4.3);
    expect(pH[1]!).toBeGreaterThan(pH[0]!);
    expect(film.every((v) => Number.isFinite(v) && v >= 0)).toBe(true);
    expect(film[1]!).toBeGreaterThanOrEqual(film[0]!);
  });

  it("refuses those metrics, naming what they need, where the base has no rest, pH field or by-product", () => {
    const plating = { grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 5, samples: 2, coating: { preset: "bare" } };
    const refusal = (base: object, metric: string) => {
      try {
        parseSweep({ base, axes: [{ param: "seed", from: 1, to: 2, steps: 2 }], metrics: [metric] });
      } catch (e) {
        expect(e).toBeInstanceOf(ScenarioError);
        return (e as Error).message;
      }
      return "accepted";
    };
    expect(refusal(plating, "corrosion_uA_cm2")).toBe("metrics: corrosion_uA_cm2 is a figure of a protocol with a rest or sweep step, and the base scenario's has none");
    expect(refusal(plating, "surface_pH")).toBe('metrics: surface_pH needs the pH field: the base scenario has no "ph_field": true');
    expect(refusal({ ...plating, ph_field: true }, "byproduct_um")).toBe('metrics: byproduct_um needs the by-product: the base scenario has no "byproduct": true');
    expect(refusal({ ...plating, ph_field: true, byproduct: true }, "byproduct_um")).toBe("accepted");
  });
});
