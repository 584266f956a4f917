/**
 * Drawing a backend's frame onto a field canvas and its current lines onto the transparent overlay canvas above
 * it. Shared by the run controller (one field) and the comparison controller (one per pane). No React.
 */
import { traceCurrentLines } from "../currentLines.ts";
import { drawable, renderToCanvas } from "./fieldRenderer.ts";
import type { FieldWindow } from "./framing.ts";
import type { Frame } from "./types.ts";

/** Current lines drawn over the potential layer. */
const CURRENT_LINES = 12;

/**
 * Draws the frame on `canvas` with the field renderer (smooth outline, interpolated colours, at the canvas's CSS
 * size times the device pixel ratio) and its current lines on `overlay`.
 */
export function drawFrame(canvas: HTMLCanvasElement | null, overlay: HTMLCanvasElement | null, f: Frame | null, nx: number, ny: number, view: FieldWindow | null = null): void {
  const d = drawable(f, nx, ny, view);
  if (canvas && d) renderToCanvas(canvas, d);
  drawLines(overlay, f, nx, ny, view);
}

/**
 * The current lines of a frame that carries the potential (the potential layer) as thin white polylines on the
 * overlay canvas, at its CSS size times the device pixel ratio; any other frame clears it.
 */
export function drawLines(o: HTMLCanvasElement | null, f: Frame | null, nx: number, ny: number, view: FieldWindow | null = null): void {
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
  // In the field's window (the whole cell where none): cell x from its left, image row from its top.
  const v = view ?? { x0: 0, r0: 0, w: nx, h: ny };
  const sx = w / v.w, sy = h / v.h;
  const px = (cx: number) => (cx - v.x0) * sx, py = (cy: number) => (ny - cy - v.r0) * sy;
  ctx.lineJoin = "round";
  ctx.beginPath();
  for (const l of lines) {
    ctx.moveTo(px(l[0]!), py(l[1]!));
    for (let q = 2; q < l.length; q += 2) ctx.lineTo(px(l[q]!), py(l[q + 1]!));
  }
  // A faint dark halo keeps the white lines visible over the near-white potential by the reservoir.
  ctx.strokeStyle = "rgba(0, 0, 0, 0.35)";
  ctx.lineWidth = Math.max(2, 3 * ratio);
  ctx.stroke();
  ctx.strokeStyle = "rgba(255, 255, 255, 0.95)";
  ctx.lineWidth = Math.max(1, 1.25 * ratio);
  ctx.stroke();
}
