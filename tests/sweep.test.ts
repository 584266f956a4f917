/** Parameter sweeps: clear messages for bad sweep files, the exact grid, and rows identical to single runs. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERIES_FIELDS } from "../src/model/metrics.ts";
import { ScenarioError } from "../src/model/scenario.ts";
import { DEFAULT_SWEEP_METRICS, parseSweep, parseSweepJson, sweepCsvDone, sweepLineStop, sweepPoints, sweepRowsToCsv } from "../src/model/sweep.ts";

const base = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 20, samples: 2, coating: { preset: "znf2" } };
const axis = (over: Record<string, unknown> = {}) => ({ param: "coating.t_plus", from: 0.3, to: 0.95, steps: 6, ...over });

const message = (raw: unknown) => {
  try {
    parseSweep(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m).not.toContain("\n");
    return m;
  }
  throw new Error("expected a ScenarioError");
};

describe("sweep validation", () => {
  it("fills the defaults: linear scale, every series field but t_s, the last sample", () => {
    const s = parseSweep({ base, axes: [axis()] });
    expect(s.axes[0]).toEqual({ param: "coating.t_plus", from: 0.3, to: 0.95, steps: 6, scale: "linear" });
    expect(s.metrics).toEqual(SERIES_FIELDS.filter((f) => f !== "t_s"));
    expect(s.metrics).toEqual([...DEFAULT_SWEEP_METRICS]);
    expect(s.at).toBe("end");
    expect(s.base.electrolyte.c0_M).toBe(2);
  });

  it("names an unknown parameter", () => {
    expect(message({ base, axes: [axis({ param: "coating.colour" })] })).toMatch(/axes\[0\]\.param is not a sweepable parameter: "coating\.colour"/);
    expect(message({ base, axes: [axis({ param: "duration_s" })] })).toMatch(/"duration_s"/);
  });

  it("names the param, its value and its allowed range for an out-of-range from or to", () => {
    expect(message({ base, axes: [axis({ to: 1.5 })] })).toBe("axes[0].to: coating.t_plus = 1.5 is out of range: allowed 0.1 to 1 (Zn2+ transference number)");
    expect(message({ base, axes: [axis(), { param: "current_mA_cm2", from: 0.01, to: 10, steps: 3 }] })).toMatch(
      /axes\[1\]\.from: current_mA_cm2 = 0\.01 is out of range: allowed 0\.1 to 100 mA\/cm2/,
    );
    expect(message({ base, axes: [{ param: "electrolyte.c0_M", from: 1, to: 9, steps: 3 }] })).toMatch(/electrolyte\.c0_M = 9 is out of range: allowed 0\.05 to 4 M/);
  });

  it("refuses too many points, bad steps and a log scale through 0", () => {
    expect(message({ base, axes: [axis({ steps: 20 }), { param: "seed", from: 1, to: 20, steps: 20 }] })).toMatch(/20 x 20 = 400 points; at most 200/);
    expect(message({ base, axes: [axis({ steps: 51 })] })).toMatch(/axes\[0\]\.steps = 51 is out of range: a whole number from 1 to 50/);
    expect(message({ base, axes: [axis({ steps: 0 })] })).toMatch(/steps = 0/);
    expect(message({ base, axes: [{ param: "coating.thickness_nm", from: 0, to: 1000, steps: 4, scale: "log" }] })).toMatch(
      /axes\[0\]\.scale: a log scale needs from and to > 0, got from = 0, to = 1000/,
    );
    expect(message({ base, axes: [axis({ steps: 1 })] })).toMatch(/steps = 1 .* to must equal from/);
  });

  it("refuses other malformed sweeps with one clear line", () => {
    expect(message({ axes: [axis()] })).toMatch(/^base is required/);
    expect(message({ base: { coating: { preset: "gold" } }, axes: [axis()] })).toMatch(/^base: coating\.preset .*"gold"/);
    expect(message({ base, axes: [] })).toMatch(/axes needs at least one axis/);
    expect(message({ base, axes: [axis(), axis(), axis()] })).toMatch(/axes has 3 axes; at most 2/);
    expect(message({ base, axes: [axis(), axis({ steps: 2 })] })).toMatch(/coating\.t_plus is on two axes/);
    expect(message({ base, axes: [axis({ colour: 1 })] })).toMatch(/axes\[0\]: unknown field.*colour/);
    expect(message({ base, axes: [axis({ scale: "cubic" })] })).toMatch(/axes\[0\]\.scale must be "linear" or "log"/);
    expect(message({ base, axes: [axis()], metrics: ["h2"] })).toMatch(/metrics\[0\] is not a series field: "h2"/);
    expect(message({ base, axes: [axis()], at: "max" })).toMatch(/at must be "end"/);
    expect(message({ base, axes: [{ param: "seed", from: 1, to: 10, steps: 3 }] })).toMatch(/seed takes whole numbers, but 1 to 10 in 3 linear steps gives 5\.5/);
    expect(message([1])).toMatch(/sweep must be a JSON object/);
    expect(() => parseSweepJson("{ nope")).toThrow(/sweep is not valid JSON/);
  });

  it("fails up front, naming the point, when one point is not a valid scenario (coating ohmic drop)", () => {
    const m = message({
      base: { current_mA_cm2: 100, coating: { preset: "ptfe", sigma_mS_cm: 0.5 } },
      axes: [{ param: "current_mA_cm2", from: 1, to: 100, steps: 2 }, { param: "coating.thickness_nm", from: 0, to: 50000, steps: 3 }],
    });
    expect(m).toMatch(/^sweep point 6\/6 \(current_mA_cm2 = 100, coating\.thickness_nm = 50000\): coating: ohmic drop .* exceeds 0\.5 V/);
  });
});

describe("sweep grid", () => {
  it("builds the 2-axis grid, first axis outer, with exact linear and log spacing", () => {
    const s = parseSweep({
      base,
      axes: [axis(), { param: "electrolyte.D_m2_s", from: 1e-11, to: 1e-9, steps: 3, scale: "log" }],
    });
    const points = sweepPoints(s);
    expect(points).toHaveLength(18);
    const tPlus = [0.3, 0.43, 0.56, 0.69, 0.82, 0.95];
    const d = [1e-11, 1e-10, 1e-9];
    expect(points.map((p) => p.values)).toEqual(tPlus.flatMap((t) => d.map((x) => [t, x])));
    expect(points.map((p) => p.index)).toEqual([...Array(18).keys()]);
    for (const p of points) {
      expect(p.scenario.coating).toEqual({ preset: "znf2", t_plus: p.values[0] });
      expect(p.scenario.electrolyte.D_m2_s).toBe(p.values[1]);
      expect(p.scenario.grid).toEqual(base.grid);
    }
    const log = sweepPoints(parseSweep({ base, axes: [{ param: "current_mA_cm2", from: 100, to: 0.1, steps: 4, scale: "log" }] }));
    expect(log.map((p) => p.values[0])).toEqual([100, 10, 1, 0.1]);
    expect(log.map((p) => p.scenario.current_mA_cm2)).toEqual([100, 10, 1, 0.1]);
    const seeds = sweepPoints(parseSweep({ base, axes: [{ param: "seed", from: 1, to: 10, steps: 4 }] }));
    expect(seeds.map((p) => p.scenario.seed)).toEqual([1, 4, 7, 10]);
  });

  it("writes the CSV header (axis params, then metrics) and the last row of each run", () => {
    const s = parseSweep({ base, axes: [axis({ steps: 2, to: 0.4 })], metrics: ["h2_mmol_cm2", "ce"] });
    const points = sweepPoints(s);
    const row = (h: number) => Object.fromEntries(SERIES_FIELDS.map((f) => [f, f === "h2_mmol_cm2" ? h : 0.5])) as Record<(typeof SERIES_FIELDS)[number], number>;
    expect(sweepRowsToCsv(s, points, [[row(9), row(1e-7)], [row(2.5e-6)]])).toBe("coating.t_plus,h2_mmol_cm2,ce,stopped\n0.3,1e-7,0.5,\n0.4,0.0000025,0.5,\n");
    expect(sweepRowsToCsv(s, points, [])).toBe("coating.t_plus,h2_mmol_cm2,ce,stopped\n");
  });

  it("marks a point that stopped early in its stopped column, and resumes such rows", () => {
    const s = parseSweep({ base, axes: [axis({ steps: 3, to: 0.5 })], metrics: ["max_height_um", "voltage_V"] });
    const points = sweepPoints(s);
    const row = (h: number, v: number) => Object.fromEntries(SERIES_FIELDS.map((f) => [f, f === "max_height_um" ? h : f === "voltage_V" ? v : 0.5])) as Record<(typeof SERIES_FIELDS)[number], number>;
    // The base grid's room above the substrate: a deposit within a cell of it has crossed the cell.
    const room = (base.grid.ny - 3) * base.grid.dx_um;
    const csv = sweepRowsToCsv(s, points, [[row(2, -0.05)], [row(room, -0.05)], [row(2, NaN)]]);
    const lines = csv.trim().split("\n");
    expect(lines.slice(1)).toEqual(["0.3,2,-0.05,", `0.4,${room},-0.05,dendrite`, "0.5,2,NaN,not_finite"]);
    expect(lines.slice(1).map(sweepLineStop)).toEqual([null, "dendrite", "not_finite"]);
    // A resumed sweep reads them back; a NaN where the point did not stop, or a stop it does not know, is refused.
    expect(sweepCsvDone(s, points, csv)).toEqual(lines.slice(1));
    expect(() => sweepCsvDone(s, points, [lines[0], "0.3,2,NaN,"].join("\n"))).toThrow(/row 1 \(line 2\): voltage_V = "NaN" is not a finite number/);
    expect(() => sweepCsvDone(s, points, [lines[0], "0.3,2,-0.05,melted"].join("\n"))).toThrow(/stopped = "melted" is not empty or one of dendrite, not_finite/);
    // A CSV from before the column: named as such.
    expect(() => sweepCsvDone(s, points, "coating.t_plus,max_height_um,voltage_V\n0.3,2,-0.05\n")).toThrow(/written before the stopped column was added/);
  });
});

describe("the runner's --sweep", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-sweep-"));
  const sim = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", ...args], { encoding: "utf8" });
  const csvRows = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(","));

  it("writes rows identical to the final rows of single runs of each point (cpu)", () => {
    const raw = { base, axes: [{ param: "coating.t_plus", from: 0.4, to: 0.9, steps: 2 }] };
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify(raw));
    const r = sim(["--sweep", file, "--out", join(dir, "sweep.csv")]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/sim: sweep point 1\/2 \(coating\.t_plus = 0\.4\): done in \d+\.\d s/);
    expect(r.stderr).toMatch(/sim: sweep point 2\/2 \(coating\.t_plus = 0\.9\): done in/);
    const [header, ...rows] = csvRows(join(dir, "sweep.csv"));
    expect(header).toEqual(["coating.t_plus", ...SERIES_FIELDS.filter((f) => f !== "t_s"), "stopped"]);
    expect(rows).toHaveLength(2);

    const points = sweepPoints(parseSweep(raw));
    for (const [i, p] of points.entries()) {
      const one = join(dir, `point${i}.json`);
      writeFileSync(one, JSON.stringify(p.scenario));
      const single = sim(["--scenario", one, "--out", join(dir, `point${i}.out.json`), "--csv", join(dir, `point${i}.csv`)]);
      expect(single.status, single.stderr).toBe(0);
      const [h, ...series] = csvRows(join(dir, `point${i}.csv`));
      const last = series.at(-1)!;
      expect(rows[i]![0]).toBe(String(p.values[0]));
      for (const [k, field] of header!.slice(1, -1).entries()) expect(rows[i]![k + 1], field).toBe(last[h!.indexOf(field)]);
      expect(rows[i]!.at(-1), "ran to its end").toBe("");
    }
  });

  it("exits 2 with one clear line for a bad sweep or conflicting flags", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ base, axes: [axis({ to: 1.5 })] }));
    const r = sim(["--sweep", bad, "--out", join(dir, "x.csv")]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe("sim: axes[0].to: coating.t_plus = 1.5 is out of range: allowed 0.1 to 1 (Zn2+ transference number)");
    const ok = join(dir, "ok.json");
    writeFileSync(ok, JSON.stringify({ base, axes: [axis()] }));
    expect(sim(["--sweep", ok, "--preset", "bare", "--out", join(dir, "x.csv")]).stderr).toMatch(/either --sweep or --scenario/);
    expect(sim(["--sweep", ok]).status).toBe(2);
    expect(sim(["--sweep", join(dir, "missing.json"), "--out", join(dir, "x.csv")]).stderr).toMatch(/cannot read sweep file/);
  });
});
