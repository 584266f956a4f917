/**
 * Headless runner: `npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv FILE]
 * [--checkpoint STATE.json [--checkpoint-every S] [--resume]]`, `npm run sim -- --sweep SWEEP.json --out RESULTS.csv
 * [--backend cpu|gpu] [--resume] [--shard K/N | --shards N]`, `npm run sim -- --merge PART.csv... --out RESULTS.csv`
 * and `npm run sim -- --list-presets`. Exit status: 0 done, 2 bad input (scenario or
 * flags), 1 other failures.
 *
 * Nothing done is lost to an interruption: a single run with --checkpoint saves its state and samples so far every
 * --checkpoint-every seconds (wall-clock), a sweep rewrites its CSV after every point (each write whole, to a side file renamed
 * over the old, so a kill leaves the last complete one), and the same command with --resume continues from there.
 *
 * The parts: args.ts (flags, usage, the checks of the files they name), atomicWrite.ts, resume.ts (checkpoints and
 * --resume), gpu.ts (the gpu backend's device and its recovery), singleRun.ts, sweepRunner.ts (and sweep-job.ts,
 * the --jobs child process), shard.ts (a sweep's shard, --shard or from a cluster's environment) and merge.ts (--merge).
 */
import { PRESETS } from "../model/presets.ts";
import { isCited } from "../model/presetTypes.ts";
import { ScenarioError } from "../model/scenario.ts";
import { parseFlags, RefusedError, USAGE, UsageError } from "./args.ts";
import { runSingle } from "./singleRun.ts";
import { mergeCommand } from "./merge.ts";
import { sweepCommand, SweepJobError } from "./sweepRunner.ts";

function listPresets(): void {
  const width = Math.max(...PRESETS.map((q) => q.name.length)) + 1;
  for (const p of PRESETS) {
    const cited = Object.values(p.values).filter(isCited).length;
    process.stdout.write(`${p.id.padEnd(14)} ${p.name.padEnd(width)} ${p.kind} (${cited} cited value${cited === 1 ? "" : "s"}, the rest estimates)\n`);
  }
}

async function main(argv: string[]): Promise<number> {
  const values = parseFlags(argv);
  if (values.help) { process.stdout.write(USAGE + "\n"); return 0; }
  if (values["list-presets"]) { listPresets(); return 0; }
  const { backend } = values;
  if (backend !== "cpu" && backend !== "gpu") throw new UsageError(`--backend must be cpu or gpu, got ${JSON.stringify(backend)}`);
  if (values.parts !== undefined) return mergeCommand({ ...values, parts: values.parts });
  if (values.sweep !== undefined) return sweepCommand({ ...values, backend, sweep: values.sweep });
  for (const f of ["shard", "shards"] as const) if (values[f] !== undefined) throw new UsageError(`--${f} is for sweeps (--sweep SWEEP.json): a shard is some of a sweep's points`);
  return runSingle({ ...values, backend });
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
