/**
 * The gpu backend's device: the driver's Vulkan through Dawn where there is one, else this same command again on
 * Chromium's SwiftShader; and what a GPU run does when that device is lost (a new one, resuming from the state kept
 * in memory).
 */
import type { NodeGpu } from "../engine/node-gpu.ts";
import type { GpuRunOptions } from "../engine/run-gpu.ts";

/** Seconds between the states a GPU run keeps in memory for a new device to resume from (--checkpoint-every, where given). */
export const KEEP_S = 30;

/**
 * Called after every sample a GPU run in this process takes (a sweep's points and samples run again after a loss
 * included), with its device as it is then. None in the product: a seam for the tests, whose preload
 * tests/rehearse-gpu-loss.ts destroys the device there to rehearse a driver reset (as the page's
 * window.zil.loseGpuDevice() does).
 */
export const afterGpuSample = new Set<(gpu: NodeGpu) => void>();

/**
 * What a GPU run does when its device is lost: a new device, and the run resumes from its last state kept in
 * memory (`label`: which run, for the message).
 */
export function gpuRecovery(gpu: NodeGpu, keepEveryS: number, label: () => string): Pick<GpuRunOptions, "recover" | "onSample"> {
  return {
    recover: {
      renew: () => gpu.renew(),
      keepEveryS,
      onLost: (lostAfter, resumeFrom, why) =>
        process.stderr.write(`sim: ${label()}the GPU device was lost after sample ${lostAfter} (${why}); a new device resumes from sample ${resumeFrom}\n`),
    },
    onSample: () => {
      for (const hook of afterGpuSample) hook(gpu);
    },
  };
}

/**
 * A GPUDevice for the gpu backend, or the exit status to return: the driver's Vulkan where there is one, else
 * this same command again on Chromium's SwiftShader (a child process with the loader's environment).
 */
export async function gpuDevice(): Promise<{ gpu: NodeGpu } | { exit: number }> {
  const { nodeGpu, softwareGpuEnv, rerunWith } = await import("../engine/node-gpu.ts");
  try {
    return { gpu: await nodeGpu() };
  } catch (e) {
    const env = softwareGpuEnv();
    if (env) {
      process.stderr.write("sim: no GPU driver found; running the gpu backend on Chromium's SwiftShader (slow: a correctness tool)\n");
      return { exit: rerunWith(env) };
    }
    process.stderr.write(`sim: the gpu backend is not available here: ${(e as Error).message}, and Chromium's SwiftShader was not found. Use --backend cpu\n`);
    return { exit: 1 };
  }
}

/** The gpu backend's engine set up on a device: `gpu`, or the exit status to return where there is none. */
export async function gpuBackend() {
  const got = await gpuDevice();
  if ("exit" in got) return got;
  const { runGpu, GpuLostError } = await import("../engine/run-gpu.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  process.stderr.write(`sim: gpu backend on ${got.gpu.adapter}\n`);
  return { gpu: got.gpu, runGpu, GpuLostError, shaders: loadShaders() };
}
