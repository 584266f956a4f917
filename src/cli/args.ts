/**
 * The headless runner's flags: parsing them (each at most once, paths from the folder npm was called from), the
 * usage text, and the checks of what they name (files to read, folders to write into, outputs distinct).
 */
import { accessSync, constants, readFileSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { PRESET_IDS, type PresetId } from "../model/presetTypes.ts";
import { parseScenarioJson, presetScenario, type Scenario } from "../model/scenario.ts";

/** The command is written wrong (exit 2, with the usage text). */
export class UsageError extends Error {}
/** Input refused for what it holds, not for how the command was written: one line, no usage text (exit 2). */
export class RefusedError extends UsageError {}

export const DEFAULT_SAVE_S = 60;

export const USAGE = `usage: npm run sim -- [--scenario FILE | --preset ID] --out RESULT.json [--backend cpu|gpu] [--csv RESULT.csv]
                          [--checkpoint STATE.json [--checkpoint-every SECONDS] [--resume]] [--threads N|auto]
       npm run sim -- --sweep SWEEP.json --out RESULTS.csv [--backend cpu|gpu] [--resume] [--jobs N|auto]
       npm run sim -- --list-presets
--checkpoint saves the run's state and samples so far every --checkpoint-every seconds of wall-clock time, not of
simulated time (default ${DEFAULT_SAVE_S}; 0: every sample), and at the end; --resume continues the same command's
interrupted run from that file, or a sweep from its CSV. Each flag goes once.
--jobs runs a cpu sweep's points N at a time, each in a process of its own (auto: one per CPU core, ${availableParallelism()} here).
--threads shares a single cpu run among N threads (auto: one per CPU core; 1 when not given): the same run to the bit.`;

const OPTIONS = {
  scenario: { type: "string" }, preset: { type: "string" }, sweep: { type: "string" }, out: { type: "string" }, csv: { type: "string" }, checkpoint: { type: "string" },
  backend: { type: "string", default: "cpu" }, "list-presets": { type: "boolean" }, help: { type: "boolean", short: "h" },
  resume: { type: "boolean" }, "checkpoint-every": { type: "string" }, jobs: { type: "string" },
  threads: { type: "string" },
} as const;

/** The runner's flags, their paths made absolute. */
export function parseFlags(argv: string[]) {
  let values, tokens;
  try {
    ({ values, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false, tokens: true }));
    once(tokens);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  // `npm run sim` runs in the project's folder: a relative path means the folder npm was called from (INIT_CWD).
  const from = process.env.npm_lifecycle_event === "sim" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  for (const flag of ["scenario", "sweep", "out", "csv", "checkpoint"] as const) {
    const path = values[flag];
    if (path !== undefined && path !== "") values[flag] = resolve(from, path) + (path.endsWith("/") ? "/" : "");
  }
  return values;
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

export function readScenario(opts: { scenario?: string; preset?: string }): Scenario {
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
