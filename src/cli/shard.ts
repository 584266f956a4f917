/**
 * Which shard of a sweep this process runs (`--shard K/N`, or a Slurm array task's or a Kubernetes Indexed Job's
 * environment), and the hashes a part's first line carries: of the validated sweep, and of the code that ran it.
 */
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { PartMeta, Shard } from "../model/sweepPart.ts";
import { sweepFile, type Sweep } from "../model/sweep.ts";
import { RefusedError, UsageError } from "./args.ts";

const WHOLE = /^(0|[1-9]\d{0,5})$/;

/** `K/N`: K from 0 to N - 1. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m || !WHOLE.test(m[1]!) || !WHOLE.test(m[2]!) || Number(m[2]) < 1) {
    throw new UsageError(`--shard must be K/N, shard K (from 0) of N (from 1), like 0/4 or 3/4, got ${JSON.stringify(text)}`);
  }
  const [k, n] = [Number(m[1]), Number(m[2])];
  if (k >= n) throw new UsageError(`--shard ${text}: K must be from 0 to N - 1 = ${n - 1} (the shards of ${n} are 0/${n} to ${n - 1}/${n})`);
  return { k, n };
}

function shardsFlag(text: string): number {
  if (!WHOLE.test(text) || Number(text) < 1) throw new UsageError(`--shards must be a whole number of shards from 1, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** An index from the environment: a whole number below n, else one line naming the variable. */
function envIndex(name: string, value: string, n: number, from: string): number {
  if (!WHOLE.test(value)) throw new RefusedError(`${name}=${JSON.stringify(value)} is not a whole number; give --shard K/N`);
  if (Number(value) >= n) throw new RefusedError(`${name}=${value} is not below the shard count ${n} (${from}); give --shard K/N, or --shards N with N the array's whole size`);
  return Number(value);
}

/**
 * The shard this process runs, with where it came from, or null for the whole sweep: `--shard K/N`; else, where
 * SLURM_ARRAY_TASK_ID is set, that task's index of N = --shards or SLURM_ARRAY_TASK_COUNT (an array of indices 0 to
 * N - 1; --shards lets a resubmitted task, `sbatch --array=2`, keep its place); else JOB_COMPLETION_INDEX (a
 * Kubernetes Indexed Job) of --shards N.
 */
export function shardOf(flags: { shard?: string; shards?: string }, env: NodeJS.ProcessEnv): { shard: Shard; from: string } | null {
  if (flags.shard !== undefined) {
    if (flags.shards !== undefined) throw new UsageError("give --shard K/N or --shards N (the index then from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX), not both");
    return { shard: parseShard(flags.shard), from: "--shard" };
  }
  const n = flags.shards === undefined ? undefined : shardsFlag(flags.shards);
  const task = env.SLURM_ARRAY_TASK_ID;
  if (task !== undefined && task !== "") {
    if (n !== undefined) return { shard: { k: envIndex("SLURM_ARRAY_TASK_ID", task, n, "--shards"), n }, from: "SLURM_ARRAY_TASK_ID, --shards" };
    const count = env.SLURM_ARRAY_TASK_COUNT ?? "";
    if (!WHOLE.test(count) || Number(count) < 1) throw new RefusedError(`SLURM_ARRAY_TASK_ID is set but SLURM_ARRAY_TASK_COUNT is ${JSON.stringify(count)}; give --shards N`);
    if ((env.SLURM_ARRAY_TASK_MIN ?? "0") !== "0" || (env.SLURM_ARRAY_TASK_STEP ?? "1") !== "1") {
      throw new RefusedError(`the Slurm array is not 0 to N - 1 in steps of 1 (SLURM_ARRAY_TASK_MIN=${env.SLURM_ARRAY_TASK_MIN}, SLURM_ARRAY_TASK_STEP=${env.SLURM_ARRAY_TASK_STEP}); give --shards N or --shard K/N`);
    }
    return { shard: { k: envIndex("SLURM_ARRAY_TASK_ID", task, Number(count), "SLURM_ARRAY_TASK_COUNT"), n: Number(count) }, from: "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT" };
  }
  const job = env.JOB_COMPLETION_INDEX;
  if (n !== undefined) {
    if (job === undefined || job === "") throw new UsageError("--shards N takes the shard's index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set; give --shard K/N");
    return { shard: { k: envIndex("JOB_COMPLETION_INDEX", job, n, "--shards"), n }, from: "JOB_COMPLETION_INDEX, --shards" };
  }
  if (job !== undefined && job !== "") process.stderr.write("sim: JOB_COMPLETION_INDEX is set but not --shards N: running the whole sweep (give --shards N to run this pod's shard)\n");
  return null;
}

const sha = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** JSON with every object's keys sorted: the same sweep gives the same text whatever order its file wrote. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

/** The sweep's hash: of its validated form, so spacing, key order and defaults written out or left to fill in do not count. */
export const sweepHash = (sweep: Sweep) => sha(canonical(sweepFile(sweep)));

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The code's hash: every file under src/ and shaders/, and package-lock.json (the dependencies), by path and content. */
export function codeHash(): string {
  const h = createHash("sha256");
  const files = ["src", "shaders"].flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(ROOT, join(e.parentPath ?? e.path, e.name))),
  );
  for (const f of [...files.sort(), "package-lock.json"]) h.update(`${f}\0`).update(readFileSync(join(ROOT, f))).update("\0");
  return h.digest("hex").slice(0, 16);
}

/** A shard's part's first line, for this sweep run here. */
export function partMeta(sweep: Sweep, points: number, shard: Shard, backend: string): PartMeta {
  return { shard, points, sweep: sweepHash(sweep), code: codeHash(), node: process.version, backend };
}
