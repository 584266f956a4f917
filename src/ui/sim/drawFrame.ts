/**
 * Drawing a backend's frame onto a field canvas and its current lines onto the transparent overlay canvas above
 * it. Shared by the run controller (one field) and the comparison controller (one per pane). No React.
 */
import { traceCurrentLines } from "../currentLines.ts";
import { drawable, renderToCanvas } from "./fieldRenderer.ts";
import type { Frame } from "./types.ts";

/** Current lines drawn over the potential layer. */
const CURRENT_LINES = 12;

/**
 * Draws the frame on `canvas` with the field renderer (smooth outline, interpolated colours, at the canvas's CSS
 * size times the device pixel ratio) and its current lines on `overlay`.
 */
export function drawFrame(canvas: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null, f: Frame | null, nx: number, ny: number): void {
  const d = drawable(f, nx, ny);
  if (canvas && d) renderToCanvas(canvas, d);
  drawLines(overlay, f, nx, ny);
}

/**
 * The current lines of a frame that carries the potential (the potential layer) as thin white polylines on the
 * overlay canvas, at its CSS size times the device pixel ratio; any other frame clears it.
 */
export function drawLines(o: HTMLCanvasElement | null, f: Frame | null, nx: number, ny: number): void {
  if (!o) return;
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.max(1, Math.round((o.clientWidth || nx || 1) * ratio));
  const h = Math.max(1, Math.round((o.clientHeight || ny || 1) * ratio));
  // Setting the size clears the bitmap (even to the same size); clearRect alone was seen to leave the old lines
  // on screen and in getImageData in headless Chromium (SwiftShader).
  o.width = w;
  o.height = h;
  const ctx = o.getContext("2d");
  if (!ctx) return;
  if (!f?.phi || !f.xi || f.phi.length !== nx * ny || f.xi.length !== nx * ny) return;
  const lines = traceCurrentLines({ nx, ny, phi: f.phi, xi: f.xi }, { count: CURRENT_LINES });
  const sx = w / nx, sy = h / ny;
  ctx.lineJoin = "round";
  ctx.beginPath();
  for (const l of lines) {
    ctx.moveTo(l[0]! * sx, (ny - l[1]!) * sy);
    for (let q = 2; q < l.length; q += 2) ctx.lineTo(l[q]! * sx, (ny - l[q + 1]!) * sy);
  }
  // A faint dark halo keeps the white lines visible over the near-white potential by the reservoir.
  ctx.strokeStyle = "rgba(0, 0, 0, 0.35)";
  ctx.lineWidth = Math.max(2, 3 * ratio);
  ctx.stroke();
  ctx.strokeStyle = "rgba(255, 255, 255, 0.95)";
  ctx.lineWidth = Math.max(1, 1.25 * ratio);
  ctx.stroke();
}
