/**
 * The pH field and the by-product on the WGSL engine (shaders/ph.wgsl) against the CPU reference (alkalinity.ts,
 * byproduct.ts): a plate-then-rest cycle of bare Zn, TiO2 and COF@Zn with the pH tracked and Zn4(OH)6SO4 forming
 * agrees within 1 % on the final row (the interfacial pH and the film's thickness included) and on the rest's
 * corrosion figures; a planar bare electrode's film and pH likewise over its whole series, and its checkpoint carries
 * the alkalinity, the film and the held set as the CPU's state has them. One child process (tests/gpu/runs.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { REST_FIELDS } from "../../src/model/cycleLog.ts";
import { SERIES_FIELDS, type ProtocolRow } from "../../src/model/metrics.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { runProtocolCpu } from "../../src/reference/protocolRun.ts";
import { runCpu } from "../../src/reference/run.ts";
import { expectSeriesNear, gpuRuns, type GpuResult } from "./runs.ts";

// Plate at 10 mA/cm2 for 60 s (HER raises the pH to the by-product's saturation; the film grows), rest 60 s.
const plateRest = (preset: string) => ({
  grid: { nx: 32, ny: 64, dx_um: 0.5 }, samples: 12, duration_s: 120, coating: { preset }, ph_field: true, byproduct: true,
  protocol: [{ step: "plate", current_mA_cm2: 10, until: { time_s: 60 } }, { step: "rest", until: { time_s: 60 } }], cycles: 1,
});
// Planar bare Zn at 10 mA/cm2 for 500 s: the film covers the electrode and E_m falls (passivation).
const planar = { mode: "1d", grid: { nx: 1, ny: 128, dx_um: 1 }, samples: 10, duration_s: 500, coating: { preset: "bare" }, ph_field: true, byproduct: true, current_mA_cm2: 10 };
// An hour of bare Zn at rest alone: 20 s steps (Allen-Cahn substeps), D_OH dt / dx^2 4e5, the stiffest solve.
const shelf = {
  grid: { nx: 64, ny: 128, dx_um: 0.5 }, samples: 12, duration_s: 3600, coating: { preset: "bare" }, ph_field: true, byproduct: true,
  protocol: [{ step: "rest", until: { time_s: 3600 } }], cycles: 1,
};
const PRESETS = ["bare", "tio2", "cof"];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);
const withPh = (r: ProtocolRow) => Object.fromEntries([...SERIES_FIELDS, "surface_pH", "byproduct_um"].map((k) => [k, (r as Record<string, number>)[k]]));

describe("the pH field and the by-product on the GPU engine against the CPU reference", () => {
  let runs: GpuResult[] = [];
  beforeAll(() => {
    runs = gpuRuns([...PRESETS.map(plateRest), planar, shelf]);
  });

  it.each(PRESETS.map((p, k) => [p, k] as const))("%s, plate then rest: pH, film, the final row and the rest's figures within 1 %", (preset, k) => {
    const gpu = runs[k]!;
    const cpu = runProtocolCpu(parseScenario(plateRest(preset)));
    expect(gpu.stopped).toBeNull();
    const g = gpu.series.at(-1)! as ProtocolRow, r = cpu.series.at(-1)!;
    const gr = g as Record<string, number>, rr = r as Record<string, number>;
    console.log(`${preset}: pH ${gr.surface_pH!.toFixed(4)} against ${rr.surface_pH!.toFixed(4)}, film ${gr.byproduct_um!.toExponential(4)} against ${rr.byproduct_um!.toExponential(4)} um, E ${(g.voltage_V * 1e3).toFixed(3)} against ${(r.voltage_V * 1e3).toFixed(3)} mV`);
    expect(Object.keys(g)).toContain("byproduct_um");
    expectSeriesNear(`${preset} final row`, [withPh(g) as never], [withPh(r) as never], 0.01);
    const gc = gpu.cycles![0]!, rc = cpu.cycles[0]!;
    for (const f of REST_FIELDS) {
      const tol = f === "e_mix_mV" ? 0.01 * Math.max(Math.abs(rc[f]), 1) : 0.01 * Math.abs(rc[f]);
      expect(Math.abs(gc[f] - rc[f]), `${preset} ${f}: gpu ${gc[f]} cpu ${rc[f]}`).toBeLessThanOrEqual(tol + 1e-12);
    }
  });

  it("bare Zn an hour at rest alone (20 s steps): pH and i_corr within 1 %, the film within 2 %", () => {
    const gpu = runs[PRESETS.length + 1]!;
    const cpu = runProtocolCpu(parseScenario(shelf));
    const g = gpu.series.at(-1) as Record<string, number>, r = cpu.series.at(-1) as Record<string, number>;
    console.log(`shelf: pH ${g.surface_pH!.toFixed(3)} against ${r.surface_pH!.toFixed(3)}, film ${g.byproduct_um!.toFixed(4)} against ${r.byproduct_um!.toFixed(4)} um, i_corr ${g.corrosion_uA_cm2!.toFixed(3)} against ${r.corrosion_uA_cm2!.toFixed(3)} uA/cm2`);
    expect(r.byproduct_um).toBeGreaterThan(0.1);
    expect(rel(g.surface_pH!, r.surface_pH!)).toBeLessThan(0.01);
    expect(rel(g.corrosion_uA_cm2!, r.corrosion_uA_cm2!)).toBeLessThan(0.01);
    expect(rel(g.byproduct_um!, r.byproduct_um!)).toBeLessThan(0.02);
  });

  it("planar bare Zn, 500 s at 10 mA/cm2: the film, the pH and E_m over the whole series within 1 %", () => {
    const gpu = runs[PRESETS.length]!;
    const cpu = runCpu(parseScenario(planar));
    const last = gpu.series.at(-1) as Record<string, number>;
    console.log(`planar: film ${last.byproduct_um!.toFixed(4)} um, pH ${last.surface_pH!.toFixed(3)}, E ${(last.voltage_V! * 1e3).toFixed(2)} mV`);
    expect(last.byproduct_um).toBeGreaterThan(0.1);
    expectSeriesNear("planar", gpu.series, cpu.series, 0.01);
    // The GPU's checkpoint carries the field: its alkalinity and by-product, cell by cell, as the CPU's state.
    const ph = gpu.checkpoint.ph!, sv = cpu.solver;
    expect(ph.byproduct).not.toBeNull();
    const sum = (a: ArrayLike<number>) => Array.from(a).reduce((x, y) => x + y, 0);
    expect(rel(sum(ph.byproduct!.m), sum(sv.byproduct!.m))).toBeLessThan(0.01);
    const wNear = Array.from(ph.w).every((w, k) => Math.abs(w - sv.ph!.w[k]!) <= 0.01 * Math.abs(sv.ph!.w[k]!) + 1e-6);
    expect(wNear).toBe(true);
    expect(Array.from(ph.held!)).toEqual(Array.from(sv.ph!.state().held!));
  });
});
