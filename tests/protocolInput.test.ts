/**
 * Protocols as input: a malformed protocol gets one clear line naming the step, the field, its value and its range;
 * the runner's --protocol flags, its per-cycle CSV, a killed protocol run resumed to the same table, and a sweep's
 * cycle figures.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CYCLE_FIELDS } from "../src/model/cycleLog.ts";
import { parseScenario, ScenarioError } from "../src/model/scenario.ts";
import { parseSweep } from "../src/model/sweep.ts";
import { runSweepPoint } from "../src/reference/run.ts";

const message = (raw: unknown) => {
  try {
    parseScenario({ coating: { preset: "bare" }, ...(raw as object) });
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error("expected a ScenarioError");
};

describe("protocol validation", () => {
  it("names the step, the field, the value and the range", () => {
    expect(message({ protocol: [{ step: "plate", current_mA_cm2: 500, until: { time_s: 10 } }] })).toBe(
      "protocol.0.current_mA_cm2 = 500 is out of range: allowed 0.1 to 100 mA/cm2 (step current)",
    );
    expect(message({ protocol: [{ step: "plate", until: { time_s: 10 } }, { step: "boil", until: { time_s: 1 } }] })).toBe('protocol.1.step must be "plate", "strip", "rest" or "sweep", got "boil"');
    expect(message({ protocol: [{ step: "strip", until: { voltage_V: 0.3 } }] })).toMatch(/^protocol\.0\.until of a strip step needs time_s or capacity_mAh_cm2/);
    expect(message({ protocol: [{ step: "strip", until: { capacity_mAh_cm2: 1, voltage_V: -0.1 } }] })).toMatch(/^protocol\.0\.until\.voltage_V = -0\.1 must be above 0 V for a strip step/);
    expect(message({ protocol: [{ step: "rest", current_mA_cm2: 1, until: { time_s: 10 } }] })).toMatch(/^protocol\.0\.current_mA_cm2 = 1: a rest step is at open circuit/);
    expect(message({ protocol: [{ step: "plate", until: { time_s: 10, hours: 2 } }] })).toBe('protocol.0.until: unknown field(s) "hours"');
    expect(message({ protocol: [] })).toBe("protocol must have at least one step");
    expect(message({ cycles: 3 })).toMatch(/^cycles = 3 repeats a protocol, and the scenario has none/);
    expect(message({ protocol: [{ step: "plate", until: { time_s: 10 } }], cycles: 2.5 })).toBe("cycles must be a whole number (cycles)");
    expect(message({ protocol: [{ step: "plate", until: { time_s: 1e6 } }], cycles: 2 })).toMatch(/^protocol: 2 cycle\(s\) of these steps last up to 2000000 s, more than the 1000000 s/);
    expect(message({ substrate: "gold" })).toBe('substrate must be "zn" or "cu", got "gold"');
  });

  it("fills each step's current, sets the time step's current and the protocol's longest length, and outlasts its zinc", () => {
    const s = parseScenario({
      coating: { preset: "bare" }, current_mA_cm2: 2,
      protocol: [{ step: "plate", until: { capacity_mAh_cm2: 1 } }, { step: "strip", current_mA_cm2: 4, until: { capacity_mAh_cm2: 1 } }, { step: "rest", until: { time_s: 100 } }],
      cycles: 4,
    });
    expect(s.protocol![0]!.current_mA_cm2).toBe(2);
    expect(s.current_mA_cm2).toBe(4);
    expect(s.duration_s).toBeCloseTo(4 * (1800 + 900 + 100), 9);
    // 4 mAh/cm2 stripped at most: 6.8 um of zinc, a quarter of it on top of the model's 3 um; and 400 s at rest at
    // bare Zn's corrosion current (0.5 A/m2: 0.07 um), in tenths of a um.
    expect(s.substrate_um).toBeCloseTo(3 + 1.8 + 0.1, 9);
    // Parsing the parsed scenario gives it back (the app and the runner's files round-trip).
    expect(parseScenario(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});

describe("the runner with a protocol", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-proto-"));
  const sim = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", ...args], { encoding: "utf8" });
  const scen = join(dir, "s.json");
  writeFileSync(scen, JSON.stringify({ coating: { preset: "bare" }, grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 30 }));
  const args = ["--scenario", scen, "--protocol", "symmetric", "--current-mA-cm2", "10", "--capacity-mAh-cm2", "0.02", "--cycles", "3"];

  it("writes the series with the protocol's columns, and the per-cycle table", () => {
    const r = sim([...args, "--out", join(dir, "r.json"), "--csv", join(dir, "r.csv"), "--cycles-csv", join(dir, "c.csv")]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/cycle 3: plated 0\.0200 mAh\/cm2, stripped 0\.0200 mAh\/cm2/);
    const header = readFileSync(join(dir, "r.csv"), "utf8").split("\n")[0]!;
    expect(header.endsWith(",cycle,step,current_mA_cm2,charge_mAh_cm2,dead_zn_mAh_cm2")).toBe(true);
    const cycles = readFileSync(join(dir, "c.csv"), "utf8").trim().split("\n");
    expect(cycles[0]).toBe(CYCLE_FIELDS.join(","));
    expect(cycles).toHaveLength(4);
    expect(JSON.parse(readFileSync(join(dir, "r.json"), "utf8")).cycles).toHaveLength(3);
  });

  it("refuses what it cannot do with one line: bad flags, --threads on the gpu backend", () => {
    const bad = (extra: string[], match: RegExp) => {
      const r = sim([...extra, "--out", join(dir, "x.json")]);
      expect(r.status).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(match);
    };
    bad(["--preset", "bare", "--protocol", "wobble"], /^sim: unknown protocol "wobble"; known: symmetric, zn-cu-ce, rest, tafel/);
    bad(["--preset", "bare", "--cycles", "3"], /^sim: --cycles goes with --protocol NAME/);
    bad(["--preset", "bare", "--protocol", "symmetric", "--capacity-mAh-cm2=-1"], /^sim: --capacity-mAh-cm2 must be a number from 0.001 to 100, got "-1"/);
    bad(["--preset", "bare", "--protocol", "symmetric", "--backend", "gpu", "--threads", "2"], /^sim: --threads is for the cpu backend/);
    bad(["--preset", "bare", "--cycles-csv", join(dir, "c2.csv")], /^sim: --cycles-csv is the per-cycle table of a protocol run/);
  });

  it("a protocol run killed mid-cycle and resumed gives the same series and cycle table", async () => {
    const whole = sim([...args, "--out", join(dir, "w.json"), "--cycles-csv", join(dir, "w.csv")]);
    expect(whole.status, whole.stderr).toBe(0);
    const state = join(dir, "state.json");
    // Saved after every sample; killed once a few samples are saved (as a batch job past its time is).
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/sim.ts", ...args, "--out", join(dir, "k.json"), "--cycles-csv", join(dir, "k.csv"), "--checkpoint", state, "--checkpoint-every", "0"]);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    const saved = () => { try { return JSON.parse(readFileSync(state, "utf8")).series.length as number; } catch { return 0; } };
    while (saved() < 8 && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
    child.kill("SIGKILL");
    expect(await exited).toBeNull();
    expect(saved()).toBeLessThan(30);
    const resumed = sim([...args, "--out", join(dir, "k.json"), "--cycles-csv", join(dir, "k.csv"), "--checkpoint", state, "--resume"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toMatch(/resuming from/);
    expect(readFileSync(join(dir, "k.csv"), "utf8")).toBe(readFileSync(join(dir, "w.csv"), "utf8"));
    expect(JSON.parse(readFileSync(join(dir, "k.json"), "utf8")).series).toEqual(JSON.parse(readFileSync(join(dir, "w.json"), "utf8")).series);
    // Another scenario's state is refused, not run.
    const other = sim(["--scenario", scen, "--protocol", "symmetric", "--current-mA-cm2", "5", "--capacity-mAh-cm2", "0.02", "--cycles", "3", "--out", join(dir, "o.json"), "--checkpoint", state, "--resume"]);
    expect(other.status).toBe(2);
    expect(other.stderr.split("\n")[0]).toMatch(/holds a run of another scenario/);
  });
});

describe("sweeps of protocol runs", () => {
  it("record the cycle figures: cycles done, mean CE, mean zinc kept, the cycle of a short", () => {
    const sweep = parseSweep({
      base: { grid: { nx: 32, ny: 32, dx_um: 0.5 }, coating: { preset: "bare" }, current_mA_cm2: 10, cycles: 2, protocol: [{ step: "plate", until: { capacity_mAh_cm2: 0.02 } }, { step: "strip", until: { capacity_mAh_cm2: 0.02, voltage_V: 0.5 } }] },
      axes: [{ param: "seed", from: 1, to: 2, steps: 2 }],
    });
    expect(sweep.metrics).toContain("mean_ce_zn");
    const { series } = runSweepPoint(sweep.base);
    const last = series.at(-1) as unknown as Record<string, number>;
    expect(last.cycles_done).toBe(2);
    expect(last.short_cycle).toBe(0);
    expect(last.mean_ce).toBeGreaterThan(0.999);
    // Bare zinc's hydrogen takes a few per cent of the plated charge at 10 mA/cm2.
    expect(last.mean_ce_zn).toBeGreaterThan(0.9);
    expect(last.mean_ce_zn).toBeLessThan(0.999);
    expect(() => parseSweep({ base: { coating: { preset: "bare" } }, axes: [{ param: "seed", from: 1, to: 2, steps: 2 }], metrics: ["mean_ce"] })).toThrow(
      "metrics: mean_ce is a figure of a protocol run, and the base scenario has no protocol",
    );
  });
});
