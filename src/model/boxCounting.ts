/**
 * The box-counting (fractal) dimension of the deposit's outline: the xi = 0.5 contour of the phase field, periodic
 * in x like the domain. Pure TypeScript (no DOM, no Node).
 *
 * 1. The contour: for every pair of 4-neighbours whose xi lie on opposite sides of 0.5 (the x pair across the
 *    periodic seam included), the crossing is placed by linear interpolation between the two cell centres, and the
 *    cell that holds it is marked. The outline is thus one cell thick (a 1-cell-wide line, not the 2-cell band
 *    that marking both cells of the pair would give). The domain's edges are not contour: the metal touching the
 *    bottom edge (the substrate) or the top edge has no neighbour there, so the flat bottom is not counted.
 * 2. Boxes of side s = 1, 2, 4, ... cells up to min(nx, ny) / 4 (each aligned to the grid; partial boxes at the
 *    top of a grid whose ny is not a multiple of s count as boxes); N(s) = the boxes holding a marked cell.
 * 3. The dimension is the least-squares slope of log N against log(1/s) over s = 2 ... min(nx, ny) / 4: the 1-cell
 *    scale is left out (there the outline is the grid's staircase, not the deposit's shape), and so are boxes
 *    larger than a quarter of the shorter side (fewer than 4 boxes across: the count only says the outline spans
 *    the domain). Where that leaves fewer than 2 sizes, or no contour, dimension and r2 are NaN.
 */

export interface BoxCount {
  /** Box side in um. */
  size_um: number;
  /** Boxes (of that side) holding part of the outline. */
  count: number;
}

export interface OutlineDimension {
  /** Slope of log N(s) against log(1/s) over the fitted sizes; NaN where it cannot be fitted. */
  dimension: number;
  /** Coefficient of determination of that fit (1 = the counts lie on a power law). */
  r2: number;
  /** Every size counted, the 1-cell scale first; those fitted are the ones from 2 cells on. */
  boxes: BoxCount[];
}

/** The cells the xi = 0.5 contour passes through (1 = on the outline), row-major, periodic in x. */
export function outlineCells(xi: ArrayLike<number>, nx: number, ny: number, level = 0.5): Uint8Array {
  const mark = new Uint8Array(nx * ny);
  /** Marks the cell of the pair (p, q) that holds the level crossing, if they lie on opposite sides of it. */
  const pair = (p: number, q: number) => {
    const a = xi[p]!, b = xi[q]!;
    if (a >= level === b >= level) return;
    const t = (level - a) / (b - a); // 0 at p's centre, 1 at q's
    mark[t < 0.5 ? p : q] = 1;
  };
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const p = j * nx + i;
      pair(p, j * nx + ((i + 1) % nx)); // right neighbour, across the periodic seam too
      if (j + 1 < ny) pair(p, p + nx); // upper neighbour; none beyond the top edge
    }
  }
  return mark;
}

/** Boxes of side `s` cells that hold a marked cell. */
export function countBoxes(mark: Uint8Array, nx: number, ny: number, s: number): number {
  const bx = Math.ceil(nx / s), by = Math.ceil(ny / s);
  const seen = new Uint8Array(bx * by);
  let n = 0;
  for (let j = 0; j < ny; j++) {
    const row = Math.floor(j / s) * bx;
    for (let i = 0; i < nx; i++) {
      if (!mark[j * nx + i]) continue;
      const b = row + Math.floor(i / s);
      if (!seen[b]) {
        seen[b] = 1;
        n++;
      }
    }
  }
  return n;
}

/** Least-squares line y = a + m x: its slope and r^2 (NaN with fewer than two distinct x). */
export function fitLine(x: readonly number[], y: readonly number[]): { slope: number; r2: number } {
  const n = x.length;
  if (n < 2) return { slope: NaN, r2: NaN };
  const mx = x.reduce((a, b) => a + b, 0) / n, my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0, sxy = 0, syy = 0;
  for (let k = 0; k < n; k++) {
    const dx = x[k]! - mx, dy = y[k]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { slope: NaN, r2: NaN };
  const slope = sxy / sxx;
  return { slope, r2: syy === 0 ? 1 : (sxy * sxy) / (sxx * syy) };
}

/** The box-counting dimension of the xi = 0.5 outline of a nx x ny field of cells `dx_m` metres wide (see above). */
export function outlineDimension(xi: ArrayLike<number>, nx: number, ny: number, dx_m: number): OutlineDimension {
  if (xi.length !== nx * ny) throw new Error(`outlineDimension: xi has ${xi.length} values, not nx x ny = ${nx * ny}`);
  const mark = outlineCells(xi, nx, ny);
  const largest = Math.min(nx, ny) / 4;
  const boxes: BoxCount[] = [];
  for (let s = 1; s <= largest; s *= 2) boxes.push({ size_um: s * dx_m * 1e6, count: countBoxes(mark, nx, ny, s) });
  const fitted = boxes.slice(1); // from 2 cells on
  if (fitted.length < 2 || fitted.some((b) => b.count === 0)) return { dimension: NaN, r2: NaN, boxes };
  const { slope, r2 } = fitLine(
    fitted.map((b) => Math.log(1 / b.size_um)),
    fitted.map((b) => Math.log(b.count)),
  );
  return { dimension: slope, r2, boxes };
}
