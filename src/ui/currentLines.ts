/**
 * Current lines of the field view: streamlines of -grad phi (the ionic current in a uniform electrolyte), from
 * the reservoir at the top down to the metal. Plain geometry on the cell grid, no physics beyond the direction
 * of the gradient, no DOM: the run controller draws the polylines over the potential layer.
 *
 * Coordinates are in cells: x from 0 to nx across (periodic), y from 0 at the electrode face to ny at the
 * reservoir; cell (i, j) is centred at (i + 0.5, j + 0.5).
 */

/** A potential and the metal fraction on the grid, row j * nx + i with j = 0 at the electrode. */
export interface PotentialField {
  nx: number;
  ny: number;
  phi: ArrayLike<number>;
  xi: ArrayLike<number>;
}

export interface CurrentLineOptions {
  /** Lines, started evenly across the top (default 12). */
  count?: number;
  /** Step length in cells (default 0.5). */
  step?: number;
  /** A line ends where the metal fraction exceeds this (default 0.5). */
  xiStop?: number;
  /** Most steps of one line (default 4 ny). */
  maxSteps?: number;
}

/** One polyline: [x0, y0, x1, y1, ...] in cells. */
export type Polyline = number[];

const wrap = (i: number, n: number) => ((i % n) + n) % n;

/**
 * Bilinear interpolation weights around (x, y): the cells (i0, j0), (i1, j0), (i0, j1), (i1, j1) and the
 * fractions fx, fy; x periodic, y clamped to the cell centres.
 */
function corners(nx: number, ny: number, x: number, y: number) {
  const u = x - 0.5;
  const fi = Math.floor(u);
  const fx = u - fi;
  const i0 = wrap(fi, nx), i1 = wrap(fi + 1, nx);
  const v = Math.min(Math.max(y - 0.5, 0), ny - 1);
  const j0 = Math.min(Math.floor(v), Math.max(0, ny - 2));
  const j1 = Math.min(j0 + 1, ny - 1);
  const fy = j1 === j0 ? 0 : v - j0;
  return { i0, i1, j0, j1, fx, fy };
}

/** The bilinear value of a cell field at (x, y). */
export function sampleField(a: ArrayLike<number>, nx: number, ny: number, x: number, y: number): number {
  const { i0, i1, j0, j1, fx, fy } = corners(nx, ny, x, y);
  const lo = a[j0 * nx + i0]! * (1 - fx) + a[j0 * nx + i1]! * fx;
  const hi = a[j1 * nx + i0]! * (1 - fx) + a[j1 * nx + i1]! * fx;
  return lo * (1 - fy) + hi * fy;
}

/** Central-difference gradient of phi at cell (i, j) per cell: periodic in x, one-sided at the bottom and top rows. */
function cellGradient(f: PotentialField, i: number, j: number): [number, number] {
  const { nx, ny, phi } = f;
  const gx = 0.5 * (phi[j * nx + wrap(i + 1, nx)]! - phi[j * nx + wrap(i - 1, nx)]!);
  let gy = 0;
  if (ny > 1) {
    const jS = Math.max(0, j - 1), jN = Math.min(ny - 1, j + 1);
    gy = (phi[jN * nx + i]! - phi[jS * nx + i]!) / (jN - jS);
  }
  return [gx, gy];
}

/** The bilinear blend of the four surrounding cells' gradients at (x, y). */
export function gradientAt(f: PotentialField, x: number, y: number): [number, number] {
  const { i0, i1, j0, j1, fx, fy } = corners(f.nx, f.ny, x, y);
  const a = cellGradient(f, i0, j0), b = cellGradient(f, i1, j0), c = cellGradient(f, i0, j1), d = cellGradient(f, i1, j1);
  const w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
  return [a[0] * w00 + b[0] * w10 + c[0] * w01 + d[0] * w11, a[1] * w00 + b[1] * w10 + c[1] * w01 + d[1] * w11];
}

/** The unit direction of -grad phi at (x, y), or null where the gradient vanishes. */
function downhill(f: PotentialField, x: number, y: number): [number, number] | null {
  const [gx, gy] = gradientAt(f, x, y);
  const g = Math.hypot(gx, gy);
  if (!(g > 1e-30)) return null;
  return [-gx / g, -gy / g];
}

/**
 * Traces `count` current lines from the top edge (y = ny, x evenly spaced) along -grad phi with a fixed step
 * (midpoint rule). A line ends where the metal fraction exceeds `xiStop`, at the bottom (y = 0, clipped there),
 * where it would leave through the top, where the gradient vanishes, or after `maxSteps` steps. A line that
 * crosses the periodic side edge is split in two there, each part running just past the edge (x < 0 or > nx)
 * so that a drawing clipped to the field joins them. Lines that start in metal are left out.
 */
export function traceCurrentLines(f: PotentialField, opts: CurrentLineOptions = {}): Polyline[] {
  const { nx, ny } = f;
  const n = nx * ny;
  if (!(nx > 0 && ny > 0) || f.phi.length < n || f.xi.length < n) throw new Error(`traceCurrentLines: the fields hold fewer than ${nx}x${ny} cells`);
  const count = Math.max(1, Math.floor(opts.count ?? 12));
  const h = opts.step ?? 0.5;
  const xiStop = opts.xiStop ?? 0.5;
  const maxSteps = opts.maxSteps ?? 4 * ny;
  const lines: Polyline[] = [];
  for (let k = 0; k < count; k++) {
    let x = ((k + 0.5) * nx) / count, y = ny;
    if (sampleField(f.xi, nx, ny, x, y) > xiStop) continue;
    let line: Polyline = [x, y];
    for (let s = 0; s < maxSteps; s++) {
      const d1 = downhill(f, x, y);
      if (!d1) break;
      const d2 = downhill(f, x + 0.5 * h * d1[0], y + 0.5 * h * d1[1]);
      if (!d2) break;
      let nxp = x + h * d2[0], nyp = y + h * d2[1];
      if (nyp > ny) break; // back out through the reservoir
      let last = false;
      if (nyp <= 0) {
        // Clip to the bottom edge along the step.
        const t = y / (y - nyp);
        nxp = x + t * (nxp - x);
        nyp = 0;
        last = true;
      }
      line.push(nxp, nyp);
      if (nxp < 0 || nxp >= nx) {
        // Across the periodic edge: this part ends past it, the next starts from the same step shifted by nx.
        const shift = nxp < 0 ? nx : -nx;
        lines.push(line);
        line = [x + shift, y, nxp + shift, nyp];
        nxp += shift;
      }
      x = nxp;
      y = nyp;
      if (last || sampleField(f.xi, nx, ny, x, y) > xiStop) break;
    }
    if (line.length >= 4) lines.push(line);
  }
  return lines;
}
