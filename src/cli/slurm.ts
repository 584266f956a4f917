/**
 * `npm run sweep:slurm -- SWEEP.json [--out RESULTS.csv] [--tasks N] [--cpus-per-task C] [--partition P]
 * [--time HH:MM:SS] [--account A] [--qos Q] [--mem-per-cpu M] [--resume] [--no-submit | --dry-run]`: writes a Slurm job array of the sweep's shards and its
 * merge (slurmScript.ts) into RESULTS.parts/ beside the CSV, submits both (the merge after every task succeeded),
 * and prints the job ids and where the CSV will be. Exit status: 0 submitted (or written), 2 bad input, 1 sbatch failed.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ScenarioError } from "../model/scenario.ts";
import { parseSweepJson, sweepPoints } from "../model/sweep.ts";
import { distinct, readText, RefusedError, UsageError, writable } from "./args.ts";
import { writeWhole } from "./atomicWrite.ts";
import { arrayScript, arrayScriptOf, byHand, mergeScript, mergeScriptOf, type SlurmPlan } from "./slurmScript.ts";

const USAGE = `usage: npm run sweep:slurm -- SWEEP.json [--out RESULTS.csv] [--tasks N] [--cpus-per-task C] [--partition P]
                               [--time HH:MM:SS] [--account A] [--qos Q] [--mem-per-cpu M] [--resume] [--no-submit]
Writes RESULTS.parts/array.sbatch (a job array, one task per shard: shard K runs the points whose index i has
i mod N = K, in C processes) and RESULTS.parts/merge.sbatch (joins the parts into RESULTS.csv, the CSV the sweep
run on one machine writes), submits the array and the merge after it (afterok), and prints their job ids.
--out defaults to SWEEP.csv beside SWEEP.json; --tasks to one task per C points; --cpus-per-task to 1.
--time, --partition, --account, --qos and --mem-per-cpu (like 2G) go to sbatch as they are. --no-submit (or
--dry-run) writes the scripts only, to read and submit by hand; --resume keeps
the parts of an earlier submission in RESULTS.parts/ (each task continues its own).`;

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

function whole(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9]\d{0,5}$/.test(text) || Number(text) < min || Number(text) > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** The plan the flags give: paths absolute, the sweep read and checked. */
function plan(argv: string[]): SlurmPlan & { submit: boolean; resume: boolean; source: string } {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" }, tasks: { type: "string" }, "cpus-per-task": { type: "string" }, partition: { type: "string" }, time: { type: "string" },
        account: { type: "string" }, qos: { type: "string" }, "mem-per-cpu": { type: "string" }, resume: { type: "boolean" },
        "no-submit": { type: "boolean" }, "dry-run": { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (values.help) throw Object.assign(new UsageError(""), { help: true });
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `give one sweep file, got ${positionals.length}` : "give the sweep file: npm run sweep:slurm -- SWEEP.json");
  const from = process.env.npm_lifecycle_event === "sweep:slurm" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const source = resolve(from, positionals[0]!);
  const out = resolve(from, values.out ?? `${dirname(source)}/${basename(source).replace(/\.json$/i, "")}.csv`);
  if (!out.endsWith(".csv")) throw new UsageError(`--out must name a .csv file, got ${out}`);
  distinct({ sweep: source, out });
  writable({ out });
  if (values.time !== undefined && !/^(\d+-)?\d+(:\d\d){0,2}$/.test(values.time)) throw new UsageError(`--time must be Slurm's [D-]HH:MM:SS (or MM, MM:SS, D-HH), got ${JSON.stringify(values.time)}`);
  const mem = values["mem-per-cpu"];
  if (mem !== undefined && !/^[1-9]\d*[KMGT]?$/.test(mem)) throw new UsageError(`--mem-per-cpu must be a size like 500M or 2G, got ${JSON.stringify(mem)}`);
  for (const f of ["partition", "account", "qos"] as const) {
    if (values[f] !== undefined && !/^[\w.-]+$/.test(values[f])) throw new UsageError(`--${f} must be a name (letters, digits, _ . -), got ${JSON.stringify(values[f])}`);
  }
  let points: number;
  try {
    points = sweepPoints(parseSweepJson(readText(source, "sweep"))).length;
  } catch (e) {
    if (e instanceof ScenarioError) throw new RefusedError(`${source}: ${e.message}`);
    throw e;
  }
  const cpusPerTask = whole("cpus-per-task", values["cpus-per-task"], 1, 4096) ?? 1;
  const tasks = whole("tasks", values.tasks, 1, points) ?? Math.ceil(points / cpusPerTask);
  const parts = out.replace(/\.csv$/, ".parts");
  return {
    root: ROOT.replace(/\/$/, ""), node: process.execPath, sweep: `${parts}/sweep.json`, parts, out, points, tasks, cpusPerTask,
    partition: values.partition, time: values.time, account: values.account, qos: values.qos, memPerCpu: mem,
    submit: !values["no-submit"] && !values["dry-run"], resume: values.resume === true, source,
  };
}

