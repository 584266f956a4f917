/**
 * Protocols on the WGSL engine (src/engine/protocol-gpu.ts) against the CPU reference's (src/reference/protocolRun.ts):
 * 3 symmetric cycles of bare Zn, ZnS and COF agree within 1 % on the per-cycle table and the final row; an island
 * cut off from the substrate stays frozen while the rest strips and counts as dead zinc; a Zn||Cu cycle strips
 * to its cut-off and leaves copper's own metal; metal reached only through turns and the periodic edge counts live. One child process on one device (tests/gpu/runs.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SERIES_FIELDS, type ProtocolRow, type SeriesRow } from "../../src/model/metrics.ts";
import { MAH_CM2, protocolPreset } from "../../src/model/protocol.ts";
import { ZN_SITE_DENSITY } from "../../src/model/constants.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { runProtocolCpu } from "../../src/reference/protocolRun.ts";
import { CycleLog } from "../../src/model/cycleLog.ts";
import { createCpuSolver } from "../../src/reference/run.ts";
import { NF } from "../../src/reference/numerics.ts";
import type { Checkpoint } from "../../src/reference/solver.ts";
import { expectSeriesNear, gpuRuns, type GpuResult } from "./runs.ts";
import type { EngineOptions } from "../../src/engine/engine.ts";
import { colorize, DEAD_ZINC_RGB, metalRgb, unorm8 } from "../../src/ui/sim/colorize.ts";

const PRESETS = ["bare", "zns", "cof"];
const small = { grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 24 };
// 10 mA/cm2, 0.02 mAh/cm2: 34 time steps of 0.216 s a half-cycle.
const symmetric = (preset: string) => ({
  ...small, coating: { preset }, ...protocolPreset("symmetric", { current_mA_cm2: 10, capacity_mAh_cm2: 0.02, cycles: 3, duration_s: 1 }),
});
// Zn||Cu: plate 0.03 mAh/cm2 at 2 mA/cm2 on copper, strip to the +0.5 V cut-off (tests/protocol.test.ts's cycle; a
// sample a step, so E_m is read back every step).
const znCu = { grid: small.grid, coating: { preset: "bare" }, ...protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 1, duration_s: 1 }) };
// Zn||Cu without hydrogen, the strip allowed twice the plated charge (only its cut-off ends it), 26 steps a sample:
// the strip (steps 36 on) runs in batches to the samples, and the one that runs past the cut-off (step 75 on the CPU)
// is taken back to it. (Read back every 8 steps, as the GPU did before, it ended at step 76.)
const cutoffInBatch = (() => {
  const p = protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 1, duration_s: 1 });
  p.protocol[1]!.until.capacity_mAh_cm2 = 0.06;
  return { ...small, coating: { preset: "bare", dG_H_eV: 3.5, water_activity: 0.01 }, ...p, samples: 4 };
})();
// Planar (1d): a symmetric cycle of 0.01 mAh/cm2 at 1 mA/cm2 through 256 um of electrolyte (tests/protocol.test.ts's).
const planar = {
  mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, electrolyte: { sigma_mS_cm: 50 }, coating: { preset: "bare" },
  ...protocolPreset("symmetric", { current_mA_cm2: 1, capacity_mAh_cm2: 0.01, cycles: 1, duration_s: 1 }),
};
// The island: strip at 5 mA/cm2 for 20 steps from a state with a disc of metal high above the deposit.
const island = { ...small, coating: { preset: "bare" }, protocol: [{ step: "strip", current_mA_cm2: 5, until: { time_s: 20 * 0.216 } }] };
const ISLAND = { cx: 16, cy: 25, r: 2.5 };
// A strip of 2 mAh/cm2 at 20 mA/cm2 from the model's own foil (3.9 um here), which holds about 1.6 of them: the foil
// check, on the rows each batch's readback brings, stops it at the sample where a column is stripped through.
const thinFoil = {
  ...small, samples: 40, duration_s: 400, coating: { preset: "bare" },
  protocol: [{ step: "strip", current_mA_cm2: 20, until: { capacity_mAh_cm2: 2 } }],
};

/** The bare scenario's initial state with the island laid on it (as tests/protocol.test.ts lays it). */
function islandState(): { cp: Checkpoint; added: number; near: number[] } {
  const sv = createCpuSolver(parseScenario(island));
  const { nx, ny } = sv;
  const { cx, cy, r } = ISLAND;
  const before = sv.xi.reduce((a, v) => a + v, 0);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const d = Math.hypot(i + 0.5 - cx, j + 0.5 - cy) - r;
      sv.xi[j * nx + i] = Math.max(sv.xi[j * nx + i]!, 1 / (1 + Math.exp(d / sv.co.ell)));
    }
  }
  const near: number[] = [];
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (Math.hypot(i + 0.5 - cx, j + 0.5 - cy) <= r + 2) near.push(j * nx + i);
  const added = sv.xi.reduce((a, v) => a + v, 0) - before;
  const k = (NF * ZN_SITE_DENSITY * sv.co.dx * sv.co.dx) / (nx * sv.co.dx);
  return { cp: sv.checkpoint(), added: (added * k) / MAH_CM2, near };
}

