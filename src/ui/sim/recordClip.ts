/**
 * Clip recording (no React): steps a paused run deterministically, composes the field canvas, its current-line
 * overlay and a caption (time, coating, scale bar, chosen metrics) into a recording canvas, and encodes one video
 * frame per `stepsPerFrame` simulated steps at exact timestamps n / fps through WebCodecs, muxed by mediabunny
 * into MP4 (H.264) or WebM (VP9). The frame rate of the clip does not depend on how fast the simulation runs.
 */
// mediabunny is loaded on first use (its own chunk), so the page does not carry it until a clip is asked for.
const muxer = () => import("mediabunny");
import { SERIES_META, type SeriesField, type SeriesRow } from "../../model/metrics.ts";
import type { Scenario } from "../../model/scenario.ts";

export type ClipFormat = "mp4" | "webm";
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
}

export interface ClipOptions {
  format: ClipFormat;
  fps: number;
  seconds: number;
  /** Video height in pixels (the width follows the field's aspect ratio); both are made even. */
  height: number;
  stepsPerFrame: number;
  field: HTMLCanvasElement;
  /** The current-line overlay, drawn where `showLines` (the potential layer). */
  lines: HTMLCanvasElement | null;
  showLines: boolean;
  /** Runs `steps` steps and draws the frame on `field` (and `lines`) before it resolves; false: the run is gone. */
  advance: (steps: number) => Promise<boolean>;
  /** The caption of the frame just drawn. */
  caption: () => ClipCaption;
  onProgress?: (frame: number, frames: number) => void;
  signal?: AbortSignal;
}

/** Even video dimensions for a field of nx × ny cells at `height` pixels. */
export function clipSize(nx: number, ny: number, height: number): { width: number; height: number } {
  const even = (v: number) => Math.max(2, 2 * Math.round(v / 2));
  const h = even(height);
  return { width: even((h * nx) / ny), height: h };
}

/** How many video frames a clip of `seconds` at `fps` has. */
export const clipFrames = (seconds: number, fps: number) => Math.max(1, Math.round(seconds * fps));

