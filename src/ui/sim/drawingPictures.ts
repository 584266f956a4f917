/**
 * The README's pictures of the drawing (issue 26), made in the page (`npm run pictures:drawing` loads this module
 * into headless Chromium from Vite's dev server; the app itself never imports it). On the page's WebGPU device it
 * grows each preset's run, then draws the same state twice, side by side:
 *  - before: one flat square per cell, as the field used to be drawn: the engine's one-pixel-per-cell image
 *    (GpuEngine.image with alphaXi off: each cell's colour with its metal mixed in) scaled up with no smoothing;
 *  - after: the field renderer (fieldRenderer.ts renderField) over the image the page draws (alphaXi on): the
 *    smooth xi = 0.5 outline, interpolated colours, the shaded metal and the draped coating band.
 * Both in the window the page shows (framing.ts: the front view). Three PNGs as data URLs: the field view (one
 * preset), the comparison (the presets in a row, the old drawing above the new) and a 1920 x 1080 clip frame composed
 * by the clip recorder's own composeClipFrame (the two drawings as its two panes). A picture maker, not a test.
 */
import { browserGpu } from "../../engine/browser-device.ts";
import { createEngine } from "../../engine/run-gpu.ts";
import { SHADERS } from "../../engine/shaders-browser.ts";
import type { SeriesRow } from "../../model/metrics.ts";
import { getPreset } from "../../model/presets.ts";
import { parseScenario } from "../../model/scenario.ts";
import { scaleBarUm } from "../legend.ts";
import { fmt, formulaText } from "../text.ts";
import { renderField, renderToCanvas, type Drawable } from "./fieldRenderer.ts";
import { panesWindow, type FieldWindow } from "./framing.ts";
import { composeClipFrame, type ClipPane } from "./recordClip.ts";
import { layerScale } from "./types.ts";

export interface DrawingPicturesOptions {
  /** Presets grown and compared, the first the field view's, `clip` the clip frame's. */
  presets: string[];
  clip: string;
  nx: number;
  ny: number;
  dxUm: number;
  current_mA_cm2: number;
  steps: number;
}

export const DRAWING_DEFAULTS: DrawingPicturesOptions = {
  presets: ["zns", "bare", "cof", "znf2"], clip: "cof", nx: 64, ny: 64, dxUm: 0.5, current_mA_cm2: 20, steps: 400,
};

/** One grown state, in both drawings' pixels. */
interface Grown {
  id: string;
  name: string;
  /** alphaXi off: a cell's colour with its metal mixed in (the old drawing's squares). */
  flat: Uint8ClampedArray<ArrayBuffer>;
  /** alphaXi on: the electrolyte's colour in RGB, xi in A (what the page draws with the field renderer). */
  smooth: Uint8ClampedArray<ArrayBuffer>;
  dead: Uint8Array<ArrayBuffer>;
  row: SeriesRow;
  c0_M: number;
}

export interface DrawingPictures {
  field: string; comparison: string; clip: string;
  /** What was drawn: the simulated time, the grid, the window shown (cells), the adapter. */
  t_s: number; steps: number; grid: string; window: FieldWindow | null; adapter: string;
}

const FONT = "'DejaVu Sans', 'Liberation Sans', system-ui, sans-serif";
const BG = "rgb(10, 16, 24)";
const INK = "#ffffff";
const DIM = "rgb(190, 200, 214)";
export const BEFORE = "one square per cell";
export const AFTER = "field renderer";

async function grow(id: string, o: DrawingPicturesOptions, device: GPUDevice): Promise<Grown> {
  const s = parseScenario({ grid: { nx: o.nx, ny: o.ny, dx_um: o.dxUm }, current_mA_cm2: o.current_mA_cm2, duration_s: 100_000, coating: { preset: id } });
  const engine = createEngine(device, s, SHADERS);
  try {
    let row = await engine.metrics();
    // Steps in submits of 10, each followed by a metrics readback (it tunes the solves' iterations, as a page's frame does).
    for (let k = 0; k < o.steps; k += 10) {
      engine.advance(Math.min(10, o.steps - k));
      row = await engine.metrics();
    }
    const band: [number, number] = engine.co.hasCoating ? [0, engine.co.bandCells] : [0, 0];
    const flat = await engine.image(band, 0, 0, 1, false);
    const smooth = await engine.image(band, 0, 0, 1, true);
    const dead = await engine.deadMask();
    const { raw: _raw, ...plain } = row;
    return { id, name: formulaText(getPreset(id)?.name ?? id), flat, smooth, dead, row: plain, c0_M: s.electrolyte.c0_M };
  } finally {
    engine.destroy();
  }
}

