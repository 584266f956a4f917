/**
 * The headless runner's flags: parsing them (each at most once, paths from the folder npm was called from), the
 * usage text, and the checks of what they name (files to read, folders to write into, outputs distinct).
 */
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PRESET_IDS, type PresetId } from "../model/presetTypes.ts";
import { parseScenario, parseScenarioJson, presetScenario, type Scenario } from "../model/scenario.ts";
import { isProtocolPreset, PROTOCOL_LIMITS, PROTOCOL_PRESETS, protocolPreset } from "../model/protocol.ts";

/** The command is written wrong (exit 2, with the usage text). */
export class UsageError extends Error {}
/** Input refused for what it holds, not for how the command was written: one line, no usage text (exit 2). */
export class RefusedError extends UsageError {}

export const DEFAULT_SAVE_S = 60;

export const USAGE = `usage: npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv RESULT.csv]
                          [--checkpoint STATE.json [--checkpoint-every SECONDS] [--resume]] [--threads N|auto]
       npm run sim -- --sweep SWEEP.json --out RESULTS.csv [--backend cpu|gpu] [--resume] [--jobs N|auto]
                          [--protocol symmetric|zn-cu-ce|rest|tafel [--current-mA-cm2 I] [--capacity-mAh-cm2 Q] [--cycles N]]
                          [--cycles-csv CYCLES.csv] [--polarization-csv CURVE.csv]
                          [--shard K/N | --shards N]
       npm run sim -- --merge PART.csv... --out RESULTS.csv
       npm run sim -- --list-presets
--checkpoint saves the run's state and samples so far every --checkpoint-every seconds of wall-clock time, not of
simulated time (default ${DEFAULT_SAVE_S}; 0: every sample), and at the end; --resume continues the same command's
interrupted run from that file, or a sweep from its CSV. Each flag goes once.
--jobs runs a cpu sweep's points N at a time, each in a process of its own (auto: one per CPU core, ${availableParallelism()} here).
--threads shares a single cpu run among N threads (auto: one per CPU core; 1 when not given): the same run to the bit.
--protocol cycles the scenario's cell: symmetric (Zn||Zn: plate Q at I, strip Q or to +0.5 V), zn-cu-ce
(Zn||Cu: plate Q on copper, strip to +0.5 V) or rest (open circuit for the scenario's duration); I defaults to 1 mA/cm2,
Q to 1 mAh/cm2, N to 10; tafel (a planar, 1d electrode: rest 60 s, sweep -150 to +150 mV vs Zn at 1 mV/s; prints
E_corr and i_corr). A rest prints its mixed potential, corrosion current, zinc lost and H2. A scenario
file may carry its own "protocol" instead. --cycles-csv writes the per-cycle table, --polarization-csv a sweep's curve.
--shard K/N runs the sweep points whose index i (from 0) has i mod N = K, to a part file (--resume continues it); without
it, K and N come from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (N from --shards N where given), or from
JOB_COMPLETION_INDEX and --shards N. --merge checks the parts are one sweep's, each point once, and writes the sweep's CSV.`;

const OPTIONS = {
  scenario: { type: "string" }, preset: { type: "string" }, sweep: { type: "string" }, out: { type: "string" }, csv: { type: "string" }, checkpoint: { type: "string" },
  backend: { type: "string", default: "cpu" }, "list-presets": { type: "boolean" }, help: { type: "boolean", short: "h" },
  resume: { type: "boolean" }, "checkpoint-every": { type: "string" }, jobs: { type: "string" },
  threads: { type: "string" }, protocol: { type: "string" }, cycles: { type: "string" }, "capacity-mAh-cm2": { type: "string" },
  "current-mA-cm2": { type: "string" }, "cycles-csv": { type: "string" }, "polarization-csv": { type: "string" },
  shard: { type: "string" }, shards: { type: "string" }, merge: { type: "string" },
} as const;

/** The runner's flags, their paths made absolute; `parts`: --merge's files (the value and the bare names after it, as a shell's PART_*.csv gives them). */
export function parseFlags(argv: string[]) {
  let values, tokens, positionals;
  try {
    ({ values, tokens, positionals } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true, tokens: true }));
    once(tokens);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (positionals.length && values.merge === undefined) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}: only --merge takes more than one file`);
  // `npm run sim` runs in the project's folder: a relative path means the folder npm was called from (INIT_CWD).
  const from = process.env.npm_lifecycle_event === "sim" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  for (const flag of ["scenario", "sweep", "out", "csv", "checkpoint", "cycles-csv", "polarization-csv"] as const) {
    const path = values[flag];
    if (path !== undefined && path !== "") values[flag] = resolve(from, path) + (path.endsWith("/") ? "/" : "");
  }
  const parts = values.merge === undefined ? undefined : [values.merge, ...positionals].map((p) => resolve(from, p));
  return { ...values, parts };
}
export type Flags = ReturnType<typeof parseFlags>;

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

export function saveEvery(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SAVE_S;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new UsageError(`--checkpoint-every must be a number of seconds >= 0 (like 0, 30 or 2.5), got ${JSON.stringify(text)}`);
  return Number(text);
}

/** --jobs: a whole number of processes from 1, or auto (one per CPU core); 1 when not given. */
export function parseJobs(text: string | undefined): number {
  if (text === undefined) return 1;
  if (text === "auto") return availableParallelism();
  if (!/^[1-9]\d{0,3}$/.test(text)) throw new UsageError(`--jobs must be a whole number of processes from 1 to 9999, or auto, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** --threads: a single cpu run's threads, a whole number from 1 to 64, or auto (one per CPU core); 1 when not given. */
