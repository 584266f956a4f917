/**
 * The SimBackend over the CPU reference solver in a module Web Worker (sim/cpuWorker.ts): each request carries an
 * id and resolves when the worker answers it. For browsers without WebGPU; slower, same model.
 */
import { coefficients } from "../../model/coefficients.ts";
import type { Scenario } from "../../model/scenario.ts";
import type { Checkpoint } from "../../reference/solver.ts";
import type { CpuInfo, CpuReply, CpuRequest } from "./cpuCore.ts";
import type { CellValues, FieldLayer, Frame, SimBackend } from "./types.ts";

interface Pending { resolve: (r: CpuReply) => void; reject: (e: Error) => void }

export async function createCpuBackend(s: Scenario): Promise<SimBackend> {
  const worker = new Worker(new URL("./cpuWorker.ts", import.meta.url), { type: "module" });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** Set once the worker is gone (destroyed or crashed): every later request fails with it. */
  let dead: Error | null = null;
  /** An error the worker reported for a message without an id (an update): the next request fails with it. */
  let deferred: Error | null = null;

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  worker.onmessage = (e: MessageEvent<CpuReply>) => {
    const r = e.data;
    const p = r.id === undefined ? undefined : pending.get(r.id);
    if (r.id !== undefined) pending.delete(r.id);
    if (r.type === "error") {
      const err = new Error(r.message);
      if (p) p.reject(err);
      else deferred = err;
      return;
    }
    p?.resolve(r);
  };
  worker.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    dead = new Error(`CPU worker failed: ${e.message || "the worker script could not run"}`);
    failAll(dead);
  };
  worker.onmessageerror = () => {
    dead = new Error("CPU worker failed: a message could not be read");
    failAll(dead);
  };

  function request(msg: CpuRequest & { id: number }): Promise<CpuReply> {
    if (dead) return Promise.reject(dead);
    if (deferred) {
      const err = deferred;
      deferred = null;
      return Promise.reject(err);
    }
    return new Promise<CpuReply>((resolve, reject) => {
      pending.set(msg.id, { resolve, reject });
      worker.postMessage(msg);
    });
  }

  const unexpected = (r: CpuReply, want: string) => new Error(`CPU worker answered ${r.type} to a ${want} request`);

  let info: CpuInfo;
  try {
    const r = await request({ type: "init", id: nextId++, scenario: s });
    if (r.type !== "ready") throw unexpected(r, "init");
    info = r.info;
  } catch (e) {
    worker.terminate();
    throw e;
  }

  let steps = info.steps;
  return {
    kind: "cpu",
    label: "CPU reference solver (Web Worker)",
    nx: info.nx,
    ny: info.ny,
    // The scenario's steps: a longer duration on the same schedule (update) gives more.
    get steps() { return steps; },
    dt_s: info.dt_s,
    // Every frame returns every sample its steps crossed (the worker's are already in memory), so the
    // interface's withMetrics, which lets the GPU read its samples back every other frame, is not needed here.
    async frame(steps: number, layer: FieldLayer): Promise<Frame> {
      const r = await request({ type: "frame", id: nextId++, steps, layer });
      if (r.type !== "frame") throw unexpected(r, "frame");
      return r.frame;
    },
    update(next: Scenario): void {
      if (dead) return;
      steps = coefficients(next).steps;
      worker.postMessage({ type: "update", scenario: next } satisfies CpuRequest);
    },
    async restore(cp: Checkpoint): Promise<void> {
      const r = await request({ type: "restore", id: nextId++, checkpoint: cp });
      if (r.type !== "ready") throw unexpected(r, "restore");
    },
    async probe(i: number, j: number): Promise<CellValues> {
      const r = await request({ type: "probe", id: nextId++, i, j });
      if (r.type !== "probe") throw unexpected(r, "probe");
      return r.values;
    },
    destroy(): void {
      worker.terminate();
      dead ??= new Error("CPU backend destroyed: the worker was terminated");
      failAll(dead);
    },
  };
}