/** sbatch --parsable's job id ("123" or "123;cluster"). */
function sbatch(args: string[]): string {
  let text: string;
  try {
    text = execFileSync("sbatch", ["--parsable", ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT") throw new SlurmError("sbatch not found: run this where Slurm's commands are (a login node), or give --no-submit to write the scripts only");
    throw new SlurmError(`sbatch ${args.join(" ")} failed: ${(err.stderr ?? err.message).trim().split("\n").join("; ")}`);
  }
  const id = text.trim().split(";")[0]!;
  if (!/^\d+$/.test(id)) throw new SlurmError(`sbatch ${args.join(" ")} printed ${JSON.stringify(text.trim())}, not a job id`);
  return id;
}

class SlurmError extends Error {}

function main(argv: string[]): number {
  const p = plan(argv);
  const old = existsSync(p.parts) ? readdirSync(p.parts).filter((f) => /^part_\d+\.csv$/.test(f)) : [];
  if (old.length && !p.resume) {
    throw new RefusedError(`${p.parts} holds ${old.length} part(s) of an earlier submission: give --resume to continue them, or remove the folder (or give another --out) to start over`);
  }
  mkdirSync(`${p.parts}/logs`, { recursive: true });
  if (old.length && readText(p.sweep, "sweep") !== readText(p.source, "sweep")) {
    throw new RefusedError(`--resume: ${p.source} is not the sweep the parts in ${p.parts} are of (${p.sweep}); remove the folder or give another --out`);
  }
  copyFileSync(p.source, p.sweep);
  writeWhole(arrayScriptOf(p.parts), arrayScript(p));
  writeWhole(mergeScriptOf(p.parts), mergeScript(p));
  const say = (line: string) => process.stdout.write(`sweep:slurm: ${line}\n`);
  say(`${p.points} points in ${p.tasks} shards of up to ${Math.ceil(p.points / p.tasks)}, ${p.cpusPerTask} CPU(s) a task; scripts, parts and logs in ${p.parts}`);
  if (!p.submit) {
    say(`written, not submitted: ${arrayScriptOf(p.parts)} and ${mergeScriptOf(p.parts)}`);
    for (const l of byHand(p)) say(l);
    say(`results will be in ${p.out}`);
    return 0;
  }
  const array = sbatch([arrayScriptOf(p.parts)]);
  say(`array job ${array} (tasks 0-${p.tasks - 1}): ${arrayScriptOf(p.parts)}`);
  const merge = sbatch([`--dependency=afterok:${array}`, "--kill-on-invalid-dep=yes", mergeScriptOf(p.parts)]);
  say(`merge job ${merge} (after every task of ${array} succeeded): ${mergeScriptOf(p.parts)}`);
  say(`results will be in ${p.out}`);
  say(byHand(p, array)[1]!);
  return 0;
}

try {
  process.exit(main(process.argv.slice(2)));
} catch (e) {
  if ((e as { help?: boolean }).help) {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  }
  if (e instanceof SlurmError) {
    process.stderr.write(`sweep:slurm: ${e.message}\n`);
    process.exit(1);
  }
  if (e instanceof UsageError) {
    process.stderr.write(`sweep:slurm: ${e.message}\n`);
    if (!(e instanceof RefusedError)) process.stderr.write(USAGE + "\n");
    process.exit(2);
  }
  process.stderr.write(`sweep:slurm: failed: ${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
}
