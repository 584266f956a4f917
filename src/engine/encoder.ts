/**
 * Encoding: compute dispatches into one compute pass of a command encoder (a pass is ended only by a buffer copy
 * or the submit), counted for the benchmark and, while profiling, recorded.
 */
import type { GridLevel } from "./layout.ts";

/** One recorded dispatch (profile.ts), with its multigrid level's size if it has one. */
export interface Dispatch { name: string; groups: GPUBindGroup[]; x: number; y: number; z: number; level?: string }

/** 2D dispatch size for `count` workgroups (at most 65535 per dimension). */
export function wg(count: number): [number, number] {
  return count <= 65535 ? [count, 1] : [65535, Math.ceil(count / 65535)];
}

export class Encoder {
  /** Compute dispatches and buffer copies encoded so far, for the benchmark (a step has no copies). */
  readonly counts = { dispatches: 0, copies: 0 };
  /** While set, every dispatch is also recorded here (profileStep). */
  recording: Dispatch[] | null = null;
  /** Timestamps of the next pass opened (the benchmark's GPU time), if asked for; used once. */
  timestampWrites: GPUComputePassTimestampWrites | undefined;
  private enc: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;

  constructor(
    private readonly device: GPUDevice,
    private readonly pipe: Record<string, GPUComputePipeline>,
    private readonly levels: GridLevel[],
  ) {}

  /** Starts a command encoder for the next submit. */
  begin(): void {
    this.enc = this.device.createCommandEncoder();
  }

  /** Ends the open pass and submits what was encoded since begin(). */
  submit(): void {
    this.endPass();
    this.device.queue.submit([this.encoder().finish()]);
    this.enc = null;
  }

  private encoder(): GPUCommandEncoder {
    if (!this.enc) throw new Error("nothing is being encoded: begin() first");
    return this.enc;
  }

  /**
   * `level`: the multigrid level the pass works on, if any; `z`: the lanes of a system's passes (1 elsewhere);
   * `counted`: whether it counts in `counts` (the field view's does not).
   */
  dispatch(name: string, groups: GPUBindGroup[], x: number, y = 1, level?: number, z = 1, counted = true): void {
    const lv = level === undefined ? undefined : this.levels[level];
    this.recording?.push({ name, groups, x, y, z, level: lv && `${lv.nx}x${lv.ny}` });
    if (!this.pass) {
      this.pass = this.encoder().beginComputePass(this.timestampWrites ? { timestampWrites: this.timestampWrites } : undefined);
      this.timestampWrites = undefined;
    }
    this.pass.setPipeline(this.pipe[name]!);
    groups.forEach((g, k) => this.pass!.setBindGroup(k, g));
    this.pass.dispatchWorkgroups(x, y, z);
    if (counted) this.counts.dispatches++;
  }

  /** A dispatch of `count` workgroups, spread over two dimensions where they are many. */
  dispatchFlat(name: string, groups: GPUBindGroup[], count: number, level?: number, z = 1, counted = true): void {
    const [x, y] = wg(count);
    this.dispatch(name, groups, x, y, level, z, counted);
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  /** A buffer copy (ends the open pass); `counted`: whether it counts in `counts` (a readback's own copies do not). */
  copy(from: GPUBuffer, to: GPUBuffer, bytes: number, fromOff = 0, toOff = 0, counted = true): void {
    this.endPass();
    this.encoder().copyBufferToBuffer(from, fromOff, to, toOff, bytes);
    if (counted) this.counts.copies++;
  }
}
