/**
 * A sweep in shards (--shard K/N, or from a cluster's environment), the parts merged (--merge) into the CSV of the
 * sweep run on one machine, byte for byte; merges of parts that do not go together refused with a line naming the
 * problem; and the scripts `npm run sweep:slurm` writes (the real Slurm run is tests/cluster/slurm.test.ts).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SERIES_FIELDS, type SeriesRow } from "../src/model/metrics.ts";
import { parseSweep, sweepPoints, sweepRowsToCsv } from "../src/model/sweep.ts";
import { mergeParts, MergeError, partDone, partHeader, partLine, shardPoints, type PartMeta } from "../src/model/sweepPart.ts";
import { RefusedError, UsageError } from "../src/cli/args.ts";
import { parseShard, shardOf, sweepHash } from "../src/cli/shard.ts";

const base = { grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 5, samples: 3, coating: { preset: "znf2" } };
const raw = { base, axes: [{ param: "coating.t_plus", from: 0.3, to: 0.9, steps: 4 }, { param: "seed", from: 1, to: 2, steps: 2 }], metrics: ["voltage_V", "ce"] };
const sweep = parseSweep(raw);
const points = sweepPoints(sweep);
/** A made-up series per point (its last row differs by point), as sweep.test.ts does. */
const series = points.map((p) => [Object.fromEntries(SERIES_FIELDS.map((f) => [f, f === "voltage_V" ? -0.04 - p.index / 1000 : 0.5 + p.index / 100])) as unknown as SeriesRow]);
const meta = (k: number, n: number, over: Partial<PartMeta> = {}): PartMeta => ({ shard: { k, n }, points: points.length, sweep: "s1", code: "c1", node: "v20", backend: "cpu", ...over });
/** Shard K of N's part, as the runner writes it. */
const part = (k: number, n: number, over: Partial<PartMeta> = {}) =>
  [partHeader(sweep, meta(k, n, over)), ...shardPoints(points, { k, n }).map((p) => partLine(sweep, p, series[p.index]!))].join("\n") + "\n";
const parts = (n: number) => [...Array(n).keys()].map((k) => ({ name: `part_${k}.csv`, text: part(k, n) }));

function refusal(fn: () => unknown): MergeError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(MergeError);
    expect((e as Error).message).not.toContain("\n");
    return e as MergeError;
  }
  throw new Error("expected a MergeError");
}

