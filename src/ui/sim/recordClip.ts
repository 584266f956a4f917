/**
 * Clip recording (no React): steps a paused run deterministically, composes the field canvas (or the panes of the
 * side-by-side comparison, left to right), its current-line overlay and a caption (coating, time, scale bar,
 * colour legend, chosen metrics) into a recording canvas, and encodes one video
 * frame per `stepsPerFrame` simulated steps at exact timestamps n / fps through WebCodecs, muxed by mediabunny
 * into MP4 (H.264) or WebM (VP9). The frame rate of the clip does not depend on how fast the simulation runs.
 */
// mediabunny is loaded on first use (its own chunk), so the page does not carry it until a clip is asked for.
const muxer = () => import("mediabunny");
import { SERIES_META, type SeriesField, type SeriesRow } from "../../model/metrics.ts";
import type { Scenario } from "../../model/scenario.ts";
import { legendScale, legendStops, legendTick, scaleBarUm } from "../legend.ts";
import { fmt, labelText, unitText } from "../text.ts";
import { appFont, drawTitleCard, titleFrames, type TitleCard } from "./clipCard.ts";
import type { ColourScale, FieldLayer } from "./types.ts";
import { drawnOn, renderField, shownWindow } from "./fieldRenderer.ts";

export type ClipFormat = "mp4" | "webm";
/** The video's shape: as wide as its fields (each pane nx : ny between the captions), or 16:9 with the fields centred. */
export type ClipShape = "field" | "16:9";
export const CLIP_CODEC: Record<ClipFormat, "avc" | "vp9"> = { mp4: "avc", webm: "vp9" };
export const CLIP_MIME: Record<ClipFormat, string> = { mp4: "video/mp4", webm: "video/webm" };

/** The metrics a clip can show in its caption. */
export const CLIP_METRICS: readonly SeriesField[] = ["max_height_um", "h2_mmol_cm2", "voltage_V", "roughness_um", "ce", "cracked_fraction"];

/** What the caption of a frame shows. */
export interface ClipCaption {
  coating: string;
  layer: string;
  t_s: number;
  /** The field's physical width in µm (for the scale bar). */
  widthUm: number;
  latest: SeriesRow | null;
  metrics: readonly SeriesField[];
  /** The colour legend of the layer shown (none while there is no frame yet). */
  legend: { layer: FieldLayer; scale: ColourScale } | null;
  /** Where a protocol run stands ("cycle 2, stripping": stepCaption), shown after the layer; none without one. */
  stage?: string | null;
}

/** The caption's first line: coating, layer and, in a protocol run, its cycle and step. */
export const captionTitle = (c: ClipCaption) => [c.coating, c.layer, c.stage].filter(Boolean).join(" · ");

/** One pane of a clip: the field canvas, its current-line overlay where one is shown, and its caption. */
export type ClipAdvance = "ok" | "end" | "gone";

export interface ClipPane { field: HTMLCanvasElement; lines: HTMLCanvasElement | null; caption: ClipCaption }

export interface ClipOptions {
  format: ClipFormat;
  fps: number;
  seconds: number;
  /** Video height in pixels (the width follows the field's aspect ratio, or 16:9: `shape`); both are made even. */
  height: number;
  shape?: ClipShape;
  stepsPerFrame: number;
  /**
   * Runs `steps` steps and draws the frame on the panes' canvases before it resolves: "ok", "end" (the run reached
   * its last step with this frame, which is the clip's last), or "gone" (the run stopped or restarted).
   */
  advance: (steps: number) => Promise<ClipAdvance>;
  /** The panes of the frame just drawn (one for the field view, two to four for the comparison). */
  panes: () => ClipPane[];
  onProgress?: (frame: number, frames: number) => void;
  signal?: AbortSignal;
  /** A title card the clip opens with (clipCard.ts: TITLE_CARD_SECONDS of frames before the run's), or none. */
  titleCard?: TitleCard | null;
}

