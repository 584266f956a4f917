/**
 * A GPUDevice in Node through the `webgpu` package (Dawn), for the runner's gpu backend on a machine with a GPU
 * driver. (Chromium's SwiftShader can stand in for a GPU when VK_ICD_FILENAMES and LD_LIBRARY_PATH point at it,
 * but Dawn then crashes intermittently on these machines; the engine is tested in Chromium instead.)
 */
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
      throw new Error("no WebGPU adapter in Node (no GPU driver found)");
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
