/**
 * Headless runner: `npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv FILE]
 * [--checkpoint STATE.json [--checkpoint-every S] [--resume]]`, `npm run sim -- --sweep SWEEP.json --out RESULTS.csv
 * [--backend cpu|gpu] [--resume]` and `npm run sim -- --list-presets`. Exit status: 0 done, 2 bad input (scenario or
 * flags), 1 other failures.
 *
 * Nothing done is lost to an interruption: a single run with --checkpoint saves its state and samples so far every
 * --checkpoint-every seconds (wall-clock), a sweep rewrites its CSV after every point (each write whole, to a side file renamed
 * over the old, so a kill leaves the last complete one), and the same command with --resume continues from there.
 */
import { fork } from "node:child_process";
import { accessSync, constants, existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { seriesToCsv } from "../model/csv.ts";
import { PRESETS } from "../model/presets.ts";
import { isCited } from "../model/presetTypes.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { parseScenarioJson, presetScenario, ScenarioError, type Scenario } from "../model/scenario.ts";
import { parseSweepJson, pointLabel, sweepCsvDone, sweepCsvHeader, sweepCsvLine, sweepLineStop, sweepPoints, type Sweep, type SweepPoint } from "../model/sweep.ts";
import { coefficients } from "../model/coefficients.ts";
import { runStateFromJson, runStateToJson } from "../reference/checkpointJson.ts";
import { checkResume, runCpu, runSweepPoint, type PartialRun, type RunOptions } from "../reference/run.ts";
import type { Checkpoint } from "../reference/solver.ts";
import type { NodeGpu } from "../engine/node-gpu.ts";
import type { GpuRunOptions } from "../engine/run-gpu.ts";
import { PRESET_IDS, type PresetId } from "../model/presetTypes.ts";
import type { JobReply, JobRequest } from "./sweep-job.ts";
import { RunStoppedError } from "../model/runStop.ts";

class UsageError extends Error {}
/** Input refused for what it holds, not for how the command was written: one line, no usage text (exit 2). */
class RefusedError extends UsageError {}
/** A sweep's point failed, or its job died: one line (exit 1); the points done before it are in the CSV. */
class SweepJobError extends Error {}

const DEFAULT_SAVE_S = 60;

/** Writes the whole text to a side file, then renames it over `path`: a kill leaves the old file or the new, never half. */
function writeWhole(path: string, text: string): void {
  const side = `${path}.partial`;
  writeFileSync(side, text);
  renameSync(side, path);
}

/** The first field where two parsed scenarios differ, as `path: A there, B here`, or null. */
function firstDifference(a: unknown, b: unknown, path = ""): string | null {
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], path ? `${path}.${k}` : k);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)} there, ${JSON.stringify(b)} here`;
}

/**
 * --resume of a single run: the run state in `file` if it continues `scenario` (same scenario, consistent
 * samples and step), undefined where the file is not there yet (the run then starts at t = 0).
 */
function readResume(file: string, scenario: Scenario): PartialRun | undefined {
  if (!existsSync(file)) {
    process.stderr.write(`sim: --resume: ${file} is not there yet; starting the run at t = 0\n`);
    return undefined;
  }
  const bad = (why: string) => new RefusedError(`--resume: ${file} ${why}; nothing was run (leave out --resume to start over, which replaces it)`);
  let state;
  try {
    state = runStateFromJson(readText(file, "checkpoint"));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw bad(`cannot be resumed: ${(e as Error).message.replace(/^checkpoint: /, "")}`);
  }
  const diff = firstDifference(state.scenario, scenario);
  if (diff) throw bad(`holds a run of another scenario (${diff})`);
  const co = coefficients(scenario);
  try {
    checkResume(state, co);
  } catch (e) {
    throw bad(`cannot be resumed: ${(e as Error).message}`);
  }
  const t = state.series.at(-1)?.t_s ?? 0;
  process.stderr.write(`sim: resuming from ${file}: ${state.series.length} of ${co.samples} samples done (t = ${t.toFixed(1)} s of ${scenario.duration_s} s)\n`);
  return state;
}

/** The --checkpoint hook: the run state every `everyS` seconds and after the last sample. */
function periodicSave<CP extends Checkpoint | Promise<Checkpoint>>(file: string, scenario: Scenario, everyS: number): RunOptions<CP>["save"] {
  const { samples } = coefficients(scenario);
  let last = performance.now();
  return (series, take) => {
    if (series.length < samples && performance.now() - last < everyS * 1000) return;
    const write = (checkpoint: Checkpoint) => {
      writeWhole(file, runStateToJson({ scenario, series: [...series], checkpoint }));
      last = performance.now();
    };
    const cp = take();
    return cp instanceof Promise ? cp.then(write) : write(cp);
  };
}

function saveEvery(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SAVE_S;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--checkpoint-every must be a number of seconds >= 0 (like 0, 30 or 2.5), got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Each output its own file, and none an input: two flags naming one would overwrite each other (a result over the
 * state to resume from, or over the scenario or sweep file it ran).
 */
function distinct(outputs: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    const other = seen.get(resolve(path));
    if (other) throw new UsageError(`--${other} and --${flag} name the same file, ${path}; give each its own`);
    seen.set(resolve(path), flag);
  }
}

/** A 1d run is one column whatever the grid's nx: says so where the file gives more, which would otherwise go unused without a word. */
function noteOneColumn(s: Scenario, what: string): void {
  if (s.mode === "1d" && s.grid.nx !== 1) process.stderr.write(`sim: ${what} is in 1d mode, a planar cell of one column: its grid's nx = ${s.grid.nx} is not used\n`);
}

