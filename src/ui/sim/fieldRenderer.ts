/**
 * The one field renderer: the field view, the comparison panes, the PNG export and the clips all draw a frame with
 * it, whichever backend coloured it (render_field.wgsl on the GPU, colorize.ts in the CPU worker). A frame's pixels
 * hold each cell's colour in RGB and its metal fraction xi in A (the backends' `alphaXi`). Here, at the target's
 * own resolution:
 *  - the colours are interpolated between cell centres (the browser's bilinear image smoothing of the nx x ny image),
 *  - the metal is filled up to the xi = 0.5 contour (marching squares with linear interpolation along cell edges,
 *    one path, anti-aliased by the canvas) in the layer's metal colour shaded by the outline's normal (metalShadeRgb:
 *    faces that look up lighter, those that look down darker), with a light rim on faces that look up and a darker
 *    line on those that look down, so no cell's square shows.
 * No physics: the frame's numbers are drawn as they are. No React.
 */
import { DEAD_ZINC_RGB, metalRgb } from "./colorize.ts";
import type { FieldWindow } from "./framing.ts";
import type { Frame } from "./types.ts";

/**
 * What a target needs of a frame: its pixels (RGB colour, A = xi) on an nx x ny grid, its layer's index, and the
 * window of it that is shown (sim/framing.ts; none: the whole cell). An export or a clip of the canvas frames alike.
 */
export interface Drawable {
  pixels: Uint8ClampedArray<ArrayBuffer>; nx: number; ny: number; layer: number; view?: FieldWindow | null;
  /** The dead-zinc mask (Frame.dead: row j * nx + i, j = 0 at the electrode): the deposit layer's dead metal in tan. */
  dead?: Uint8Array<ArrayBuffer>;
}

/** The frame last drawn on each canvas, so that an export or a clip draws it again at its own size. */
const lastDrawn = new WeakMap<HTMLCanvasElement, Drawable>();

/** The frame `canvas` shows, or null where none was drawn there. */
export const drawnOn = (canvas: HTMLCanvasElement): Drawable | null => lastDrawn.get(canvas) ?? null;

/** A frame of `nx` x `ny` cells as a Drawable, or null where its pixels do not fit the grid. */
export function drawable(f: Frame | null, nx: number, ny: number, view: FieldWindow | null = null): Drawable | null {
  if (!f || f.pixels.length !== nx * ny * 4) return null;
  return { pixels: f.pixels, nx, ny, layer: f.layer ?? 0, view, ...(f.dead?.length === nx * ny ? { dead: f.dead } : {}) };
}

/** The width in µm that `canvas` shows of a cell `widthUm` wide: its window's share (sim/framing.ts), or all of it. */
export function shownWidthUm(canvas: HTMLCanvasElement | null, widthUm: number): number {
  const d = canvas ? drawnOn(canvas) : null;
  return d?.view ? (widthUm * d.view.w) / d.nx : widthUm;
}

/** Canvases whose size is watched: a new CSS size (presenter mode, a resized window) draws their frame again. */
const watched = new WeakSet<HTMLCanvasElement>();

/** Draws `d` onto `canvas` at the canvas's CSS size times the device pixel ratio, and remembers it there. */
export function renderToCanvas(canvas: HTMLCanvasElement, d: Drawable): void {
  if (!watched.has(canvas) && typeof ResizeObserver !== "undefined") {
    watched.add(canvas);
    new ResizeObserver(() => {
      const last = lastDrawn.get(canvas);
      if (last && canvas.isConnected) renderToCanvas(canvas, last);
    }).observe(canvas);
  }
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.max(d.nx, Math.round((canvas.clientWidth || d.nx) * ratio));
  const h = Math.max(d.ny, Math.round((canvas.clientHeight || d.ny) * ratio));
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const g = canvas.getContext("2d");
  if (!g) return;
  renderField(g, d, 0, 0, w, h);
  lastDrawn.set(canvas, d);
}

/** Lit from above: a surface facing straight up is this much lighter, one facing down this much darker. */
export const METAL_LIGHT = 0.2;

/**
 * The metal's colour of each cell, lit from above by the outline's normal: the normal is xi's gradient (central
 * differences, image rows r = 0 the reservoir), the cell's colour the layer's metal colour times
 * 1 + METAL_LIGHT * (the normal's upward part) * (how sharp the interface is there, 0 deep in the metal, 1 at it).
 * Deep metal keeps its plain colour; tops read lighter, overhangs darker.
 */
