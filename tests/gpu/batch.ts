/**
 * Runs every job of a jobs file (argv[2]: [{ scenario, out, checkpoint, engine? }]) on the gpu backend on ONE device, as
 * `src/cli/sim.ts --backend gpu --checkpoint` does per scenario (runGpu, then the series and a checkpoint), and
 * writes each job's { series, steps, adapter, iterations (the last step's CG iterations) } and checkpoint. SwiftShader compiles the pipelines once per device
 * (~15 s); every further engine reuses them. Re-executes itself on SwiftShader where there is no GPU driver, as
 * the runner does. Used through tests/gpu/runs.ts.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { nodeGpuOrRerun } from "../../src/engine/node-gpu.ts";
import type { EngineOptions } from "../../src/engine/engine.ts";
import { createEngine, runGpu } from "../../src/engine/run-gpu.ts";
import type { SeriesRow } from "../../src/model/metrics.ts";
import { loadShaders } from "../../src/engine/shaders-node.ts";
import { parseScenario } from "../../src/model/scenario.ts";
import { checkpointFromJson, checkpointToJson } from "../../src/reference/checkpointJson.ts";
import { engineFor, runProtocolGpu } from "../../src/engine/protocol-gpu.ts";
import { ProtocolStoppedError } from "../../src/reference/protocolRun.ts";

/**
 * `engine`: options for this job's engine (e.g. bottomCells, to run a hardware GPU's per-level V-cycle); `image`:
 * also the field image of the final state that the page would draw (render_field.wgsl), layer and scale as given,
 * the mean height and band thickness ([mean, mean + thickness] in cells) and the column tops it draped the band over;
 * `probes`: cells [i, j] whose hover read-out (engine.probe) to report for the final state.
 */
type ImageView = { layer: number; lo: number; hi: number };
interface Job {
  /** `image`: one view, or several of the same final state (their images in `images`, the first also in `image`). */
  scenario: unknown; out: string; checkpoint: string; engine?: EngineOptions; image?: ImageView | ImageView[]; pageFrames?: number;
  probes?: [number, number][];
  /** A scenario with a protocol: a checkpoint file (JSON) to restore into the engine first, if any. */
  from?: string;
}

/** A protocol job: runProtocolGpu (from the checkpoint `from`, if given); a stop keeps its series and cycles. */
async function protocolRun(s: ReturnType<typeof parseScenario>, job: Job) {
  const engine = engineFor(gpu.device, s, shaders, job.engine);
  if (job.from) engine.restore(checkpointFromJson(readFileSync(job.from, "utf8")));
  if ((job.engine as { rewriteParamsOnRead?: boolean } | undefined)?.rewriteParamsOnRead) {
    // As the page's update does when a slider moves while a batch is read back: the scenario's parameters written
    // again (its own current, no imposed potential).
    const read = engine.readLogged.bind(engine);
    engine.readLogged = async (count, rows) => {
      const r = await read(count, rows);
      engine.setCoefficients(engine.co);
      return r;
    };
  }
  try {
    const r = await runProtocolGpu(gpu.device, s, shaders, { ...job.engine, engine });
    return { ...r, stopped: null };
  } catch (e) {
    if (!(e instanceof ProtocolStoppedError)) throw e;
    return { series: e.series, cycles: e.cycles, polarization: [], engine, stopped: e.message };
  }
}

/**
 * A job's run as the page's GPU backend makes it (sim/gpuBackend.ts): frames of `per` steps (advanceSampled), the
 * samples read back every other frame and at the end (readSamples); the series is the rows those reads return.
 */
async function pageRun(s: ReturnType<typeof parseScenario>, per: number, opts?: EngineOptions) {
  const engine = createEngine(gpu.device, s, shaders, opts);
  const series: SeriesRow[] = [];
  for (let k = 0; engine.step < engine.co.steps; k++) {
    engine.advanceSampled(Math.min(per, engine.co.steps - engine.step, engine.sampleRoom()));
    if (k % 2 === 1 || engine.step >= engine.co.steps) series.push(...(await engine.readSamples()));
  }
  return { series, engine };
}

let gpu: Awaited<ReturnType<typeof nodeGpuOrRerun>>;
try {
  gpu = await nodeGpuOrRerun();
} catch (e) {
  process.stderr.write(`no GPU and no SwiftShader: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
const shaders = loadShaders();
for (const job of JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Job[]) {
  const t0 = performance.now();
  const s = parseScenario(job.scenario);
  const protocol = s.protocol ? await protocolRun(s, job) : null;
  const { series, engine } = protocol ?? (job.pageFrames ? await pageRun(s, job.pageFrames, job.engine) : await runGpu(gpu.device, s, shaders, job.engine));
  writeFileSync(job.checkpoint, checkpointToJson(await engine.checkpoint()));
  // As the page draws it (sim/gpuBackend.ts): a coating's band its thickness thick, draped over the column pass's
  // tops (cols slot 5), which `tops` reports; `band` reports the mean height (S.MEAN) and the thickness above it.
  const thick: [number, number] = engine.co.hasCoating ? [0, engine.co.bandCells] : [0, 0];
  const views = job.image === undefined ? [] : Array.isArray(job.image) ? job.image : [job.image];
  const images: number[][] = [];
  for (const v of views) images.push([...(await engine.image(thick, v.layer, v.lo, v.hi))]);
  const image = images[0];
  const band = job.image && (await engine.band());
  const tops = job.image && [...(await engine.tops())];
  const probes = job.probes && (await Promise.all(job.probes.map(([i, j]) => engine.probe(i, j))));
  const cycles = protocol?.cycles, stopped = protocol?.stopped, polarization = protocol?.polarization;
  writeFileSync(job.out, JSON.stringify({ series, steps: engine.step, adapter: gpu.adapter, iterations: engine.lastIterations, image, images, band, tops, probes, cycles, stopped, polarization }));
  engine.destroy();
  process.stderr.write(`gpu batch: ${job.out} ${((performance.now() - t0) / 1000).toFixed(1)} s on ${gpu.adapter}\n`);
}
process.exit(0);
