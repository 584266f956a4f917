/**
 * docs/MODEL.md "Domain and grid": every length of the model is in um, so the cell size is a resolution. The same
 * seed places the same nuclei at every cell size, the lengths come out the same in um, a cell too coarse for the
 * interface is refused naming both lengths, and a short run at the default cell size and at half of it agrees
 * (the tolerances of `npm run converge`'s acceptance: 10 %, and 0.05 for uniformity).
 */
import { describe, expect, it } from "vitest";
import { coefficients, stepSchedule } from "../src/model/coefficients.ts";
import { placeNuclei } from "../src/model/initial.ts";
import { LENGTHS_UM } from "../src/model/lengths.ts";
import { DEFAULT_GRID, parseScenario } from "../src/model/scenario.ts";
import { runCpu } from "../src/reference/run.ts";

/** The same 32 x 32 um cell of bare Zn at cell size dx (um). */
const at = (dx: number, extra: Record<string, unknown> = {}) =>
  parseScenario({ grid: { nx: 32 / dx, ny: 32 / dx, dx_um: dx }, current_mA_cm2: 10, duration_s: 60, samples: 4, coating: { preset: "bare" }, ...extra });

describe("lengths in um, not cells", () => {
  it("the same seed places the same nuclei (centres and radii in um) at 1, 0.5 and 0.25 um cells", () => {
    for (const preset of ["bare", "cof", "zns"]) {
      const um = [1, 0.5, 0.25].map((dx) => placeNuclei(coefficients(at(dx, { coating: { preset } })), 7).map((n) => [n.x * dx, n.r * dx]));
      expect(um[0]!.length, preset).toBeGreaterThan(1);
      for (const other of um.slice(1)) {
        expect(other.length).toBe(um[0]!.length);
        other.forEach(([x, r], k) => {
          expect(x).toBeCloseTo(um[0]![k]![0]!, 9);
          expect(r).toBeCloseTo(um[0]![k]![1]!, 9);
        });
      }
    }
  });

  it("the interface, the nucleation band, the substrate and the tip window are the same in um at every cell size", () => {
    for (const dx of [1, 0.5, 0.25, 0.1]) {
      const co = coefficients(at(dx, { grid: { nx: 32, ny: 128, dx_um: dx } }));
      expect(co.ell * dx).toBeCloseTo(LENGTHS_UM.ell, 12);
      expect(co.nucleationZone * dx).toBeCloseTo(LENGTHS_UM.nucleationZone, 12);
      expect(co.substrateCells * dx).toBeCloseTo(LENGTHS_UM.substrate, 12);
      expect(Math.abs(co.tipWindow * dx - LENGTHS_UM.tipWindow)).toBeLessThanOrEqual(dx / 2);
      expect(co.strainLength).toBe(LENGTHS_UM.strainLength * 1e-6);
    }
  });

  it("the time step does not depend on the coating (a comparison's panes step alike)", () => {
    const dts = ["bare", "znf2", "cof", "zns", "pvb"].map((preset) => stepSchedule(at(0.5, { coating: { preset } })).dt);
    expect(new Set(dts).size).toBe(1);
  });

  it("a 2d cell too coarse for the interface is refused, naming both lengths; 1 um runs; 1d takes any cell", () => {
    const old = { grid: { nx: 64, ny: 64, dx_um: 1.5 }, coating: { preset: "bare" } };
    expect(() => parseScenario(old)).toThrow(
      "grid.dx_um = 1.5 um is too coarse for 2d mode: the interface half-width is 0.6 um and needs at least 0.6 cell (0.6 / 1.5 = 0.4), so cells of at most 1 um; use smaller cells (more of them), or 1d mode",
    );
    expect(parseScenario({ ...old, grid: { nx: 64, ny: 64, dx_um: 1 } }).grid.dx_um).toBe(1);
    expect(parseScenario({ ...old, mode: "1d" }).grid.dx_um).toBe(1.5);
  });
});

describe("a short run agrees at the default cell size and at half of it", () => {
  it(`bare Zn, 10 mA/cm2, 60 s, 32 um: ${DEFAULT_GRID.dx_um} um against ${DEFAULT_GRID.dx_um / 2} um`, () => {
    const [a, b] = [DEFAULT_GRID.dx_um, DEFAULT_GRID.dx_um / 2].map((dx) => runCpu(at(dx)).series.at(-1)!);
    const rel = (k: "max_height_um" | "roughness_um" | "voltage_V" | "h2_mmol_cm2") => Math.abs(a![k] - b![k]) / Math.abs(b![k]);
    const report = JSON.stringify({ a, b });
    for (const k of ["max_height_um", "roughness_um", "voltage_V", "h2_mmol_cm2"] as const) expect(rel(k), `${k}: ${report}`).toBeLessThan(0.1);
    expect(Math.abs(a!.uniformity - b!.uniformity), report).toBeLessThan(0.05);
    expect(Math.abs(a!.ce - b!.ce), report).toBeLessThan(0.05);
  });
});