export function metalShadeRgb(d: Pick<Drawable, "pixels" | "nx" | "ny" | "layer" | "dead">): Uint8ClampedArray<ArrayBuffer> {
  const { nx, ny, pixels } = d;
  const live = metalRgb(d.layer);
  // Dead zinc on the deposit layer (the mask's rows run from the electrode up, the image's from the reservoir down).
  const dead = d.layer === 0 ? d.dead : undefined;
  const out = new Uint8ClampedArray(nx * ny * 4);
  const a = (i: number, r: number) => pixels[(Math.min(ny - 1, Math.max(0, r)) * nx + Math.min(nx - 1, Math.max(0, i))) * 4 + 3]! / 255;
  for (let r = 0; r < ny; r++) {
    for (let i = 0; i < nx; i++) {
      const gx = (a(i + 1, r) - a(i - 1, r)) / 2, gr = (a(i, r + 1) - a(i, r - 1)) / 2;
      const g = Math.hypot(gx, gr);
      // The outward normal is -grad xi / |grad xi|; its upward (towards r = 0) part is gr / |grad xi|.
      const up = g > 1e-6 ? gr / g : 0;
      const f = 1 + METAL_LIGHT * up * Math.min(1, 2 * g);
      const p = (r * nx + i) * 4;
      const base = dead?.[(ny - 1 - r) * nx + i] ? DEAD_ZINC_RGB : live;
      out[p] = Math.round(255 * base[0] * f);
      out[p + 1] = Math.round(255 * base[1] * f);
      out[p + 2] = Math.round(255 * base[2] * f);
      out[p + 3] = 255;
    }
  }
  return out;
}

function metalShade(d: Drawable): HTMLCanvasElement | OffscreenCanvas {
  return imageOf(metalShadeRgb(d), d.nx, d.ny);
}

function imageOf(rgba: Uint8ClampedArray<ArrayBuffer>, nx: number, ny: number): HTMLCanvasElement | OffscreenCanvas {
  const c = typeof OffscreenCanvas !== "undefined" ? new OffscreenCanvas(nx, ny) : Object.assign(document.createElement("canvas"), { width: nx, height: ny });
  (c.getContext("2d") as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D).putImageData(new ImageData(rgba, nx, ny), 0, 0);
  return c;
}

/** The colour image (alpha made opaque) on an nx x ny canvas, for the smoothed drawImage. */
function colourImage(d: Drawable): HTMLCanvasElement | OffscreenCanvas {
  const rgb = new Uint8ClampedArray(d.pixels);
  for (let k = 3; k < rgb.length; k += 4) rgb[k] = 255;
  return imageOf(rgb, d.nx, d.ny);
}

/** The window of `d` shown, in cells (the whole grid where it has none). */
export const shownWindow = (d: Drawable): FieldWindow => d.view ?? { x0: 0, r0: 0, w: d.nx, h: d.ny };

/** Draws `d`'s window (the whole cell where it has none) into the rectangle (x, y, w, h) of `g`, at its resolution. */
export function renderField(g: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, d: Drawable, x: number, y: number, w: number, h: number): void {
  const { nx, ny } = d;
  const v = shownWindow(d);
  // The caller's transform (a clip's pane after the first is drawn translated): the metal goes back to it, not to
  // the identity, after the outline's clip is set in cell units.
  const base = g.getTransform();
  g.save();
  g.beginPath();
  g.rect(x, y, w, h);
  g.clip();
  g.imageSmoothingEnabled = true;
  // Bilinear ("low"): "high" (bicubic) took 197 ms a frame of a 128 x 128 field into 1024 px on SwiftShader, more
  // than a simulation step (158 ms); bilinear 53 ms (npm run bench:page; docs/PERFORMANCE.md).
  g.imageSmoothingQuality = "low";
  g.drawImage(colourImage(d), v.x0, v.r0, v.w, v.h, x, y, w, h);
  const xi = (i: number, j: number): number => {
    // Image rows: r = 0 the reservoir; clamped beyond the edges, so the outline meets them.
    const ii = Math.min(nx - 1, Math.max(0, i)), rr = Math.min(ny - 1, Math.max(0, j));
    return d.pixels[(rr * nx + ii) * 4 + 3]! / 255;
  };
  const sx = w / v.w, sy = h / v.h;
  // The window's top left corner at (x, y): cell coordinates shift by the window's origin.
  const ox = x - v.x0 * sx, oy = y - v.r0 * sy;
  const { fill, edges } = metalOutline(nx, ny, xi);
  g.translate(ox, oy);
  g.scale(sx, sy);
  // The grid's points are cell centres: point (i, r) at (i + 0.5, r + 0.5) cells from the top left.
  g.translate(0.5, 0.5);
  // The metal, shaded by its outline's normal (metalShade), interpolated like the colours, inside the outline.
  g.clip(fill, "nonzero");
  g.setTransform(base);
  g.drawImage(metalShade(d), v.x0, v.r0, v.w, v.h, x, y, w, h);
  g.restore();
  g.save();
  g.beginPath();
  g.rect(x, y, w, h);
  g.clip();
  // The outline, lit from above: a light rim where the surface faces up, a dark one where it faces down or sideways.
  const lw = Math.max(1, Math.min(sx, sy) * 0.12);
  g.lineCap = "round";
  g.lineWidth = lw;
  for (const [path, colour] of [[edges.up, "rgba(255, 255, 255, 0.85)"], [edges.down, "rgba(20, 24, 32, 0.75)"]] as const) {
    const p = new Path2D();
    for (let q = 0; q < path.length; q += 4) {
      p.moveTo(ox + (path[q]! + 0.5) * sx, oy + (path[q + 1]! + 0.5) * sy);
      p.lineTo(ox + (path[q + 2]! + 0.5) * sx, oy + (path[q + 3]! + 0.5) * sy);
    }
    g.strokeStyle = colour;
    g.stroke(p);
  }
  g.restore();
}

