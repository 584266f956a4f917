/**
 * Nothing done is lost to an interrupted headless run: a single run with --checkpoint, or a sweep, killed
 * (SIGKILL: no handler runs, as in a power cut or an out-of-memory kill) part way through, continues with
 * --resume to exactly the results of the run that was never stopped; a file that does not continue this run is
 * refused with one line and left as it was.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runStateFromJson } from "../src/reference/checkpointJson.ts";

const dir = mkdtempSync(join(tmpdir(), "zil-resume-"));
const ARGS = ["--import", "tsx", "src/cli/sim.ts"];
const sim = (args: string[]) => spawnSync(process.execPath, [...ARGS, ...args], { encoding: "utf8" });

/** Runs the runner and SIGKILLs it once `ready()` holds (polled every 20 ms); resolves with its stderr and whether it was killed. */
function killWhen(args: string[], ready: () => boolean): Promise<{ stderr: string; killed: boolean }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...ARGS, ...args]);
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const poll = setInterval(() => {
      if (ready()) child.kill("SIGKILL");
    }, 20);
    child.on("error", fail);
    child.on("exit", (_code, signal) => {
      clearInterval(poll);
      done({ stderr, killed: signal === "SIGKILL" });
    });
  });
}

const write = (name: string, value: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
};

describe("the runner's --resume of a single run (--checkpoint)", () => {
  // 64 x 64 cells, 60 samples of 25 steps: a few seconds on the CPU, so the kill lands part way.
  const scenario = write("s.json", { coating: { preset: "self-healing" }, grid: { nx: 64, ny: 64, dx_um: 1 }, duration_s: 3000, samples: 60 });
  const full = join(dir, "full.json");

  it("a run killed part way continues from its state to the same series, bit for bit, as the run never stopped", async () => {
    const straight = sim(["--scenario", scenario, "--out", full, "--csv", join(dir, "full.csv")]);
    expect(straight.status, straight.stderr).toBe(0);

    const state = join(dir, "state.json"), out = join(dir, "part.json"), csv = join(dir, "part.csv");
    const args = ["--scenario", scenario, "--out", out, "--csv", csv, "--checkpoint", state];
    const cut = await killWhen([...args, "--checkpoint-every", "0"], () => existsSync(state));
    expect(cut.killed, cut.stderr).toBe(true);
    expect(existsSync(out)).toBe(false);
    const saved = runStateFromJson(readFileSync(state, "utf8"));
    expect(saved.series.length).toBeGreaterThan(0);
    expect(saved.series.length).toBeLessThan(60);
    expect(saved.checkpoint.step).toBe(25 * saved.series.length);
    // A copy whose first sample is changed (to a value still valid): its resumed result must carry it, which a run
    // that quietly started over would not.
    const marked = join(dir, "marked.json");
    const raw = JSON.parse(readFileSync(state, "utf8"));
    raw.series[0].roughness_um = 123.456;
    writeFileSync(marked, JSON.stringify(raw));

    const resumed = sim([...args, "--resume"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`sim: resuming from ${state}: ${saved.series.length} of 60 samples done (t = ${(50 * saved.series.length).toFixed(1)} s of 3000 s)`);
    const a = JSON.parse(readFileSync(out, "utf8")), b = JSON.parse(readFileSync(full, "utf8"));
    expect(a.resumed_at_sample).toBe(saved.series.length);
    expect(a.steps).toBe(b.steps);
    expect(a.series).toEqual(b.series);
    expect(readFileSync(csv, "utf8")).toBe(readFileSync(join(dir, "full.csv"), "utf8"));
    // The state at the end is the whole run's.
    expect(runStateFromJson(readFileSync(state, "utf8")).series).toEqual(b.series);

    const fromMarked = sim(["--scenario", scenario, "--out", join(dir, "marked-out.json"), "--checkpoint", marked, "--resume"]);
    expect(fromMarked.status, fromMarked.stderr).toBe(0);
    const m = JSON.parse(readFileSync(join(dir, "marked-out.json"), "utf8"));
    expect(m.series[0].roughness_um).toBe(123.456);
    expect(m.series.slice(1)).toEqual(b.series.slice(1));
  });

  it("refuses, with one line and exit 2, a state of another scenario, a broken or bare one, an inconsistent one; the file is kept", () => {
    const state = join(dir, "state.json");
    const before = readFileSync(state, "utf8");
    const refuse = (args: string[], message: RegExp) => {
      const r = sim([...args, "--out", join(dir, "x.json"), "--resume"]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n"), "one line").toHaveLength(1);
      expect(r.stderr).toMatch(message);
      const file = args[args.indexOf("--checkpoint") + 1]!;
      if (args.includes("--checkpoint") && kept.has(file)) expect(readFileSync(file, "utf8"), `${file} kept`).toBe(kept.get(file));
    };
    const kept = new Map<string, string>([[state, before]]);
    refuse(["--preset", "bare", "--checkpoint", state], /^sim: --resume: .*state\.json holds a run of another scenario \(grid\.nx: 64 there, 128 here\); nothing was run/);
    expect(readFileSync(state, "utf8")).toBe(before);

    const raw = JSON.parse(before);
    const variant = (name: string, change: (r: Record<string, unknown>) => void) => {
      const r = structuredClone(raw);
      change(r);
      const file = write(name, r);
      kept.set(file, readFileSync(file, "utf8"));
      return file;
    };
    refuse(["--scenario", scenario, "--checkpoint", variant("step.json", (r) => (r.step = 10))], /its state is at step 10, but \d+ samples of 25 steps end at step \d+/);
    refuse(["--scenario", scenario, "--checkpoint", variant("bare.json", (r) => delete r.series)], /holds no scenario and samples/);
    refuse(["--scenario", scenario, "--checkpoint", variant("nan.json", (r) => ((r.series as Record<string, unknown>[])[3]!.ce = "x"))], /sample 4's ce must be a finite number/);
    refuse(["--scenario", scenario, "--checkpoint", variant("short.json", (r) => (r.c as number[]).pop())], /c must be 4096 finite numbers/);
    refuse(["--scenario", scenario, "--checkpoint", variant("f32.json", (r) => ((r.xi as number[])[0] = 1e39))], /xi's value at 0 does not fit a 32-bit float/);
    refuse(["--scenario", scenario, "--checkpoint", variant("time.json", (r) => ((r.series as Record<string, number>[])[2]!.t_s = 999))], /its sample 3 is at t = 999 s; this scenario samples at t = 150 s/);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, before.slice(0, 1000));
    refuse(["--scenario", scenario, "--checkpoint", broken], /cannot be resumed: not JSON/);
    expect(readFileSync(broken, "utf8")).toBe(before.slice(0, 1000));
    const usage = (args: string[], message: RegExp) => {
      const r = sim(["--scenario", scenario, ...args]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(message);
    };
    usage(["--out", join(dir, "x.json"), "--resume"], /^sim: --resume needs --checkpoint STATE\.json/);
    usage(["--out", state, "--checkpoint", state], /^sim: --out and --checkpoint name the same file/);
    // An output over an input: the scenario (or sweep) file would be lost to the result.
    const scenarioText = readFileSync(scenario, "utf8");
    usage(["--out", scenario], /^sim: --scenario and --out name the same file/);
    usage(["--out", join(dir, "x.json"), "--checkpoint", scenario], /^sim: --scenario and --checkpoint name the same file/);
    expect(readFileSync(scenario, "utf8")).toBe(scenarioText);
    usage(["--out", join(dir, "x.json"), "--checkpoint", state, "--checkpoint-every", "0x10"], /^sim: --checkpoint-every must be a number of seconds >= 0/);
    expect(readFileSync(state, "utf8")).toBe(before);
  });
});

describe("the runner's --resume of a sweep", () => {
  // Four points of about a second each on the CPU.
  const sweep = write("sweep.json", {
    base: { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 2000, samples: 4, coating: { preset: "znf2" } },
    axes: [{ param: "coating.t_plus", from: 0.3, to: 0.9, steps: 4 }],
  });

  it("a sweep killed after its first point continues from its CSV to the same CSV as the sweep never stopped", async () => {
    const full = join(dir, "sweep-full.csv"), out = join(dir, "sweep-part.csv");
    const straight = sim(["--sweep", sweep, "--out", full]);
    expect(straight.status, straight.stderr).toBe(0);

    const cut = await killWhen(["--sweep", sweep, "--out", out], () => {
      const csv = existsSync(out) ? readFileSync(out, "utf8") : "";
      return csv.split("\n").length > 2; // the header and at least one point's row
    });
    expect(cut.killed, cut.stderr).toBe(true);
    const rows = readFileSync(out, "utf8").trim().split("\n").length - 1;
    expect(rows).toBeGreaterThanOrEqual(1);
    expect(rows).toBeLessThan(4);

    expect(JSON.parse(readFileSync(`${out}.sweep.json`, "utf8"))).toMatchObject({ backend: "cpu", sweep: { axes: [{ param: "coating.t_plus", steps: 4 }] } });
    const resumed = sim(["--sweep", sweep, "--out", out, "--resume"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`sim: resuming the sweep from ${out}: ${rows} of 4 points done`);
    expect(resumed.stderr).not.toMatch(new RegExp(`sweep point ${rows}/4`));
    expect(readFileSync(out, "utf8")).toBe(readFileSync(full, "utf8"));
  });

  it("refuses a CSV of another sweep, another backend or with a changed row, with one line and exit 2, and keeps it", () => {
    const full = readFileSync(join(dir, "sweep-full.csv"), "utf8");
    const record = readFileSync(join(dir, "sweep-full.csv.sweep.json"), "utf8");
    const lines = full.trim().split("\n");
    const other = JSON.parse(record);
    other.sweep.base.duration_s = 4000;
    const cases: [string, string | null, RegExp, string[]?][] = [
      [lines.slice(0, 2).join("\n"), null, /sweep-bad0\.csv\.sweep\.json, the record of which sweep wrote it, is not beside it/],
      [lines.slice(0, 2).join("\n"), JSON.stringify(other), /says it was another \(sweep\.base\.duration_s: 4000 there, 2000 here\)/],
      [lines.slice(0, 2).join("\n"), record, /says it was another \(backend: "cpu" there, "gpu" here\)/, ["--backend", "gpu"]],
      [lines.slice(0, 2).join("\n").replace("coating.t_plus", "coating.E_GPa"), record, /column 1 is "coating\.E_GPa", this sweep writes "coating\.t_plus"/],
      [[lines[0], lines[1]!.replace(/^0\.3,/, "0.31,")].join("\n"), record, /row 1 \(line 2\): coating\.t_plus is 0\.31, but point 1 of this sweep has 0\.3/],
      [[lines[0], lines[1]!.replace(/,[^,]*,$/, ",NaN,")].join("\n"), record, /row 1 \(line 2\): cracked_fraction = "NaN" is not a finite number/],
      [[...lines, lines[1]].join("\n"), record, /it has 5 rows; this sweep has 4 points/],
    ];
    for (const [k, [text, rec, message, extra = []]] of cases.entries()) {
      const out = join(dir, `sweep-bad${k}.csv`);
      writeFileSync(out, text);
      if (rec !== null) writeFileSync(`${out}.sweep.json`, rec);
      const r = sim(["--sweep", sweep, "--out", out, "--resume", ...extra]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trim().split("\n"), "one line").toHaveLength(1);
      expect(r.stderr).toMatch(/^sim: --resume: .* is not an interrupted run of this sweep: /);
      expect(r.stderr).toMatch(message);
      expect(readFileSync(out, "utf8")).toBe(text);
    }
  });

  it("--jobs 2 runs the points two at a time to the same CSV; killed, it leaves no job behind and resumes to the same CSV", async () => {
    const full = readFileSync(join(dir, "sweep-full.csv"), "utf8");
    const both = join(dir, "sweep-jobs.csv"), out = join(dir, "sweep-jobs-part.csv");
    const straight = sim(["--sweep", sweep, "--out", both, "--jobs", "2"]);
    expect(straight.status, straight.stderr).toBe(0);
    expect(straight.stderr).toContain("on the cpu backend, 2 points at a time (one process each)");
    expect(readFileSync(both, "utf8")).toBe(full);

    const cut = await killWhen(["--sweep", sweep, "--out", out, "--jobs", "2"], () => {
      const csv = existsSync(out) ? readFileSync(out, "utf8") : "";
      return csv.split("\n").length > 2;
    });
    expect(cut.killed, cut.stderr).toBe(true);
    const rows = readFileSync(out, "utf8").trim().split("\n").length - 1;
    expect(rows).toBeGreaterThanOrEqual(1);
    expect(rows).toBeLessThan(4);
    // The jobs end with the runner (their channel to it closes).
    const jobsLeft = () => spawnSync("ps", ["-eo", "args"], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.includes("src/cli/sweep-job.ts")).length;
    for (let k = 0; k < 100 && jobsLeft() > 0; k++) await new Promise((r) => setTimeout(r, 100));
    expect(jobsLeft()).toBe(0);

    const resumed = sim(["--sweep", sweep, "--out", out, "--resume", "--jobs", "2"]);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`${rows} of 4 points done`);
    expect(readFileSync(out, "utf8")).toBe(full);
  });

  it("refuses a bad --jobs, --jobs on the gpu backend or on a single run, with one line of why and exit 2", () => {
    const out = join(dir, "sweep-nojobs.csv");
    const cases: [string[], RegExp][] = [
      [["--sweep", sweep, "--out", out, "--jobs", "0"], /^sim: --jobs must be a whole number of processes from 1 to 9999, or auto, got "0"$/],
      [["--sweep", sweep, "--out", out, "--jobs", "two"], /^sim: --jobs must be a whole number of processes from 1 to 9999, or auto, got "two"$/],
      [["--sweep", sweep, "--out", out, "--jobs", "2", "--backend", "gpu"], /^sim: --jobs is for the cpu backend; the gpu backend runs a sweep's points one after another on its one device$/],
      [["--preset", "bare", "--out", join(dir, "x.json"), "--jobs", "2"], /^sim: --jobs is for sweeps \(--sweep SWEEP\.json\); a single run is one process$/],
    ];
    for (const [args, message] of cases) {
      const r = sim(args);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it("resumes a CSV whose lines end in CR LF (saved by a Windows editor)", () => {
    const full = readFileSync(join(dir, "sweep-full.csv"), "utf8");
    const out = join(dir, "sweep-crlf.csv");
    writeFileSync(out, full.trim().split("\n").slice(0, 3).join("\r\n") + "\r\n");
    copyFileSync(join(dir, "sweep-full.csv.sweep.json"), `${out}.sweep.json`);
    const r = sim(["--sweep", sweep, "--out", out, "--resume"]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain("2 of 4 points done");
    expect(readFileSync(out, "utf8")).toBe(full);
  });
});
