/** The benchmark's profile of a step (GpuEngine.profileStep): where a step's GPU time goes, kernel by kernel. */
import type { Dispatch } from "./encoder.ts";
import { GpuTimer } from "./gpuTimer.ts";
import { CG } from "./layout.ts";
import type { LinearSystem } from "./systems.ts";

/**
 * One kernel's (or one kernel on one level's) dispatches of a step and their time replayed alone: wall time from
 * encoding to done, and (a device with timestamp queries) the GPU's time for the pass.
 */
export interface KernelTime { name: string; dispatches: number; ms: number; gpuMs?: number }
export interface StepProfile { all: KernelTime; idle: KernelTime; kernels: KernelTime[]; byLevel: KernelTime[] }

/**
 * Replays a step's recorded dispatches `rec` in one pass with both systems' CG scalars cleared first, so no solve
 * counts as converged and every encoded iteration does its work (an upper bound on the step): all of them, then
 * each kernel's alone, then each multigrid kernel's on each level alone; and once with every solve converged from
 * the start (`idle`: the floor). The best of `repeats`.
 */
export async function profileDispatches(
  device: GPUDevice, pipe: Record<string, GPUComputePipeline>, systems: LinearSystem[], rec: Dispatch[], repeats: number,
): Promise<StepProfile> {
  await device.queue.onSubmittedWorkDone();
  // The CG scalars of every lane (layout.ts CG): cleared, or with the done flag set.
  const zero = new Float32Array(2 * CG.LANE);
  const converged = new Float32Array(2 * CG.LANE);
  converged[CG.DONE] = converged[CG.LANE + CG.DONE] = 1;
  const timer = GpuTimer.available(device) ? new GpuTimer(device) : null;
  const time = async (name: string, list: Dispatch[], scalars = zero): Promise<KernelTime> => {
    let best = Infinity, bestGpu = Infinity;
    for (let r = 0; r < repeats; r++) {
      for (const sys of systems) device.queue.writeBuffer(sys.PS, 0, scalars, 0, sys.lanes * CG.LANE);
      await device.queue.onSubmittedWorkDone();
      const t0 = performance.now();
      const enc = device.createCommandEncoder();
      const pass = enc.beginComputePass(timer ? { timestampWrites: timer.writes() } : undefined);
      for (const d of list) {
        pass.setPipeline(pipe[d.name]!);
        d.groups.forEach((g, k) => pass.setBindGroup(k, g));
        pass.dispatchWorkgroups(d.x, d.y, d.z);
      }
      pass.end();
      device.queue.submit([enc.finish()]);
      await device.queue.onSubmittedWorkDone();
      best = Math.min(best, performance.now() - t0);
      if (timer) bestGpu = Math.min(bestGpu, await timer.read());
    }
    return { name, dispatches: list.length, ms: best, ...(timer ? { gpuMs: bestGpu } : {}) };
  };
  const all = await time("all", rec);
  // Every solve converged before its first iteration (their start passes, which would find them unconverged, left
  // out): what the encoded iterations cost when none has work.
  const idle = await time("idle", rec.filter((d) => !d.name.startsWith("init")), converged);
  const group = async (key: (d: Dispatch) => string | undefined): Promise<KernelTime[]> => {
    const out: KernelTime[] = [];
    for (const name of new Set(rec.map(key))) {
      if (name === undefined) continue;
      out.push(await time(name, rec.filter((d) => key(d) === name)));
    }
    return out.sort((a, b) => b.ms - a.ms);
  };
  const kernels = await group((d) => d.name);
  // The multigrid kernels again, level by level (the bottom pass under its first level).
  const byLevel = await group((d) => (d.level ? `${d.name} ${d.level}` : undefined));
  timer?.destroy();
  return { all, idle, kernels, byLevel };
}
