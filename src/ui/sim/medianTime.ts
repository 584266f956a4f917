/** Timing in the page, for the benchmark (benchDraw.ts) and the warm-up (gpuBackend.ts gpuWarmup). */
import type { GpuEngine } from "../../engine/engine.ts";
import type { WarmTiming } from "./warmup.ts";

/** The median time (ms) of `times` calls of `f`, each awaited. */
export async function medianMs(times: number, f: () => unknown): Promise<number> {
  const out: number[] = [];
  for (let k = 0; k < times; k++) {
    const t0 = performance.now();
    await f();
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b)[Math.floor(out.length / 2)]!;
}

/** What stepDone asks of an engine. */
type StepEngine = Pick<GpuEngine, "sampleRoom" | "readSamples" | "advanceSampled" | "device">;

/** One step of `engine`, submitted and waited for (onSubmittedWorkDone): what a step costs on its device. */
export async function stepDone(engine: StepEngine): Promise<void> {
  if (engine.sampleRoom() < 1) await engine.readSamples();
  engine.advanceSampled(1);
  await engine.device.queue.onSubmittedWorkDone();
}

/** What the warm-up asks of an engine (GpuEngine's, so a test can stand in for it). */
export type WarmEngine = StepEngine & Pick<GpuEngine, "metrics" | "image">;

/** Steps, each followed by a metrics readback, before a warm-up times its engine. */
export const TUNE_STEPS = 2;

/**
 * A warm-up candidate's timing (warmup.ts): the median of 5 steps and of 3 drawings (the render pass and its readback,
 * as a frame draws). An engine encodes its solves' CG iterations at their maximum until a readback tells it what the
 * solves need (IterationBudget), so it first takes TUNE_STEPS steps, each with a metrics readback. Timed untuned, the
 * steps cost what a run's never do: a 64^2 step of the hardware plan on SwiftShader (e2e/warmup.spec.ts) took 22.9 s
 * against 3.4 s tuned (26 ms with SwiftShader's own plan), so the warm-up would choose too coarse a grid.
 */
export async function warmTiming(engine: WarmEngine, band: [number, number]): Promise<WarmTiming> {
  for (let k = 0; k < TUNE_STEPS; k++) {
    await stepDone(engine);
    await engine.metrics();
  }
  const stepMs = await medianMs(5, () => stepDone(engine));
  const drawMs = await medianMs(3, () => engine.image(band, 0, 0, 1, true));
  return { stepMs, drawMs };
}