/**
 * Where a frame's parts go, for a video `height` px high and `metrics` metrics in the caption: the caption's type
 * size, a band at the top (coating, layer, time) and one at the bottom (scale bar, legend, metrics two a row), and
 * the field between them, never under a caption.
 */
export function clipLayout(height: number, metrics: number): { fs: number; band: number; top: number; bottom: number; fieldH: number } {
  const fs = Math.max(9, Math.round(height / 30));
  const band = Math.round(fs * 1.6);
  const bottom = band * (1 + Math.ceil(metrics / 2));
  return { fs, band, top: band, bottom, fieldH: Math.max(2, height - band - bottom) };
}

/**
 * Even video dimensions for `panes` fields of nx × ny cells side by side at `height` pixels: each pane as wide as
 * its field (nx : ny at the field's height between the caption bands).
 */
export function clipSize(nx: number, ny: number, height: number, panes = 1, metrics = 2, shape: ClipShape = "field"): { width: number; height: number } {
  const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));
  const h = even(height);
  if (shape === "16:9") return { width: even((h * 16) / 9), height: h };
  return { width: panes * even((clipLayout(h, metrics).fieldH * nx) / ny), height: h };
}

/**
 * Where the field goes in a pane `W` wide between the caption bands (`top`, `fieldH` high): the field's shape
 * (`aspect`, width over height) as large as fits, centred; the whole band where the pane has the field's shape.
 */
export function fieldBox(W: number, top: number, fieldH: number, aspect: number): { x: number; y: number; w: number; h: number } {
  if (!(aspect > 0)) return { x: 0, y: top, w: W, h: fieldH };
  const w = Math.min(W, fieldH * aspect), h = w / aspect;
  // Within a pixel of the band: the field's own shape, drawn over the whole band as before.
  if (W - w < 2 && fieldH - h < 2) return { x: 0, y: top, w: W, h: fieldH };
  return { x: Math.round((W - w) / 2), y: Math.round(top + (fieldH - h) / 2), w: Math.round(w), h: Math.round(h) };
}

/** How many video frames a clip of `seconds` at `fps` has. */
export const clipFrames = (seconds: number, fps: number) => Math.max(1, Math.round(seconds * fps));

/**
 * A descriptive file name: zinc-<coating>-<nx>x<ny>-seed<seed>-t<t0>-<t1>s-<fps>fps.<ext>; for a comparison the
 * coatings of its panes, zinc-compare-<a>-vs-<b>-....
 */
export function clipName(s: Scenario, t0: number, t1: number, fps: number, format: ClipFormat, compared?: readonly string[]): string {
  const what = compared ? `compare-${compared.join("-vs-")}` : s.coating.preset;
  return `zinc-${what}-${s.grid.nx}x${s.grid.ny}-seed${s.seed}-t${Math.round(t0)}-${Math.round(t1)}s-${fps}fps.${format}`;
}

