/**
 * The multigrid's zebra y-line Gauss-Seidel (multigrid.ts): every line of one colour (even or odd columns) solved
 * exactly along y with the level's LU factors (factorLines, fixed while the operator is).
 *
 * All lines of a colour at once, row by row (rows are contiguous in memory, columns a row apart). Each line's
 * arithmetic is that of line by line, so the result is the same to the bit, where no two lines of a colour are
 * neighbours: nx even (the scenarios' powers of two) or 1 (one line, one colour). The periodic seam (column 0's
 * west neighbour is column nx - 1) is handled outside the inner loops, which run without branches.
 */
import { kHalfSweep } from "./kernels.ts";
import type { Level } from "./multigrid.ts";

/**
 * One half-sweep: the lines of colour `color` (columns color, color + 2, ...), nx even. With `fromZero`, u of the
 * other colour is taken as 0 and not read (the first half-sweep of a V-cycle level, which starts from u = 0: the
 * same arithmetic as a sweep over a zeroed u, so no zeroing is needed). Forward: d_j = (rhs_j + a_s d_{j-1}) /
 * pivot_j, kept in u; backward: u_j = d_j - tc_j u_{j+1}.
 */
export function halfSweep(lv: Level, color: number, fromZero: boolean): void {
  kHalfSweep(lv.nx, lv.ny, lv.ax, lv.ay, lv.u, lv.b, lv.tc, lv.tinv, color, fromZero, 0, lv.nx);
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
 * V-cycle stays symmetric). With `fromZero` the level's u is taken as 0 on entry (and need not be). `half`: the
 * half-sweep (a team's, multigrid.ts, on a level whose lines its threads share).
 */
export function smooth(lv: Level, sweeps: number, reverse: boolean, fromZero: boolean, half = halfSweep): void {
  if (lv.nx === 1) {
    if (fromZero) lv.u.fill(0);
    for (let s = 0; s < sweeps; s++) lineSweep(lv);
    return;
  }
  const first = reverse ? 1 : 0;
  for (let s = 0; s < sweeps; s++) {
    half(lv, first, fromZero && s === 0);
    half(lv, 1 - first, false);
  }
}
