/**
 * The drawing's cost a frame, against the simulation's step, in the page (`npm run bench:page` loads this module
 * into headless Chromium from Vite's dev server; the app itself never imports it). For an n x n run on the page's
 * WebGPU device it times, each as the median of many frames:
 *  - step: one coupled step (advanceSampled(1), submit until onSubmittedWorkDone);
 *  - colour: the render pass (render_field.wgsl, alphaXi as the page draws) and its readback (GpuEngine.image);
 *  - canvas: the field renderer (fieldRenderer.ts renderField: smoothed colours, the xi = 0.5 outline, shading)
 *    into a 1024 x 1024 px canvas, finished by reading one pixel back;
 *  - cpuColour: the CPU worker's twin of the render pass (colorize.ts) over the same state.
 * A figure, not a test: nothing here asserts a time.
 */
import { browserGpu } from "../../engine/browser-device.ts";
import { createEngine } from "../../engine/run-gpu.ts";
import { SHADERS } from "../../engine/shaders-browser.ts";
import { parseScenario } from "../../model/scenario.ts";
import { colorize } from "./colorize.ts";
import { renderField } from "./fieldRenderer.ts";
import { medianMs, stepDone } from "./medianTime.ts";

export interface DrawBench { n: number; canvasPx: number; frames: number; stepMs: number; colourMs: number; canvasMs: number; cpuColourMs: number; adapter: string }

/** Times the drawing of an n x n run (grown `grow` steps first, so the deposit has an outline) into `canvasPx` px. */
export async function benchDraw(n: number, frames = 30, steps = 5, grow = 20, canvasPx = 1024): Promise<DrawBench> {
  const { device, adapter } = await browserGpu();
  const s = parseScenario({ grid: { nx: n, ny: n, dx_um: 0.5 }, current_mA_cm2: 10, duration_s: 100_000, coating: { preset: "zns" } });
  const engine = createEngine(device, s, SHADERS);
  try {
    const step = () => stepDone(engine);
    for (let k = 0; k < grow; k++) await step();
    const stepMs = await medianMs(steps, step);
    const band: [number, number] = [0, engine.co.bandCells];
    let pixels = await engine.image(band, 0, 0, 1, true);
    const colourMs = await medianMs(frames, async () => { pixels = await engine.image(band, 0, 0, 1, true); });
    const canvas = document.createElement("canvas");
    canvas.width = canvasPx;
    canvas.height = canvasPx;
    const g = canvas.getContext("2d", { willReadFrequently: false })!;
    const d = { pixels, nx: n, ny: n, layer: 0 };
    const canvasMs = await medianMs(frames, () => {
      renderField(g, d, 0, 0, canvasPx, canvasPx);
      g.getImageData(0, 0, 1, 1);
    });
    const cp = await engine.checkpoint();
    const out = new Uint8ClampedArray(n * n * 4);
    const fields = { nx: n, ny: n, xi: cp.xi, c: cp.c, phi: cp.phi, integrity: cp.integrity, tops: await engine.tops() };
    const cpuColourMs = await medianMs(frames, () => colorize(out, fields, { band: [0, engine.co.bandCells], layer: 0, lo: 0, hi: 1, c0_M: 2, alphaXi: true }));
    return { n, canvasPx, frames, stepMs, colourMs, canvasMs, cpuColourMs, adapter: adapter || "WebGPU adapter" };
  } finally {
    engine.destroy();
  }
}