describe("shards", () => {
  it("shard K of N holds the points i with i mod N = K: every point in exactly one shard, in order", () => {
    for (const n of [1, 2, 3, 5, 8, 9]) {
      const all = [...Array(n).keys()].flatMap((k) => shardPoints(points, { k, n }).map((p) => (expect(p.index % n).toBe(k), p.index)));
      expect(all.sort((a, b) => a - b)).toEqual(points.map((p) => p.index));
    }
    expect(shardPoints(points, { k: 1, n: 3 }).map((p) => p.index)).toEqual([1, 4, 7]);
  });

  it("reads --shard K/N and refuses a malformed one with one line", () => {
    expect(parseShard("3/4")).toEqual({ k: 3, n: 4 });
    expect(parseShard("0/1")).toEqual({ k: 0, n: 1 });
    const bad = (t: string) => (expect(() => parseShard(t)).toThrow(UsageError), (() => { try { parseShard(t); } catch (e) { return (e as Error).message; } })());
    expect(bad("5/4")).toBe("--shard 5/4: K must be from 0 to N - 1 = 3 (the shards of 4 are 0/4 to 3/4)");
    expect(bad("4/4")).toMatch(/K must be from 0 to N - 1 = 3/);
    for (const t of ["1/0", "a/4", "-1/4", "1/4/2", "1", "01/4", ""]) expect(bad(t)).toMatch(/^--shard must be K\/N/);
  });

  it("takes the shard from --shard, else Slurm's array (N from --shards where given), else a Kubernetes Indexed Job's index and --shards", () => {
    const slurm = { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "4", SLURM_ARRAY_TASK_MIN: "0", SLURM_ARRAY_TASK_STEP: "1" };
    expect(shardOf({}, {})).toBeNull();
    expect(shardOf({ shard: "1/3" }, slurm)).toEqual({ shard: { k: 1, n: 3 }, from: "--shard" });
    expect(shardOf({}, slurm)?.shard).toEqual({ k: 2, n: 4 });
    // A task resubmitted alone (sbatch --array=2) is an array of one: --shards keeps its place.
    const again = { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "1", SLURM_ARRAY_TASK_MIN: "2" };
    expect(shardOf({ shards: "4" }, again)?.shard).toEqual({ k: 2, n: 4 });
    expect(() => shardOf({}, again)).toThrow(RefusedError);
    expect(() => shardOf({}, { ...again, SLURM_ARRAY_TASK_MIN: "0" })).toThrow(/SLURM_ARRAY_TASK_ID=2 is not below the shard count 1 \(SLURM_ARRAY_TASK_COUNT\); give --shard K\/N, or --shards N/);
    expect(() => shardOf({}, { ...slurm, SLURM_ARRAY_TASK_MIN: "1" })).toThrow(/not 0 to N - 1 in steps of 1/);
    expect(() => shardOf({}, { ...slurm, SLURM_ARRAY_TASK_ID: "x" })).toThrow(/SLURM_ARRAY_TASK_ID="x" is not a whole number/);
    expect(() => shardOf({ shards: "2" }, slurm)).toThrow(/SLURM_ARRAY_TASK_ID=2 is not below the shard count 2 \(--shards\)/);
    expect(shardOf({ shards: "4" }, { JOB_COMPLETION_INDEX: "3" })).toEqual({ shard: { k: 3, n: 4 }, from: "JOB_COMPLETION_INDEX, --shards" });
    expect(() => shardOf({ shards: "4" }, { JOB_COMPLETION_INDEX: "4" })).toThrow(/JOB_COMPLETION_INDEX=4 is not below the shard count 4/);
    expect(() => shardOf({ shards: "4" }, {})).toThrow(/--shards N takes the shard's index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, and neither is set/);
    expect(() => shardOf({ shards: "0" }, { JOB_COMPLETION_INDEX: "0" })).toThrow(/--shards must be a whole number of shards from 1/);
    expect(() => shardOf({ shard: "0/2", shards: "2" }, {})).toThrow(/not both/);
  });

  it("hashes the validated sweep: key order and defaults written out do not count, a value does", () => {
    const reordered = { metrics: raw.metrics, axes: raw.axes.map((a) => ({ ...a, scale: "linear" })), base: { coating: base.coating, samples: 3, duration_s: 5, grid: base.grid } };
    expect(sweepHash(parseSweep(reordered))).toBe(sweepHash(sweep));
    expect(sweepHash(parseSweep({ ...raw, axes: [{ ...raw.axes[0]!, to: 0.8 }, raw.axes[1]] }))).not.toBe(sweepHash(sweep));
  });
});

describe("merging parts", () => {
  it("gives the one-machine sweep's CSV byte for byte, whatever the shard count or the parts' order", () => {
    const whole = sweepRowsToCsv(sweep, points, series);
    for (const n of [1, 2, 3, 8]) expect(mergeParts(parts(n))).toBe(whole);
    expect(mergeParts(parts(3).reverse())).toBe(whole);
  });

  it("refuses parts of two different sweeps, code versions or Node versions, naming both", () => {
    const [a, b] = parts(2);
    const other = { name: "other.csv", text: part(1, 2, { sweep: "s2" }) };
    expect(refusal(() => mergeParts([a!, other])).message).toBe(
      "the parts are of two different sweeps: sweep=s1 in part_0.csv, sweep=s2 in other.csv; merge the parts of one sweep, run by one checkout",
    );
    expect(refusal(() => mergeParts([a!, { name: "b.csv", text: part(1, 2, { code: "c2" }) }])).message).toMatch(/two different versions of the code: code=c1 in part_0.csv, code=c2 in b.csv/);
    expect(refusal(() => mergeParts([a!, { name: "b.csv", text: part(1, 2, { node: "v22" }) }])).message).toMatch(/two different Node\.js versions/);
    expect(mergeParts([a!, b!])).toBe(sweepRowsToCsv(sweep, points, series));
  });

  it("refuses a point given twice, naming it and the parts", () => {
    const [a, b] = parts(2);
    const e = refusal(() => mergeParts([a!, b!, { name: "copy.csv", text: a!.text }]));
    expect(e.missing).toBe(false);
    expect(e.message).toMatch(/^point 0 is given twice: in part_0\.csv and in copy\.csv \(copy\.csv line 3\)/);
    // Shards of two counts overlap: 0/4's point 4 is 0/2's too.
    expect(refusal(() => mergeParts([a!, b!, { name: "q.csv", text: part(0, 4) }])).message).toMatch(/^point 0 is given twice: in part_0\.csv and in q\.csv/);
  });

  it("lists the missing points by index (exit 1 in the runner), with the shards that hold them", () => {
    const [a] = parts(2);
    const e = refusal(() => mergeParts([a!]));
    expect(e.missing).toBe(true);
    expect(e.message).toBe("4 of the 8 points are in no part: index 1, 3, 5, 7 (0-based, as the point column); they are shard 1/2's: run it (--resume continues a part) and merge again");
    // A part cut short (a task pre-empted): the points it lacks.
    const cut = part(1, 2).trim().split("\n").slice(0, 3).join("\n") + "\n";
    expect(refusal(() => mergeParts([a!, { name: "cut.csv", text: cut }])).message).toMatch(/^3 of the 8 points are in no part: index 3, 5, 7 /);
  });

  it("refuses a broken part with one line naming it", () => {
    const [a, b] = parts(2);
    expect(refusal(() => mergeParts([a!, { name: "x.csv", text: sweepRowsToCsv(sweep, points, series) }])).message).toMatch(/^x\.csv: its first line is not a sweep part's/);
    const lines = b!.text.split("\n");
    expect(refusal(() => mergeParts([a!, { name: "b.csv", text: [...lines.slice(0, 2), "x" + lines[2]!.slice(1), ...lines.slice(3)].join("\n") }])).message).toMatch(/^b\.csv line 3: .* does not start with a point index from 0 to 7/);
    expect(refusal(() => mergeParts([a!, { name: "b.csv", text: [...lines.slice(0, 2), lines[2] + ",9", ...lines.slice(3)].join("\n") }])).message).toMatch(/^b\.csv line 3: point 1 has 7 values; the header names 6/);
    expect(refusal(() => mergeParts([])).message).toBe("no part files given");
  });

  it("resumes a part only of the same shard, sweep and code", () => {
    const mine = shardPoints(points, { k: 1, n: 2 });
    const text = part(1, 2);
    expect(partDone(sweep, mine, meta(1, 2), text)).toHaveLength(4);
    expect(() => partDone(sweep, mine, meta(1, 2, { code: "c2" }), text)).toThrow("it was written for another version of the code (code=c1 there, c2 here)");
    expect(() => partDone(sweep, shardPoints(points, { k: 0, n: 2 }), meta(0, 2), text)).toThrow("it was written for another shard (shard=1/2 there, 0/2 here)");
  });
});

describe("the runner's --shard and --merge", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-shard-"));
  const sweepFile = join(dir, "sweep.json");
  writeFileSync(sweepFile, JSON.stringify(raw));
  const sim = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", ...args], { encoding: "utf8", env: { ...process.env, SLURM_ARRAY_TASK_ID: "", JOB_COMPLETION_INDEX: "", ...env } });
  const ok = (r: ReturnType<typeof sim>) => (expect(r.status, r.stderr).toBe(0), r);

  it("runs each shard's points, resumes a cut part, and merges the parts to the one-machine CSV byte for byte", () => {
    ok(sim(["--sweep", sweepFile, "--out", join(dir, "whole.csv")]));
    ok(sim(["--sweep", sweepFile, "--out", join(dir, "part_0.csv"), "--shard", "0/3"]));
    const r = ok(sim(["--sweep", sweepFile, "--out", join(dir, "part_1.csv")], { SLURM_ARRAY_TASK_ID: "1", SLURM_ARRAY_TASK_COUNT: "3" }));
    expect(r.stderr).toMatch(/^sim: shard 1\/3 \(from SLURM_ARRAY_TASK_ID\/SLURM_ARRAY_TASK_COUNT\)$/m);
    expect(r.stderr.match(/sim: sweep point (\d+)\/8/g)).toEqual(["sim: sweep point 2/8", "sim: sweep point 5/8", "sim: sweep point 8/8"]);
    // Shard 2/3 from a Kubernetes index, cut after its first point (a pre-empted pod) and resumed.
    const k8s = { JOB_COMPLETION_INDEX: "2" };
    ok(sim(["--sweep", sweepFile, "--out", join(dir, "part_2.csv"), "--shards", "3"], k8s));
    const full = readFileSync(join(dir, "part_2.csv"), "utf8");
    writeFileSync(join(dir, "part_2.csv"), full.split("\n").slice(0, 3).join("\n") + "\n");
    const resumed = ok(sim(["--sweep", sweepFile, "--out", join(dir, "part_2.csv"), "--shards", "3", "--resume"], k8s));
    expect(resumed.stderr).toContain(`resuming the shard 2/3 from ${join(dir, "part_2.csv")}: 1 of 2 points done`);
    expect(resumed.stderr.match(/sim: sweep point \d+\/8/g)).toEqual(["sim: sweep point 6/8"]);
    expect(readFileSync(join(dir, "part_2.csv"), "utf8")).toBe(full);
    const m = ok(sim(["--merge", ...[2, 0, 1].map((k) => join(dir, `part_${k}.csv`)), "--out", join(dir, "merged.csv")]));
    expect(m.stderr).toBe(`sim: merged 3 parts: 8 points in ${join(dir, "merged.csv")}\n`);
    expect(readFileSync(join(dir, "merged.csv"), "utf8")).toBe(readFileSync(join(dir, "whole.csv"), "utf8"));
  });

  it("exits 1 listing the missing points, 2 for a point twice, two sweeps or a broken part, writing nothing", () => {
    for (const k of [0, 1]) ok(sim(["--sweep", sweepFile, "--out", join(dir, `h_${k}.csv`), "--shard", `${k}/2`]));
    const out = join(dir, "refused.csv");
    const missing = sim(["--merge", join(dir, "h_0.csv"), "--out", out]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("sim: --merge: 4 of the 8 points are in no part: index 1, 3, 5, 7 (0-based, as the point column); they are shard 1/2's: run it (--resume continues a part) and merge again; nothing was written\n");
    writeFileSync(join(dir, "copy.csv"), readFileSync(join(dir, "h_1.csv")));
    const twice = sim(["--merge", join(dir, "h_0.csv"), join(dir, "h_1.csv"), join(dir, "copy.csv"), "--out", out]);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toMatch(/^sim: --merge: point 1 is given twice: in .*h_1\.csv and in .*copy\.csv .*; nothing was written\n$/);
    const other = join(dir, "other.json");
    writeFileSync(other, JSON.stringify({ ...raw, metrics: ["ce", "voltage_V"] }));
    ok(sim(["--sweep", other, "--out", join(dir, "o_1.csv"), "--shard", "1/2"]));
    const two = sim(["--merge", join(dir, "h_0.csv"), join(dir, "o_1.csv"), "--out", out]);
    expect(two.status).toBe(2);
    expect(two.stderr).toMatch(/^sim: --merge: the parts are of two different sweeps: sweep=\w+ in .*h_0\.csv, sweep=\w+ in .*o_1\.csv; .*\n$/);
    const broken = sim(["--merge", join(dir, "h_0.csv"), join(dir, "whole.csv"), "--out", out]);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^sim: --merge: .*whole\.csv: its first line is not a sweep part's .*\n$/);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a malformed shard, --shards without an index, a shard of a single run, or stray files, with exit 2", () => {
    const cases: [string[], NodeJS.ProcessEnv, RegExp][] = [
      [["--sweep", sweepFile, "--out", join(dir, "x.csv"), "--shard", "5/4"], {}, /^sim: --shard 5\/4: K must be from 0 to N - 1 = 3/],
      [["--sweep", sweepFile, "--out", join(dir, "x.csv"), "--shards", "4"], {}, /^sim: --shards N takes the shard's index from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX/],
      [["--sweep", sweepFile, "--out", join(dir, "x.csv")], { SLURM_ARRAY_TASK_ID: "2", SLURM_ARRAY_TASK_COUNT: "1" }, /^sim: SLURM_ARRAY_TASK_ID=2 is not below the shard count 1/],
      [["--preset", "bare", "--out", join(dir, "x.json"), "--shard", "0/2"], {}, /^sim: --shard is for sweeps/],
      [["--sweep", sweepFile, "--out", join(dir, "x.csv"), "stray.csv"], {}, /^sim: unexpected argument "stray\.csv"/],
      [["--merge", join(dir, "h_0.csv"), join(dir, "h_1.csv")], {}, /^sim: --out RESULTS\.csv is required/],
      [["--merge", join(dir, "h_0.csv"), "--sweep", sweepFile, "--out", join(dir, "x.csv")], {}, /^sim: --merge takes only part files and --out RESULTS\.csv, not --sweep/],
      [["--merge", join(dir, "nope_*.csv"), "--out", join(dir, "x.csv")], {}, /^sim: cannot read part file .*nope_\*\.csv: ENOENT/],
    ];
    for (const [args, env, line] of cases) {
      const r = sim(args, env);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr.split("\n")[0]).toMatch(line);
    }
  });
});

describe("npm run sweep:slurm", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-sweep-slurm-"));
  const sweepFile = join(dir, "sweep.json");
  writeFileSync(sweepFile, JSON.stringify(raw));
  const slurm = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    spawnSync(process.execPath, ["--import", "tsx", "src/cli/slurm.ts", ...args], { encoding: "utf8", env: { ...process.env, ...env } });

  it("--dry-run (--no-submit) writes an array of one task per shard and its merge, valid bash, each naming the files", () => {
    const r = slurm([sweepFile, "--tasks", "3", "--cpus-per-task", "2", "--partition", "short", "--time", "01:30:00", "--account", "lab", "--qos", "low", "--mem-per-cpu", "2G", "--dry-run"]);
    expect(r.status, r.stderr).toBe(0);
    const parts = join(dir, "sweep.parts");
    expect(r.stdout).toContain(`sweep:slurm: 8 points in 3 shards of up to 3, 2 CPU(s) a task; scripts, parts and logs in ${parts}`);
    expect(r.stdout).toContain(`results will be in ${join(dir, "sweep.csv")}`);
    const array = readFileSync(join(parts, "array.sbatch"), "utf8");
    for (const line of ["#SBATCH --array=0-2", "#SBATCH --cpus-per-task=2", "#SBATCH --partition=short", "#SBATCH --time=01:30:00", "#SBATCH --account=lab", "#SBATCH --qos=low", "#SBATCH --mem-per-cpu=2G"]) {
      expect(array).toContain(`\n${line}\n`);
    }
    expect(array).toMatch(/--sweep \S+sweep\.parts\/sweep\.json --out \S+sweep\.parts\/"part_\$\{SLURM_ARRAY_TASK_ID\}\.csv" --shards 3 --resume --jobs "\$\{SLURM_CPUS_PER_TASK:-1\}"/);
    const merge = readFileSync(join(parts, "merge.sbatch"), "utf8");
    expect(merge).toMatch(/--merge \S+sweep\.parts\/part_\*\.csv --out \S+sweep\.csv/);
    expect(readFileSync(join(parts, "sweep.json"), "utf8")).toBe(readFileSync(sweepFile, "utf8"));
    for (const f of ["array.sbatch", "merge.sbatch"]) expect(spawnSync("bash", ["-n", join(parts, f)]).status).toBe(0);
    // Parts there already: refused unless --resume.
    writeFileSync(join(parts, "part_0.csv"), "");
    const again = slurm([sweepFile, "--no-submit"]);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/^sweep:slurm: .*sweep\.parts holds 1 part\(s\) of an earlier submission: give --resume to continue them/);
    expect(slurm([sweepFile, "--no-submit", "--resume"]).status).toBe(0);
  });

  it("refuses bad flags with one line and exit 2, and says where sbatch is missing (exit 1)", () => {
    const line = (args: string[]) => {
      const r = slurm(args);
      expect(r.status, args.join(" ")).toBe(2);
      return r.stderr.split("\n")[0];
    };
    mkdirSync(join(dir, "o"));
    const out = join(dir, "o", "r.csv");
    expect(line([sweepFile, "--out", out, "--tasks", "9"])).toBe('sweep:slurm: --tasks must be a whole number from 1 to 8, got "9"');
    expect(line([sweepFile, "--out", out, "--time", "soon"])).toMatch(/^sweep:slurm: --time must be Slurm's \[D-\]HH:MM:SS/);
    expect(line([sweepFile, "--out", out, "--mem-per-cpu", "lots"])).toBe('sweep:slurm: --mem-per-cpu must be a size like 500M or 2G, got "lots"');
    expect(line([sweepFile, "--out", out, "--partition", "a b"])).toMatch(/^sweep:slurm: --partition must be a name/);
    expect(line([])).toMatch(/^sweep:slurm: give the sweep file/);
    expect(line([join(dir, "none.json")])).toMatch(/^sweep:slurm: cannot read sweep file/);
    const none = slurm([sweepFile, "--out", out], { PATH: "/nonexistent" });
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^sweep:slurm: sbatch not found: run this where Slurm's commands are/);
  });
});
