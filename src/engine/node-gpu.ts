/**
 * A GPUDevice in Node through the `webgpu` package (Dawn). On machines without a GPU, Dawn runs on Chromium's
 * SwiftShader Vulkan driver: that needs VK_ICD_FILENAMES and Chromium's Vulkan loader on LD_LIBRARY_PATH
 * before the process starts, so `swiftshaderEnv()` gives the environment to re-run a process with.
 */
import { existsSync } from "node:fs";

export const SWIFTSHADER_DIR = "/usr/lib/chromium";
const ICD = `${SWIFTSHADER_DIR}/vk_swiftshader_icd.json`;

/** Environment additions that make Dawn use SwiftShader; null where Chromium's SwiftShader is not installed. */
export function swiftshaderEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv | null {
  if (!existsSync(ICD)) return null;
  const ld = env.LD_LIBRARY_PATH ? `${SWIFTSHADER_DIR}:${env.LD_LIBRARY_PATH}` : SWIFTSHADER_DIR;
  return { ...env, VK_ICD_FILENAMES: ICD, LD_LIBRARY_PATH: ld };
}

export interface NodeGpu { device: GPUDevice; adapter: string; exit: (code: number) => never }

let cached: Promise<NodeGpu> | null = null;

/** Creates the Dawn instance once per process (it keeps Node alive: call exit() when done). */
export function nodeGpu(): Promise<NodeGpu> {
  cached ??= (async () => {
    const { create, globals } = await import("webgpu");
    Object.assign(globalThis, globals);
    const gpu = create([]);
    const adapter = await gpu.requestAdapter();
    if (!adapter) {
      throw new Error(
        "no WebGPU adapter in Node: no GPU driver, and SwiftShader is not set up " +
          `(set VK_ICD_FILENAMES=${ICD} and LD_LIBRARY_PATH=${SWIFTSHADER_DIR} before starting Node)`,
      );
    }
    const info = adapter.info;
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(" ") || "unknown adapter";
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBuffersPerShaderStage: Math.min(10, adapter.limits.maxStorageBuffersPerShaderStage),
        maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
        maxBufferSize: adapter.limits.maxBufferSize,
      },
    });
    device.addEventListener("uncapturederror", (e) => {
      process.stderr.write(`webgpu: ${(e as GPUUncapturedErrorEvent).error.message}\n`);
    });
    return { device, adapter: name, exit: (code: number) => process.exit(code) };
  })();
  return cached;
}
