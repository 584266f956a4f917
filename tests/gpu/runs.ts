/**
 * The GPU suites' one way to run scenarios on the gpu backend: all of a call's scenarios in ONE child process on
 * ONE device (tests/gpu/batch.ts, which does what `src/cli/sim.ts --backend gpu --checkpoint` does per scenario:
 * runGpu, then the series and a checkpoint). SwiftShader compiles the pipelines once per device (~15 s), then
 * every further engine reuses them. The child re-executes itself on SwiftShader where there is no GPU driver,
 * exactly as the runner does. And the one comparison of two series the suites use.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect } from "vitest";
import type { EngineOptions } from "../../src/engine/engine.ts";
import type { SeriesRow } from "../../src/model/metrics.ts";
import { checkpointFromJson, checkpointToJson } from "../../src/reference/checkpointJson.ts";
import type { PolarizationPoint } from "../../src/model/tafel.ts";
import type { CycleRow } from "../../src/model/cycleLog.ts";

const writeTo = (file: string, text: string) => (writeFileSync(file, text), file);
import type { Checkpoint } from "../../src/reference/solver.ts";

const dir = mkdtempSync(join(tmpdir(), "zil-gpu-"));
const batchFile = resolve("tests/gpu/batch.ts");

export interface GpuResult {
  series: SeriesRow[]; steps: number; adapter: string; iterations: { phi: number; phiB: number; c: number }; checkpoint: Checkpoint; image?: number[];
  /** Every image asked of the final state (several views: one each), in the order asked. */
  images?: number[][];
  /**
   * With an image: the mean deposit height of the last step's column pass (S.MEAN) and the coating band's thickness
   * above it, [mean, mean + thickness] in cells ([0, 0] without a coating).
   */
  band?: [number, number];
  /** With an image: each column's deposit top (cols slot 5, the last step's column pass) the band was draped over. */
  tops?: number[];
  probes?: { xi: number; c: number; phi: number; her: number; integrity: number; dw?: number; m?: number }[];
  /** A protocol run's per-cycle table, and why it stopped (null: it ran to its end). */
  cycles?: CycleRow[]; stopped?: string | null;
  /** A sweep step's polarization curve (protocol-gpu.ts). */
  polarization?: PolarizationPoint[];
}
let batches = 0;
/** A field image to read back: the layer (render_field.wgsl's index) and its scale. */
export type ImageView = { layer: number; lo: number; hi: number };

/**
 * Runs the raw scenarios (as `--scenario` files would hold them; coating bare unless given) on the gpu backend,
 * all in one child process; engines[k], where given, are the options of run k's engine, images[k] the field image
 * of its final state to read back, pageFrames[k] the steps of each frame where the run goes as the page's does,
 * probes[k] the cells whose hover read-out to report.
 */
export function gpuRuns(
  raws: Record<string, unknown>[], engines: (EngineOptions | undefined)[] = [], images: (ImageView | ImageView[] | undefined)[] = [],
  pageFrames: (number | undefined)[] = [], probes: ([number, number][] | undefined)[] = [], from: (Checkpoint | undefined)[] = [],
): GpuResult[] {
  const b = ++batches;
  const jobs = raws.map((raw, k) => ({
    scenario: { coating: { preset: "bare" }, ...raw },
    engine: engines[k],
    image: images[k],
    pageFrames: pageFrames[k],
    probes: probes[k],
    from: from[k] && writeTo(join(dir, `b${b}-f${k}.json`), checkpointToJson(from[k]!)),
    out: join(dir, `b${b}-r${k}.json`),
    checkpoint: join(dir, `b${b}-c${k}.json`),
  }));
  const jobFile = join(dir, `b${b}-jobs.json`);
  writeFileSync(jobFile, JSON.stringify(jobs));
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", "tsx", batchFile, jobFile], { encoding: "utf8", cwd: resolve(".") });
  if (r.status !== 0) throw new Error(`gpu batch failed (${r.status}): ${r.stderr.slice(-1500)}`);
  console.log(`gpu batch ${b}: ${jobs.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${r.stderr.trim()}`);
  return jobs.map((j) => ({ ...JSON.parse(readFileSync(j.out, "utf8")), checkpoint: checkpointFromJson(readFileSync(j.checkpoint, "utf8")) }));
}

/** Below these magnitudes a metric is compared absolutely (1 % of a near-zero number is rounding noise). */
const FLOOR: Partial<Record<keyof SeriesRow | "byproduct_um", number>> = {
  voltage_V: 1e-3, uniformity: 0.01, roughness_um: 0.01, max_height_um: 0.01, her_mA_cm2: 1e-5, h2_mmol_cm2: 1e-9,
  ce: 0.01, min_surface_c_M: 0.01, cracked_fraction: 0.01, byproduct_um: 1e-4,
};

/** Every metric of every sample of `series` finite and within `tol` of `ref`'s (relative, or absolute below FLOOR). */
export function expectSeriesNear(label: string, series: SeriesRow[], ref: SeriesRow[], tol: number): void {
  expect(series, label).toHaveLength(ref.length);
  series.forEach((row, k) => {
    // Every key of the row: a pH run's surface_pH and byproduct_um as well.
    for (const key of Object.keys(row) as (keyof SeriesRow & keyof typeof FLOOR)[]) {
      const a = row[key], b = ref[k]![key];
      expect(Number.isFinite(a), `${label}: ${key} at sample ${k} finite`).toBe(true);
      const floor = FLOOR[key] ?? 0;
      expect(Math.abs(a - b), `${label}: ${key} at sample ${k}: ${a} against ${b}`).toBeLessThanOrEqual(tol * Math.max(Math.abs(b), floor) + 1e-12);
    }
  });
}
