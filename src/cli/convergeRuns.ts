/**
 * `npm run converge`'s runs, `jobs` at a time in child processes through the project's ordered pool:
 * - cpu: long-lived children (converge-job.ts), each taking the next run as it ends one; they send back the final
 *   sample and the outline's box-counting dimension, measured on the solver's final xi field.
 * - gpu: a child per run, `sim.ts --scenario TMP.json --out TMP.json --backend gpu` (exactly what `npm run sim`
 *   does, device set-up, SwiftShader fallback and device-loss recovery included), its result JSON read back. That
 *   JSON holds the series but not the final fields, so the gpu backend does not measure the outline's dimension
 *   (the table says "n/a (gpu)"); run the same command on the cpu backend for it.
 */
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SeriesRow } from "../model/metrics.ts";
import { orderedPool, type PoolPort, type PoolWorker } from "../model/orderedPool.ts";
import type { Scenario } from "../model/scenario.ts";
import type { ConvergeJobReply, ConvergeJobRequest } from "./converge-job.ts";
import type { RunOutcome } from "./convergeTable.ts";

/** A run that failed (not one that stopped early), or a child that died: one line, exit 1. */
export class ConvergeRunError extends Error {}

export interface PlannedRun {
  dx_um: number;
  seed: number;
  scenario: Scenario;
}

/** Runs every planned run, `jobs` at a time; `finished` is called as each ends (in whatever order). */
export async function runAll(runs: readonly PlannedRun[], backend: "cpu" | "gpu", jobs: number, finished: (outcome: RunOutcome) => void): Promise<RunOutcome[]> {
  const tmp = backend === "gpu" ? mkdtempSync(join(tmpdir(), "zil-converge-")) : "";
  const outcomes: RunOutcome[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      orderedPool<PlannedRun, RunOutcome>({
        items: runs,
        workers: jobs,
        start: (port) => {
          // Each run's end is reported as it happens (the pool delivers results in the runs' order).
          const reporting: PoolPort<RunOutcome> = { fail: port.fail, done: (o) => (finished(o), port.done(o)) };
          return backend === "cpu" ? cpuWorker(reporting, runs) : gpuWorker(reporting, tmp);
        },
        onResult: (_, o) => outcomes.push(o),
        onEnd: () => resolve(),
        onFail: reject,
      });
    });
  } finally {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  return outcomes;
}

const outcomeOf = (run: PlannedRun, row: SeriesRow, dimension: number | null, stopped: string | null, wall_s: number): RunOutcome => ({ dx_um: run.dx_um, seed: run.seed, row, dimension, stopped, wall_s });

const label = (run: PlannedRun) => `the run at dx ${run.dx_um} um, seed ${run.seed}`;

function cpuWorker(port: PoolPort<RunOutcome>, runs: readonly PlannedRun[]): PoolWorker<PlannedRun> {
  const c = fork(fileURLToPath(new URL("./converge-job.ts", import.meta.url)), [], { serialization: "advanced", stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let retired = false;
  c.on("message", (r: ConvergeJobReply) => {
    const run = runs[r.index]!;
    if ("error" in r) return port.fail(new ConvergeRunError(`${label(run)} failed: ${r.error}`));
    port.done(outcomeOf(run, r.row, r.dimension, r.stopped, r.wall_s));
  });
  c.on("exit", (code, signal) => {
    if (!retired) port.fail(new ConvergeRunError(`a converge job ended with a run unfinished (${signal ?? `exit status ${code}`})`));
  });
  c.on("error", (e) => port.fail(new ConvergeRunError(`a converge job failed: ${e.message}`)));
  return {
    send: (run) => c.send({ index: runs.indexOf(run), scenario: run.scenario } satisfies ConvergeJobRequest),
    release: () => {
      retired = true;
      c.disconnect();
    },
    kill: () => c.kill(),
  };
}

function gpuWorker(port: PoolPort<RunOutcome>, tmp: string): PoolWorker<PlannedRun> {
  let child: ChildProcess | undefined;
  return {
    send: (run, k) => {
      const scenarioFile = join(tmp, `scenario-${k}.json`), out = join(tmp, `result-${k}.json`);
      writeFileSync(scenarioFile, JSON.stringify(run.scenario));
      const t0 = performance.now();
      const sim = fileURLToPath(new URL("./sim.ts", import.meta.url));
      const c = fork(sim, ["--scenario", scenarioFile, "--out", out, "--backend", "gpu"], { stdio: ["ignore", "ignore", "pipe", "ipc"] });
      child = c;
      let stderr = "";
      c.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
      c.on("error", (e) => port.fail(new ConvergeRunError(`${label(run)}: could not start the gpu runner: ${e.message}`)));
      c.on("exit", (code, signal) => {
        child = undefined;
        const wall = (performance.now() - t0) / 1000;
        let result: { series?: SeriesRow[]; stopped?: string } = {};
        try {
          result = JSON.parse(readFileSync(out, "utf8"));
        } catch {
          // No result: reported below with the runner's own message.
        }
        const row = result.series?.at(-1);
        if (code === 0 && row) return port.done(outcomeOf(run, row, null, null, wall));
        if (code === 1 && row && result.stopped) return port.done(outcomeOf(run, row, null, `the run stopped at t = ${Number(row.t_s.toPrecision(4))} s: ${result.stopped}`, wall));
        const said = stderr.trim().split("\n").slice(-3).join(" / ");
        port.fail(new ConvergeRunError(`${label(run)} on the gpu backend failed (${signal ?? `exit status ${code}`}): ${said}`));
      });
    },
    release: () => {},
    kill: () => child?.kill(),
  };
}
