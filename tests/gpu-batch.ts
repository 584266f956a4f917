/**
 * Runs every job of a jobs file (argv[2]: [{ scenario, out, checkpoint, engine? }]) on the gpu backend on ONE device, as
 * `src/cli/sim.ts --backend gpu --checkpoint` does per scenario (runGpu, then the series and a checkpoint), and
 * writes each job's { series, steps, adapter, iterations (the last step's CG iterations) } and checkpoint. SwiftShader compiles the pipelines once per device
 * (~15 s); every further engine reuses them. Re-executes itself on SwiftShader where there is no GPU driver, as
 * the runner does. Used by tests/gpu-checks.test.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { nodeGpu, rerunWith, softwareGpuEnv } from "../src/engine/node-gpu.ts";
import type { EngineOptions } from "../src/engine/engine.ts";
import { runGpu } from "../src/engine/run-gpu.ts";
import { loadShaders } from "../src/engine/shaders-node.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { checkpointToJson } from "../src/reference/checkpointJson.ts";

/**
 * `engine`: options for this job's engine (e.g. bottomCells, to run a hardware GPU's per-level V-cycle); `image`:
 * also the field image of the final state that the page would draw (render_field.wgsl), layer and scale as given.
 */
interface Job { scenario: unknown; out: string; checkpoint: string; engine?: EngineOptions; image?: { layer: number; lo: number; hi: number } }

let gpu: Awaited<ReturnType<typeof nodeGpu>>;
try {
  gpu = await nodeGpu();
} catch (e) {
  const env = softwareGpuEnv();
  if (!env) {
    process.stderr.write(`no GPU and no SwiftShader: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
  process.exit(rerunWith(env));
}
const shaders = loadShaders();
for (const job of JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Job[]) {
  const t0 = performance.now();
  const { series, engine } = await runGpu(gpu.device, parseScenario(job.scenario), shaders, job.engine);
  writeFileSync(job.checkpoint, checkpointToJson(await engine.checkpoint()));
  const image = job.image && [...(await engine.image([0, 0], job.image.layer, job.image.lo, job.image.hi))];
  writeFileSync(job.out, JSON.stringify({ series, steps: engine.step, adapter: gpu.adapter, iterations: engine.lastIterations, image }));
  engine.destroy();
  process.stderr.write(`gpu-checks: ${job.out} ${((performance.now() - t0) / 1000).toFixed(1)} s on ${gpu.adapter}\n`);
}
process.exit(0);
