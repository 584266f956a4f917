/** Device limits the engine asks of an adapter beyond the defaults (the browser's device and Node's alike). */

/**
 * The adapter's largest workgroups (threads, and workgroup memory): the engine sizes its line reductions' workgroups
 * by the device's limits (src/engine/engine.ts maxLineThreads), up to 1024 threads where the adapter allows.
 */
export function workgroupLimits(adapter: GPUAdapter): Record<string, number> {
  const l = adapter.limits;
  return {
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
    maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
  };
}
