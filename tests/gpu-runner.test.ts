/**
 * The runner's gpu backend in Node (the `webgpu` package, Dawn): on the GPU driver where there is one, else on
 * Chromium's SwiftShader, which the runner sets up itself. The WGSL engine must give the CPU reference's series
 * and the part-1 trends. Small grids: SwiftShader is slow (a correctness tool, not a speed measure).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SeriesRow } from "../src/model/metrics.ts";

const dir = mkdtempSync(join(tmpdir(), "zil-gpu-"));
let n = 0;

function sim(scenario: object, backend: "cpu" | "gpu"): { series: SeriesRow[]; adapter?: string; steps: number } {
  const file = join(dir, `s${++n}.json`), out = join(dir, `r${n}.json`);
  writeFileSync(file, JSON.stringify(scenario));
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--scenario", file, "--backend", backend, "--out", out], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`sim --backend ${backend} failed (${r.status}): ${r.stderr.slice(-800)}`);
  return JSON.parse(readFileSync(out, "utf8"));
}

const small = (coating: object, extra: object = {}) => ({ coating, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 10, ...extra });

describe("runner --backend gpu (WGSL engine in Node)", () => {
  it("gives the CPU reference's series for ZnS@Zn within 1 % on every metric", () => {
    const s = small({ preset: "zns" });
    const gpu = sim(s, "gpu"), cpu = sim(s, "cpu");
    expect(gpu.adapter).toBeTruthy();
    expect(gpu.steps).toBe(cpu.steps);
    expect(gpu.series).toHaveLength(cpu.series.length);
    gpu.series.forEach((row, k) => {
      for (const key of Object.keys(row) as (keyof SeriesRow)[]) {
        const a = row[key], b = cpu.series[k]![key];
        expect(Number.isFinite(a), `${key} finite`).toBe(true);
        expect(Math.abs(a - b), `${key} at sample ${k}: gpu ${a}, cpu ${b}`).toBeLessThanOrEqual(0.01 * Math.abs(b) + 1e-9);
      }
    });
  });

  it("shows the HER trend: dG_H* from 1 to 2 eV cuts H2 several-fold, water activity 0.2 cuts it too", () => {
    const h2 = (c: object) => sim(small(c), "gpu").series.at(-1)!.h2_mmol_cm2;
    const base = h2({ preset: "bare", dG_H_eV: 1 });
    const strong = h2({ preset: "bare", dG_H_eV: 2 });
    const dry = h2({ preset: "bare", dG_H_eV: 1, water_activity: 0.2 });
    expect(base / strong).toBeGreaterThan(5);
    expect(base / dry).toBeGreaterThan(3);
  });
});
