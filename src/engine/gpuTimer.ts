/**
 * GPU time of one compute pass from timestamp queries (a device with the `timestamp-query` feature), for the
 * benchmark: what the GPU spent on the pass, apart from the CPU's encoding and the submit's round trip. Dawn may
 * round timestamps (to 100 us where it quantizes them), so time passes of milliseconds.
 */
export class GpuTimer {
  private readonly querySet: GPUQuerySet;
  private readonly resolved: GPUBuffer;
  private readonly staging: GPUBuffer;

  static available(device: GPUDevice): boolean {
    return device.features.has("timestamp-query");
  }

  constructor(private readonly device: GPUDevice) {
    this.querySet = device.createQuerySet({ type: "timestamp", count: 2 });
    this.resolved = device.createBuffer({ size: 16, usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC });
    this.staging = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  }

  /** For the pass to time (at most one pass between two read()s). */
  writes(): GPUComputePassTimestampWrites {
    return { querySet: this.querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 };
  }

  /** The timed pass's GPU time, ms (waits for it). */
  async read(): Promise<number> {
    const enc = this.device.createCommandEncoder();
    enc.resolveQuerySet(this.querySet, 0, 2, this.resolved, 0);
    enc.copyBufferToBuffer(this.resolved, 0, this.staging, 0, 16);
    this.device.queue.submit([enc.finish()]);
    await this.staging.mapAsync(GPUMapMode.READ);
    const [t0, t1] = new BigInt64Array(this.staging.getMappedRange().slice(0));
    this.staging.unmap();
    return Number(t1! - t0!) / 1e6;
  }

  destroy(): void {
    this.querySet.destroy();
    this.resolved.destroy();
    this.staging.destroy();
  }
}