function canvas(w: number, h: number): { c: HTMLCanvasElement; g: CanvasRenderingContext2D } {
  const c = document.createElement("canvas");
  c.width = w;
  c.height = h;
  return { c, g: c.getContext("2d", { alpha: false })! };
}

/** The old drawing: one pixel a cell, the window's cells scaled up to (x, y, w, h) with no smoothing. */
function drawSquares(g: CanvasRenderingContext2D, s: Grown, nx: number, ny: number, v: FieldWindow, x: number, y: number, w: number, h: number): void {
  const { c: img, g: ig } = canvas(nx, ny);
  ig.putImageData(new ImageData(new Uint8ClampedArray(s.flat), nx, ny), 0, 0);
  g.save();
  g.imageSmoothingEnabled = false;
  g.drawImage(img, v.x0, v.r0, v.w, v.h, x, y, w, h);
  g.restore();
}

const drawableOf = (s: Grown, nx: number, ny: number, v: FieldWindow): Drawable => ({ pixels: s.smooth, nx, ny, layer: 0, view: v, dead: s.dead });

/** A scale bar under a field (x, y its left end, `pxPerUm`), with its length and the cell size named. */
function scaleBar(g: CanvasRenderingContext2D, x: number, y: number, widthUm: number, pxPerUm: number, dxUm: number, fs: number): void {
  const bar = scaleBarUm(widthUm);
  g.fillStyle = INK;
  g.fillRect(x, y - fs * 0.18, bar * pxPerUm, Math.max(3, fs * 0.3));
  g.font = `${fs}px ${FONT}`;
  g.textBaseline = "middle";
  g.fillText(`${fmt(bar)} µm (cells of ${fmt(dxUm)} µm)`, x + bar * pxPerUm + fs * 0.5, y);
}

function label(g: CanvasRenderingContext2D, text: string, x: number, y: number, fs: number, bold = true, colour = INK, maxW?: number): void {
  g.fillStyle = colour;
  g.font = `${bold ? "bold " : ""}${fs}px ${FONT}`;
  g.textBaseline = "middle";
  g.fillText(text, x, y, maxW);
}

/** (a) The field view: one preset, its deposit layer, the old drawing on the left and the field renderer on the right. */
function fieldPicture(s: Grown, o: DrawingPicturesOptions, v: FieldWindow): string {
  const P = 880, m = 40, head = 70, sub = 56, foot = 70;
  const W = 2 * P + 3 * m, H = head + sub + P + foot;
  const { c, g } = canvas(W, H);
  g.fillStyle = BG;
  g.fillRect(0, 0, W, H);
  label(g, `${s.name} at ${fmt(o.current_mA_cm2)} mA/cm², t = ${fmt(s.row.t_s)} s: the same state drawn twice (deposit layer)`, m, head / 2, 30, true, INK, W - 2 * m);
  const widthUm = v.w * o.dxUm;
  [BEFORE, AFTER].forEach((what, k) => {
    const x = m + k * (P + m), y = head + sub;
    label(g, `${k === 0 ? "Before" : "After"}: ${what}`, x, head + sub / 2, 28);
    if (k === 0) drawSquares(g, s, o.nx, o.ny, v, x, y, P, P);
    else renderField(g, drawableOf(s, o.nx, o.ny, v), x, y, P, P);
    scaleBar(g, x, y + P + foot / 2, widthUm, P / widthUm, o.dxUm, 24);
  });
  return c.toDataURL("image/png");
}