/**
 * Marching squares over the cell centres of an nx x ny field `xi(i, r)` (r = 0 the top row), padded by one clamped
 * cell all round: the region xi >= 0.5 as one path (each square's part of it; whole squares merged into runs) in
 * grid units (point (i, r) at (i, r)), and the outline's segments split by which way the metal's outward normal
 * faces: `up` (towards r = 0, the reservoir) or `down`. Segments are x0, y0, x1, y1 quadruples.
 */
export function metalOutline(nx: number, ny: number, xi: (i: number, r: number) => number): { fill: Path2D; edges: { up: number[]; down: number[] } } {
  const fill = new Path2D();
  const up: number[] = [], down: number[] = [];
  const T = 0.5;
  const cross = (a: number, b: number) => (T - a) / (b - a);
  for (let r = -1; r < ny; r++) {
    let run = -2; // the first square of a run of whole squares inside, or -2
    for (let i = -1; i <= nx; i++) {
      // Corners: a (i, r) top left, b (i + 1, r) top right, c (i + 1, r + 1) bottom right, d (i, r + 1) bottom left.
      const inside = i < nx;
      const a = inside ? xi(i, r) : 0, b = inside ? xi(i + 1, r) : 0, c = inside ? xi(i + 1, r + 1) : 0, dd = inside ? xi(i, r + 1) : 0;
      const whole = inside && a >= T && b >= T && c >= T && dd >= T;
      if (whole) {
        if (run === -2) run = i;
        continue;
      }
      if (run !== -2) {
        fill.rect(run, r, i - run, 1);
        run = -2;
      }
      if (!inside) continue;
      const code = (a >= T ? 8 : 0) | (b >= T ? 4 : 0) | (c >= T ? 2 : 0) | (dd >= T ? 1 : 0);
      if (code === 0) continue;
      // Points around the square, clockwise from the top left: corners and the crossings on the edges between them.
      const top: [number, number] = [i + cross(a, b), r], right: [number, number] = [i + 1, r + cross(b, c)];
      const bottom: [number, number] = [i + 1 - cross(c, dd), r + 1], left: [number, number] = [i, r + 1 - cross(dd, a)];
      const corners: [number, number][] = [[i, r], [i + 1, r], [i + 1, r + 1], [i, r + 1]];
      const crossings = [top, right, bottom, left];
      const vals = [a, b, c, dd];
      const poly: [number, number][] = [];
      for (let k = 0; k < 4; k++) {
        if (vals[k]! >= T) poly.push(corners[k]!);
        if ((vals[k]! >= T) !== (vals[(k + 1) % 4]! >= T)) poly.push(crossings[k]!);
      }
      // Saddles (a and c in, b and d out, or the reverse): joined through the centre where its mean is metal,
      // split otherwise; the polygon above is the joined reading, split below.
      const saddle = code === 10 || code === 5;
      const joined = (a + b + c + dd) / 4 >= T;
      if (saddle && !joined) {
        const pieces = code === 10 ? [[corners[0]!, top, left], [corners[2]!, bottom, right]] : [[corners[1]!, right, top], [corners[3]!, left, bottom]];
        for (const pc of pieces) addPolygon(fill, pc);
      } else addPolygon(fill, poly);
      // The outline: each segment between two crossings, its outward normal's vertical part says up or down.
      const segs: [[number, number], [number, number]][] = [];
      const cr = crossings.filter((_, k) => (vals[k]! >= T) !== (vals[(k + 1) % 4]! >= T));
      if (cr.length === 2) segs.push([cr[0]!, cr[1]!]);
      else if (cr.length === 4) {
        if ((code === 10) === joined) segs.push([top, right], [bottom, left]);
        else segs.push([top, left], [bottom, right]);
      }
      for (const [p, q] of segs) {
        // The metal's side: the gradient of xi points into the metal; its vertical part decides.
        const gy = (dd + c - a - b) / 2; // xi growing downwards (towards r + 1): the metal lies below
        (gy > 0 ? up : down).push(p[0], p[1], q[0], q[1]);
      }
    }
  }
  return { fill, edges: { up, down } };
}

function addPolygon(p: Path2D, pts: [number, number][]): void {
  if (pts.length < 3) return;
  p.moveTo(pts[0]![0], pts[0]![1]);
  for (let k = 1; k < pts.length; k++) p.lineTo(pts[k]![0], pts[k]![1]);
  p.closePath();
}
