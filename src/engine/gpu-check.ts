/**
 * A page for the GPU tests (e2e/gpu.spec.ts): runs scenarios on the WGSL engine in the browser's WebGPU and on
 * the CPU reference, and hands the series (and checkpoint round trips) to the test.
 */
import { coefficients } from "../model/coefficients.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { parseScenario, type Scenario } from "../model/scenario.ts";
import { createCpuSolver, runCpu } from "../reference/run.ts";
import type { GpuEngine } from "./engine.ts";
import { createEngine } from "./run-gpu.ts";
import { SHADERS } from "./shaders-browser.ts";
import { browserGpu } from "./browser-device.ts";

const gpu = browserGpu;

async function gpuSeries(engine: GpuEngine, samples: number, stepsPerSample: number): Promise<SeriesRow[]> {
  const out: SeriesRow[] = [];
  for (let k = 0; k < samples; k++) {
    engine.advance(stepsPerSample);
    const { raw: _raw, ...row } = await engine.metrics();
    out.push(row);
  }
  return out;
}

/** The scenario on both backends. */
async function compare(raw: unknown) {
  const s = parseScenario(raw);
  const { device, adapter, errors } = await gpu();
  const engine = createEngine(device, s, SHADERS);
  const series = await gpuSeries(engine, engine.co.samples, engine.co.stepsPerSample);
  engine.destroy();
  return { adapter, gpu: series, cpu: runCpu(s).series, errors };
}

/** The same scenario twice on the GPU. */
async function repeat(raw: unknown) {
  const s = parseScenario(raw);
  const { device } = await gpu();
  const runs: SeriesRow[][] = [];
  for (let k = 0; k < 2; k++) {
    const engine = createEngine(device, s, SHADERS);
    runs.push(await gpuSeries(engine, engine.co.samples, engine.co.stepsPerSample));
    engine.destroy();
  }
  return runs;
}

/**
 * Half the run on one backend, a checkpoint, the other half on the other backend; against the whole run on
 * the first backend. Returns the final rows.
 */
async function handOver(raw: unknown, from: "gpu" | "cpu") {
  const s: Scenario = parseScenario(raw);
  const co = coefficients(s);
  const half = Math.floor(co.steps / 2), rest = co.steps - half;
  const { device } = await gpu();
  const cpu = createCpuSolver(s);
  const engine = createEngine(device, s, SHADERS);
  let straight: SeriesRow, resumed: SeriesRow;
  if (from === "gpu") {
    engine.advance(half);
    const cp = await engine.checkpoint();
    cpu.restore(cp);
    for (let k = 0; k < rest; k++) cpu.advance();
    resumed = cpu.metrics();
    engine.advance(rest);
    straight = await engine.metrics();
  } else {
    for (let k = 0; k < half; k++) cpu.advance();
    engine.restore(cpu.checkpoint());
    engine.advance(rest);
    resumed = await engine.metrics();
    for (let k = 0; k < rest; k++) cpu.advance();
    straight = cpu.metrics();
  }
  engine.destroy();
  const { raw: _r, ...clean } = resumed as SeriesRow & { raw?: unknown };
  const { raw: _s, ...clean2 } = straight as SeriesRow & { raw?: unknown };
  return { straight: clean2, resumed: clean };
}

const api = { compare, repeat, handOver };
declare global { interface Window { zil: typeof api } }
window.zil = api;
document.getElementById("status")!.textContent = "ready";
