/**
 * A sweep on a real Slurm (Debian's slurm-wlm and munge; a single-node cluster in a temporary folder, see
 * tests/cluster/slurmCluster.ts): `npm run sweep:slurm` submits a 12-point sweep as a 4-task job array and its merge, and the
 * merged CSV is the one-machine sweep's, byte for byte; a task cancelled mid-run (scancel), resubmitted by hand
 * from the script on disk, continues its part, and the merge is again the same CSV. Where Slurm cannot start, the
 * set-up fails with one line of why (it does not skip).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSlurm, type SlurmCluster } from "./slurmCluster.ts";

// 12 points (4 x 3), each ~1.5 s on one core here: long enough that a cancel lands between a task's points.
const SWEEP = {
  base: { grid: { nx: 64, ny: 64, dx_um: 1 }, duration_s: 3000, samples: 3, coating: { preset: "znf2" } },
  axes: [{ param: "coating.t_plus", from: 0.3, to: 0.85, steps: 4 }, { param: "seed", from: 1, to: 3, steps: 3 }],
};
const TASKS = 4;

let dir = "", sweepFile = "";
let cluster: SlurmCluster | undefined;
/** Why Slurm could not start: each test fails with it (none is skipped). */
let cannot: Error | undefined;
let failed = false;
let whole = "";

const node = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  spawnSync(process.execPath, ["--import", "tsx", script, ...args], { encoding: "utf8", env });

/** `npm run sweep:slurm` to `out`, `cpus` a task: its array and merge job ids. */
function submit(out: string, cpus: number): { array: string; merge: string; stdout: string } {
  if (cannot) throw cannot; // one line of why Slurm did not start
  const r = node("src/cli/slurm.ts", [sweepFile, "--out", out, "--tasks", String(TASKS), "--cpus-per-task", String(cpus), "--time", "00:10:00"], cluster!.env);
  expect(r.status, r.stderr).toBe(0);
  const array = /array job (\d+)/.exec(r.stdout)?.[1];
  const merge = /merge job (\d+)/.exec(r.stdout)?.[1];
  expect(array && merge, r.stdout).toBeTruthy();
  expect(r.stdout).toContain(`results will be in ${out}`);
  return { array: array!, merge: merge!, stdout: r.stdout };
}

const rows = (part: string) => (existsSync(part) ? readFileSync(part, "utf8").trim().split("\n").length - 2 : 0);
const logs = (parts: string) => readdirSync(join(parts, "logs")).map((f) => `${f}:\n${readFileSync(join(parts, "logs", f), "utf8")}`).join("\n");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "zil-slurm-sweep-"));
  sweepFile = join(dir, "sweep.json");
  writeFileSync(sweepFile, JSON.stringify(SWEEP));
  try {
    cluster = await startSlurm();
  } catch (e) {
    cannot = e as Error;
    return;
  }
  // The one-machine sweep, to compare with (two processes: the same CSV as one, tests/resume.test.ts).
  const r = node("src/cli/sim.ts", ["--sweep", sweepFile, "--out", join(dir, "whole.csv"), "--jobs", "2"]);
  if (r.status !== 0) throw new Error(`the one-machine sweep failed: ${r.stderr}`);
  whole = readFileSync(join(dir, "whole.csv"), "utf8");
});

afterAll(async () => {
  await cluster?.stop(failed);
  if (failed) process.stderr.write(`slurm.test.ts: kept ${dir} and the cluster's folder ${cluster?.dir} (logs)\n`);
  else if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a sweep on Slurm", () => {
  it("as a 4-task job array and its merge, gives the one-machine sweep's CSV byte for byte", async () => {
    try {
      const out = join(dir, "a", "results.csv");
      mkdirSync(join(dir, "a"));
      // Two CPUs a task (where the node has them): each task runs its points two at a time.
      const cpus = Math.min(2, availableParallelism());
      const { array, merge } = submit(out, cpus);
      await cluster!.waitDone(merge, 240);
      const parts = join(dir, "a", "results.parts");
      expect(cluster!.state(merge), logs(parts)).toBe("COMPLETED");
      for (let k = 0; k < TASKS; k++) expect(cluster!.state(`${array}_${k}`)).toBe("COMPLETED");
      // Every task ran its 3 points (i mod 4 = K), the merge wrote them in the points' order.
      for (let k = 0; k < TASKS; k++) expect(rows(join(parts, `part_${k}.csv`))).toBe(3);
      const log = readFileSync(join(parts, "logs", `shard_0_job_${array}.out`), "utf8");
      expect(log).toContain(cpus > 1 ? "on the cpu backend, 2 points at a time (one process each)" : "on the cpu backend;");
      expect(readFileSync(out, "utf8")).toBe(whole);
    } catch (e) {
      failed = true;
      throw e;
    }
  });

  it("a task cancelled mid-run, resubmitted from the script on disk, continues its part to the same merged CSV", async () => {
    try {
      const out = join(dir, "b", "results.csv");
      mkdirSync(join(dir, "b"));
      const parts = join(dir, "b", "results.parts");
      const part1 = join(parts, "part_1.csv");
      const { array, merge } = submit(out, 1);
      // Cancel task 1 once its first point is in its part (of 3).
      const t0 = Date.now();
      while (rows(part1) < 1) {
        if (Date.now() - t0 > 120_000) throw new Error(`task 1 wrote no point in 120 s:\n${logs(parts)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      cluster!.run("scancel", [`${array}_1`]);
      await cluster!.waitDone(array, 240);
      expect(cluster!.state(`${array}_1`)).toBe("CANCELLED");
      const kept = rows(part1);
      expect(kept, "cancelled mid-run: some of its 3 points done, not all").toBeGreaterThanOrEqual(1);
      expect(kept).toBeLessThan(3);
      // The merge never runs after a failed task (afterok, --kill-on-invalid-dep): no CSV yet.
      await cluster!.waitDone(merge, 60);
      expect(cluster!.state(merge)).toBe("CANCELLED");
      expect(existsSync(out)).toBe(false);
      // By hand, as the script's header and sweep:slurm's last line say: the task again, then the merge after it.
      const again = cluster!.run("sbatch", ["--parsable", "--array=1", join(parts, "array.sbatch")]).trim().split(";")[0]!;
      const merge2 = cluster!.run("sbatch", ["--parsable", `--dependency=afterok:${again}`, "--kill-on-invalid-dep=yes", join(parts, "merge.sbatch")]).trim().split(";")[0]!;
      await cluster!.waitDone(merge2, 240);
      expect(cluster!.state(merge2), logs(parts)).toBe("COMPLETED");
      // It went on from the points its part kept, not from its first.
      const log = readFileSync(join(parts, "logs", `shard_1_job_${again}.out`), "utf8");
      expect(log).toContain(`resuming the shard 1/4 from ${part1}: ${kept} of 3 points done`);
      expect(log.match(/sim: sweep point \d+\/12/g)).toHaveLength(3 - kept);
      expect(rows(part1)).toBe(3);
      expect(readFileSync(out, "utf8")).toBe(whole);
    } catch (e) {
      failed = true;
      throw e;
    }
  });
});