/** Whether this browser can encode the format at that size (WebCodecs' VideoEncoder.isConfigSupported, via mediabunny). */
export async function clipSupport(format: ClipFormat, width: number, height: number): Promise<string | null> {
  if (typeof VideoEncoder === "undefined") return "this browser has no WebCodecs VideoEncoder";
  try {
    const { canEncodeVideo, QUALITY_HIGH } = await muxer();
    const ok = await canEncodeVideo(CLIP_CODEC[format], { width, height, bitrate: QUALITY_HIGH });
    return ok ? null : `this browser cannot encode ${format === "mp4" ? "H.264" : "VP9"} at ${width} × ${height}`;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Draws one recording frame: each pane's field in its slot (left to right) by the field renderer, its current
 * lines, a caption band above it (coating, layer, time) and one below it (scale bar, colour legend, metrics): no
 * caption over the field (clipLayout).
 */
export function composeClipFrame(g: CanvasRenderingContext2D, panes: readonly ClipPane[], font = appFont()): void {
  const W = g.canvas.width, H = g.canvas.height;
  g.fillStyle = "#000000";
  g.fillRect(0, 0, W, H);
  const pw = Math.floor(W / Math.max(1, panes.length));
  panes.forEach((p, k) => {
    g.save();
    g.translate(k * pw, 0);
    g.beginPath();
    g.rect(0, 0, pw, H);
    g.clip();
    composePane(g, pw, H, p, font);
    g.restore();
    if (k > 0) {
      g.fillStyle = "#000000";
      g.fillRect(k * pw - 1, 0, 2, H);
    }
  });
}

function composePane(g: CanvasRenderingContext2D, W: number, H: number, { field, lines, caption: c }: ClipPane, font: string): void {
  const { fs, band, top, bottom, fieldH } = clipLayout(H, c.metrics.length);
  // The field between the caption bands, drawn again by the field renderer at the clip's own resolution, in its
  // own shape (centred on black where the video is 16:9).
  const shown = drawnOn(field);
  const win = shown ? shownWindow(shown) : null;
  const f = fieldBox(W, top, fieldH, win ? win.w / win.h : field.width / Math.max(1, field.height));
  if (shown) renderField(g, shown, f.x, f.y, f.w, f.h);
  else if (field.width > 0 && field.height > 0) g.drawImage(field, f.x, f.y, f.w, f.h);
  if (lines && lines.width > 0 && lines.height > 0) {
    g.imageSmoothingEnabled = true;
    g.drawImage(lines, f.x, f.y, f.w, f.h);
  }
  g.fillStyle = "rgb(10, 16, 24)";
  g.fillRect(0, 0, W, top);
  g.fillRect(0, H - bottom, W, bottom);
  const rows = bottom / band;
  g.fillStyle = "#ffffff";
  g.textBaseline = "middle";
  g.font = `bold ${fs}px ${font}`;
  g.fillText(captionTitle(c), fs * 0.5, band / 2, W * 0.62);
  const t = `t = ${fmt(c.t_s)} s`;
  g.fillText(t, W - fs * 0.5 - Math.min(g.measureText(t).width, W * 0.36), band / 2, W * 0.36);
  g.font = `${fs}px ${font}`;
  // Scale bar on the left half of the first bottom row, the colour legend on its right half.
  const bar = scaleBarUm(c.widthUm);
  const y0 = H - band * rows;
  const barW = Math.min((f.w * bar) / c.widthUm, W * 0.3);
  g.fillRect(fs * 0.5, y0 + band * 0.4, barW, Math.max(2, fs * 0.3));
  g.fillText(`${fmt(bar)} µm`, fs * 0.5 + barW + fs * 0.4, y0 + band * 0.5, W * 0.5 - barW - fs * 1.4);
  if (c.legend?.scale.off) {
    g.fillText(`${c.legend.scale.off}.`, W * 0.5, y0 + band * 0.5, W * 0.5 - fs * 0.5);
  } else if (c.legend) {
    const { layer } = c.legend, scale = legendScale(c.legend.scale);
    const lo = legendTick(scale.lo, scale), hi = legendTick(scale.hi, scale);
    const x0 = W * 0.5, x1 = W - fs * 0.5;
    const loW = Math.min(g.measureText(lo).width, W * 0.14), hiW = Math.min(g.measureText(hi).width, W * 0.14);
    const r0 = x0 + loW + fs * 0.3, r1 = x1 - hiW - fs * 0.3;
    g.fillText(lo, x0, y0 + band * 0.5, W * 0.14);
    g.fillText(hi, r1 + fs * 0.3, y0 + band * 0.5, W * 0.14);
    if (r1 > r0) {
      const grad = g.createLinearGradient(r0, 0, r1, 0);
      legendStops(layer).forEach((col, k, all) => grad.addColorStop(k / (all.length - 1), col));
      g.fillStyle = grad;
      g.fillRect(r0, y0 + band * 0.25, r1 - r0, band * 0.5);
      g.fillStyle = "#ffffff";
    }
  }
  c.metrics.forEach((m, k) => {
    const meta = SERIES_META[m];
    const v = c.latest?.[m];
    // Labels and units as the page writes them (H₂, mmol/cm², µm).
    const unit = unitText(meta.unit) ? ` ${unitText(meta.unit)}` : "";
    const x = fs * 0.5 + (k % 2) * (W / 2);
    const y = y0 + band * (1.5 + Math.floor(k / 2));
    g.fillText(`${labelText(meta.label)}: ${v === undefined ? "–" : fmt(v)}${unit}`, x, y, W / 2 - fs);
  });
}

export class ClipCancelled extends Error {
  constructor() { super("the recording was cancelled"); }
}

/**
 * Records a clip: with a title card, TITLE_CARD_SECONDS of it first; then frame 0 is the current state, each further
 * frame `stepsPerFrame` steps later. Resolves with the file (and the simulated times of its first and last frame);
 * rejects with ClipCancelled on abort. `frames`: the run's frames recorded, fewer than asked where the run ended
 * first (`ended`); `cardFrames`: the title card's; `titles`: the first pane's caption title (captionTitle) on the
 * first and the last frame.
 */
export async function recordClip(o: ClipOptions): Promise<{ blob: Blob; t0: number; t1: number; frames: number; cardFrames: number; ended: boolean; titles: [string, string] }> {
  const { BufferTarget, CanvasSource, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } = await muxer();
  const frames = clipFrames(o.seconds, o.fps);
  const first = o.panes();
  if (!first.length) throw new Error("there is no field to record");
  // The grid of the frame shown (the canvas itself is drawn at the screen's size and ratio).
  const shown = drawnOn(first[0]!.field);
  const size = clipSize(shown?.nx ?? (first[0]!.field.width || 1), shown?.ny ?? (first[0]!.field.height || 1), o.height, first.length, first[0]!.caption.metrics.length, o.shape);
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  const g = canvas.getContext("2d", { alpha: false })!;
  const output = new Output({ format: o.format === "mp4" ? new Mp4OutputFormat({ fastStart: "in-memory" }) : new WebMOutputFormat(), target: new BufferTarget() });
  const source = new CanvasSource(canvas, { codec: CLIP_CODEC[o.format], quality: QUALITY_HIGH, keyFrameInterval: 2 });
  output.addVideoTrack(source, { frameRate: o.fps });
  await output.start();
  let t0 = 0, t1 = 0, made = 0, ended = false;
  const titles: [string, string] = ["", ""];
  const font = appFont();
  const card = titleFrames(o.fps, !!o.titleCard);
  try {
    if (o.titleCard) drawTitleCard(g, o.titleCard, font);
    for (let n = 0; n < card; n++) {
      if (o.signal?.aborted) throw new ClipCancelled();
      await source.add(n / o.fps, 1 / o.fps);
    }
    for (let n = 0; n < frames && !ended; n++) {
      if (o.signal?.aborted) throw new ClipCancelled();
      const step = await o.advance(n === 0 ? 0 : o.stepsPerFrame);
      if (step === "gone") throw new Error("the run stopped or restarted during the recording");
      // The run's last state is the clip's last frame: frames after it would only repeat it.
      ended = step === "end";
      if (o.signal?.aborted) throw new ClipCancelled();
      const panes = o.panes();
      const t = panes[0]?.caption.t_s ?? 0;
      const title = panes[0] ? captionTitle(panes[0].caption) : "";
      if (n === 0) [t0, titles[0]] = [t, title];
      [t1, titles[1]] = [t, title];
      composeClipFrame(g, panes, font);
      await source.add((card + n) / o.fps, 1 / o.fps);
      made = n + 1;
      o.onProgress?.(made, frames);
    }
    source.close();
    await output.finalize();
  } catch (e) {
    await output.cancel().catch(() => undefined);
    throw e;
  }
  const buf = output.target.buffer;
  if (!buf) throw new Error("the muxer gave no file");
  return { blob: new Blob([buf], { type: CLIP_MIME[o.format] }), t0, t1, frames: made, cardFrames: card, ended, titles };
}
