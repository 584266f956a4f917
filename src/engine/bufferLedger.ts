/**
 * A diagnostic ledger of the GPU buffers alive on a device: every createBuffer adds the buffer's size, its first
 * destroy() takes it off again (readback staging buffers included: they are ordinary MAP_READ buffers). Read by the
 * long-run test (e2e/long-run.spec.ts) through the page's `window.zil.gpuMemory()` hook; the app itself never
 * reads it. A buffer dropped without destroy() stays on the ledger even after the garbage collector frees it, on
 * purpose: the engine destroys what it creates, so such a buffer is a leak to find.
 *
 * The engine's readbacks take their staging buffers from a pool (src/engine/readback.ts) that keeps one of each
 * size, so a run's steady level is constant; only reads of one size in flight at once create (and destroy) more,
 * so a snapshot taken at a random moment may catch one. Each snapshot therefore also gives the lowest and highest
 * count seen since the window was last reset: the lowest is the steady level, which a run without a leak keeps
 * exactly constant.
 */
export interface GpuMemory {
  /** Buffers created and not yet destroyed, and their bytes. */
  buffers: number;
  bytes: number;
  /** Buffers ever created and destroyed on this device. */
  created: number;
  destroyed: number;
  /** The range of `buffers` and `bytes` since the window was last reset (see snapshot). */
  minBuffers: number;
  minBytes: number;
  maxBuffers: number;
  maxBytes: number;
}

export interface BufferLedger {
  /** The ledger now; with `resetWindow` the min/max window starts again from the current level. */
  snapshot(resetWindow?: boolean): GpuMemory;
}

/** Wraps `device.createBuffer` (an own property shadowing the prototype's) so its buffers are counted. */
export function trackBuffers(device: GPUDevice): BufferLedger {
  let buffers = 0, bytes = 0, created = 0, destroyed = 0;
  let minBuffers = 0, minBytes = 0, maxBuffers = 0, maxBytes = 0;
  const widen = () => {
    minBuffers = Math.min(minBuffers, buffers); maxBuffers = Math.max(maxBuffers, buffers);
    minBytes = Math.min(minBytes, bytes); maxBytes = Math.max(maxBytes, bytes);
  };
  const create = device.createBuffer.bind(device);
  device.createBuffer = (descriptor: GPUBufferDescriptor): GPUBuffer => {
    const buffer = create(descriptor);
    const size = buffer.size;
    buffers++; bytes += size; created++;
    widen();
    let alive = true;
    const destroy = buffer.destroy.bind(buffer);
    buffer.destroy = (): undefined => {
      if (alive) {
        alive = false;
        buffers--; bytes -= size; destroyed++;
        widen();
      }
      return destroy();
    };
    return buffer;
  };
  return {
    snapshot(resetWindow = false) {
      const s: GpuMemory = { buffers, bytes, created, destroyed, minBuffers, minBytes, maxBuffers, maxBytes };
      if (resetWindow) { minBuffers = maxBuffers = buffers; minBytes = maxBytes = bytes; }
      return s;
    },
  };
}
