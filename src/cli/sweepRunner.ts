/**
 * A sweep (`--sweep SWEEP.json`): every point validated up front, run one after the other (the gpu backend on its
 * one device) or on the cpu `--jobs` at a time in child processes (sweep-job.ts), its CSV rewritten whole after
 * every point in the points' order, and --resume continuing from the points done. A shard (`--shard K/N`, or
 * from a cluster's environment: shard.ts) runs only its points, to a part file (src/model/sweepPart.ts) that
 * `--merge` (merge.ts) joins with the others into the sweep's CSV.
 */
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { SeriesRow } from "../model/metrics.ts";
import { orderedPool } from "../model/orderedPool.ts";
import { RunStoppedError } from "../model/runStop.ts";
import { parseSweepJson, pointLabel, sweepCsvHeader, sweepCsvLine, sweepLineStop, sweepPoints, type Sweep, type SweepPoint } from "../model/sweep.ts";
import { partHeader, partLine, shardPoints, shardText, type PartMeta } from "../model/sweepPart.ts";
import { runSweepPoint } from "../reference/run.ts";
import { distinct, noteOneColumn, parseJobs, readText, UsageError, writable, type Flags } from "./args.ts";
import { writeWhole } from "./atomicWrite.ts";
import { gpuBackend, gpuRecovery, KEEP_S } from "./gpu.ts";
import { readSweepDone, sweepRecord, sweepRecordOf } from "./resume.ts";
import { partMeta, shardOf } from "./shard.ts";
import type { JobReply, JobRequest } from "./sweep-job.ts";

/** A sweep's point failed, or its job died: one line (exit 1); the points done before it are in the CSV. */
export class SweepJobError extends Error {}

/** A sweep as the flags say, to its exit status. */
export function sweepCommand(values: Flags & { backend: "cpu" | "gpu"; sweep: string }): Promise<number> {
  if (values.scenario !== undefined || values.preset !== undefined) throw new UsageError("give either --sweep or --scenario/--preset, not both");
  if (values.csv !== undefined || values.checkpoint !== undefined || values["checkpoint-every"] !== undefined) {
    throw new UsageError("--csv and --checkpoint are for single runs; a sweep writes its CSV to --out after every point");
  }
  if (!values.out) throw new UsageError("--out RESULTS.csv is required");
  if (values.threads !== undefined) throw new UsageError("--threads is for single runs; a sweep shares its points among processes with --jobs");
  const jobs = parseJobs(values.jobs);
  if (jobs > 1 && values.backend === "gpu") throw new UsageError("--jobs is for the cpu backend; the gpu backend runs a sweep's points one after another on its one device");
  distinct({ sweep: values.sweep, out: values.out });
  writable({ out: values.out });
  const shard = shardOf(values, process.env);
  const sweep = parseSweepJson(readText(values.sweep, "sweep"));
  noteOneColumn(sweep.base, "the sweep's base");
  let part: PartMeta | undefined;
  if (shard) {
    part = partMeta(sweep, sweepPoints(sweep).length, shard.shard, values.backend);
    if (shard.from !== "--shard") process.stderr.write(`sim: shard ${shardText(shard.shard)} (from ${shard.from})\n`);
  }
  return runSweep(sweep, values.out, values.backend, values.resume === true, jobs, part);
}

/** A sweep point's progress line's note where its run stopped early (its row is its last sample then). */
const stoppedNote = (stopped: string | null) => (stopped ? `${stopped}; its row is its last sample; ` : "");

/**
 * Runs `points` on the CPU in `jobs` child processes (sweep-job.ts), each taking the next point as it finishes
 * one; `done(point, series)` is called in the points' order (a point that ends early waits for those before it),
 * so the CSV grows as it does with one job. A point that fails, or a job that dies, stops the sweep.
 */
