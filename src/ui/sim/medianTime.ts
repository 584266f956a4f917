/** Timing in the page, for the benchmark (benchDraw.ts) and the warm-up (gpuBackend.ts gpuWarmup). */
import type { GpuEngine } from "../../engine/engine.ts";

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

/** One step of `engine`, submitted and waited for (onSubmittedWorkDone): what a step costs on its device. */
export async function stepDone(engine: GpuEngine): Promise<void> {
  if (engine.sampleRoom() < 1) await engine.readSamples();
  engine.advanceSampled(1);
  await engine.device.queue.onSubmittedWorkDone();
}
