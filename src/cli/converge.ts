/**
 * Grid convergence: `npm run converge -- --preset ID [--dx-um 1,0.5,0.25] [--seeds 1,2] ...` runs one physical
 * scenario at several cell sizes (and seeds) and prints how the final sample's metrics change with the cell size.
 * Exit status: 0 done (runs that stopped early are in the table, marked), 2 bad input, 1 a run failed.
 *
 * The parts: this file (flags, the scenarios, output), convergeRuns.ts (the runs in child processes;
 * converge-job.ts the cpu one), convergeTable.ts (the table and its CSV, pure).
 */
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PRESET_IDS } from "../model/presetTypes.ts";
import { parseScenario, ScenarioError } from "../model/scenario.ts";
import { parseJobs, UsageError, writable } from "./args.ts";
import { writeWhole } from "./atomicWrite.ts";
import { ConvergeRunError, runAll, type PlannedRun } from "./convergeRuns.ts";
import { formatTable, tableCsv, type Level } from "./convergeTable.ts";

export const CONVERGE_USAGE = `usage: npm run converge -- --preset ID [--current-mA-cm2 I] [--duration-s T] [--width-um W] [--height-um H]
                            [--dx-um 1,0.5,0.25] [--seeds 1,2,3] [--backend cpu|gpu] [--jobs N|auto] [--csv OUT.csv]
Runs one scenario, the preset's coating at I mA/cm2 for T s (default: the model's, as npm run sim -- --preset ID),
in a cell W um wide (default 64) and H um high (default W), at each cell size dx in um (default 1,0.5,0.25; coarse
to fine), on nx = W/dx by ny = H/dx cells (each must be a whole power of two >= 16), for each seed (default 1).
Prints on stdout a table of the final sample's metrics and the box-counting dimension of the deposit's outline:
per dx the mean over seeds (min..max with 2 seeds, +- sample std with 3 or more), the change from the next coarser
dx (|a-b|/|b| in %; |a-b| for uniformity and ce, which are 0..1), and with 3 or more sizes the observed order
p = log(|f1-f2|/|f2-f3|)/log(r) of the three finest. Runs that stop early are marked and left out of the means.
--backend gpu runs each through npm run sim's gpu backend (no outline dimension: its result has no final field).
--jobs: runs at a time, each in a process of its own (default: one per CPU core, at most the runs; gpu: 1).
--csv also writes the table as CSV (a row per metric and dx). Progress goes to stderr, a line per finished run.`;

const OPTIONS = {
  preset: { type: "string" }, "current-mA-cm2": { type: "string" }, "duration-s": { type: "string" }, "width-um": { type: "string" },
  "height-um": { type: "string" }, "dx-um": { type: "string" }, seeds: { type: "string" }, backend: { type: "string" },
  jobs: { type: "string" }, csv: { type: "string" }, help: { type: "boolean", short: "h" },
} as const;

const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A positive number given to `--flag`. */
export function positive(flag: string, text: string, what: string): number {
  const v = Number(text);
  if (!NUMBER.test(text.trim()) || !Number.isFinite(v) || v <= 0) throw new UsageError(`--${flag} must be ${what}, a number > 0, got ${JSON.stringify(text)}`);
  return v;
}

/** A comma-separated list given to `--flag`, each item through `one`, none twice. */
function list<T>(flag: string, text: string, one: (item: string) => T): T[] {
  const items = text.split(",").map((s) => s.trim());
  if (items.some((s) => s === "")) throw new UsageError(`--${flag} must be a comma-separated list (like 1,0.5,0.25), got ${JSON.stringify(text)}`);
  const values = items.map(one);
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) throw new UsageError(`--${flag} gives ${twice} twice, in ${JSON.stringify(text)}`);
  return values;
}

/** Cells across `length_um` at `dx_um`: a whole power of two >= 16, else a UsageError naming dx, the length and the count. */
export function cellCount(axis: "nx" | "ny", flag: string, length_um: number, dx_um: number): number {
  const n = length_um / dx_um, whole = Math.round(n);
  if (Math.abs(n - whole) > 1e-9 * n || whole < 16 || (whole & (whole - 1)) !== 0) {
    throw new UsageError(`--dx-um ${dx_um} with --${flag} ${length_um} gives ${axis} = ${length_um} / ${dx_um} = ${Number(n.toPrecision(6))} cells; ${axis} must be a whole power of two >= 16 (16, 32, 64, ...)`);
  }
  return whole;
}

