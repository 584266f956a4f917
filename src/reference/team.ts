/**
 * A team of threads for one CPU run (`threads` in CpuSolverOptions): the calling thread and threads - 1 Node
 * worker_threads, sharing the multigrid's arrays (SharedArrayBuffer). A job (kernels.ts runPart) is handed out by a
 * generation counter in a shared control block, in shares (a few a thread) that each thread takes in turn, its
 * own first, then any still untaken (Atomics): the caller returns once every share is written, and never waits for
 * a thread the machine has not run yet. Every share writes cells no other share touches, and the sums stay on the
 * caller in cell order, so a run is the same to the bit whatever the number of threads.
 *
 * Waiting: a thread spins a little on the counter (a job comes every few to few hundred microseconds), then sleeps
 * in Atomics.wait. Node only (the workers come from process.getBuiltinModule); elsewhere a run has one thread.
 */
import { K_STOP, takeShares, WORKER_FUNCTIONS } from "./kernels.ts";

/**
 * How long a thread spins before it sleeps (Atomics.wait), in ms: a worker waiting for the next job (they come
 * every few to few hundred microseconds within a solve), and the caller waiting for a share another thread is
 * writing (at most one share's time). A sleeping thread on a busy machine can wait a whole time slice to run again.
 */
const WORKER_SPIN_MS = 0.2, CALLER_SPIN_MS = 5;
/** Shares of a job: about a share a CELLS_PER_SHARE cells, at least SHARES_PER_THREAD a thread, at most MAX_SHARES. */
const CELLS_PER_SHARE = 16384, MAX_SHARES = 64;

interface WorkerLike { unref(): void; terminate(): Promise<number> }
type WorkerCtor = new (src: string, opts: { eval: true; workerData: unknown }) => WorkerLike;

function workerCtor(): WorkerCtor | null {
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const wt = p?.getBuiltinModule?.("node:worker_threads") as { Worker?: WorkerCtor } | undefined;
  return wt?.Worker ?? null;
}

function workerSource(): string {
  // __name: the helper esbuild's keepNames (tsx) may put inside the functions' text.
  return `"use strict";
var __name = (f) => f;
${WORKER_FUNCTIONS.map((f) => f.toString()).join("\n")}
const { workerData } = require("node:worker_threads");
const { A, ctl, fa, claimed, done, t, T } = workerData;
let gen = 0;
for (;;) {
  let spins = 0, since = performance.now();
  while (Atomics.load(ctl, 0) === gen) {
    if ((++spins & 1023) === 0 && performance.now() - since > ${WORKER_SPIN_MS}) { Atomics.wait(ctl, 0, gen); since = performance.now(); }
  }
  gen = Atomics.load(ctl, 0);
  if (ctl[2] === ${K_STOP}) break;
  takeShares(A, ctl, fa, claimed, done, gen, t, T, ctl[1]);
}
`;
}

/** Shares of a job per thread at the least: a thread that falls behind (a busy machine) leaves its later ones to the others. */
const SHARES_PER_THREAD = 4;

export class Team {
  readonly threads: number;
  /** Control block: [0] job generation, [1] its shares, [2] kernel, [3...] its whole-number arguments. */
  readonly ctl: Int32Array;
  /** The job's real arguments. */
  readonly fa: Float64Array;
  /** Per share: the last job that a thread took it for, and the last job it was written for. */
  private readonly claimed: Int32Array;
  private readonly done: Int32Array;
  /** The shared arrays, by index (a job names its arrays by these). */
  private readonly arrays: Float64Array[] = [];
  private readonly ids = new Map<Float64Array, number>();
  private workers: WorkerLike[] = [];

  /** `threads` from 2; throws where worker_threads are missing. Allocate with f64(), then start(). */
  constructor(threads: number) {
    if (!workerCtor()) throw new Error("threads > 1 needs Node's worker_threads");
    this.threads = threads;
    this.ctl = new Int32Array(new SharedArrayBuffer(4 * 16));
    this.fa = new Float64Array(new SharedArrayBuffer(8 * 4));
    this.claimed = new Int32Array(new SharedArrayBuffer(4 * MAX_SHARES));
    this.done = new Int32Array(new SharedArrayBuffer(4 * MAX_SHARES));
  }

  /** A zeroed array of n reals the team's threads share. */
  f64(n: number): Float64Array {
    const a = new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n)), 0, n);
    this.ids.set(a, this.arrays.length);
    this.arrays.push(a);
    return a;
  }

  /** The index of a shared array (from f64()). */
  id(a: Float64Array): number {
    const k = this.ids.get(a);
    if (k === undefined) throw new Error("team: not a shared array");
    return k;
  }

  /** Starts the workers; call once every shared array is allocated. */
  start(): void {
    const Worker = workerCtor()!;
    const src = workerSource();
    const { arrays: A, ctl, fa, claimed, done, threads: T } = this;
    for (let t = 1; t < T; t++) {
      const w = new Worker(src, { eval: true, workerData: { A, ctl, fa, claimed, done, t, T } });
      w.unref(); // a process ends without closing its solvers
      this.workers.push(w);
    }
  }

  /** Runs the job set in ctl[2...] and fa, over a level of `cells` cells, on every thread; returns when it is written. */
  run(cells: number): void {
    const ctl = this.ctl, done = this.done, T = this.threads;
    const S = Math.min(MAX_SHARES, Math.max(T * SHARES_PER_THREAD, Math.round(cells / CELLS_PER_SHARE)));
    ctl[1] = S;
    const gen = Atomics.add(ctl, 0, 1) + 1;
    Atomics.notify(ctl, 0);
    takeShares(this.arrays, ctl, this.fa, this.claimed, done, gen, 0, T, S);
    for (let s = 0; s < S; s++) {
      let spins = 0, sleeps = 0, since = 0;
      for (let now = Atomics.load(done, s); now !== gen; now = Atomics.load(done, s)) {
        if ((++spins & 1023) !== 0) continue;
        if (since === 0) since = performance.now();
        else if (performance.now() - since > CALLER_SPIN_MS) {
          // A share a thread took and never wrote: that thread has stopped (a share takes micro- to milliseconds).
          if (Atomics.wait(done, s, now, 1000) === "timed-out" && ++sleeps >= 60) {
            throw new Error(`team: share ${s} of a job was taken by a worker thread that has not finished it in 60 s`);
          }
        }
      }
    }
  }

  /** Stops the workers (the team cannot run after). */
  close(): void {
    if (this.workers.length === 0) return;
    this.ctl[2] = K_STOP;
    Atomics.add(this.ctl, 0, 1);
    Atomics.notify(this.ctl, 0);
    this.workers = [];
  }
}
