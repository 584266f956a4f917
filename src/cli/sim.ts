/**
 * Headless runner: `npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv FILE]`,
 * `npm run sim -- --sweep SWEEP.json --out RESULTS.csv [--backend cpu|gpu]` and `npm run sim -- --list-presets`. Exit status: 0 done, 2 bad input (scenario or flags), 1 other failures.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { seriesToCsv } from "../model/csv.ts";
import { PRESETS } from "../model/presets.ts";
import { isCited } from "../model/presetTypes.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { parseScenarioJson, presetScenario, ScenarioError, type Scenario } from "../model/scenario.ts";
import { parseSweepJson, pointLabel, sweepPoints, sweepRowsToCsv, type Sweep } from "../model/sweep.ts";
import { checkpointToJson } from "../reference/checkpointJson.ts";
import { runCpu, type RunOptions } from "../reference/run.ts";
import { PRESET_IDS, type PresetId } from "../model/presetTypes.ts";

class UsageError extends Error {}

const USAGE = `usage: npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv RESULT.csv] [--checkpoint STATE.json]
       npm run sim -- --sweep SWEEP.json --out RESULTS.csv [--backend cpu|gpu]
       npm run sim -- --list-presets`;

function listPresets(): void {
  for (const p of PRESETS) {
    const cited = Object.values(p.values).filter(isCited).length;
    process.stdout.write(`${p.id.padEnd(14)} ${p.name.padEnd(22)} ${p.kind} (${cited} cited values, the rest estimates)\n`);
  }
}

/** Every output's folder must exist and be writable before a run starts, so no run is lost at its end. */
function writable(outputs: Record<string, string | undefined>): void {
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    const dir = dirname(resolve(path));
    try {
      if (!statSync(dir).isDirectory()) throw new Error("not a folder");
      accessSync(dir, constants.W_OK);
    } catch (e) {
      throw new UsageError(`--${flag} ${path}: cannot write into ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    if (path.endsWith("/") || (safeIsDir(path))) throw new UsageError(`--${flag} ${path} is a folder; give a file name`);
  }
}

function safeIsDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function readScenario(opts: { scenario?: string; preset?: string }): Scenario {
  if (opts.scenario && opts.preset) throw new UsageError("give either --scenario or --preset, not both");
  if (opts.preset !== undefined) {
    if (!(PRESET_IDS as readonly string[]).includes(opts.preset)) {
      throw new UsageError(`unknown preset ${JSON.stringify(opts.preset)}; known: ${PRESET_IDS.join(", ")}`);
    }
    return presetScenario(opts.preset as PresetId);
  }
  if (!opts.scenario) throw new UsageError("give --scenario FILE or --preset ID");
  return parseScenarioJson(readText(opts.scenario, "scenario"));
}

async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        scenario: { type: "string" }, preset: { type: "string" }, sweep: { type: "string" }, out: { type: "string" }, csv: { type: "string" }, checkpoint: { type: "string" },
        backend: { type: "string", default: "cpu" }, "list-presets": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) { process.stdout.write(USAGE + "\n"); return 0; }
  if (values["list-presets"]) { listPresets(); return 0; }
  if (values.backend !== "cpu" && values.backend !== "gpu") throw new UsageError(`--backend must be cpu or gpu, got ${JSON.stringify(values.backend)}`);
  if (values.sweep !== undefined) {
    if (values.scenario !== undefined || values.preset !== undefined) throw new UsageError("give either --sweep or --scenario/--preset, not both");
    if (values.csv !== undefined || values.checkpoint !== undefined) throw new UsageError("--csv and --checkpoint are for single runs; a sweep writes its CSV to --out");
    if (!values.out) throw new UsageError("--out RESULTS.csv is required");
    writable({ out: values.out });
    return runSweep(parseSweepJson(readText(values.sweep, "sweep")), values.out, values.backend);
  }
  if (!values.out) throw new UsageError("--out RESULT.json is required");
  writable({ out: values.out, csv: values.csv, checkpoint: values.checkpoint });
  const scenario = readScenario(values);
  if (values.backend === "gpu") return runOnGpu(scenario, values.out, values.csv, values.checkpoint);
  const t0 = performance.now();
  const { series, solver } = runCpu(scenario, { onSample: progress(scenario) });
  if (values.checkpoint) writeFileSync(values.checkpoint, checkpointToJson(solver.checkpoint()));
  return write({ scenario, backend: "cpu", steps: solver.step, dt_s: solver.co.dt, series }, t0, values.out, values.csv);
}

/** Progress on stderr, at most every 2 s. */
function progress(scenario: Scenario): RunOptions["onSample"] {
  let last = performance.now();
  return (done, total, row) => {
    const now = performance.now();
    if (now - last > 2000 || done === total) {
      last = now;
      process.stderr.write(`sim: ${Math.round((100 * done) / total)}% (t = ${row.t_s.toFixed(1)} s of ${scenario.duration_s} s)\n`);
    }
  };
}

function write(result: { scenario: Scenario; backend: string; series: SeriesRow[] } & Record<string, unknown>, t0: number, out: string, csv?: string): number {
  const wall = (performance.now() - t0) / 1000;
  writeFileSync(out, JSON.stringify({ ...result, wall_s: +wall.toFixed(3) }, null, 1) + "\n");
  if (csv) writeFileSync(csv, seriesToCsv(result.series));
  const last = result.series.at(-1)!;
  process.stderr.write(`sim: done in ${wall.toFixed(1)} s; final max height ${last.max_height_um.toFixed(2)} um, H2 ${last.h2_mmol_cm2.toExponential(3)} mmol/cm2, CE ${(100 * last.ce).toFixed(2)} %\n`);
  return 0;
}

/**
 * A GPUDevice for the gpu backend, or the exit status to return: the driver's Vulkan where there is one, else
 * this same command again on Chromium's SwiftShader (a child process with the loader's environment).
 */
async function gpuDevice(): Promise<{ gpu: import("../engine/node-gpu.ts").NodeGpu } | { exit: number }> {
  const { nodeGpu, softwareGpuEnv, rerunWith } = await import("../engine/node-gpu.ts");
  try {
    return { gpu: await nodeGpu() };
  } catch (e) {
    const env = softwareGpuEnv();
    if (env) {
      process.stderr.write("sim: no GPU driver found; running the gpu backend on Chromium's SwiftShader (slow: a correctness tool)\n");
      return { exit: rerunWith(env) };
    }
    process.stderr.write(`sim: the gpu backend is not available here: ${(e as Error).message}, and Chromium's SwiftShader was not found. Use --backend cpu\n`);
    return { exit: 1 };
  }
}

/**
 * A sweep: every point validated up front (sweepPoints), then run one after the other on the chosen backend (the
 * gpu backend on one device), each exactly as a single run of its scenario. The CSV at `out` is rewritten after
 * every point, so an interrupted sweep keeps the points done.
 */
async function runSweep(sweep: Sweep, out: string, backend: "cpu" | "gpu"): Promise<number> {
  const points = sweepPoints(sweep);
  let runPoint: (s: Scenario) => Promise<SeriesRow[]>;
  if (backend === "gpu") {
    const got = await gpuDevice();
    if ("exit" in got) return got.exit;
    const { gpu } = got;
    const { runGpu } = await import("../engine/run-gpu.ts");
    const { loadShaders } = await import("../engine/shaders-node.ts");
    const shaders = loadShaders();
    process.stderr.write(`sim: gpu backend on ${gpu.adapter}\n`);
    runPoint = async (s) => {
      const { series, engine } = await runGpu(gpu.device, s, shaders);
      engine.destroy();
      return series;
    };
  } else {
    runPoint = async (s) => runCpu(s).series;
  }
  process.stderr.write(`sim: sweep of ${points.length} points (${sweep.axes.map((a) => `${a.param}: ${a.steps} ${a.scale}`).join(" x ")}) on the ${backend} backend\n`);
  const t0 = performance.now();
  const results: SeriesRow[][] = [];
  for (const p of points) {
    const t = performance.now();
    results.push(await runPoint(p.scenario));
    writeFileSync(out, sweepRowsToCsv(sweep, points, results));
    process.stderr.write(`sim: sweep point ${p.index + 1}/${points.length} (${pointLabel(sweep, p)}): done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  process.stderr.write(`sim: sweep done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${points.length} rows in ${out}\n`);
  return 0;
}

/**
 * The WGSL engine through Dawn in Node: on the GPU driver's Vulkan where there is one, else on Chromium's
 * SwiftShader, which the runner sets up itself (a child process with the loader's environment).
 */
async function runOnGpu(scenario: Scenario, out: string, csv?: string, checkpoint?: string): Promise<number> {
  const got = await gpuDevice();
  if ("exit" in got) return got.exit;
  const { gpu } = got;
  const { runGpu } = await import("../engine/run-gpu.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  const t0 = performance.now();
  process.stderr.write(`sim: gpu backend on ${gpu.adapter}\n`);
  const { series, engine } = await runGpu(gpu.device, scenario, loadShaders(), { onSample: progress(scenario) });
  if (checkpoint) writeFileSync(checkpoint, checkpointToJson(await engine.checkpoint()));
  return write({ scenario, backend: "gpu", adapter: gpu.adapter, steps: engine.step, dt_s: engine.co.dt, series }, t0, out, csv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ScenarioError || e instanceof UsageError) {
      process.stderr.write(`sim: ${(e as Error).message}\n`);
      if (e instanceof UsageError) process.stderr.write(USAGE + "\n");
      process.exit(2);
    }
    process.stderr.write(`sim: failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