/** Each flag at most once: a second --out or --checkpoint would otherwise replace the first without a word. */
function once(tokens: readonly { kind: string; name?: string; value?: string }[]): void {
  const given = new Map<string, (string | undefined)[]>();
  for (const t of tokens) if (t.kind === "option" && t.name) given.set(t.name, [...(given.get(t.name) ?? []), t.value]);
  for (const [name, vals] of given) {
    if (vals.length < 2) continue;
    const shown = vals.every((v) => v === undefined) ? "" : ` (${vals.map((v) => JSON.stringify(v ?? "")).join(", ")})`;
    throw new UsageError(`--${name} is given ${vals.length} times${shown}; give it once`);
  }
}

const USAGE = `usage: npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv RESULT.csv]
                          [--checkpoint STATE.json [--checkpoint-every SECONDS] [--resume]]
       npm run sim -- --sweep SWEEP.json --out RESULTS.csv [--backend cpu|gpu] [--resume] [--jobs N|auto]
       npm run sim -- --list-presets
--checkpoint saves the run's state and samples so far every --checkpoint-every seconds of wall-clock time, not of
simulated time (default ${DEFAULT_SAVE_S}; 0: every sample), and at the end; --resume continues the same command's
interrupted run from that file, or a sweep from its CSV. Each flag goes once.
--jobs runs a cpu sweep's points N at a time, each in a process of its own (auto: one per CPU core, ${availableParallelism()} here).`;

