/**
 * The multigrid's zebra y-line Gauss-Seidel (multigrid.ts): every line of one colour (even or odd columns) solved
 * exactly along y with the level's LU factors (factorLines, fixed while the operator is).
 *
 * All lines of a colour at once, row by row (rows are contiguous in memory, columns a row apart). Each line's
 * arithmetic is that of line by line, so the result is the same to the bit, where no two lines of a colour are
 * neighbours: nx even (the scenarios' powers of two) or 1 (one line, one colour). The periodic seam (column 0's
 * west neighbour is column nx - 1) is handled outside the inner loops, which run without branches.
 */
import type { Level } from "./multigrid.ts";

/**
 * One half-sweep: the lines of colour `color` (columns color, color + 2, ...), nx even. With `fromZero`, u of the
 * other colour is taken as 0 and not read (the first half-sweep of a V-cycle level, which starts from u = 0: the
 * same arithmetic as a sweep over a zeroed u, so no zeroing is needed). Forward: d_j = (rhs_j + a_s d_{j-1}) /
 * pivot_j, kept in u; backward: u_j = d_j - tc_j u_{j+1}.
 */
export function halfSweep(lv: Level, color: number, fromZero: boolean): void {
  const { nx, ny, ax, ay, u, b, tc, tinv } = lv;
  const n = nx * ny;
  // The boundary column of this colour (0: column 0, whose west is nx - 1; 1: column nx - 1, whose east is 0).
  const iB = color === 0 ? 0 : nx - 1;
  const iwB = iB === 0 ? nx - 1 : iB - 1, ieB = iB === nx - 1 ? 0 : iB + 1;
  // Interior cells of the colour in a row: offsets [lo, hi) in steps of 2.
  const lo = color === 0 ? 2 : 1, hi = color === 0 ? nx - 1 : nx - 2;
  // Row 0: no south neighbour.
  for (let i = color; i < nx; i += 2) {
    const iw = i === 0 ? nx - 1 : i - 1, ie = i === nx - 1 ? 0 : i + 1;
    u[i] = (fromZero ? b[i]! : b[i]! + ax[iw]! * u[iw]! + ax[i]! * u[ie]!) * tinv[i]!;
  }
  if (fromZero) {
    for (let row = nx; row < n; row += nx) {
      const P = row + iB;
      u[P] = (b[P]! + ay[P - nx]! * u[P - nx]!) * tinv[P]!;
      for (let Q = row + lo, end = row + hi; Q < end; Q += 2) u[Q] = (b[Q]! + ay[Q - nx]! * u[Q - nx]!) * tinv[Q]!;
    }
  } else {
    for (let row = nx; row < n; row += nx) {
      const P = row + iB;
      u[P] = (b[P]! + ax[row + iwB]! * u[row + iwB]! + ax[P]! * u[row + ieB]! + ay[P - nx]! * u[P - nx]!) * tinv[P]!;
      for (let Q = row + lo, end = row + hi; Q < end; Q += 2) {
        u[Q] = (b[Q]! + ax[Q - 1]! * u[Q - 1]! + ax[Q]! * u[Q + 1]! + ay[Q - nx]! * u[Q - nx]!) * tinv[Q]!;
      }
    }
  }
  for (let row = n - 2 * nx; row >= 0; row -= nx) {
    for (let P = row + color, end = row + nx; P < end; P += 2) u[P] = u[P]! - tc[P]! * u[P + nx]!;
  }
}

/** nx = 1: the one line, solved exactly (one colour; ax is 0 there). */
function lineSweep(lv: Level): void {
  const { ny, ax, ay, u, b, tc, tinv } = lv;
  for (let j = 0; j < ny; j++) {
    const rhs = b[j]! + ax[j]! * u[j]! + ax[j]! * u[j]!;
    u[j] = (rhs + (j > 0 ? ay[j - 1]! * u[j - 1]! : 0)) * tinv[j]!;
  }
  for (let j = ny - 2; j >= 0; j--) u[j] = u[j]! - tc[j]! * u[j + 1]!;
}

/**
 * `sweeps` zebra sweeps: even columns then odd ones, or odd then even with `reverse` (the post-smoother, so the
 * V-cycle stays symmetric). With `fromZero` the level's u is taken as 0 on entry (and need not be).
 */
export function smooth(lv: Level, sweeps: number, reverse: boolean, fromZero: boolean): void {
  if (lv.nx === 1) {
    if (fromZero) lv.u.fill(0);
    for (let s = 0; s < sweeps; s++) lineSweep(lv);
    return;
  }
  const first = reverse ? 1 : 0;
  for (let s = 0; s < sweeps; s++) {
    halfSweep(lv, first, fromZero && s === 0);
    halfSweep(lv, 1 - first, false);
  }
}
