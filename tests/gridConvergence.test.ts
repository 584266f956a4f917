/**
 * docs/MODEL.md "Domain and grid": every length of the model is in um, so the cell size is a resolution. The same
 * seed places the same nuclei at every cell size, the lengths come out the same in um, a cell too coarse for the
 * interface is refused naming both lengths, and a short run at the default cell size and at half of it agrees
 * (the tolerances of `npm run converge`'s acceptance: 10 %, and 0.05 for uniformity).
 */
import { describe, expect, it } from "vitest";
import { coefficients, stepSchedule } from "../src/model/coefficients.ts";
import { placeNuclei } from "../src/model/initial.ts";
import { LENGTHS_UM, windowShare } from "../src/model/lengths.ts";
import { DEFAULT_GRID, parseScenario } from "../src/model/scenario.ts";
import { mechanics, strainOf } from "../src/reference/columns.ts";
import { createCpuSolver, runCpu } from "../src/reference/run.ts";

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

describe("the coating's mechanics in um: the strain window and a crack's opening", () => {
  /** A ZnS-coated solver on a 32 um wide cell at dx, its columns' deposit laid as h(x) um above a flat mean. */
  const coated = (dx: number, h: (x_um: number) => number) => {
    const s = createCpuSolver(at(dx, { coating: { preset: "zns" } }));
    s.meanVol = 10 / dx;
    for (let i = 0; i < s.nx; i++) s.colVol[i] = s.meanVol + h((i + 0.5) * dx) / dx;
    s.stress.fill(0); s.integrity.fill(1); s.strainPrev.fill(0);
    return s;
  };

  it("a window covers the same length at every cell size (its shares add to its width in columns)", () => {
    for (const half of [0.25, 0.5, 1, 2, 2.5, 4]) {
      let sum = 0;
      for (let d = -10; d <= 10; d++) sum += windowShare(d, half);
      expect(sum).toBeCloseTo(2 * half, 12);
    }
  });

  it("a ridge narrower than the strain window strains the coating alike at 1, 0.5 and 0.25 um cells", () => {
    // A ridge 1 um wide and 1 um high on x in [15, 16] um: the coating feels its height averaged over the 2 um
    // window, 0.5 um, so eps = (8/3)(0.5 / 10)^2 at the column over the ridge's centre, whatever dx.
    const ridge = (x: number) => (x > 15 && x < 16 ? 1 : 0);
    const expected = (8 / 3) * (1 / LENGTHS_UM.strainWindow / LENGTHS_UM.strainLength) ** 2;
    for (const dx of [1, 0.5, 0.25]) {
      const s = coated(dx, ridge);
      const centre = Math.floor(15.5 / dx);
      expect(strainOf(s, centre), `dx ${dx}`).toBeCloseTo(expected, 9);
    }
  });

  it(`a crack opens ${LENGTHS_UM.crackOpening} um of the coating at 1, 0.5 and 0.25 um cells, centred on its column`, () => {
    for (const dx of [1, 0.5, 0.25]) {
      const s = coated(dx, () => 0);
      const i0 = Math.floor(16 / dx);
      s.strainPrev[i0] = -1; // a strain jump no layer survives: this column's stress passes Griffith's bound
      mechanics(s);
      const opened = s.integrity.reduce((sum, k) => sum + (1 - k) * dx, 0);
      expect(opened, `dx ${dx}: ${Array.from(s.integrity.slice(i0 - 3, i0 + 4)).join(", ")}`).toBeCloseTo(LENGTHS_UM.crackOpening, 6);
      expect(s.integrity[i0 - 1]).toBeCloseTo(s.integrity[i0 + 1]!, 12); // symmetric about the cracked column
      expect(s.stress[i0]).toBeLessThan(0); // the released stress marks the crack (read as 0 from the next step)
      expect(s.penalty[i0]).toBe(0);
    }
  });
});