function listPresets(): void {
  const width = Math.max(...PRESETS.map((q) => q.name.length)) + 1;
  for (const p of PRESETS) {
    const cited = Object.values(p.values).filter(isCited).length;
    process.stdout.write(`${p.id.padEnd(14)} ${p.name.padEnd(width)} ${p.kind} (${cited} cited value${cited === 1 ? "" : "s"}, the rest estimates)\n`);
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
  let values, tokens;
  try {
    ({ values, tokens } = parseArgs({
      args: argv,
      options: {
        scenario: { type: "string" }, preset: { type: "string" }, sweep: { type: "string" }, out: { type: "string" }, csv: { type: "string" }, checkpoint: { type: "string" },
        backend: { type: "string", default: "cpu" }, "list-presets": { type: "boolean" }, help: { type: "boolean", short: "h" },
        resume: { type: "boolean" }, "checkpoint-every": { type: "string" }, jobs: { type: "string" },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    }));
    once(tokens!);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // `npm run sim` runs in the project's folder: a relative path means the folder npm was called from (INIT_CWD).
  const from = process.env.npm_lifecycle_event === "sim" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  for (const flag of ["scenario", "sweep", "out", "csv", "checkpoint"] as const) {
    const path = values[flag];
    if (path !== undefined && path !== "") values[flag] = resolve(from, path) + (path.endsWith("/") ? "/" : "");
  }
  if (values.help) { process.stdout.write(USAGE + "\n"); return 0; }
  if (values["list-presets"]) { listPresets(); return 0; }
  if (values.backend !== "cpu" && values.backend !== "gpu") throw new UsageError(`--backend must be cpu or gpu, got ${JSON.stringify(values.backend)}`);
  if (values.sweep !== undefined) {
    if (values.scenario !== undefined || values.preset !== undefined) throw new UsageError("give either --sweep or --scenario/--preset, not both");
    if (values.csv !== undefined || values.checkpoint !== undefined || values["checkpoint-every"] !== undefined) {
      throw new UsageError("--csv and --checkpoint are for single runs; a sweep writes its CSV to --out after every point");
    }
    if (!values.out) throw new UsageError("--out RESULTS.csv is required");
    const jobs = parseJobs(values.jobs);
    if (jobs > 1 && values.backend === "gpu") throw new UsageError("--jobs is for the cpu backend; the gpu backend runs a sweep's points one after another on its one device");
    distinct({ sweep: values.sweep, out: values.out });
    writable({ out: values.out });
    const sweep = parseSweepJson(readText(values.sweep, "sweep"));
    noteOneColumn(sweep.base, "the sweep's base");
    return runSweep(sweep, values.out, values.backend, values.resume === true, jobs);
  }
  if (values.jobs !== undefined) throw new UsageError("--jobs is for sweeps (--sweep SWEEP.json); a single run is one process");
  if (!values.out) throw new UsageError("--out RESULT.json is required");
  if (values.checkpoint === undefined && (values.resume || values["checkpoint-every"] !== undefined)) {
    throw new UsageError(`--${values.resume ? "resume" : "checkpoint-every"} needs --checkpoint STATE.json (the file the run saves its state to${values.resume ? " and resumes from" : ""})`);
  }
  const every = saveEvery(values["checkpoint-every"]);
  distinct({ scenario: values.scenario, out: values.out, csv: values.csv, checkpoint: values.checkpoint });
  writable({ out: values.out, csv: values.csv, checkpoint: values.checkpoint });
  const scenario = readScenario(values);
  noteOneColumn(scenario, "the scenario");
  const state = values.checkpoint;
  const run: Pick<RunOptions, "resume" | "onSample"> = { onSample: progress(scenario) };
  if (state !== undefined) {
    if (values.resume) run.resume = readResume(state, scenario);
    else if (existsSync(state)) process.stderr.write(`sim: ${state} is there already; this run replaces it (--resume would continue it instead)\n`);
    process.stderr.write(`sim: saving the run's state to ${state} every ${every} s; if stopped, the same command with --resume continues it\n`);
  }
  const meta = { scenario, ...(run.resume ? { resumed_at_sample: run.resume.series.length } : {}) };
  if (values.backend === "gpu") return runOnGpu(meta, run, values.out, values.csv, state, every);
  const t0 = performance.now();
  let result;
  try {
    result = runCpu(scenario, { ...run, save: state === undefined ? undefined : periodicSave(state, scenario, every) });
  } catch (e) {
    if (e instanceof RunStoppedError) return stopped(e, { ...meta, backend: "cpu" }, t0, values.out, values.csv);
    throw e;
  }
  const { series, solver } = result;
  return write({ ...meta, backend: "cpu", steps: solver.step, dt_s: solver.co.dt, series }, t0, values.out, values.csv);
}

/** A run that cannot go on (runStopReason): its samples so far and why, written as a result would be; exit 1. */
function stopped(e: RunStoppedError, meta: { scenario: Scenario; backend: string } & Record<string, unknown>, t0: number, out: string, csv?: string): number {
  write({ ...meta, stopped: e.reason, series: e.series }, t0, out, csv, false);
  process.stderr.write(`sim: ${e.message}. Its ${e.series.length} samples are in ${out} ("stopped" says why).\n`);
  return 1;
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

/** Writes the result (and its CSV); `done`: also says so, with the last sample's numbers, on stderr. */
function write(result: { scenario: Scenario; backend: string; series: SeriesRow[] } & Record<string, unknown>, t0: number, out: string, csv?: string, done = true): number {
  const wall = (performance.now() - t0) / 1000;
  writeWhole(out, JSON.stringify({ ...result, wall_s: +wall.toFixed(3) }, null, 1) + "\n");
  if (csv) writeWhole(csv, seriesToCsv(result.series));
  if (!done) return 0;
  const last = result.series.at(-1)!;
  process.stderr.write(`sim: done in ${wall.toFixed(1)} s; final max height ${last.max_height_um.toFixed(2)} um, H2 ${last.h2_mmol_cm2.toExponential(3)} mmol/cm2, CE ${(100 * last.ce).toFixed(2)} %\n`);
  return 0;
}

/** Seconds between the states a GPU run keeps in memory for a new device to resume from (--checkpoint-every, where given). */
const KEEP_S = 30;
/**
 * ZIL_REHEARSE_GPU_LOSS=N[,M...] destroys the GPU device after the N-th (M-th...) sample this process runs
 * (counted across a sweep's points and the samples run again after a loss): a rehearsal of a driver reset, as the
 * page's window.zil.loseGpuDevice() is, for the tests.
 */
const REHEARSE_AT = new Set((process.env.ZIL_REHEARSE_GPU_LOSS ?? "").split(",").filter(Boolean).map(Number));
let samplesRun = 0;

/**
 * What a GPU run does when its device is lost: a new device, and the run resumes from its last state kept in
 * memory (`label`: which run, for the message).
 */
function gpuRecovery(gpu: NodeGpu, keepEveryS: number, label: () => string): Pick<GpuRunOptions, "recover" | "onSample"> {
  return {
    recover: {
      renew: () => gpu.renew(),
      keepEveryS,
      onLost: (lostAfter, resumeFrom, why) =>
        process.stderr.write(`sim: ${label()}the GPU device was lost after sample ${lostAfter} (${why}); a new device resumes from sample ${resumeFrom}\n`),
    },
    onSample: () => {
      if (!REHEARSE_AT.has(++samplesRun)) return;
      process.stderr.write(`sim: ZIL_REHEARSE_GPU_LOSS: destroying the GPU device after sample ${samplesRun}\n`);
      gpu.device.destroy();
    },
  };
}

/**
 * A GPUDevice for the gpu backend, or the exit status to return: the driver's Vulkan where there is one, else
 * this same command again on Chromium's SwiftShader (a child process with the loader's environment).
 */
async function gpuDevice(): Promise<{ gpu: NodeGpu } | { exit: number }> {
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

/** The record beside a sweep's CSV of what wrote it (the whole validated sweep and the backend), which --resume checks. */
const sweepRecordOf = (out: string) => `${out}.sweep.json`;
const sweepRecord = (sweep: Sweep, backend: string) => ({ sweep, backend });

/**
 * --resume of a sweep: the lines of the points done in `out`, the CSV an interrupted run of the same sweep on the
 * same backend wrote (its record says which), none where it is not there yet.
 */
function readSweepDone(sweep: Sweep, points: ReturnType<typeof sweepPoints>, out: string, backend: string): string[] {
  if (!existsSync(out)) {
    process.stderr.write(`sim: --resume: ${out} is not there yet; starting the sweep at its first point\n`);
    return [];
  }
  const refuse = (why: string) =>
    new RefusedError(`--resume: ${out} is not an interrupted run of this sweep: ${why}; nothing was run (leave out --resume to start over, which replaces it)`);
  const recordFile = sweepRecordOf(out);
  if (!existsSync(recordFile)) throw refuse(`${recordFile}, the record of which sweep wrote it, is not beside it`);
  let record: unknown;
  try {
    record = JSON.parse(readText(recordFile, "sweep record"));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw refuse(`${recordFile} is not JSON (${(e as Error).message})`);
  }
  const diff = firstDifference(record, JSON.parse(JSON.stringify(sweepRecord(sweep, backend))));
  if (diff) throw refuse(`${recordFile} says it was another (${diff})`);
  try {
    const done = sweepCsvDone(sweep, points, readText(out, "sweep results"));
    process.stderr.write(`sim: resuming the sweep from ${out}: ${done.length} of ${points.length} points done\n`);
    return done;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw refuse(e.message);
  }
}

/** A sweep point's progress line's note where its run stopped early (its row is its last sample then). */
const stoppedNote = (stopped: string | null) => (stopped ? `${stopped}; its row is its last sample; ` : "");

/** --jobs: a whole number of processes from 1, or auto (one per CPU core); 1 when not given. */
function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  if (text === "auto") return availableParallelism();
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new UsageError(`--jobs must be a whole number of processes from 1 to 9999, or auto, got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Runs `points` on the CPU in `jobs` child processes (sweep-job.ts), each taking the next point as it finishes
 * one; `done(point, series)` is called in the points' order (a point that ends early waits for those before it),
 * so the CSV grows as it does with one job. A point that fails, or a job that dies, stops the sweep.
 */
function runPointsInJobs(points: SweepPoint[], total: number, jobs: number, done: (p: SweepPoint, series: SeriesRow[], stopped: string | null) => void): Promise<void> {
  return new Promise((resolveAll, reject) => {
    const script = fileURLToPath(new URL("./sweep-job.ts", import.meta.url));
    const children = Array.from({ length: Math.min(jobs, points.length) }, () => fork(script, [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] }));
    const finished = new Map<number, { series: SeriesRow[]; stopped: string | null }>();
    /** Jobs let go of (no point left for them): their exit is expected. */
    const retired = new Set<(typeof children)[number]>();
    let next = 0, flushed = 0, failed = false;
    const fail = (e: Error) => {
      if (failed) return;
      failed = true;
      for (const c of children) c.kill();
      reject(e);
    };
    const give = (c: (typeof children)[number]) => {
      if (next < points.length) {
        const p = points[next++]!;
        c.send({ index: p.index, scenario: p.scenario } satisfies JobRequest);
      } else {
        retired.add(c);
        c.disconnect();
      }
    };
    for (const c of children) {
      c.on("message", (r: JobReply) => {
        if (failed) return;
        const k = points.findIndex((p) => p.index === r.index);
        if ("error" in r) return fail(new SweepJobError(`sweep point ${r.index + 1}/${total}: ${r.error}`));
        finished.set(k, { series: r.series, stopped: r.stopped ?? null });
        while (finished.has(flushed)) {
          const f = finished.get(flushed)!;
          done(points[flushed]!, f.series, f.stopped);
          finished.delete(flushed++);
        }
        give(c);
        if (flushed === points.length) resolveAll();
      });
      c.on("exit", (code, signal) => {
        if (!retired.has(c)) fail(new SweepJobError(`a sweep job ended with a point unfinished (${signal ?? `exit status ${code}`})`));
      });
      c.on("error", (e) => fail(new SweepJobError(`a sweep job failed: ${e.message}`)));
      give(c);
    }
  });
}

/**
 * A sweep: every point validated up front (sweepPoints), then run one after the other on the chosen backend (the
 * gpu backend on one device), or on the cpu `jobs` at a time, each exactly as a single run of its scenario. The CSV
 * at `out` is rewritten whole after every point (in the points' order), so an interrupted sweep keeps the points
 * done, and `resume` continues from them.
 */
async function runSweep(sweep: Sweep, out: string, backend: "cpu" | "gpu", resume: boolean, jobs = 1): Promise<number> {
  const points = sweepPoints(sweep);
  const lines = resume ? readSweepDone(sweep, points, out, backend) : [];
  if (!resume && existsSync(out)) process.stderr.write(`sim: ${out} is there already; this sweep replaces it (--resume would continue it instead)\n`);
  let runPoint: (p: SweepPoint) => Promise<{ series: SeriesRow[]; stopped: string | null }>;
  if (backend === "gpu") {
    const got = await gpuDevice();
    if ("exit" in got) return got.exit;
    const { gpu } = got;
    const { runGpu, GpuLostError } = await import("../engine/run-gpu.ts");
    const { loadShaders } = await import("../engine/shaders-node.ts");
    const shaders = loadShaders();
    process.stderr.write(`sim: gpu backend on ${gpu.adapter}\n`);
    let point = 0;
    const recovery = gpuRecovery(gpu, KEEP_S, () => `sweep point ${point}/${points.length}: `);
    runPoint = async (p) => {
      point = p.index + 1;
      try {
        const { series, engine } = await runGpu(gpu.device, p.scenario, shaders, recovery);
        engine.destroy();
        return { series, stopped: null };
      } catch (e) {
        if (e instanceof RunStoppedError) return { series: e.series, stopped: e.message };
        if (e instanceof GpuLostError) throw new GpuLostError(`sweep point ${point}/${points.length}: ${e.message}; the points done are in ${out}: the same command with --resume continues from them`);
        throw e;
      }
    };
  } else {
    runPoint = async (p) => runSweepPoint(p.scenario);
  }
  const left = points.slice(lines.length);
  const parallel = backend === "cpu" && jobs > 1 && left.length > 1 ? Math.min(jobs, left.length) : 1;
  const how = parallel > 1 ? `on the cpu backend, ${parallel} points at a time (one process each)` : `on the ${backend} backend`;
  process.stderr.write(`sim: sweep of ${points.length} points (${sweep.axes.map((a) => `${a.param}: ${a.steps} ${a.scale}`).join(" x ")}) ${how}; ${out} is rewritten after every point, and if stopped, the same command with --resume continues it\n`);
  const t0 = performance.now();
  const write = () => writeWhole(out, [sweepCsvHeader(sweep), ...lines].join("\n") + "\n");
  if (lines.length === 0) {
    writeWhole(sweepRecordOf(out), JSON.stringify(sweepRecord(sweep, backend), null, 1) + "\n");
    write();
  }
  if (parallel > 1) {
    let t = performance.now();
    try {
      await runPointsInJobs(left, points.length, parallel, (p, series, stopped) => {
        lines.push(sweepCsvLine(sweep, p, series));
        write();
        process.stderr.write(`sim: sweep point ${p.index + 1}/${points.length} (${pointLabel(sweep, p)}): ${stoppedNote(stopped)}done, ${((performance.now() - t) / 1000).toFixed(1)} s after the one before\n`);
        t = performance.now();
      });
    } catch (e) {
      if (!(e instanceof SweepJobError)) throw e;
      throw new SweepJobError(`${e.message}; the ${lines.length} points before it are in ${out}: the same command with --resume continues from them`);
    }
  }
  for (const p of parallel > 1 ? [] : left) {
    const t = performance.now();
    const { series, stopped } = await runPoint(p);
    lines.push(sweepCsvLine(sweep, p, series));
    write();
    process.stderr.write(`sim: sweep point ${p.index + 1}/${points.length} (${pointLabel(sweep, p)}): ${stoppedNote(stopped)}done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  process.stderr.write(`sim: sweep done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${points.length} rows in ${out}\n`);
  // The last line names the points that stopped early, from the CSV's stopped column (so those of an earlier,
  // resumed invocation too).
  const early = lines.flatMap((line, i) => {
    const kind = sweepLineStop(line);
    return kind ? [`point ${i + 1} (${pointLabel(sweep, points[i]!)}): ${kind}`] : [];
  });
  if (early.length) {
    process.stderr.write(`sim: ${early.length} of the ${points.length} points stopped early, their rows their last samples (the CSV's stopped column): ${early.join(", ")}\n`);
  }
  return 0;
}

/**
 * The WGSL engine through Dawn in Node: on the GPU driver's Vulkan where there is one, else on Chromium's
 * SwiftShader, which the runner sets up itself (a child process with the loader's environment).
 */
async function runOnGpu(
  meta: { scenario: Scenario },
  run: Pick<RunOptions, "resume" | "onSample">,
  out: string,
  csv: string | undefined,
  state: string | undefined,
  every: number,
): Promise<number> {
  const got = await gpuDevice();
  if ("exit" in got) return got.exit;
  const { gpu } = got;
  const { runGpu, GpuLostError } = await import("../engine/run-gpu.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  const { scenario } = meta;
  const t0 = performance.now();
  process.stderr.write(`sim: gpu backend on ${gpu.adapter}\n`);
  const save = state === undefined ? undefined : periodicSave<Promise<Checkpoint>>(state, scenario, every);
  const { recover, onSample: rehearse } = gpuRecovery(gpu, state === undefined ? KEEP_S : every, () => "");
  const onSample: RunOptions["onSample"] = (done, total, row) => {
    run.onSample?.(done, total, row);
    rehearse?.(done, total, row);
  };
  let result;
  try {
    result = await runGpu(gpu.device, scenario, loadShaders(), { ...run, onSample, save, recover });
  } catch (e) {
    if (e instanceof RunStoppedError) return stopped(e, { ...meta, backend: "gpu", adapter: gpu.adapter }, t0, out, csv);
    if (!(e instanceof GpuLostError)) throw e;
    const kept = state === undefined ? "nothing was kept (with --checkpoint STATE.json a run keeps its samples)" : `the samples saved so far are in ${state}: the same command with --resume continues from them, also with --backend cpu`;
    throw new GpuLostError(`${e.message}; ${kept}`);
  }
  const { series, engine, losses } = result;
  return write({ ...meta, backend: "gpu", adapter: gpu.adapter, gpu_device_losses: losses, steps: engine.step, dt_s: engine.co.dt, series }, t0, out, csv);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof SweepJobError || (e instanceof Error && e.name === "GpuLostError")) {
      process.stderr.write(`sim: ${e.message}\n`);
      process.exit(1);
    }
    if (e instanceof ScenarioError || e instanceof UsageError) {
      process.stderr.write(`sim: ${(e as Error).message}\n`);
      if (e instanceof UsageError && !(e instanceof RefusedError)) process.stderr.write(USAGE + "\n");
      process.exit(2);
    }
    process.stderr.write(`sim: failed: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exit(1);
  },
);
