/**
 * A GPUDevice in Node through the `webgpu` package (Dawn), for the runner's gpu backend and the benchmark: the
 * GPU driver's Vulkan where there is one, else Chromium's SwiftShader (see softwareGpuEnv).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export interface NodeGpu {
  /** The current device: renew() replaces it. */
  device: GPUDevice;
  adapter: string;
  /** A new device from a new adapter of the same instance, after the current one was lost; becomes `device`. */
  renew: () => Promise<GPUDevice>;
  /** The Dawn instance, held here (and so by the cached promise) for as long as the process runs. */
  instance: GPU;
  exit: (code: number) => never;
}

/**
 * The Dawn instance must stay reachable for as long as its devices live: once V8 collects the instance's
 * wrapper, Dawn tears the instance down under the device and the process dies at a later submit (segfaults,
 * futex and mutex assertions, std::system_error), at random, with the garbage collector's timing.
 */
let cached: Promise<NodeGpu> | null = null;

/**
 * Dawn's options on Chromium's SwiftShader (the software path that softwareGpuEnv sets up): without its robustness
 * transform, which clamps the index of every storage access. The shaders index within their buffers by
 * construction (the GPU tests, on this path, check every field is finite and agrees with the CPU), and on a
 * CPU the clamps cost a third of a step (docs/PERFORMANCE.md).
 * A hardware GPU keeps the transform (its clamps are nearly free there).
 */
const SOFTWARE_DAWN_FLAGS = ["enable-dawn-features=disable_robustness"];

/**
 * The benchmark's (ZIL_GPU_TIMING): timestamps not rounded. Dawn rounds them by default (a guard against timing
 * attacks in a browser), which would blur the per-kernel GPU times of `npm run bench -- --profile`.
 */
const TIMING_DAWN_FLAGS = ["disable-dawn-features=timestamp_quantization"];

/** Creates the Dawn instance once per process (it keeps Node alive: call exit() when done). */
export function nodeGpu(): Promise<NodeGpu> {
  cached ??= (async () => {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    const timing = !!process.env.ZIL_GPU_TIMING;
    const gpu = create([...(process.env.ZIL_SOFTWARE_GPU ? SOFTWARE_DAWN_FLAGS : []), ...(timing ? TIMING_DAWN_FLAGS : [])]);
    const first = await openDevice(gpu, timing);
    const out: NodeGpu = {
      ...first,
      instance: gpu,
      exit: (code: number) => process.exit(code),
      renew: async () => (out.device = (await openDevice(gpu, timing)).device),
    };
    return out;
  })();
  return cached;
}

/** An adapter and a device on it, with the limits the engine needs (an adapter gives one device). */
async function openDevice(gpu: GPU, timing: boolean): Promise<{ device: GPUDevice; adapter: string }> {
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error("no WebGPU adapter in Node (no GPU driver found)");
  }
  const info = adapter.info;
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
  const device = await adapter.requestDevice({
    // Timestamps for the benchmark's GPU time (src/engine/gpuTimer.ts), where the adapter has them; the runner asks none.
    requiredFeatures: timing && adapter.features.has("timestamp-query") ? ["timestamp-query"] : [],
    // Storage buffers a stage: the default 8, the most every adapter gives (see src/engine/browser-device.ts).
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  device.addEventListener("uncapturederror", (e) => {
    process.stderr.write(`webgpu: ${(e as GPUUncapturedErrorEvent).error.message}\n`);
  });
  return { device, adapter: name };
}

/** Chromium's SwiftShader Vulkan driver, where Debian's chromium (or CHROMIUM_DIR) puts it. */
function swiftShaderDir(): string | null {
  const dirs = [process.env.CHROMIUM_DIR, "/usr/lib/chromium"].filter((d): d is string => !!d);
  return dirs.find((d) => existsSync(join(d, "vk_swiftshader_icd.json"))) ?? null;
}

/**
 * The environment that points Dawn at Chromium's SwiftShader (a software Vulkan) on a machine with no GPU
 * driver; null where SwiftShader is not installed, is already in use, or ZIL_NO_SOFTWARE_GPU is set. The
 * dynamic loader reads LD_LIBRARY_PATH only when a process starts, so the caller must start a new process.
 */
export function softwareGpuEnv(): NodeJS.ProcessEnv | null {
  const dir = swiftShaderDir();
  if (!dir || process.env.ZIL_SOFTWARE_GPU || process.env.ZIL_NO_SOFTWARE_GPU) return null;
  return {
    ...process.env,
    ZIL_SOFTWARE_GPU: "1",
    VK_ICD_FILENAMES: join(dir, "vk_swiftshader_icd.json"),
    LD_LIBRARY_PATH: [dir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(":"),
  };
}

/** Runs this same command again in a child process with `env`; returns its exit status. */
export function rerunWith(env: NodeJS.ProcessEnv): number {
  const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], { env, stdio: "inherit" });
  return r.status ?? 1;
}

/**
 * This machine's GPU; where it has none but SwiftShader is installed, runs this same command again on SwiftShader
 * and exits with its status; where neither, rejects with why (the caller says it its way).
 */
export async function nodeGpuOrRerun(): Promise<NodeGpu> {
  try {
    return await nodeGpu();
  } catch (e) {
    const env = softwareGpuEnv();
    if (!env) throw e;
    process.exit(rerunWith(env));
  }
}
