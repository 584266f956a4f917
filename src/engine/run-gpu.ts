/** Runs a scenario on the WGSL engine, sampling the metrics exactly where the CPU runner does. */
import { coefficients } from "../model/coefficients.ts";
import { initialState } from "../model/initial.ts";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import { CpuSolver, type Checkpoint } from "../reference/solver.ts";
import { checkResume, type RunOptions } from "../reference/run.ts";
import { GpuEngine, type EngineOptions, type ShaderSources } from "./engine.ts";

/** The engine, started from the same initial state as the CPU reference (its constructor's checkpoint). */
export function createEngine(device: GPUDevice, s: Scenario, src: ShaderSources, opts?: EngineOptions): GpuEngine {
  const co = coefficients(s);
  const start = new CpuSolver(co, initialState(co, s.seed)).checkpoint();
  return new GpuEngine(device, co, start, src, opts);
}

export async function runGpu(
  device: GPUDevice,
  s: Scenario,
  src: ShaderSources,
  opts: RunOptions<Promise<Checkpoint>> & EngineOptions = {},
): Promise<{ series: SeriesRow[]; engine: GpuEngine }> {
  const engine = createEngine(device, s, src, opts);
  const { samples, stepsPerSample } = engine.co;
  const series: SeriesRow[] = [];
  if (opts.resume) {
    try {
      checkResume(opts.resume, samples, stepsPerSample);
      engine.restore(opts.resume.checkpoint);
    } catch (e) {
      engine.destroy();
      throw e;
    }
    series.push(...opts.resume.series);
  }
  for (let k = series.length; k < samples; k++) {
    engine.advance(stepsPerSample);
    const { raw: _raw, ...row } = await engine.metrics();
    series.push(row);
    opts.onSample?.(k + 1, samples, row);
    await opts.save?.(series, () => engine.checkpoint());
  }
  return { series, engine };
}
