import { trackBuffers, type BufferLedger, type GpuMemory } from "./bufferLedger.ts";

/** A GPUDevice in the browser with the limits the engine needs; errors are collected, not thrown. */
export interface BrowserGpu {
  device: GPUDevice;
  adapter: string;
  errors: string[];
  /** Resolves with a reason when this device is lost (a driver reset, a GPU hang, or destroy()). */
  lost: Promise<string>;
}

let shared: Promise<BrowserGpu> | null = null;
/** The buffer ledger of the latest device (a diagnostic for the long-run test; see bufferLedger.ts). */
let ledger: BufferLedger | null = null;

/** GPU buffers alive on the page's latest device, or null before one is made (test/diagnostic hook). */
export function gpuMemory(resetWindow = false): GpuMemory | null {
  return ledger?.snapshot(resetWindow) ?? null;
}

/** The page's device, created once; after it is lost the next call creates a new one. */
export function browserGpu(): Promise<BrowserGpu> {
  if (shared) return shared;
  const made: Promise<BrowserGpu> = (async () => {
    if (!("gpu" in navigator)) throw new Error("this browser has no WebGPU");
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error("WebGPU is present but no adapter was found");
    // The default limits: every module binds at most 8 storage buffers, the most every adapter gives (asking for
    // no more makes a module that binds more fail on every machine, not only on one that has no more).
    const device = await adapter.requestDevice();
    ledger = trackBuffers(device);
    const errors: string[] = [];
    device.addEventListener("uncapturederror", (e) => errors.push((e as GPUUncapturedErrorEvent).error.message));
    const lost = device.lost.then((info) => {
      if (shared === made) shared = null;
      return info.message || `reason: ${info.reason ?? "unknown"}`;
    });
    const i = adapter.info;
    return { device, adapter: [i.vendor, i.architecture, i.description].filter(Boolean).join(" "), errors, lost };
  })();
  shared = made;
  made.catch(() => { if (shared === made) shared = null; });
  return made;
}
