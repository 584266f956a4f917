/**
 * The two sbatch scripts `npm run sweep:slurm` writes (slurm.ts): a job array of one task per shard, each running
 * its shard's points in as many processes as it has CPUs, and the merge, submitted to run after every task succeeded.
 * Image-free: each runs the project's own Node and checkout from where they are (a shared filesystem).
 */

export interface SlurmPlan {
  /** The project's root (the jobs' working folder) and the Node that runs them. */
  root: string;
  node: string;
  /** The sweep file the tasks read (the copy in `parts`), the folder of the parts and logs, and the merged CSV. */
  sweep: string;
  parts: string;
  out: string;
  points: number;
  tasks: number;
  cpusPerTask: number;
  partition?: string;
  time?: string;
  account?: string;
  qos?: string;
  memPerCpu?: string;
}

/** A word for bash, in single quotes where it needs them. */
export const sh = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

export const arrayScriptOf = (parts: string) => `${parts}/array.sbatch`;
export const mergeScriptOf = (parts: string) => `${parts}/merge.sbatch`;
export const partOf = (parts: string, k: number | string) => `${parts}/part_${k}.csv`;

/** The sbatch flags both scripts share (partition, account, QOS, memory, time). */
function common(p: SlurmPlan): string[] {
  return [
    ...(p.partition ? [`#SBATCH --partition=${p.partition}`] : []),
    ...(p.account ? [`#SBATCH --account=${p.account}`] : []),
    ...(p.qos ? [`#SBATCH --qos=${p.qos}`] : []),
    ...(p.memPerCpu ? [`#SBATCH --mem-per-cpu=${p.memPerCpu}`] : []),
    ...(p.time ? [`#SBATCH --time=${p.time}`] : []),
    `#SBATCH --chdir=${p.root}`,
  ];
}

/** How to submit them by hand (also what to do for a task that failed or was cancelled). */
export function byHand(p: SlurmPlan, arrayJob = "ARRAY_JOB_ID"): string[] {
  return [
    `by hand: sbatch ${sh(arrayScriptOf(p.parts))}, then sbatch --dependency=afterok:${arrayJob} --kill-on-invalid-dep=yes ${sh(mergeScriptOf(p.parts))}`,
    `a task K that failed or was cancelled (the merge is then cancelled too): sbatch --array=K ${sh(arrayScriptOf(p.parts))} (it continues its part), then the merge after it as above`,
  ];
}

export function arrayScript(p: SlurmPlan): string {
  const per = Math.ceil(p.points / p.tasks);
  return [
    "#!/bin/bash",
    `# Written by \`npm run sweep:slurm\` (Zinc Interface Lab): the sweep ${p.sweep}, ${p.points} points in ${p.tasks} shards`,
    `# (shard K: the points whose index i has i mod ${p.tasks} = K, up to ${per}), task K writing ${partOf(p.parts, "K")}.`,
    ...byHand(p).map((l) => `# ${l}`),
    "#SBATCH --job-name=zil-sweep",
    `#SBATCH --array=0-${p.tasks - 1}`,
    "#SBATCH --ntasks=1",
    `#SBATCH --cpus-per-task=${p.cpusPerTask}`,
    ...common(p),
    `#SBATCH --output=${p.parts}/logs/shard_%a_job_%A.out`,
    "set -eu",
    "# Its points in as many processes as the task has CPUs; --resume: a requeued or resubmitted task goes on from its part.",
    `exec ${sh(p.node)} --import tsx src/cli/sim.ts --sweep ${sh(p.sweep)} --out ${sh(p.parts)}/"part_\${SLURM_ARRAY_TASK_ID}.csv" --shards ${p.tasks} --resume --jobs "\${SLURM_CPUS_PER_TASK:-1}"`,
    "",
  ].join("\n");
}

export function mergeScript(p: SlurmPlan): string {
  return [
    "#!/bin/bash",
    `# Written by \`npm run sweep:slurm\` (Zinc Interface Lab): merges the ${p.tasks} parts in ${p.parts} into ${p.out}`,
    "# (exit 1 naming the points missing, 2 where the parts are not one sweep's). Submit it after the array:",
    `# sbatch --dependency=afterok:ARRAY_JOB_ID --kill-on-invalid-dep=yes ${sh(mergeScriptOf(p.parts))}`,
    "#SBATCH --job-name=zil-merge",
    "#SBATCH --ntasks=1",
    "#SBATCH --cpus-per-task=1",
    ...common(p),
    `#SBATCH --output=${p.parts}/logs/merge_job_%j.out`,
    "set -eu",
    `exec ${sh(p.node)} --import tsx src/cli/sim.ts --merge ${sh(p.parts)}/part_*.csv --out ${sh(p.out)}`,
    "",
  ].join("\n");
}
