/**
 * A GPUDevice in Node through the `webgpu` package (Dawn), for the runner's gpu backend and the benchmark: the
 * GPU driver's Vulkan where there is one, else Chromium's SwiftShader (see softwareGpuEnv).
 */
export interface NodeGpu {
  device: GPUDevice;
  adapter: string;
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
    return { device, adapter: name, instance: gpu, exit: (code: number) => process.exit(code) };
  })();
  return cached;
}
