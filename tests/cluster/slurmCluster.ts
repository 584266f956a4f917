/**
 * A real, single-node Slurm cluster for tests/cluster/slurm.test.ts, set up in a temporary folder: Debian's munged (its own
 * key and socket there), slurmctld and slurmd (slurm.conf there, found through SLURM_CONF; spool, state, logs and
 * pid files there; proctrack/linuxproc, task/none: no cgroups), on ports free at the time. No service file of the
 * machine is read or touched. `stop()` ends the three daemons (SIGTERM, then SIGKILL) and keeps the folder only
 * where asked. `startSlurm` throws one line of why where the cluster cannot start (not root, not installed...).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, hostname, tmpdir } from "node:os";
import { join } from "node:path";

export interface SlurmCluster {
  dir: string;
  /** The environment for Slurm's commands (and the jobs they submit): SLURM_CONF set. */
  env: NodeJS.ProcessEnv;
  /** Runs a Slurm command (sbatch, squeue, scontrol, scancel...); its stdout, or throws with its stderr. */
  run(cmd: string, args: string[]): string;
  /** A job's (or array task's) state (PENDING, RUNNING, COMPLETED, CANCELLED, FAILED...). */
  state(job: string): string;
  /** Waits until no task of `job` is pending or running, up to `timeoutS`. */
  waitDone(job: string, timeoutS: number): Promise<void>;
  stop(keep?: boolean): Promise<void>;
}

const NEEDED = ["munged", "slurmctld", "slurmd", "sbatch", "squeue", "scontrol", "scancel", "sinfo"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const lastLine = (file: string) => (existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter((l) => /error|fatal/i.test(l)).at(-1) ?? "" : "");

export async function startSlurm(): Promise<SlurmCluster> {
  if (process.getuid?.() !== 0) throw new Error("Slurm cannot start: slurmd runs jobs as their user and needs root here; run the tests as root (as CI does)");
  const missing = NEEDED.filter((c) => spawnSync("sh", ["-c", `command -v ${c}`]).status !== 0);
  if (missing.length) throw new Error(`Slurm cannot start: ${missing.join(", ")} not installed (node e2e/ensure-tools.mjs installs slurm-wlm and munge, as npm run check does)`);
  const dir = mkdtempSync(join(tmpdir(), "zil-slurm-"));
  chmodSync(dir, 0o755); // munged wants every folder above its socket searchable
  for (const d of ["spool", "state", "log"]) mkdirSync(join(dir, d));
  const key = join(dir, "munge.key");
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const host = hostname().split(".")[0]!;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const socket = join(dir, "munge.socket");
  const conf = join(dir, "slurm.conf");
  writeFileSync(conf, [
    "ClusterName=zil",
    `SlurmctldHost=${host}(127.0.0.1)`,
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${socket}`,
    `StateSaveLocation=${dir}/state`,
    `SlurmdSpoolDir=${dir}/spool`,
    `SlurmctldPidFile=${dir}/slurmctld.pid`,
    `SlurmdPidFile=${dir}/slurmd.pid`,
    `SlurmctldLogFile=${dir}/log/slurmctld.log`,
    `SlurmdLogFile=${dir}/log/slurmd.log`,
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/none",
    "MpiDefault=none",
    "SchedulerType=sched/builtin",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_CPU",
    "ReturnToService=2",
    "MinJobAge=3600",
    "KillWait=5",
    `NodeName=${host} NodeAddr=127.0.0.1 CPUs=${cpus().length} State=UNKNOWN`,
    `PartitionName=zil Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n"));
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const daemon = (cmd: string, args: string[]) => {
    const log = openSync(join(dir, "log", `${cmd}.stdout`), "a");
    const c = spawn(cmd, args, { env, stdio: ["ignore", log, log] });
    closeSync(log);
    c.on("error", () => {}); // reported by the checks below
    daemons.push(c);
  };
  // Should the test process end without stop() (killed, a crash), the daemons end with it.
  process.once("exit", () => daemons.forEach((c) => c.kill("SIGKILL")));
  const stop = async (keep = false) => {
    if (daemons.length > 1) spawnSync("scancel", ["--user", "root"], { env, timeout: 10_000 }); // this cluster's jobs only (SLURM_CONF)
    for (const c of daemons.reverse()) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    for (let k = 0; k < 50 && daemons.some((c) => c.exitCode === null && c.signalCode === null); k++) await sleep(100);
    for (const c of daemons) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    if (!keep) rmSync(dir, { recursive: true, force: true });
  };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env, encoding: "utf8", timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}`);
    return r.stdout;
  };
  const fail = async (why: string) => {
    await stop(true);
    return new Error(`Slurm cannot start: ${why} (logs in ${dir}/log)`);
  };
  daemon("munged", ["-F", "--origin=127.0.0.1", `--socket=${socket}`, `--key-file=${key}`, `--log-file=${dir}/log/munged.log`, `--pid-file=${dir}/munged.pid`, `--seed-file=${dir}/munged.seed`]);
  for (let k = 0; k < 50 && !existsSync(socket); k++) await sleep(100);
  if (!existsSync(socket)) throw await fail(`munged made no socket (${lastLine(`${dir}/log/munged.log`) || "no log"})`);
  daemon("slurmctld", ["-D", "-i"]);
  daemon("slurmd", ["-D"]);
  let state = "";
  const ended = () => daemons.find((c) => c.exitCode !== null || c.signalCode !== null);
  for (const t0 = Date.now(); Date.now() - t0 < 30_000 && !/^idle/.test(state); ) {
    await sleep(200);
    const gone = ended();
    if (gone) throw await fail(`${gone.spawnfile} ended (${gone.exitCode ?? gone.signalCode}): ${lastLine(`${dir}/log/${gone.spawnfile}.log`) || lastLine(`${dir}/log/${gone.spawnfile}.stdout`)}`);
    // sinfo waits for a controller that is not up: a few seconds at a time.
    state = spawnSync("sinfo", ["-h", "-N", "-o", "%T"], { env, encoding: "utf8", timeout: 3000 }).stdout?.trim() ?? "";
  }
  if (!/^idle/.test(state)) {
    throw await fail(`its node is not idle after 30 s (sinfo: ${JSON.stringify(state)}; slurmctld: ${lastLine(`${dir}/log/slurmctld.log`)}; slurmd: ${lastLine(`${dir}/log/slurmd.log`)})`);
  }
  const jobState = (job: string) => /JobState=(\w+)/.exec(run("scontrol", ["show", "job", "-o", job]))?.[1] ?? "UNKNOWN";
  return {
    dir,
    env,
    run,
    state: jobState,
    async waitDone(job, timeoutS) {
      const t0 = Date.now();
      while (run("squeue", ["-h", "-j", job, "-o", "%i %T"]).trim() !== "") {
        if (Date.now() - t0 > timeoutS * 1000) throw new Error(`job ${job} not done after ${timeoutS} s: ${run("squeue", ["-h", "-j", job, "-o", "%i %T %R"]).trim()}`);
        await sleep(250);
      }
    },
    stop,
  };
}
