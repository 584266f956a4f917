/**
 * Readback: a pool of staging (MAP_READ) buffers reused across calls, and reads of parts of the engine's buffers
 * through one staging buffer and one submit each.
 */
import type { Encoder } from "./encoder.ts";

/**
 * Staging buffers by size. A read takes a free one of its size (or creates one) and gives it back when done; the
 * pool keeps one free buffer of each size it has seen and destroys any more (reads of one size in flight at once),
 * so a run that repeats its reads keeps a constant number of buffers (the ledger's steady level, bufferLedger.ts).
 */
export class StagingPool {
  private readonly free = new Map<number, GPUBuffer>();
  private readonly lent = new Set<GPUBuffer>();
  /** Readbacks through the pool so far, and the bytes they mapped (for the benchmark: npm run bench -- --cycles-gpu). */
  reads = 0;
  bytes = 0;

  constructor(private readonly device: GPUDevice) {}

  take(bytes: number): GPUBuffer {
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    this.reads++;
    this.bytes += size;
    let b = this.free.get(size);
    if (b) this.free.delete(size);
    else b = this.device.createBuffer({ size, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    this.lent.add(b);
    return b;
  }

  give(b: GPUBuffer): void {
    if (!this.lent.delete(b)) return;
    if (this.free.has(b.size)) b.destroy();
    else this.free.set(b.size, b);
  }

  /** Destroys every buffer of the pool, lent ones too (the engine is done). */
  destroy(): void {
    for (const b of [...this.free.values(), ...this.lent]) b.destroy();
    this.free.clear();
    this.lent.clear();
  }
}

/**
 * A part of a buffer to read: `bytes` (a multiple of 4) from byte `offset`, to byte `at` of what the read returns
 * (by default right after the part before).
 */
export interface Part { buf: GPUBuffer; bytes: number; offset?: number; at?: number }

/**
 * Copies `parts` into a staging buffer of the pool (`size` bytes, by default what the parts fill) and reads it
 * back: the copies go in the encoder's open submit (begin() it, and encode first any passes whose results are
 * read), which this submits. `counted`: whether the copies count in the encoder's counts (the metrics' do).
 */
export async function readParts(e: Encoder, pool: StagingPool, parts: Part[], size?: number, counted = false): Promise<ArrayBuffer> {
  let at = 0;
  const placed = parts.map((p) => {
    const to = p.at ?? at;
    at = to + p.bytes;
    return { ...p, to };
  });
  const total = size ?? at;
  const staging = pool.take(total);
  try {
    for (const p of placed) e.copy(p.buf, staging, p.bytes, p.offset ?? 0, p.to, counted);
    e.submit();
    await staging.mapAsync(GPUMapMode.READ);
    const out = staging.getMappedRange().slice(0, total);
    staging.unmap();
    return out;
  } finally {
    pool.give(staging);
  }
}