/** The flags, checked, and every run's scenario, validated (parseScenario) before any runs. */
export function plan(argv: string[]) {
  let values, tokens;
  try {
    ({ values, tokens } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false, tokens: true }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== "option") continue;
    if (seen.has(t.name)) throw new UsageError(`--${t.name} is given twice; give it once`);
    seen.add(t.name);
  }
  if (values.help) return { help: true as const };
  const preset = values.preset;
  if (preset === undefined) throw new UsageError("--preset ID is required (npm run sim -- --list-presets lists them)");
  if (!(PRESET_IDS as readonly string[]).includes(preset)) throw new UsageError(`unknown preset ${JSON.stringify(preset)}; known: ${PRESET_IDS.join(", ")}`);
  const backend: string = values.backend ?? "cpu";
  if (backend !== "cpu" && backend !== "gpu") throw new UsageError(`--backend must be cpu or gpu, got ${JSON.stringify(backend)}`);
  const width = values["width-um"] === undefined ? 64 : positive("width-um", values["width-um"], "the cell's width in um");
  const height = values["height-um"] === undefined ? width : positive("height-um", values["height-um"], "the cell's height in um");
  const dxs = list("dx-um", values["dx-um"] ?? "1,0.5,0.25", (s) => positive("dx-um", s, "a list of cell sizes in um")).sort((a, b) => b - a);
  const seeds = list("seeds", values.seeds ?? "1", (s) => {
    if (!/^\d{1,10}$/.test(s)) throw new UsageError(`--seeds must be a comma-separated list of whole numbers >= 0 (like 1,2,3), got ${JSON.stringify(values.seeds)}`);
    return Number(s);
  });
  const operation: Record<string, number> = {};
  if (values["current-mA-cm2"] !== undefined) operation.current_mA_cm2 = positive("current-mA-cm2", values["current-mA-cm2"], "a current density in mA/cm2");
  if (values["duration-s"] !== undefined) operation.duration_s = positive("duration-s", values["duration-s"], "a duration in s");
  const levels: Level[] = [];
  const runs: PlannedRun[] = [];
  for (const dx_um of dxs) {
    const grid = { nx: cellCount("nx", "width-um", width, dx_um), ny: cellCount("ny", "height-um", height, dx_um), dx_um };
    levels.push({ ...grid, runs: [] });
    for (const seed of seeds) runs.push({ dx_um, seed, scenario: parseScenario({ mode: "2d", grid, seed, ...operation, coating: { preset } }) });
  }
  const jobs = values.jobs === undefined ? (backend === "gpu" ? 1 : Math.min(availableParallelism(), runs.length)) : parseJobs(values.jobs);
  // `npm run converge` runs in the project's folder: a relative path means the folder npm was called from (INIT_CWD).
  const from = process.env.npm_lifecycle_event === "converge" && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
  const csv = values.csv === undefined ? undefined : resolve(from, values.csv);
  if (csv !== undefined) writable({ csv });
  return { help: false as const, preset, backend: backend as "cpu" | "gpu", width, height, seeds, levels, runs, jobs, csv };
}

async function main(argv: string[]): Promise<number> {
  const p = plan(argv);
  if (p.help) {
    process.stdout.write(CONVERGE_USAGE + "\n");
    return 0;
  }
  const s = p.runs[0]!.scenario;
  const title = `${p.preset} at ${s.current_mA_cm2} mA/cm2 for ${s.duration_s} s, a cell ${p.width} um wide and ${p.height} um high, seed${p.seeds.length > 1 ? "s" : ""} ${p.seeds.join(", ")}, ${p.backend} backend`;
  process.stderr.write(`converge: ${p.runs.length} runs (${title}), ${Math.min(p.jobs, p.runs.length)} at a time\n`);
  // The finest cells first: they take longest, so the pool ends sooner.
  const order = [...p.runs].sort((a, b) => a.dx_um - b.dx_um || a.seed - b.seed);
  let done = 0;
  const t0 = performance.now();
  const outcomes = await runAll(order, p.backend, p.jobs, (o) => {
    const l = p.levels.find((x) => x.dx_um === o.dx_um)!;
    const how = o.stopped ? `stopped early (${o.stopped.split(":")[0]})` : "done";
    process.stderr.write(`converge: [${++done}/${p.runs.length}] ${p.preset} dx ${o.dx_um} um (${l.nx} x ${l.ny}) seed ${o.seed}: ${how} in ${o.wall_s.toFixed(1)} s\n`);
  });
  for (const l of p.levels) l.runs = p.seeds.map((seed) => outcomes.find((o) => o.dx_um === l.dx_um && o.seed === seed)!);
  process.stderr.write(`converge: all ${p.runs.length} runs done in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`grid convergence: ${title}\n` + formatTable(p.levels, { gpu: p.backend === "gpu" }));
  if (p.csv) {
    writeWhole(p.csv, tableCsv(p.levels));
    process.stderr.write(`converge: the table is in ${p.csv}\n`);
  }
  return 0;
}

// Run as the command (not when a test imports plan or cellCount).
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      if (e instanceof ScenarioError || e instanceof UsageError) {
        process.stderr.write(`converge: ${(e as Error).message}\n`);
        if (e instanceof UsageError && /^Unknown option|^Option/.test(e.message)) process.stderr.write(CONVERGE_USAGE + "\n");
        process.exit(2);
      }
      process.stderr.write(`converge: ${e instanceof ConvergeRunError ? e.message : `failed: ${(e as Error)?.stack ?? String(e)}`}\n`);
      process.exit(1);
    },
  );
}
