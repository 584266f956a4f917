/** The WebGPU engine behind the SimBackend interface (one device per page, shared by its runs). */
import { browserGpu, gpuMemory } from "../../engine/browser-device.ts";
import { engineFor, protocolAdvance } from "../../engine/protocol-gpu.ts";
import { isSoftwareAdapter, SAMPLE_SLOTS } from "../../engine/engine.ts";
import { SHADERS } from "../../engine/shaders-browser.ts";
import { coefficients, herToMaCm2 } from "../../model/coefficients.ts";
import { sampleTime } from "../../model/metrics.ts";
import { ProtocolDriver } from "../../model/protocolDriver.ts";
import type { Scenario } from "../../model/scenario.ts";
import { layerIndex, layerScale, type Frame, type SimBackend } from "./types.ts";
import { alkalinityOf, pHOf } from "../../model/water.ts";
import { filmCover } from "../../reference/byproduct.ts";
import { warmTiming } from "./medianTime.ts";
import { WARM_FPS, type WarmTiming } from "./warmup.ts";

/**
 * Whether the page's WebGPU adapter is a hardware or a software one (SwiftShader, llvmpipe, WARP: isSoftwareAdapter);
 * rejects as createGpuBackend would where WebGPU is missing.
 */
export async function gpuPlace(): Promise<"hardware" | "software"> {
  const { device, adapter } = await browserGpu();
  const info = (device as GPUDevice & { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  const named = { vendor: adapter, architecture: "", description: "" } as GPUAdapterInfo;
  return isSoftwareAdapter(info) || isSoftwareAdapter(named) ? "software" : "hardware";
}

export async function createGpuBackend(s: Scenario): Promise<SimBackend & { device: GPUDevice }> {
  const { device, adapter, lost } = await browserGpu();
  // The initial state (xi's floor on copper); a protocol's driver sets each batch's applied current.
  const engine = engineFor(device, s, SHADERS);
  const driver = s.protocol ? new ProtocolDriver(s, engine.co.dt, engine.co.stepsPerSample) : null;
  /** Why the run cannot go on (a zinc foil used up), told at the frame after the one whose samples found it. */
  let stopped: string | null = null;
  let c0_M = s.electrolyte.c0_M;
  // The band's thickness in cells (as the coefficients stand: an update may change them): render_field.wgsl draws
  // it draped over the deposit's tops as the column pass found them (cols slot 5) itself.
  const band = (): [number, number] => (engine.co.hasCoating ? [0, engine.co.bandCells] : [0, 0]);
  let phiMin_V = 0;
  let destroyed = false;
  // A test hook (e2e/device-loss.spec.ts) and a way to rehearse a GPU reset: lose this device on purpose.
  // It returns the simulated time (s) submitted when the device went, the latest a checkpoint can be from.
  const loseGpuDevice = (): number => {
    const t_s = sampleTime(engine.step, engine.co.dt);
    device.destroy();
    return t_s;
  };
  // gpuMemory: a read-only diagnostic for e2e/long-run.spec.ts, the GPU buffers alive on the page's device.
  (globalThis as { zil?: Record<string, unknown> }).zil = { ...(globalThis as { zil?: object }).zil, loseGpuDevice, gpuMemory };
  return {
    kind: "gpu",
    label: adapter || "WebGPU adapter",
    device,
    nx: engine.co.nx,
    ny: engine.co.ny,
    get steps() { return engine.co.steps; },
    get dt_s() { return engine.co.dt; },
    async frame(steps, layer, withMetrics): Promise<Frame> {
      if (stopped) throw new Error(stopped);
      let rows: Frame["rows"] = [];
      let done: boolean;
      if (driver) {
        const r = await protocolAdvance(engine, driver, steps);
        rows = r.rows;
        stopped = r.foil;
        done = driver.done;
      } else {
        // The samples' slots fill at most so far before they are read back (a very high speed reads them sooner).
        const todo = Math.max(0, Math.min(steps, engine.co.steps - engine.step, engine.sampleRoom()));
        if (todo > 0) engine.advanceSampled(todo);
        done = engine.step >= engine.co.steps;
        if (withMetrics || done || engine.pendingSamples >= SAMPLE_SLOTS / 2) rows = await engine.readSamples();
      }
      if (withMetrics && layer === "potential") phiMin_V = await engine.phiFloor(); // phi in V
      const ph = engine.co.ph;
      const scale = layerScale(layer, c0_M, phiMin_V, { ph: !!ph, byproduct: !!ph?.byproduct });
      const pixels = await engine.image(band(), layerIndex(layer), scale.lo, scale.hi, true);
      const frame: Frame = { step: engine.step, t_s: sampleTime(engine.step, engine.co.dt), rows, pixels, layer: layerIndex(layer), scale, done };
      if (layer === "potential") Object.assign(frame, await engine.potentialFields());
      if (driver) {
        frame.cycles = [...driver.cycles];
        if (layer === "deposit") frame.dead = await engine.deadMask();
      }
      return frame;
    },
    update(next: Scenario) {
      engine.setCoefficients(coefficients(next));
      c0_M = next.electrolyte.c0_M;
    },
    lost,
    // With a protocol, where it stands rides along: a lost device resumes mid-cycle.
    // The driver's state is taken with the engine's copy (submitted now, in queue order), before any later step.
    checkpoint: async () => {
      const protocol = driver?.state;
      const cp = await engine.checkpoint();
      return protocol ? { ...cp, protocol } : cp;
    },
    restore(cp) {
      // The protocol's state first, as the CPU worker does: one that is missing or does not fit is refused before
      // the engine's state changes.
      driver?.resume(cp.protocol);
      engine.restore(cp);
      stopped = null;
    },
    async probe(i, j) {
      const v = await engine.probe(i, j);
      return {
        metal: v.xi, c_M: (v.c * engine.co.c0) / 1000, phi_V: v.phi, her_mA_cm2: v.her * herToMaCm2(engine.co),
        integrity: engine.co.hasCoating ? v.integrity : null,
        pH: v.dw === undefined ? null : pHOf(alkalinityOf(engine.co.ph!.pH0) + v.dw),
        film_um: v.m === undefined ? null : filmCover(v.m) * engine.co.dx * 1e6,
      };
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      engine.destroy();
    },
  };
}

/**
 * The warm-up (warmup.ts): each candidate, coarse to fine, on a throwaway engine on the page's device, timed by
 * warmTiming (its solves tuned first, then its steps and drawings); it stops after the first candidate whose frame at
 * `speed` misses WARM_FPS.
 */
export async function gpuWarmup(candidates: readonly Scenario[], speed: number): Promise<{ label: string; timings: (WarmTiming | undefined)[] }> {
  const { device, adapter } = await browserGpu();
  const timings: (WarmTiming | undefined)[] = [];
  for (const s of candidates) {
    const engine = engineFor(device, s, SHADERS);
    try {
      const t = await warmTiming(engine, engine.co.hasCoating ? [0, engine.co.bandCells] : [0, 0]);
      timings.push(t);
      if (speed * t.stepMs + t.drawMs > 1000 / WARM_FPS) break;
    } finally {
      engine.destroy();
    }
  }
  return { label: adapter || "WebGPU adapter", timings };
}