/**
 * A deposit whose live metal only a path with turns, down and across the periodic edge reaches: a pillar from the
 * substrate (x 2-3) up to a bar at y 23-24 that runs left across x = 0 to x = 26, down a hanging pillar (x 26-27)
 * to a bar at y 12-13 back to x = 14, and up from it (x 14-15, to y 20); and an island (a disc at (9.5, 18.5)).
 * Metal cells set to 1 on the bare scenario's initial state.
 */
function mazeState(): Checkpoint {
  const sv = createCpuSolver(parseScenario(island));
  const nx = sv.nx;
  const fill = (i0: number, i1: number, j0: number, j1: number) => {
    for (let j = j0; j <= j1; j++) for (let i = i0; i <= i1; i++) sv.xi[j * nx + ((i + nx) % nx)] = 1;
  };
  fill(2, 3, 0, 24);
  fill(-6, 3, 23, 24);
  fill(26, 27, 12, 24);
  fill(14, 27, 12, 13);
  fill(14, 15, 12, 20);
  for (let j = 16; j <= 21; j++) for (let i = 7; i <= 12; i++) if (Math.hypot(i + 0.5 - 10, j + 0.5 - 19) <= 2) sv.xi[j * nx + i] = 1;
  return sv.checkpoint();
}

/** The CPU protocol run of `s` from checkpoint `cp` (its clock and table at their start). */
const cpuFrom = (s: ReturnType<typeof parseScenario>, cp: Checkpoint) =>
  runProtocolCpu(s, { resume: { series: [], checkpoint: cp, clock: { k: 0, stepTime_s: 0, stepCharge_C_m2: 0, charge_C_m2: 0 }, log: new CycleLog().state } });

