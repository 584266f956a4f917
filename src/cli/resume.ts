/**
 * What --checkpoint saves and --resume continues from: a single run's state file (written every --checkpoint-every
 * seconds), and a sweep's CSV with the record beside it of which sweep wrote it. A file that does not continue this
 * command's run is refused with one line (RefusedError, exit 2) and kept as it is.
 */
import { existsSync } from "node:fs";
import { coefficients } from "../model/coefficients.ts";
import { ScenarioError, type Scenario } from "../model/scenario.ts";
import { sweepCsvDone, type Sweep, type sweepPoints } from "../model/sweep.ts";
import { partDone, shardText, type PartMeta } from "../model/sweepPart.ts";
import { runStateFromJson, runStateToJson } from "../reference/checkpointJson.ts";
import { checkResume, type PartialRun, type RunOptions } from "../reference/run.ts";
import type { Checkpoint } from "../reference/solver.ts";
import { ProtocolClock } from "../model/protocolClock.ts";
import { checkProtocolResume, type ProtocolRunState } from "../reference/protocolRun.ts";
import { protocolStateFromJson, protocolStateToJson } from "../reference/protocolStateJson.ts";
import { readText, RefusedError, UsageError } from "./args.ts";
import { writeWhole } from "./atomicWrite.ts";

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
export function readResume(file: string, scenario: Scenario): PartialRun | undefined {
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
export function periodicSave<CP extends Checkpoint | Promise<Checkpoint>>(file: string, scenario: Scenario, everyS: number): RunOptions<CP>["save"] {
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

/** --resume of a protocol run: its state in `file` if it continues `scenario`, undefined where the file is not there yet. */
export function readProtocolResume(file: string, scenario: Scenario): ProtocolRunState | undefined {
  if (!existsSync(file)) {
    process.stderr.write(`sim: --resume: ${file} is not there yet; starting the run at t = 0\n`);
    return undefined;
  }
  const bad = (why: string) => new RefusedError(`--resume: ${file} ${why}; nothing was run (leave out --resume to start over, which replaces it)`);
  let read;
  try {
    read = protocolStateFromJson(readText(file, "checkpoint"));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw bad(`cannot be resumed: ${(e as Error).message.replace(/^checkpoint: /, "")}`);
  }
  const diff = firstDifference(read.scenario, scenario);
  if (diff) throw bad(`holds a run of another scenario (${diff})`);
  try {
    checkProtocolResume(read.state, coefficients(scenario), new ProtocolClock(scenario));
  } catch (e) {
    throw bad(`cannot be resumed: ${(e as Error).message}`);
  }
  const row = read.state.series.at(-1);
  process.stderr.write(`sim: resuming from ${file}: t = ${(row?.t_s ?? 0).toFixed(1)} s, cycle ${row?.cycle ?? 1}, ${read.state.log.rows.length} cycle(s) done\n`);
  return read.state;
}

/** What a protocol run's --checkpoint hook is given: the state (a promise on the GPU, whose copy is read back) and whether the run is done. */
export type ProtocolSave = (take: () => ProtocolRunState | Promise<ProtocolRunState>, done: boolean) => void | Promise<void>;

/** A protocol run's --checkpoint hook: its state every `everyS` seconds of wall-clock time, and at the end. */
export function protocolSave(file: string, scenario: Scenario, everyS: number): ProtocolSave {
  let last = performance.now();
  return (take, done) => {
    if (!done && performance.now() - last < everyS * 1000) return;
    const write = (st: ProtocolRunState) => {
      writeWhole(file, protocolStateToJson(scenario, st));
      last = performance.now();
    };
    const st = take();
    return st instanceof Promise ? st.then(write) : write(st);
  };
}

/** The record beside a sweep's CSV (or a shard's part) of what wrote it (the whole validated sweep, the backend, the shard), which --resume checks. */
export const sweepRecordOf = (out: string) => `${out}.sweep.json`;
export const sweepRecord = (sweep: Sweep, backend: string, part?: PartMeta) => (part ? { sweep, backend, shard: shardText(part.shard) } : { sweep, backend });

/**
 * --resume of a sweep: the lines of the points done in `out`, the CSV an interrupted run of the same sweep on the
 * same backend wrote (its record says which), none where it is not there yet. With `part`: of a shard, `points`
 * its points, `out` its part (whose first line must be `part`'s).
 */
export function readSweepDone(sweep: Sweep, points: ReturnType<typeof sweepPoints>, out: string, backend: string, part?: PartMeta): string[] {
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
  const diff = firstDifference(record, JSON.parse(JSON.stringify(sweepRecord(sweep, backend, part))));
  if (diff) throw refuse(`${recordFile} says it was another (${diff})`);
  try {
    const text = readText(out, "sweep results");
    const done = part ? partDone(sweep, points, part, text) : sweepCsvDone(sweep, points, text);
    process.stderr.write(`sim: resuming the ${part ? `shard ${shardText(part.shard)}` : "sweep"} from ${out}: ${done.length} of ${points.length} points done\n`);
    return done;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw refuse(e.message);
  }
}
