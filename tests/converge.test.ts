/**
 * `npm run converge` (src/cli/converge.ts): the table on hand-made numbers (means, spreads, changes, the observed
 * order), the flags' errors (exit 2 and the message), and one tiny real run on the CPU.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cellCount, plan } from "../src/cli/converge.ts";
import {
  change, CSV_HEADER, fmt, formatTable, METRICS, observedOrder, refinementRatio, seedStats, summarize, tableCsv, type Level, type RunOutcome,
} from "../src/cli/convergeTable.ts";
import { SERIES_FIELDS, type SeriesRow } from "../src/model/metrics.ts";

const converge = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/converge.ts", ...args], { encoding: "utf8" });

/** A run whose every metric is `f` (voltage_V f / 1000, so f mV), its dimension `f` too. */
function run(dx_um: number, seed: number, f: number, stopped: string | null = null): RunOutcome {
  const row = Object.fromEntries(SERIES_FIELDS.map((k) => [k, f])) as SeriesRow;
  row.voltage_V = f / 1000;
  return { dx_um, seed, row, dimension: f, stopped, wall_s: 1 };
}
const level = (dx_um: number, runs: RunOutcome[]): Level => ({ dx_um, nx: 32 / dx_um, ny: 32 / dx_um, runs });

describe("the convergence table", () => {
  it("finds the observed order p = 2 of f(h) = 1 + h^2", () => {
    const f = (h: number) => 1 + h * h;
    expect(observedOrder(f(1), f(0.5), f(0.25), 2)).toBeCloseTo(2, 6);
    expect(Math.abs(observedOrder(f(0.4), f(0.2), f(0.1), 2)! - 2)).toBeLessThan(1e-6);
    expect(observedOrder(1 + 3, 1 + 1, 1 + 1 / 3, 3)).toBeCloseTo(1, 9); // f = 1 + h at h = 3, 1, 1/3
    // Through summarize, on every metric, over four sizes (the three finest count).
    const levels = [2, 1, 0.5, 0.25].map((h) => level(h, [run(h, 1, f(h))]));
    for (const r of summarize(levels)) expect(Math.abs(r.order! - 2)).toBeLessThan(1e-6);
  });

  it("says n/a where the differences are ~0 or change sign, or the ratio is not one", () => {
    expect(observedOrder(1, 1, 1, 2)).toBeNull();
    expect(observedOrder(1.2, 1.1, 1.1, 2)).toBeNull();
    expect(observedOrder(1.2, 1.1, 1.15, 2)).toBeNull(); // not monotone
    expect(observedOrder(NaN, 1, 2, 2)).toBeNull();
    expect(refinementRatio([1, 0.5, 0.25])).toBe(2);
    expect(refinementRatio([2, 1, 0.5, 0.25])).toBe(2);
    expect(refinementRatio([1, 0.5, 0.125])).toBeNull();
    expect(refinementRatio([1, 0.5])).toBeNull();
  });

  it("gives relative changes in % and absolute ones for 0..1 metrics", () => {
    expect(change(1.1, 1, false)).toBeCloseTo(10, 9);
    expect(change(-55, -50, false)).toBeCloseTo(10, 9);
    expect(change(0.9, 0.8, true)).toBeCloseTo(0.1, 12);
    const rows = summarize([level(1, [run(1, 1, 0.8)]), level(0.5, [run(0.5, 1, 0.9)])]);
    const by = (k: string) => rows.find((r) => r.metric.key === k)!;
    expect(by("ce").cells[1]!.change).toBeCloseTo(0.1, 12);
    expect(by("uniformity").cells[1]!.change).toBeCloseTo(0.1, 12);
    expect(by("max_height_um").cells[1]!.change).toBeCloseTo(12.5, 9);
    expect(by("voltage_mV").cells[1]!.change).toBeCloseTo(12.5, 9);
    expect(by("ce").cells[0]!.change).toBeNull();
    expect(rows.every((r) => r.order === null)).toBe(true); // two sizes
  });

  it("shows a value (1 seed), min..max (2), mean ± sample std (3+), every metric with its unit", () => {
    const text = formatTable([
      level(1, [run(1, 1, 2)]),
      level(0.5, [run(0.5, 1, 3), run(0.5, 2, 5)]),
      level(0.25, [run(0.25, 1, 1), run(0.25, 2, 2), run(0.25, 3, 3)]),
    ]);
    const lines = text.split("\n");
    for (const m of METRICS) expect(lines.some((l) => l.startsWith(`${m.key} [${m.unit}]`))).toBe(true);
    const height = lines.find((l) => l.startsWith("max_height_um [um]"))!;
    expect(height).toMatch(/\| 2\.000 +\| 4\.000 \(3\.000\.\.5\.000\) +\| 100\.0 % +\| 2\.000 ± 1\.000 +\| 50\.00 % +\| n\/a$/); // 2, 4, 2: not monotone
    expect(lines.find((l) => l.startsWith("ce [1]"))).toContain("2.000 (abs)");
    expect(lines[0]).toContain("dx 0.25 um (128 x 128)");
    expect(lines[0]).toContain("order p [1] (r = 2)");
    expect(seedStats([1, 2, 3])).toEqual({ mean: 2, std: 1, min: 1, max: 3, n: 3 });
    expect(fmt(4.5e-5)).toBe("4.500e-5");
    expect(fmt(NaN)).toBe("n/a");
  });

  it("reports runs that stopped early, leaving them out of the means, and n/a (gpu) for the dimension", () => {
    const stopped = "the run stopped at t = 40 s: the deposit reached the top of the simulated cell";
    const levels = [level(1, [run(1, 1, 2), run(1, 2, 4)]), level(0.5, [run(0.5, 1, 3), run(0.5, 2, 99, stopped)]), level(0.25, [run(0.25, 1, 9, stopped)])];
    for (const l of levels) for (const r of l.runs) r.dimension = null;
    const text = formatTable(levels, { gpu: true });
    expect(text).toMatch(/^runs \[count\] +\| 2 done +\| 1 done, 1 stopped +\| +\| 0 done, 1 stopped/m);
    expect(text).toMatch(/^max_height_um \[um\] +\| 3\.000 \(2\.000\.\.4\.000\) +\| 3\.000 +\| 0 % +\| stopped +\| n\/a +\| n\/a$/m);
    expect(text).toContain(`stopped early (left out of the means): dx 0.5 um, seed 2: ${stopped}`);
    expect(text).toMatch(/^outline_dimension \[1\] +\| n\/a \(gpu\)/m);
  });

  it("writes one CSV row per metric and cell size", () => {
    const f = (h: number) => 1 + h * h;
    const csv = tableCsv([1, 0.5, 0.25].map((h) => level(h, [run(h, 1, f(h)), run(h, 2, f(h))]))).trim().split("\n");
    expect(csv[0]).toBe(CSV_HEADER);
    expect(csv).toHaveLength(1 + 3 * METRICS.length);
    const finest = csv.find((l) => l.startsWith("max_height_um,um,0.25,"))!.split(",");
    expect(finest.slice(0, 8)).toEqual(["max_height_um", "um", "0.25", "128", "128", "1.0625", "0", "2"]);
    expect(Number(finest[8])).toBeCloseTo((100 * 0.1875) / 1.25, 9);
    expect(Number(finest[9])).toBeCloseTo(2, 6);
    expect(finest[10]).toBe("%");
    expect(csv.find((l) => l.startsWith("ce,1,0.5,"))!.split(",")[10]).toBe("1");
  });
});

