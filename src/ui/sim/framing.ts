/**
 * Framing what matters: by default a field is shown from its bottom to a set distance of electrolyte above the
 * deposit's highest point (the "front" view), instead of the whole cell, whose upper part is mostly uniform
 * electrolyte on a tall cell. The window keeps the cell's shape on screen (its width to height as nx to ny), so a
 * cell's drawn aspect, the scale bar and the hover read-out are the whole view's; it is centred across the cell (a
 * window that jumps to whichever tip leads would make a clip jitter). Read from the frame's pixels alone (A = xi):
 * no physics. No React, no DOM.
 */

/**
 * The electrolyte shown above the deposit's highest point, in µm. 8 µm: over twice the 3 µm ahead of a tip at which
 * the model reads the field that drives it (LENGTHS_UM.tipProbeFar, docs/MODEL.md), so the electrolyte that shapes
 * the front is in view; and short enough that the deposit fills over a third of the window from the start: at t = 0
 * it is 3 µm of substrate with nuclei of 1.5 to 3 µm, its top at 4.5 µm or more (4.5 / 12.5 = 36 %). A fixed length,
 * not a share of the cell, so that cells of any height, their comparison panes and clips show the front alike.
 */
export const FRONT_MARGIN_UM = 8;

/** A window onto an nx x ny field in cells: x0 from the left, r0 from the top (the reservoir), w x h cells. */
export interface FieldWindow { x0: number; r0: number; w: number; h: number }

/**
 * The height of the deposit's highest point in cells above the bottom of the field, read from the A channel (xi)
 * of a frame's pixels (top row the reservoir): the xi = 0.5 crossing, interpolated within the topmost row that has
 * metal; 0 where there is none.
 */
export function depositTop(pixels: ArrayLike<number>, nx: number, ny: number): number {
  const half = 127.5;
  for (let r = 0; r < ny; r++) {
    let top = -1;
    for (let i = 0; i < nx; i++) {
      const a = pixels[(r * nx + i) * 4 + 3]!;
      if (a < half) continue;
      // Row r's centre (ny - r - 0.5 cells up) is metal; the crossing lies on the way to the cell above.
      const b = r > 0 ? pixels[((r - 1) * nx + i) * 4 + 3]! : 0;
      top = Math.max(top, ny - r - 0.5 + Math.min(1, Math.max(0, (a - half) / Math.max(1, a - b))));
    }
    if (top >= 0) return Math.min(ny, top);
  }
  return 0;
}

/**
 * The front window of an nx x ny field of `dxUm` cells whose deposit reaches `topCells` cells up: the bottom
 * topCells + FRONT_MARGIN_UM of it, as wide as the cell's shape gives, centred; null where that is the whole cell
 * (a short cell, one where the deposit nears the top, or a 1d run). Heights are kept to 1/8 cell, so that a deposit growing
 * by a hair does not reframe every frame.
 */
export function frontWindow(topCells: number, nx: number, ny: number, dxUm: number): FieldWindow | null {
  // A 1d run is one column: nothing to frame.
  if (!(nx > 1 && ny > 0 && dxUm > 0) || !Number.isFinite(topCells)) return null;
  const h = Math.ceil(8 * (Math.max(0, topCells) + FRONT_MARGIN_UM / dxUm)) / 8;
  if (h >= ny) return null;
  const w = Math.min(nx, (h * nx) / ny);
  return { x0: (nx - w) / 2, r0: ny - h, w, h };
}

/**
 * The one window of several panes' frames (their pixels, null where a pane has none yet) on the same grid: the
 * front of the tallest deposit among them, so that the panes stay comparable; the whole cell where any has none.
 */
export function panesWindow(pixels: readonly (ArrayLike<number> | null)[], nx: number, ny: number, dxUm: number): FieldWindow | null {
  const tops = pixels.map((p) => (p && p.length === nx * ny * 4 ? depositTop(p, nx, ny) : ny));
  return tops.length ? frontWindow(Math.max(...tops), nx, ny, dxUm) : null;
}

/** Whether two windows (or whole cells) are the same. */
export const sameWindow = (a: FieldWindow | null, b: FieldWindow | null): boolean =>
  a === b || (!!a && !!b && a.x0 === b.x0 && a.r0 === b.r0 && a.w === b.w && a.h === b.h);

/** The share of the cell's width a window shows (1 for the whole cell). */
export const widthShare = (v: FieldWindow | null | undefined, nx: number): number => (v && nx > 0 ? v.w / nx : 1);