/** A descriptive file name: zinc-<coating>-<nx>x<ny>-seed<seed>-t<t0>-<t1>s-<fps>fps.<ext>. */
export function clipName(s: Scenario, t0: number, t1: number, fps: number, format: ClipFormat): string {
  return `zinc-${s.coating.preset}-${s.grid.nx}x${s.grid.ny}-seed${s.seed}-t${Math.round(t0)}-${Math.round(t1)}s-${fps}fps.${format}`;
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

const num = (v: number) => (v === 0 ? "0" : Math.abs(v) < 1e-2 || Math.abs(v) >= 1e4 ? v.toExponential(2) : String(Number(v.toPrecision(3))));

/** A round scale-bar length: about a quarter of the width. */
function barUm(widthUm: number): number {
  const target = widthUm / 4;
  const p = Math.pow(10, Math.floor(Math.log10(target)));
  return [5, 2, 1].map((m) => m * p).find((v) => v <= target) ?? p;
}

/**
 * Draws one recording frame: the field scaled to the canvas (nearest neighbour), the current lines, a caption band
 * at the top (coating, layer, time) and one at the bottom (scale bar, metrics).
 */
export function composeClipFrame(g: CanvasRenderingContext2D, field: HTMLCanvasElement, lines: HTMLCanvasElement | null, c: ClipCaption): void {
  const W = g.canvas.width, H = g.canvas.height;
  g.fillStyle = "#000000";
  g.fillRect(0, 0, W, H);
  g.imageSmoothingEnabled = false;
  if (field.width > 0 && field.height > 0) g.drawImage(field, 0, 0, W, H);
  if (lines && lines.width > 0 && lines.height > 0) {
    g.imageSmoothingEnabled = true;
    g.drawImage(lines, 0, 0, W, H);
  }
  const fs = Math.max(9, Math.round(H / 26));
  const band = Math.round(fs * 1.6);
  g.fillStyle = "rgba(10, 16, 24, 0.72)";
  g.fillRect(0, 0, W, band);
  const rows = 1 + Math.ceil(c.metrics.length / 2);
  g.fillRect(0, H - band * rows, W, band * rows);
  g.fillStyle = "#ffffff";
  g.textBaseline = "middle";
  g.font = `bold ${fs}px sans-serif`;
  g.fillText(`${c.coating} · ${c.layer}`, fs * 0.5, band / 2, W * 0.62);
  const t = `t = ${num(c.t_s)} s`;
  g.fillText(t, W - fs * 0.5 - Math.min(g.measureText(t).width, W * 0.36), band / 2, W * 0.36);
  g.font = `${fs}px sans-serif`;
  const bar = barUm(c.widthUm);
  const y0 = H - band * rows;
  g.fillRect(fs * 0.5, y0 + band * 0.4, (W * bar) / c.widthUm, Math.max(2, fs * 0.3));
  g.fillText(`${num(bar)} µm`, fs * 0.5 + (W * bar) / c.widthUm + fs * 0.4, y0 + band * 0.5);
  c.metrics.forEach((m, k) => {
    const meta = SERIES_META[m];
    const v = c.latest?.[m];
    const unit = meta.unit === "1" ? "" : ` ${meta.unit.replace("um", "µm")}`;
    const x = fs * 0.5 + (k % 2) * (W / 2);
    const y = y0 + band * (1.5 + Math.floor(k / 2));
    g.fillText(`${meta.label}: ${v === undefined ? "–" : num(v)}${unit}`, x, y, W / 2 - fs);
  });
}

export class ClipCancelled extends Error {
  constructor() { super("the recording was cancelled"); }
}

/**
 * Records a clip: frame 0 is the current state, each further frame `stepsPerFrame` steps later. Resolves with the
 * file (and the simulated times of its first and last frame); rejects with ClipCancelled on abort.
 */
export async function recordClip(o: ClipOptions): Promise<{ blob: Blob; t0: number; t1: number; frames: number }> {
  const { BufferTarget, CanvasSource, Mp4OutputFormat, Output, QUALITY_HIGH, WebMOutputFormat } = await muxer();
  const frames = clipFrames(o.seconds, o.fps);
  const size = clipSize(o.field.width || 1, o.field.height || 1, o.height);
  const canvas = document.createElement("canvas");
  canvas.width = size.width;
  canvas.height = size.height;
  const g = canvas.getContext("2d", { alpha: false })!;
  const output = new Output({ format: o.format === "mp4" ? new Mp4OutputFormat({ fastStart: "in-memory" }) : new WebMOutputFormat(), target: new BufferTarget() });
  const source = new CanvasSource(canvas, { codec: CLIP_CODEC[o.format], quality: QUALITY_HIGH, keyFrameInterval: 2 });
  output.addVideoTrack(source, { frameRate: o.fps });
  await output.start();
  let t0 = 0, t1 = 0;
  try {
    for (let n = 0; n < frames; n++) {
      if (o.signal?.aborted) throw new ClipCancelled();
      const ok = await o.advance(n === 0 ? 0 : o.stepsPerFrame);
      if (!ok) throw new Error("the run stopped or restarted during the recording");
      if (o.signal?.aborted) throw new ClipCancelled();
      const cap = o.caption();
      if (n === 0) t0 = cap.t_s;
      t1 = cap.t_s;
      composeClipFrame(g, o.field, o.showLines ? o.lines : null, cap);
      await source.add(n / o.fps, 1 / o.fps);
      o.onProgress?.(n + 1, frames);
    }
    source.close();
    await output.finalize();
  } catch (e) {
    await output.cancel().catch(() => undefined);
    throw e;
  }
  const buf = output.target.buffer;
  if (!buf) throw new Error("the muxer gave no file");
  return { blob: new Blob([buf], { type: CLIP_MIME[o.format] }), t0, t1, frames };
}
