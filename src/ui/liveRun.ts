/**
 * Drives a live run in the page: one coupled step per animation frame on the WebGPU engine, the field drawn
 * every frame, the metrics read back every few frames. Glue between engine and view; no physics here.
 */
import { browserGpu } from "../engine/browser-device.ts";
import type { GpuEngine } from "../engine/engine.ts";
import { createEngine } from "../engine/run-gpu.ts";
import { SHADERS } from "../engine/shaders-browser.ts";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";

export interface LiveStatus { row: SeriesRow | null; adapter: string; done: boolean }

export function startLive(canvas: HTMLCanvasElement, s: Scenario, onStatus: (st: LiveStatus) => void, onError: (msg: string) => void): () => void {
  let stopped = false;
  // A stopped run's pending GPU reads fail when its buffers go; that is not the user's concern.
  const fail = (e: unknown) => { if (!stopped) onError(e instanceof Error ? e.message : String(e)); };
  let engine: GpuEngine | null = null;
  (async () => {
    const { device, adapter } = await browserGpu();
    if (stopped) return;
    engine = createEngine(device, s, SHADERS);
    // The GPU colours the field; a 2D canvas shows it (one pixel per cell, scaled up by CSS).
    canvas.width = engine.co.nx;
    canvas.height = engine.co.ny;
    const ctx = canvas.getContext("2d");
    if (!ctx) throw new Error("the canvas gives no 2D context");
    let band: [number, number] = [0, 0];
    let frame = 0;
    const tick = async () => {
      if (stopped || !engine) return;
      const done = engine.step >= engine.co.steps;
      if (!done) engine.advance(1);
      const pixels = await engine.image(band);
      if (stopped) return;
      ctx.putImageData(new ImageData(pixels, engine.co.nx, engine.co.ny), 0, 0);
      if (frame++ % 5 === 0 || done) {
        const { raw: _raw, ...row } = await engine.metrics();
        band = await engine.band();
        if (stopped) return;
        onStatus({ row, adapter, done });
      }
      if (!done) requestAnimationFrame(() => void tick().catch(fail));
    };
    await tick();
  })().catch(fail);
  return () => {
    stopped = true;
    engine?.destroy();
    engine = null;
  };
}