/** (b) The comparison: the presets in a row, the old drawing's row above the field renderer's, one window for all. */
function comparisonPicture(all: Grown[], o: DrawingPicturesOptions, v: FieldWindow): string {
  const n = all.length, m = 24, P = Math.floor((1880 - (n + 1) * m) / n), head = 64, rowHead = 52, colHead = 44, foot = 56;
  const W = n * P + (n + 1) * m, H = head + colHead + 2 * (rowHead + P) + foot;
  const { c, g } = canvas(W, H);
  g.fillStyle = BG;
  g.fillRect(0, 0, W, H);
  label(g, `${n} coatings at ${fmt(o.current_mA_cm2)} mA/cm² after the same ${o.steps} steps (t = ${fmt(all[0]!.row.t_s)} s), deposit layer`, m, head / 2, 28, true, INK, W - 2 * m);
  all.forEach((s, k) => label(g, s.name, m + k * (P + m), head + colHead / 2, 26, true, INK, P));
  const widthUm = v.w * o.dxUm;
  [BEFORE, AFTER].forEach((what, r) => {
    const y0 = head + colHead + r * (rowHead + P);
    label(g, `${r === 0 ? "Before" : "After"}: ${what}`, m, y0 + rowHead / 2, 24, true, DIM);
    all.forEach((s, k) => {
      const x = m + k * (P + m), y = y0 + rowHead;
      if (r === 0) drawSquares(g, s, o.nx, o.ny, v, x, y, P, P);
      else renderField(g, drawableOf(s, o.nx, o.ny, v), x, y, P, P);
    });
  });
  scaleBar(g, m, H - foot / 2, widthUm, P / widthUm, o.dxUm, 22);
  return c.toDataURL("image/png");
}

/** (c) A clip frame, 1920 x 1080 (the recorder's 16:9 at 1080 px) by composeClipFrame: the old drawing and the new as its panes. */
function clipPicture(s: Grown, o: DrawingPicturesOptions, v: FieldWindow): string {
  // The old drawing's pane: its squares pre-scaled (composeClipFrame draws a canvas the renderer has not drawn as an image).
  const px = 32;
  const { c: old, g: og } = canvas(Math.round(v.w * px), Math.round(v.h * px));
  drawSquares(og, s, o.nx, o.ny, v, 0, 0, old.width, old.height);
  // The new one's: drawn once by the renderer on a canvas, which composeClipFrame draws again at the clip's resolution.
  const now = document.createElement("canvas");
  renderToCanvas(now, drawableOf(s, o.nx, o.ny, v));
  const caption = (layer: string): ClipPane["caption"] => ({
    coating: s.name, layer, t_s: s.row.t_s, widthUm: v.w * o.dxUm, latest: s.row, metrics: ["max_height_um", "h2_mmol_cm2"],
    legend: { layer: "deposit", scale: layerScale("deposit", s.c0_M, 0) },
  });
  const { c, g } = canvas(1920, 1080);
  composeClipFrame(g, [
    { field: old, lines: null, caption: caption(BEFORE) },
    { field: now, lines: null, caption: caption(AFTER) },
  ], FONT);
  return c.toDataURL("image/png");
}

/** Grows every preset of `o` and draws the three pictures. */
export async function drawingPictures(opts: Partial<DrawingPicturesOptions> = {}): Promise<DrawingPictures> {
  const o = { ...DRAWING_DEFAULTS, ...opts };
  const { device, adapter } = await browserGpu();
  const ids = [...new Set([...o.presets, o.clip])];
  const grown = new Map<string, Grown>();
  for (const id of ids) grown.set(id, await grow(id, o, device));
  const shown = o.presets.map((id) => grown.get(id)!);
  // One window for every picture: the front of the tallest deposit, as the comparison's panes share one.
  const v = panesWindow([...grown.values()].map((s) => s.smooth), o.nx, o.ny, o.dxUm) ?? { x0: 0, r0: 0, w: o.nx, h: o.ny };
  return {
    field: fieldPicture(shown[0]!, o, v),
    comparison: comparisonPicture(shown, o, v),
    clip: clipPicture(grown.get(o.clip)!, o, v),
    t_s: shown[0]!.row.t_s, steps: o.steps, grid: `${o.nx} x ${o.ny} cells of ${o.dxUm} um`,
    window: v.w === o.nx && v.h === o.ny ? null : v, adapter: adapter || "WebGPU adapter",
  };
}
