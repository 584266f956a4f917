/** A GPUDevice in the browser with the limits the engine needs; errors are collected, not thrown. */
export interface BrowserGpu { device: GPUDevice; adapter: string; errors: string[] }

let shared: Promise<BrowserGpu> | null = null;

export function browserGpu(): Promise<BrowserGpu> {
  shared ??= (async () => {
    if (!("gpu" in navigator)) throw new Error("this browser has no WebGPU");
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error("WebGPU is present but no adapter was found");
    const device = await adapter.requestDevice({
      requiredLimits: { maxStorageBuffersPerShaderStage: Math.min(10, adapter.limits.maxStorageBuffersPerShaderStage) },
    });
    const errors: string[] = [];
    device.addEventListener("uncapturederror", (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
    const i = adapter.info;
    return { device, adapter: [i.vendor, i.architecture, i.description].filter(Boolean).join(" "), errors };
  })();
  shared.catch(() => { shared = null; });
  return shared;
}