describe("the converge command's flags", () => {
  it("refuses a cell size that does not give a power-of-two count, naming dx, W and the count (exit 2)", () => {
    const r = converge(["--preset", "bare", "--width-um", "64", "--dx-um", "1,0.3"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("converge: --dx-um 0.3 with --width-um 64 gives nx = 64 / 0.3 = 213.333 cells; nx must be a whole power of two >= 16");
    expect(() => cellCount("ny", "height-um", 48, 1)).toThrow("--dx-um 1 with --height-um 48 gives ny = 48 / 1 = 48 cells");
    expect(() => cellCount("nx", "width-um", 8, 1)).toThrow(/nx = 8 \/ 1 = 8 cells/);
    expect(cellCount("nx", "width-um", 32, 0.25)).toBe(128);
    expect(cellCount("nx", "width-um", 3.2, 0.1)).toBe(32); // 3.2 / 0.1 is 32.000000000000004 as a double
  });

  it("refuses an unknown preset, an unknown flag and a bad number (exit 2)", () => {
    const preset = converge(["--preset", "gold"]);
    expect(preset.status).toBe(2);
    expect(preset.stderr).toMatch(/^converge: unknown preset "gold"; known: bare, znf2/);
    const flag = converge(["--preset", "bare", "--dx", "1"]);
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("converge: Unknown option '--dx'");
    expect(flag.stderr).toContain("usage: npm run converge");
    expect(() => plan(["--preset", "bare", "--duration-s", "ten"])).toThrow('--duration-s must be a duration in s, a number > 0, got "ten"');
    expect(() => plan(["--preset", "bare", "--dx-um", "1,,0.5"])).toThrow(/comma-separated/);
    expect(() => plan(["--preset", "bare", "--dx-um", "1,0.5,1"])).toThrow("--dx-um gives 1 twice");
    expect(() => plan(["--preset", "bare", "--seeds", "1,x"])).toThrow(/--seeds must be a comma-separated list of whole numbers/);
    expect(() => plan(["--preset", "bare", "--backend", "tpu"])).toThrow("--backend must be cpu or gpu");
    expect(() => plan(["--preset", "bare", "--jobs", "0"])).toThrow(/--jobs must be a whole number/);
    expect(() => plan(["--preset", "bare", "--seeds", "1", "--seeds", "2"])).toThrow("--seeds is given twice");
    expect(() => plan([])).toThrow("--preset ID is required");
  });

  it("passes the scenario's own message on (exit 2)", () => {
    expect(() => plan(["--preset", "bare", "--current-mA-cm2", "1000"])).toThrow(/^current_mA_cm2 = 1000 is out of range/);
    const r = converge(["--preset", "bare", "--current-mA-cm2", "1000", "--width-um", "16", "--dx-um", "1,0.5"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^converge: current_mA_cm2 = 1000 is out of range/);
  });

  it("plans every dx (coarse to fine) x seed with the preset's scenario", () => {
    const p = plan(["--preset", "cof", "--width-um", "32", "--height-um", "16", "--dx-um", "0.5,1", "--seeds", "3,4", "--duration-s", "30", "--jobs", "3"]);
    if (p.help) throw new Error("help");
    expect(p.levels.map((l) => [l.dx_um, l.nx, l.ny])).toEqual([[1, 32, 16], [0.5, 64, 32]]);
    expect(p.runs.map((r) => [r.dx_um, r.seed, r.scenario.grid.nx, r.scenario.seed, r.scenario.coating.preset, r.scenario.duration_s])).toEqual([
      [1, 3, 32, 3, "cof", 30], [1, 4, 32, 4, "cof", 30], [0.5, 3, 64, 3, "cof", 30], [0.5, 4, 64, 4, "cof", 30],
    ]);
    expect(p.jobs).toBe(3);
  });
});

describe("a tiny real run", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-converge-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints every metric row with finite numbers, a progress line per run and the CSV", () => {
    const csv = join(dir, "c.csv");
    const r = converge(["--preset", "bare", "--width-um", "16", "--dx-um", "1,0.5", "--duration-s", "4", "--seeds", "1", "--csv", csv]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[\d\/2\] bare dx 1 um \(16 x 16\) seed 1: done in \d+\.\d s/);
    expect(r.stderr).toMatch(/\[\d\/2\] bare dx 0\.5 um \(32 x 32\) seed 1: done in \d+\.\d s/);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("grid convergence: bare at 10 mA/cm2 for 4 s, a cell 16 um wide and 16 um high, seed 1, cpu backend");
    for (const m of METRICS) {
      const line = lines.find((l) => l.startsWith(`${m.key} [${m.unit}]`));
      expect(line, m.key).toBeDefined();
      const cells = line!.split("|").slice(1).map((s) => s.trim());
      expect(cells, line).toHaveLength(3); // dx 1, dx 0.5, change
      expect(Number.isFinite(Number(cells[0])) && Number.isFinite(Number(cells[1])), line).toBe(true);
      expect(cells[2], line).toMatch(/^\d[\d.e-]* (%|\(abs\))$/);
    }
    const height = Number(lines.find((l) => l.startsWith("max_height_um"))!.split("|")[2]);
    expect(height).toBeGreaterThan(0);
    const rows = readFileSync(csv, "utf8").trim().split("\n");
    expect(rows).toHaveLength(1 + 2 * METRICS.length);
    for (const row of rows.slice(1)) expect(Number.isFinite(Number(row.split(",")[5])), row).toBe(true);
  });
});
