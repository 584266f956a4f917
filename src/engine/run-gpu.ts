/** Runs a scenario on the WGSL engine, sampling the metrics exactly where the CPU runner does. */
import { coefficients } from "../model/coefficients.ts";
import { initialState } from "../model/initial.ts";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import { CpuSolver } from "../reference/solver.ts";
import type { RunOptions } from "../reference/run.ts";
import { GpuEngine, type EngineOptions, type ShaderSources } from "./engine.ts";

/** The engine, started from the same initial state as the CPU reference (its constructor's checkpoint). */
export function createEngine(device: GPUDevice, s: Scenario, src: ShaderSources, opts?: EngineOptions): GpuEngine {
  const co = coefficients(s);
  const start = new CpuSolver(co, initialState(co, s.seed)).checkpoint();
  return new GpuEngine(device, co, start, src, opts);
}

export async function runGpu(device: GPUDevice, s: Scenario, src: ShaderSources, opts: RunOptions & EngineOptions = {}): Promise<{ series: SeriesRow[]; engine: GpuEngine }> {
  const engine = createEngine(device, s, src, opts);
  const { samples, stepsPerSample } = engine.co;
  const series: SeriesRow[] = [];
  for (let k = 0; k < samples; k++) {
    engine.advance(stepsPerSample);
    const { raw: _raw, ...row } = await engine.metrics();
    series.push(row);
    opts.onSample?.(k + 1, samples, row);
  }
  return { series, engine };
}
