/**
 * Open circuit on the WGSL engine against the CPU reference (docs/MODEL.md, "Open circuit and corrosion"):
 * - a plate-rest cycle of bare Zn, TiO2 and COF@Zn (the rest at the plating's short steps) agrees within 1 % on the
 *   rest's mixed potential, corrosion current, zinc lost and H2, and on the final row;
 * - a protocol of rest alone takes long steps whose Allen-Cahn update runs in substeps (ac_substeps.wgsl): bare Zn
 *   and COF@Zn agree with the CPU's within 1 % likewise;
 * - the Tafel protocol's potential sweep (potential control: E_m a uniform, a step a batch) gives the CPU's
 *   polarization curve point for point, and its fit the same E_corr and i_corr.
 * One child process on one device (tests/gpu/runs.ts).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { REST_FIELDS } from "../../src/model/cycleLog.ts";
import { coefficients } from "../../src/model/coefficients.ts";
import { SERIES_FIELDS, type ProtocolRow, type SeriesRow } from "../../src/model/metrics.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { runProtocolCpu } from "../../src/reference/protocolRun.ts";
import { protocolPreset } from "../../src/model/protocol.ts";
import { fitTafel } from "../../src/model/tafel.ts";
import { expectSeriesNear, gpuRuns, type GpuResult } from "./runs.ts";

const grid = { nx: 32, ny: 32, dx_um: 0.5 };
// Plate 0.02 mAh/cm2 at 10 mA/cm2 (7.2 s), then 120 s at open circuit: the nuclei level and the plated metal corrodes.
const plateRest = (preset: string) => ({
  grid, samples: 30, duration_s: 127.2, coating: { preset },
  protocol: [
    { step: "plate", current_mA_cm2: 10, until: { capacity_mAh_cm2: 0.02 } },
    { step: "rest", until: { time_s: 120 } },
  ],
  cycles: 1,
});
// An hour at open circuit in samples of 120 s: steps of 20 s, 13 Allen-Cahn substeps each.
const restOnly = (preset: string) => ({
  grid, samples: 30, duration_s: 3600, coating: { preset }, protocol: [{ step: "rest", until: { time_s: 3600 } }], cycles: 1,
});
// The tafel protocol: a planar electrode 60 s at rest, then -150 to +150 mV vs Zn at 1 mV/s.
const tafel = { grid: { nx: 1, ny: 128, dx_um: 0.5 }, coating: { preset: "bare" }, ...protocolPreset("tafel", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 1, duration_s: 1 }) };
const PLATE_REST = ["bare", "tio2", "cof"];
const REST_ONLY = ["bare", "cof"];

const seriesOnly = (r: ProtocolRow): SeriesRow => Object.fromEntries(SERIES_FIELDS.map((k) => [k, r[k]])) as SeriesRow;
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-30);

describe("open circuit on the GPU engine against the CPU reference", () => {
  let runs: GpuResult[] = [];
  beforeAll(() => {
    runs = gpuRuns([...PLATE_REST.map(plateRest), ...REST_ONLY.map(restOnly), tafel]);
  });

  const compare = (label: string, raw: Record<string, unknown>, gpu: GpuResult) => {
    const cpu = runProtocolCpu(parseScenario(raw));
    expect(gpu.stopped, label).toBeNull();
    expect(gpu.cycles, label).toHaveLength(1);
    const g = gpu.cycles![0]!, r = cpu.cycles[0]!;
    console.log(`${label}: E_mix ${g.e_mix_mV.toFixed(4)} against ${r.e_mix_mV.toFixed(4)} mV, i_corr ${g.corrosion_uA_cm2.toFixed(4)} against ${r.corrosion_uA_cm2.toFixed(4)} uA/cm2 (${rel(g.corrosion_uA_cm2, r.corrosion_uA_cm2).toExponential(2)}), zinc lost ${rel(g.zn_lost_mAh_cm2, r.zn_lost_mAh_cm2).toExponential(2)}`);
    expect(r.rest_s).toBeGreaterThan(0);
    for (const f of REST_FIELDS) {
      // E_mix sits within a mV of zero: compared to 1 % of a mV.
      const tol = f === "e_mix_mV" ? 0.01 * Math.max(Math.abs(r[f]), 1) : 0.01 * Math.abs(r[f]);
      expect(Math.abs(g[f] - r[f]), `${label} ${f}: gpu ${g[f]} cpu ${r[f]}`).toBeLessThanOrEqual(tol + 1e-12);
    }
    const gl = gpu.series.at(-1)! as ProtocolRow, rl = cpu.series.at(-1)!;
    expect([gl.cycle, gl.step, gl.t_s]).toEqual([rl.cycle, rl.step, rl.t_s]);
    expectSeriesNear(`${label} final row`, [seriesOnly(gl)], [seriesOnly(rl)], 0.01);
  };

  it.each(PLATE_REST.map((p, k) => [p, k] as const))("%s, plate then rest: the rest's E_mix, i_corr, zinc lost, H2 and the final row within 1 %", (preset, k) => {
    compare(`${preset} plate-rest`, plateRest(preset), runs[k]!);
  });

  it.each(REST_ONLY.map((p, k) => [p, k + PLATE_REST.length] as const))("%s, an hour at rest in 20 s steps of Allen-Cahn substeps: within 1 %", (preset, k) => {
    const co = coefficients(parseScenario(restOnly(preset)));
    expect([co.dt, co.acSubsteps]).toEqual([20, 13]);
    compare(`${preset} rest only`, restOnly(preset), runs[k]!);
  });

  it("the Tafel sweep: the CPU's polarization curve point for point (1 %), and the fit's E_corr and i_corr", () => {
    const gpu = runs.at(-1)!;
    const cpu = runProtocolCpu(parseScenario(tafel));
    const g = gpu.polarization!, c = cpu.polarization;
    expect(g.length).toBe(c.length);
    expect(g.length).toBeGreaterThan(250);
    g.forEach((p, k) => {
      const r = c[k]!;
      expect(p.E_V).toBeCloseTo(r.E_V, 6);
      // The total current crosses zero near E_corr: there a floor of 1 % of i_corr (0.5 uA/cm2).
      expect(Math.abs(p.i_A_m2 - r.i_A_m2), `point ${k} at ${r.E_V} V`).toBeLessThanOrEqual(0.01 * Math.max(Math.abs(r.i_A_m2), 0.005));
    });
    const fg = fitTafel(g), fc = fitTafel(c);
    console.log(`Tafel fit: E_corr ${(fg.E_corr_V * 1e3).toFixed(4)} against ${(fc.E_corr_V * 1e3).toFixed(4)} mV, i_corr ${(fg.i_corr_A_m2 * 100).toFixed(4)} against ${(fc.i_corr_A_m2 * 100).toFixed(4)} uA/cm2`);
    expect(Math.abs(fg.E_corr_V - fc.E_corr_V)).toBeLessThan(1e-4);
    expect(rel(fg.i_corr_A_m2, fc.i_corr_A_m2)).toBeLessThan(0.01);
  });
});
