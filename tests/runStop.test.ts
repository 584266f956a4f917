/**
 * A run that cannot go on stops with its reason: a dendrite that reaches the top of the simulated cell (a short
 * circuit in a real cell) stops the run at that sample, before any field stops being finite, in the run loop and
 * in the runner, which keeps the samples so far.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RunStoppedError, runStopReason } from "../src/model/runStop.ts";
import { sandTime, stepSchedule } from "../src/model/coefficients.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { runCpu, runSweepPoint, type PartialRun } from "../src/reference/run.ts";
import { parseSweep, sweepPoints, sweepRow } from "../src/model/sweep.ts";
import { createSweepCore, type SweepReply } from "../src/ui/sim/sweepCore.ts";

// 100 mA/cm2 from a dilute, poorly conducting electrolyte: dendrites cross the 29 um above the substrate in ~2 min.
const raw = { grid: { nx: 32, ny: 32, dx_um: 1 }, current_mA_cm2: 100, electrolyte: { c0_M: 0.05, sigma_mS_cm: 1 }, duration_s: 300, coating: { preset: "bare" } };

describe("a run that cannot go on", () => {
  it("resumed from the state it stopped in, stays stopped there (it does not go on a sample past its stop)", () => {
    const s = parseScenario({ ...raw, grid: { nx: 16, ny: 16, dx_um: 1 } });
    let saved: PartialRun | undefined;
    let first: RunStoppedError | undefined;
    try {
      runCpu(s, { save: (series, take) => { saved = { series: [...series], checkpoint: take() }; } });
    } catch (e) {
      if (!(e instanceof RunStoppedError)) throw e;
      first = e;
    }
    expect(first, "the run stops").toBeDefined();
    expect(saved!.series).toHaveLength(first!.series.length);
    let again: RunStoppedError | undefined;
    try {
      runCpu(s, { resume: saved });
    } catch (e) {
      if (!(e instanceof RunStoppedError)) throw e;
      again = e;
    }
    expect(again, "the resumed run is stopped too").toBeDefined();
    expect(again!.series).toEqual(first!.series);
    expect(again!.reason).toBe(first!.reason);
  });

  it("stops when the deposit reaches the top of the cell, every sample before it finite", () => {
    const s = parseScenario(raw);
    let stopped: RunStoppedError | undefined;
    try {
      runCpu(s);
    } catch (e) {
      if (e instanceof RunStoppedError) stopped = e;
      else throw e;
    }
    expect(stopped, "the run stops").toBeDefined();
    expect(stopped!.reason).toMatch(/^the deposit reached the top of the simulated cell \([\d.]+ µm of the 29 µm above the substrate\)/);
    const last = stopped!.series.at(-1)!;
    expect(last.t_s).toBeLessThan(s.duration_s);
    expect(last.max_height_um).toBeGreaterThanOrEqual(28);
    for (const row of stopped!.series) for (const v of Object.values(row)) expect(Number.isFinite(v)).toBe(true);
    // The sample before the stop was still inside the cell.
    expect(runStopReason(stopped!.series.at(-2)!, s)).toBeNull();
    // Non-finite values stop a run whatever the height; a 1d run has no height to reach.
    expect(runStopReason({ ...last, max_height_um: 1, h2_mmol_cm2: Infinity }, s)).toMatch(/^the solution stopped being finite \(h2_mmol_cm2 = Infinity\)/);
    expect(runStopReason({ ...last, max_height_um: 1e3 }, { ...s, mode: "1d" })).toBeNull();
  });

  it("five times past the limiting current, every sample stays finite (steps within half of Sand's time)", () => {
    // 100 mA/cm2 from 0.05 M at 5 mS/cm: Sand's time 0.12 s. At the steps of the growth bound alone (0.3 s) both
    // seeds went non-finite within 9 s (E_m swinging between Zn and H2 from step to step); at 0.06 s neither does.
    for (const seed of [1, 2]) {
      const s = parseScenario({ ...raw, electrolyte: { c0_M: 0.05, sigma_mS_cm: 5 }, duration_s: 30, samples: 10, seed });
      expect(stepSchedule(s).dt).toBeLessThanOrEqual(sandTime(s) / 2);
      const { series } = runCpu(s);
      expect(series).toHaveLength(10);
      for (const row of series) for (const [k, v] of Object.entries(row)) expect(Number.isFinite(v), `seed ${seed}, t = ${row.t_s} s: ${k}`).toBe(true);
    }
  });

  it("the runner writes the samples so far with why it stopped, says so in one line and exits 1", () => {
    const dir = mkdtempSync(join(tmpdir(), "zil-stop-"));
    const file = join(dir, "short.json"), out = join(dir, "out.json");
    writeFileSync(file, JSON.stringify(raw));
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--scenario", file, "--out", out], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stderr.trim().split("\n").filter((l) => !/^sim: \d+% /.test(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^sim: the run stopped at t = [\d.]+ s: the deposit reached the top of the simulated cell .*\. Its \d+ samples are in .*out\.json \("stopped" says why\)\.$/);
    const result = JSON.parse(readFileSync(out, "utf8"));
    expect(result.stopped).toMatch(/^the deposit reached the top/);
    expect(result.series.length).toBeGreaterThan(10);
    expect(result.series.length).toBeLessThan(200);
  });

  it("in a sweep, a point that stops is recorded at its last sample, with why, and the sweep goes on (app core and runner, one job or two)", async () => {
    const sweepRaw = { base: { ...raw, duration_s: 200 }, axes: [{ param: "current_mA_cm2", from: 100, to: 5, steps: 2 }] };
    const sweep = parseSweep(sweepRaw);
    const [fast, slow] = sweepPoints(sweep);
    const stoppedRun = runSweepPoint(fast!.scenario);
    expect(stoppedRun.stopped).toMatch(/^the run stopped at t = [\d.]+ s: the deposit reached the top/);
    expect(runSweepPoint(slow!.scenario).stopped).toBeNull();
    // The app's core: both points, the first with its stop.
    const replies: SweepReply[] = [];
    await createSweepCore((r) => replies.push(r)).handle({ type: "run", sweep });
    expect(replies.map((r) => r.type)).toEqual(["progress", "progress", "done"]);
    const [p1, p2] = replies as Extract<SweepReply, { type: "progress" }>[];
    expect(p1!.stopped).toBe(stoppedRun.stopped);
    expect(p1!.row).toEqual(sweepRow(sweep, stoppedRun.series));
    expect(p2!.stopped).toBeUndefined();
    // The runner: exit 0, both rows, the stop named on the point's line; two jobs write the same CSV.
    const dir = mkdtempSync(join(tmpdir(), "zil-stop-sweep-"));
    const file = join(dir, "sweep.json");
    writeFileSync(file, JSON.stringify(sweepRaw));
    const csv: string[] = [];
    for (const jobs of ["1", "2"]) {
      const out = join(dir, `out${jobs}.csv`);
      const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--sweep", file, "--out", out, "--jobs", jobs], { encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/sweep point 1\/2 \(current_mA_cm2 = 100\): the run stopped at t = [\d.]+ s: the deposit reached the top .*; its row is its last sample; done/);
      expect(r.stderr).not.toMatch(/sweep point 2\/2 [^\n]*stopped/);
      expect(r.stderr.trim().split("\n").at(-1)).toBe("sim: 1 of the 2 points stopped early, their rows their last samples (the CSV's stopped column): point 1 (current_mA_cm2 = 100): dendrite");
      csv.push(readFileSync(out, "utf8"));
    }
    const lines = csv[0]!.trim().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => l.split(",").at(-1))).toEqual(["stopped", "dendrite", ""]);
    expect(csv[1]).toBe(csv[0]);
    // Resumed after its stopped point, the sweep still names it at the end (from the CSV), and ends at the same CSV.
    const out = join(dir, "out1.csv");
    writeFileSync(out, lines.slice(0, 2).join("\n") + "\n");
    const resumed = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--sweep", file, "--out", out, "--resume"], { encoding: "utf8" });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).not.toMatch(/sweep point 1\/2/);
    expect(resumed.stderr.trim().split("\n").at(-1)).toMatch(/^sim: 1 of the 2 points stopped early, .*: point 1 \(current_mA_cm2 = 100\): dendrite$/);
    expect(readFileSync(out, "utf8")).toBe(csv[0]);
  }, 120_000);
});
