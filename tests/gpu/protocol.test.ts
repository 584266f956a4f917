/**
 * Protocols on the WGSL engine (src/engine/protocol-gpu.ts) against the CPU reference's (src/reference/protocolRun.ts):
 * 3 symmetric cycles of bare Zn, ZnS and COF agree within 1 % on the per-cycle table and the final row; an island
 * cut off from the substrate stays frozen while the rest strips and counts as dead zinc; a Zn||Cu cycle strips
 * to its cut-off and leaves copper's own metal. One child process on one device (tests/gpu/runs.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SERIES_FIELDS, type ProtocolRow, type SeriesRow } from "../../src/model/metrics.ts";
import { MAH_CM2, protocolPreset } from "../../src/model/protocol.ts";
import { ZN_SITE_DENSITY } from "../../src/model/constants.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { runProtocolCpu } from "../../src/reference/protocolRun.ts";
import { createCpuSolver } from "../../src/reference/run.ts";
import { NF } from "../../src/reference/numerics.ts";
import type { Checkpoint } from "../../src/reference/solver.ts";
import { expectSeriesNear, gpuRuns, type GpuResult } from "./runs.ts";

const PRESETS = ["bare", "zns", "cof"];
const small = { grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 24 };
// 10 mA/cm2, 0.02 mAh/cm2: 34 time steps of 0.216 s a half-cycle.
const symmetric = (preset: string) => ({
  ...small, coating: { preset }, ...protocolPreset("symmetric", { current_mA_cm2: 10, capacity_mAh_cm2: 0.02, cycles: 3, duration_s: 1 }),
});
// Zn||Cu: plate 0.03 mAh/cm2 at 2 mA/cm2 on copper, strip to the +0.5 V cut-off (tests/protocol.test.ts's cycle; a
// sample a step, so E_m is read back every step).
const znCu = { grid: small.grid, coating: { preset: "bare" }, ...protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 1, duration_s: 1 }) };
// The island: strip at 5 mA/cm2 for 20 steps from a state with a disc of metal high above the deposit.
const island = { ...small, coating: { preset: "bare" }, protocol: [{ step: "strip", current_mA_cm2: 5, until: { time_s: 20 * 0.216 } }] };
const ISLAND = { cx: 16, cy: 25, r: 2.5 };

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

const seriesOnly = (r: ProtocolRow): SeriesRow => Object.fromEntries(SERIES_FIELDS.map((k) => [k, r[k]])) as SeriesRow;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe("protocols on the GPU engine against the CPU reference", () => {
  let runs: GpuResult[] = [];
  const start = islandState();
  beforeAll(() => {
    runs = gpuRuns([...PRESETS.map(symmetric), znCu, island], [], [], [], [], [undefined, undefined, undefined, undefined, start.cp]);
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
    expect(rel(g.ce, r.ce)).toBeLessThan(0.01);
    const floor = createCpuSolver(parseScenario(znCu)).xiFloor!;
    const xi = gpu.checkpoint.xi;
    let below = 0;
    for (let P = 0; P < xi.length; P++) if (xi[P]! < floor[P]! - 1e-6) below++;
    expect(below, "cells below copper's own metal").toBe(0);
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
});