function runPointsInJobs(points: SweepPoint[], total: number, jobs: number, done: (p: SweepPoint, series: SeriesRow[], stopped: string | null) => void): Promise<void> {
  return new Promise((resolveAll, reject) => {
    const script = fileURLToPath(new URL("./sweep-job.ts", import.meta.url));
    type Finished = { series: SeriesRow[]; stopped: string | null };
    orderedPool<SweepPoint, Finished>({
      items: points,
      workers: jobs,
      start: (port) => {
        const c = fork(script, [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
        /** Let go of (no point left for it): its exit is expected. */
        let retired = false;
        c.on("message", (r: JobReply) => {
          if ("error" in r) return port.fail(new SweepJobError(`sweep point ${r.index + 1}/${total}: ${r.error}`));
          port.done({ series: r.series, stopped: r.stopped ?? null });
        });
        c.on("exit", (code, signal) => {
          if (!retired) port.fail(new SweepJobError(`a sweep job ended with a point unfinished (${signal ?? `exit status ${code}`})`));
        });
        c.on("error", (e) => port.fail(new SweepJobError(`a sweep job failed: ${e.message}`)));
        return {
          send: (p) => c.send({ index: p.index, scenario: p.scenario } satisfies JobRequest),
          release: () => {
            retired = true;
            c.disconnect();
          },
          kill: () => c.kill(),
        };
      },
      onResult: (p, f) => done(p, f.series, f.stopped),
      onEnd: () => resolveAll(),
      onFail: reject,
    });
  });
}

/**
 * A sweep: every point validated up front (sweepPoints), then run one after the other on the chosen backend (the
 * gpu backend on one device), or on the cpu `jobs` at a time, each exactly as a single run of its scenario. The CSV
 * at `out` is rewritten whole after every point (in the points' order), so an interrupted sweep keeps the points
 * done, and `resume` continues from them. With `part`, only its shard's points, to a part file.
 */
async function runSweep(sweep: Sweep, out: string, backend: "cpu" | "gpu", resume: boolean, jobs = 1, part?: PartMeta): Promise<number> {
  const all = sweepPoints(sweep);
  const points = part ? shardPoints(all, part.shard) : all;
  const total = all.length;
  const header = part ? partHeader(sweep, part) : sweepCsvHeader(sweep);
  const lineOf = (p: SweepPoint, series: SeriesRow[]) => (part ? partLine(sweep, p, series) : sweepCsvLine(sweep, p, series));
  const lines = resume ? readSweepDone(sweep, points, out, backend, part) : [];
  if (!resume && existsSync(out)) process.stderr.write(`sim: ${out} is there already; this sweep replaces it (--resume would continue it instead)\n`);
  let runPoint: (p: SweepPoint) => Promise<{ series: SeriesRow[]; stopped: string | null }>;
  if (backend === "gpu") {
    const got = await gpuBackend();
    if ("exit" in got) return got.exit;
    const { gpu, runGpu, GpuLostError, shaders } = got;
    let point = 0;
    const recovery = gpuRecovery(gpu, KEEP_S, () => `sweep point ${point}/${total}: `);
    runPoint = async (p) => {
      point = p.index + 1;
      try {
        const { series, engine } = await runGpu(gpu.device, p.scenario, shaders, recovery);
        engine.destroy();
        return { series, stopped: null };
      } catch (e) {
        if (e instanceof RunStoppedError) return { series: e.series, stopped: e.message };
        if (e instanceof GpuLostError) throw new GpuLostError(`sweep point ${point}/${total}: ${e.message}; the points done are in ${out}: the same command with --resume continues from them`);
        throw e;
      }
    };
  } else {
    runPoint = async (p) => runSweepPoint(p.scenario);
  }
  const left = points.slice(lines.length);
  const parallel = backend === "cpu" && jobs > 1 && left.length > 1 ? Math.min(jobs, left.length) : 1;
  const how = parallel > 1 ? `on the cpu backend, ${parallel} points at a time (one process each)` : `on the ${backend} backend`;
  const what = part ? `shard ${shardText(part.shard)} of a sweep of ${total} points: its ${points.length}` : `sweep of ${total}`;
  process.stderr.write(`sim: ${what} points (${sweep.axes.map((a) => `${a.param}: ${a.steps} ${a.scale}`).join(" x ")}) ${how}; ${out} is rewritten after every point, and if stopped, the same command with --resume continues it\n`);
  const t0 = performance.now();
  const write = () => writeWhole(out, [header, ...lines].join("\n") + "\n");
  if (lines.length === 0) {
    writeWhole(sweepRecordOf(out), JSON.stringify(sweepRecord(sweep, backend, part), null, 1) + "\n");
    write();
  }
  if (parallel > 1) {
    let t = performance.now();
    try {
      await runPointsInJobs(left, total, parallel, (p, series, stopped) => {
        lines.push(lineOf(p, series));
        write();
        process.stderr.write(`sim: sweep point ${p.index + 1}/${total} (${pointLabel(sweep, p)}): ${stoppedNote(stopped)}done, ${((performance.now() - t) / 1000).toFixed(1)} s after the one before\n`);
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
    lines.push(lineOf(p, series));
    write();
    process.stderr.write(`sim: sweep point ${p.index + 1}/${total} (${pointLabel(sweep, p)}): ${stoppedNote(stopped)}done in ${((performance.now() - t) / 1000).toFixed(1)} s\n`);
  }
  process.stderr.write(`sim: ${part ? `shard ${shardText(part.shard)}` : "sweep"} done in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${points.length} rows in ${out}\n`);
  // The last line names the points that stopped early, from the CSV's stopped column (so those of an earlier,
  // resumed invocation too).
  const early = lines.flatMap((line, i) => {
    const kind = sweepLineStop(line);
    return kind ? [`point ${points[i]!.index + 1} (${pointLabel(sweep, points[i]!)}): ${kind}`] : [];
  });
  if (early.length) {
    process.stderr.write(`sim: ${early.length} of the ${points.length} points${part ? ` of shard ${shardText(part.shard)}` : ""} stopped early, their rows their last samples (the CSV's stopped column): ${early.join(", ")}\n`);
  }
  return 0;
}
