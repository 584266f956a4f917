/**
 * Zn4(OH)6SO4 precipitation on the CPU reference (docs/MODEL.md, "By-product"): the OH- and Zn2+ it takes are in
 * balance, it holds the interfacial pH at its saturation, and plating under its film is lower than beside it.
 */
import { describe, expect, it } from "vitest";
import { FARADAY } from "../src/model/constants.ts";
import { pHOf } from "../src/reference/alkalinity.ts";
import { saturation, ZHS_MOLAR_VOLUME, ZHS_PORE_TRANSPORT, ZHS_POROSITY } from "../src/reference/byproduct.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import type { CpuSolver } from "../src/reference/solver.ts";
import { runUntil, scenario } from "./helpers.ts";

/** Zn balance (scaled cell units): solution change + deposit + 4 x by-product - reservoir influx, over the deposit. */
function znBalance(sv: CpuSolver, c0Cells: number): number {
  const mb = sv.massBalance();
  const perCell = (sv.nx * sv.co.dx) / (sv.co.dx * sv.co.dx) / sv.co.c0; // mol/m2 -> c0 x cell volume
  const bp = 4 * sv.byproduct!.formed * perCell;
  return (mb.solution - c0Cells + mb.deposit + bp - mb.influx) / mb.deposit;
}

describe("by-product", () => {
  for (const mode of ["1d", "2d"] as const) {
    it(`${mode}: forms where HER raises the pH, and the Zn and OH- balances hold below 1e-3`, () => {
      const grid = mode === "1d" ? { nx: 1, ny: 64, dx_um: 0.5 } : { nx: 32, ny: 64, dx_um: 0.5 };
      const s = scenario({ mode, grid, ph_field: true, byproduct: true, current_mA_cm2: 10, duration_s: 60 });
      const sv = createCpuSolver(s);
      const c0Cells = sv.c.reduce((a, v) => a + v, 0);
      while (sv.step * sv.co.dt < 60 - 1e-9) sv.advance();
      const ph = sv.ph!, bp = sv.byproduct!;
      expect(bp.formed).toBeGreaterThan(0);
      expect(Math.abs(ph.made / (sv.qH / FARADAY) - 1)).toBeLessThan(1e-3);
      // OH- made = in the cell + out through the reservoir + 6 per formula unit precipitated.
      expect(Math.abs((ph.excess(sv) + ph.out + 6 * bp.formed) / ph.made - 1)).toBeLessThan(1e-3);
      // Without the by-product's share neither balance would close.
      expect(6 * bp.formed / ph.made).toBeGreaterThan(1e-2);
      expect(Math.abs(znBalance(sv, c0Cells))).toBeLessThan(1e-3);
      // The pH at the metal is held at the by-product's saturation (about 5.5), not the unbuffered ~10.
      const surface = ph.surfacePH(sv);
      expect(surface).toBeGreaterThan(5.3);
      expect(surface).toBeLessThan(5.6);
      for (let P = 0; P < sv.c.length; P++) if (sv.xi[P]! < 0.5) expect(ph.w[P]).toBeLessThanOrEqual(saturation(sv.c[P]! * sv.co.c0, sv.co.c0) * (1 + 1e-9) + 1e-12);
      for (const w of ph.w) expect(Number.isFinite(pHOf(w))).toBe(true);
    });
  }

  it("a film carries ions through its pores only: the ohmic drop across it is 1 / porosity^1.5 times the free liquid's", () => {
    // 1d, 10 mA/cm2: a fully covering film 20 um thick, 10 um above the electrode, laid into a running cell.
    const s = scenario({ mode: "1d", grid: { nx: 1, ny: 64, dx_um: 1 }, ph_field: true, byproduct: true, current_mA_cm2: 10, duration_s: 10 });
    const sv = runUntil(s, 1);
    const full = (1 - ZHS_POROSITY) / ZHS_MOLAR_VOLUME; // mol/m3 of solid that covers a cell
    for (let j = 10; j < 30; j++) sv.byproduct!.m[j] = full;
    sv.advance();
    // The same number of faces inside the film and in the free liquid above it.
    const drop = (j0: number) => sv.phi[j0]! - sv.phi[j0 + 16]!;
    const ratio = drop(12) / drop(34);
    console.log(`ohmic drop across 16 um of film / of free liquid: ${ratio.toFixed(4)} (1 / 0.5^1.5 = ${(1 / ZHS_PORE_TRANSPORT).toFixed(4)})`);
    expect(Math.abs(ratio * ZHS_PORE_TRANSPORT - 1)).toBeLessThan(0.01);
  });

  it("plating under a by-product film is lower than beside it", () => {
    const s = scenario({ mode: "2d", grid: { nx: 32, ny: 64, dx_um: 0.5 }, ph_field: true, byproduct: true, current_mA_cm2: 10, duration_s: 10 });
    const sv = runUntil(s, 2);
    // A dense film over the left half: by-product in every cell of its columns from the deposit's top up 2 um.
    const tops = sv.columnTops();
    for (let i = 0; i < 16; i++) for (let j = Math.floor(tops[i]!) - 2; j < tops[i]! + 4; j++) sv.byproduct!.m[j * 32 + i] = 1e4;
    sv.advance();
    const perColumn = (i: number) => { let q = 0; for (let j = 0; j < 64; j++) q += sv.qZnCell[j * 32 + i]!; return q; };
    let under = 0, beside = 0;
    for (let i = 0; i < 16; i++) { under += perColumn(i); beside += perColumn(i + 16); }
    expect(beside).toBeGreaterThan(0);
    expect(under / beside).toBeLessThan(0.2);
  });
});