const seriesOnly = (r: ProtocolRow): SeriesRow => Object.fromEntries(SERIES_FIELDS.map((k) => [k, r[k]])) as SeriesRow;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("protocols on the GPU engine against the CPU reference", () => {
  let runs: GpuResult[] = [];
  const start = islandState();
  const maze = mazeState();
  beforeAll(() => {
    // Run 9: cutoffInBatch again, the scenario's parameters written after every readback (a slider moved on the page).
    const rewrite = { rewriteParamsOnRead: true } as EngineOptions;
    runs = gpuRuns([...PRESETS.map(symmetric), znCu, island, island, cutoffInBatch, planar, thinFoil, cutoffInBatch], [...Array(9).fill(undefined), rewrite], [], [], [], [undefined, undefined, undefined, undefined, start.cp, maze]);
  });

  it.each(PRESETS.map((p, k) => [p, k] as const))("%s, 3 symmetric cycles: plated, stripped, ce_zn, hysteresis and the final row within 1 %", (preset, k) => {
    const gpu = runs[k]!;
    const cpu = runProtocolCpu(parseScenario(symmetric(preset)));
    expect(gpu.stopped).toBeNull();
    expect(gpu.cycles).toHaveLength(3);
    expect(gpu.series.length).toBe(cpu.series.length);
    gpu.cycles!.forEach((g, c) => {
      const r = cpu.cycles[c]!;
      const line = `${preset} cycle ${c + 1}: gpu ${JSON.stringify(g)} cpu ${JSON.stringify(r)}`;
      console.log(`${preset} cycle ${c + 1}: plated ${rel(g.plated_mAh_cm2, r.plated_mAh_cm2).toExponential(2)}, stripped ${rel(g.stripped_mAh_cm2, r.stripped_mAh_cm2).toExponential(2)}, ce_zn ${rel(g.ce_zn, r.ce_zn).toExponential(2)}, hysteresis ${rel(g.hysteresis_mV, r.hysteresis_mV).toExponential(2)} (${g.hysteresis_mV.toFixed(2)} against ${r.hysteresis_mV.toFixed(2)} mV)`);
      for (const f of ["plated_mAh_cm2", "stripped_mAh_cm2", "ce_zn", "hysteresis_mV"] as const) expect(rel(g[f], r[f]), `${f}: ${line}`).toBeLessThan(0.01);
    });
    const g = gpu.series.at(-1)! as ProtocolRow, r = cpu.series.at(-1)!;
    expect([g.cycle, g.step, g.t_s]).toEqual([r.cycle, r.step, r.t_s]);
    expectSeriesNear(`${preset} final row`, [seriesOnly(g)], [seriesOnly(r)], 0.01);
  });

  it("Zn||Cu: the cycle strips to its cut-off, less than it plated, and copper keeps its own metal", () => {
    const gpu = runs[3]!;
    const cpu = runProtocolCpu(parseScenario(znCu));
    const g = gpu.cycles![0]!, r = cpu.cycles[0]!;
    console.log(`Zn||Cu: gpu stripped ${g.stripped_mAh_cm2} (ce ${g.ce}, cut-off ${g.strip_cutoff}), cpu ${r.stripped_mAh_cm2} (ce ${r.ce}, cut-off ${r.strip_cutoff})`);
    expect(g.strip_cutoff).toBe(1);
    expect(g.stripped_mAh_cm2).toBeLessThan(g.plated_mAh_cm2);
    expect(g.ce).toBeGreaterThan(0.5);
    expect(r.strip_cutoff).toBe(1);
    for (const f of ["plated_mAh_cm2", "stripped_mAh_cm2", "ce", "hysteresis_mV", "nucleation_overpotential_mV"] as const) {
      console.log(`Zn||Cu ${f}: gpu ${g[f]}, cpu ${r[f]}`);
      expect(rel(g[f], r[f]), f).toBeLessThan(0.01);
    }
    let worst = 0;
    gpu.checkpoint.xi.forEach((x, P) => (worst = Math.max(worst, Math.abs(x - cpu.solver.xi[P]!))));
    console.log(`Zn||Cu: largest |xi gpu - xi cpu| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
    const floor = createCpuSolver(parseScenario(znCu)).xiFloor!;
    const xi = gpu.checkpoint.xi;
    let below = 0;
    for (let P = 0; P < xi.length; P++) if (xi[P]! < floor[P]! - 1e-6) below++;
    expect(below, "cells below copper's own metal").toBe(0);
  });

  it("a strip that reaches its voltage limit inside a batch ends at the CPU's step: all the zinc back, as on the CPU", () => {
    const gpu = runs[6]!;
    const cpu = runProtocolCpu(parseScenario(cutoffInBatch));
    const g = gpu.cycles![0]!, r = cpu.cycles[0]!;
    const dt = cpu.solver.co.dt;
    console.log(`cut-off in a batch: gpu stripped ${g.stripped_mAh_cm2} (ce ${g.ce}) at step ${gpu.series.at(-1)!.t_s / dt}, cpu ${r.stripped_mAh_cm2} (ce ${r.ce}) at step ${cpu.series.at(-1)!.t_s / dt}`);
    expect([g.strip_cutoff, r.strip_cutoff]).toEqual([1, 1]);
    expect(rel(g.ce, r.ce)).toBeLessThan(1e-4);
    expect(g.ce).toBeGreaterThanOrEqual(0.999);
    expect(Math.abs(gpu.series.at(-1)!.t_s - cpu.series.at(-1)!.t_s)).toBeLessThan(1e-6 * dt);
    expect(gpu.series.length).toBe(cpu.series.length);
    // The steps taken back are undone in every field: the state is the CPU's at its step.
    let worst = 0;
    gpu.checkpoint.xi.forEach((x, P) => (worst = Math.max(worst, Math.abs(x - cpu.solver.xi[P]!))));
    let worstC = 0;
    gpu.checkpoint.c.forEach((x, P) => (worstC = Math.max(worstC, Math.abs(x - cpu.solver.c[P]!))));
    console.log(`cut-off in a batch: largest |xi gpu - xi cpu| ${worst.toExponential(2)}, |c gpu - c cpu| ${worstC.toExponential(2)} (c / c0)`);
    expect(worst).toBeLessThan(1e-3);
    expect(worstC).toBeLessThan(1e-3);
    // The steps run again keep the planned (strip) current where the page wrote the scenario's between: the same run.
    const moved = runs[9]!;
    console.log(`cut-off in a batch, parameters rewritten at each readback: stripped ${moved.cycles![0]!.stripped_mAh_cm2} at step ${moved.series.at(-1)!.t_s / dt}`);
    expect(moved.cycles![0]!.stripped_mAh_cm2).toBe(g.stripped_mAh_cm2);
    expect(moved.series.at(-1)!.t_s).toBe(gpu.series.at(-1)!.t_s);
  });

  it("planar (1d): a symmetric cycle's plated, stripped, ce_zn and hysteresis within 1 %", () => {
    const g = runs[7]!.cycles![0]!, r = runProtocolCpu(parseScenario(planar)).cycles[0]!;
    console.log(`planar: hysteresis gpu ${g.hysteresis_mV} mV, cpu ${r.hysteresis_mV} mV`);
    for (const f of ["plated_mAh_cm2", "stripped_mAh_cm2", "ce_zn", "hysteresis_mV"] as const) expect(rel(g[f], r[f]), f).toBeLessThan(0.01);
  });

  it("a foil stripped through stops the run at the CPU's sample, with the CPU's reason", () => {
    const gpu = runs[8]!;
    let why = "";
    let cpuRows = 0;
    try {
      runProtocolCpu(parseScenario(thinFoil));
    } catch (e) {
      why = (e as Error).message;
      cpuRows = (e as { series?: unknown[] }).series?.length ?? 0;
    }
    console.log(`thin foil: gpu "${gpu.stopped}" after ${gpu.series.length} samples; cpu "${why}" after ${cpuRows}`);
    expect(why).toMatch(/the zinc foil is stripped through/);
    expect(gpu.stopped).toBe(why);
    expect(gpu.series.length).toBe(cpuRows);
  });

  it("an island cut off from the substrate stays frozen while the deposit strips, and counts as dead zinc", () => {
    const gpu = runs[4]!;
    const xi = gpu.checkpoint.xi;
    for (const P of start.near) expect(xi[P], `cell ${P}`).toBe(start.cp.xi[P]);
    const last = gpu.series.at(-1)! as ProtocolRow;
    console.log(`island: dead zinc ${last.dead_zn_mAh_cm2} mAh/cm2 against its metal ${start.added}`);
    expect(rel(last.dead_zn_mAh_cm2, start.added)).toBeLessThan(0.02);
    // The connected deposit did strip.
    let stripped = 0;
    for (let P = 0; P < xi.length; P++) if (!start.near.includes(P)) stripped += start.cp.xi[P]! - xi[P]!;
    expect(stripped).toBeGreaterThan(0);
  });

  it("live metal reached only by turns, down and across the periodic edge, strips as on the CPU; the island alone is dead", () => {
    const gpu = runs[5]!;
    const cpu = cpuFrom(parseScenario(island), maze);
    const g = (gpu.series.at(-1)! as ProtocolRow).dead_zn_mAh_cm2, r = cpu.series.at(-1)!.dead_zn_mAh_cm2;
    let islandMetal = 0;
    for (let j = 16; j <= 21; j++) for (let i = 7; i <= 12; i++) if (Math.hypot(i + 0.5 - 10, j + 0.5 - 19) <= 2) islandMetal++;
    const k = (NF * ZN_SITE_DENSITY * cpu.solver.co.dx * cpu.solver.co.dx) / (cpu.solver.nx * cpu.solver.co.dx) / MAH_CM2;
    console.log(`maze: dead zinc gpu ${g}, cpu ${r}, the island's metal ${islandMetal * k} mAh/cm2`);
    expect(rel(r, islandMetal * k)).toBeLessThan(0.05);
    expect(rel(g, r)).toBeLessThan(0.01);
    let worst = 0;
    gpu.checkpoint.xi.forEach((x, P) => (worst = Math.max(worst, Math.abs(x - cpu.solver.xi[P]!))));
    console.log(`maze: largest |xi gpu - xi cpu| ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-3);
  });
});

describe("dead zinc in the deposit layer's image", () => {
  it("render_field.wgsl draws the cut-off island in the dead-zinc colour, as colorize does with the CPU's mask (within 1 of 255)", () => {
    const start = islandState();
    const [gpu] = gpuRuns([island], [], [{ layer: 0, lo: 0, hi: 2 }], [], [], [start.cp]);
    const cpu = cpuFrom(parseScenario(island), start.cp);
    const sv = cpu.solver;
    const want = new Uint8ClampedArray(sv.nx * sv.ny * 4);
    colorize(want, { nx: sv.nx, ny: sv.ny, xi: sv.xi, c: sv.c, phi: sv.phi, integrity: sv.integrity, dead: sv.deadZinc!.dead }, { band: [0, 0], layer: 0, lo: 0, hi: 2, c0_M: 2 });
    const got = gpu!.image!;
    expect(got).toHaveLength(want.length);
    let worst = 0;
    want.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[k]!))));
    expect(worst).toBeLessThanOrEqual(1);
    // The island's metal is tan on both; the deposit's stays silver.
    const tan = DEAD_ZINC_RGB.map(unorm8), silver = metalRgb(0).map(unorm8);
    const count = (c: number[]) => { let n = 0; for (let p = 0; p < got.length; p += 4) if (c.every((v, q) => Math.abs(got[p + q]! - v) <= 1)) n++; return n; };
    console.log(`dead zinc image: ${count(tan)} tan pixels, ${count(silver)} silver`);
    expect(count(tan)).toBeGreaterThan(5);
    expect(count(silver)).toBeGreaterThan(32);
  }, 300_000);
});