export function parseThreads(text: string | undefined): number {
  if (text === undefined) return 1;
  if (text === "auto") return Math.min(64, availableParallelism());
  if (!/^[1-9]\d?$/.test(text) || Number(text) > 64) throw new UsageError(`--threads must be a whole number of threads from 1 to 64, or auto, got ${JSON.stringify(text)}`);
  return Number(text);
}

/**
 * Each output its own file, and none an input: two flags naming one would overwrite each other (a result over the
 * state to resume from, or over the scenario or sweep file it ran).
 */
export function distinct(outputs: Record<string, string | undefined>): void {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(outputs)) {
    if (path === undefined) continue;
    const other = seen.get(resolve(path));
    if (other) throw new UsageError(`--${other} and --${flag} name the same file, ${path}; give each its own`);
    seen.set(resolve(path), flag);
  }
}

/** Every output's folder must exist and be writable before a run starts, so no run is lost at its end. */
export function writable(outputs: Record<string, string | undefined>): void {
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

export function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`cannot read ${what} file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A number flag in [min, max] (whole where `integer`), or `fallback` when not given. */
function numberFlag(name: string, text: string | undefined, fallback: number, min: number, max: number, integer = false): number {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (text.trim() === "" || !Number.isFinite(v) || v < min || v > max || (integer && !Number.isInteger(v))) {
    throw new RefusedError(`--${name} must be ${integer ? "a whole number" : "a number"} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  }
  return v;
}

/** The scenario the flags name, with --protocol's steps where given (Flags: --protocol and its numbers). */
export function readScenario(opts: { scenario?: string; preset?: string; protocol?: string; cycles?: string; "capacity-mAh-cm2"?: string; "current-mA-cm2"?: string }): Scenario {
  const base = readBaseScenario(opts);
  const name = opts.protocol;
  if (name === undefined) {
    for (const f of ["cycles", "capacity-mAh-cm2", "current-mA-cm2"] as const) {
      if (opts[f] !== undefined) throw new UsageError(`--${f} goes with --protocol NAME (${PROTOCOL_PRESETS.map((p) => p.id).join(", ")})`);
    }
    return base;
  }
  if (!isProtocolPreset(name)) throw new UsageError(`unknown protocol ${JSON.stringify(name)}; known: ${PROTOCOL_PRESETS.map((p) => p.id).join(", ")}`);
  if (base.protocol) throw new UsageError("the scenario carries its own protocol; give --protocol only with a scenario that has none");
  if (name === "rest" && (opts.cycles !== undefined || opts["capacity-mAh-cm2"] !== undefined)) {
    throw new UsageError("--protocol rest is one open-circuit step of the scenario's duration_s: --cycles and --capacity-mAh-cm2 do not apply");
  }
  if (name === "tafel" && (opts.cycles !== undefined || opts["capacity-mAh-cm2"] !== undefined || opts["current-mA-cm2"] !== undefined)) {
    throw new UsageError("--protocol tafel is a rest and one potential sweep: --cycles, --capacity-mAh-cm2 and --current-mA-cm2 do not apply");
  }
  const L = PROTOCOL_LIMITS;
  const fields = protocolPreset(name, {
    current_mA_cm2: numberFlag("current-mA-cm2", opts["current-mA-cm2"], 1, L.current_mA_cm2.min, L.current_mA_cm2.max),
    capacity_mAh_cm2: numberFlag("capacity-mAh-cm2", opts["capacity-mAh-cm2"], 1, L.capacity_mAh_cm2.min, L.capacity_mAh_cm2.max),
    cycles: numberFlag("cycles", opts.cycles, 10, L.cycles.min, L.cycles.max, true),
    duration_s: base.duration_s,
  });
  const { protocol: _p, cycles: _c, ...rest } = base;
  return parseScenario({ ...rest, ...fields });
}

function readBaseScenario(opts: { scenario?: string; preset?: string }): Scenario {
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

/** A 1d run is one column whatever the grid's nx: says so where the file gives more, which would otherwise go unused without a word. */
export function noteOneColumn(s: Scenario, what: string): void {
  if (s.mode === "1d" && s.grid.nx !== 1) process.stderr.write(`sim: ${what} is in 1d mode, a planar cell of one column: its grid's nx = ${s.grid.nx} is not used\n`);
}
