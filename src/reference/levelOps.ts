/**
 * The multigrid's level operations besides smoothing (multigrid.ts): the operator applied, the y-lines' LU factors,
 * the coarse operators, and the transfers between levels (bilinear prolongation, restriction its transpose).
 */
import type { Level } from "./multigrid.ts";

/** out = A v on one level; returns the dot product v . out (summed in cell order). */
export function applyOperator(lv: Level, v: Float64Array, out: Float64Array): number {
  const { nx, ny, ax, ay, e } = lv;
  let dot = 0;
  for (let j = 0, row = 0; j < ny; j++, row += nx) {
    const top = j === ny - 1, south = j > 0;
    // The seam cells (i = 0 and nx - 1) with the periodic neighbours, the interior without branches.
    for (let i = 0; i < nx; i += i === 0 && nx > 2 ? nx - 1 : 1) {
      const P = row + i;
      const W = row + (i === 0 ? nx - 1 : i - 1);
      const E = row + (i === nx - 1 ? 0 : i + 1);
      const up = v[P]!;
      let au = e[P]! * up + ax[W]! * (up - v[W]!) + ax[P]! * (up - v[E]!);
      if (south) au += ay[P - nx]! * (up - v[P - nx]!);
      au += ay[P]! * (top ? up : up - v[P + nx]!);
      out[P] = au;
    }
    for (let P = row + 1, end = row + nx - 1; P < end; P++) {
      const up = v[P]!;
      let au = e[P]! * up + ax[P - 1]! * (up - v[P - 1]!) + ax[P]! * (up - v[P + 1]!);
      if (south) au += ay[P - nx]! * (up - v[P - nx]!);
      au += ay[P]! * (top ? up : up - v[P + nx]!);
      out[P] = au;
    }
  }
  for (let k = 0, n = nx * ny; k < n; k++) dot += v[k]! * out[k]!;
  return dot;
}

/** LU factors of every y-line's tridiagonal matrix (they change only with the operator), row by row. */
export function factorLines(lv: Level): void {
  const { nx, ny, ax, ay, e, tc, tinv } = lv;
  // Row 0 (no line below), then the rest without branches but the seam's west neighbour.
  for (let i = 0; i < nx; i++) {
    const diag = e[i]! + ax[i === 0 ? nx - 1 : i - 1]! + ax[i]! + 0 + ay[i]!;
    const inv = 1 / (diag + 0);
    tinv[i] = inv;
    tc[i] = ny > 1 ? -ay[i]! * inv : 0;
  }
  for (let row = nx, last = (ny - 1) * nx; row < nx * ny; row += nx) {
    for (let i = 0; i < nx; i++) {
      const P = row + i;
      const as = ay[P - nx]!;
      const diag = e[P]! + ax[i === 0 ? row + nx - 1 : P - 1]! + ax[P]! + as + ay[P]!;
      const inv = 1 / (diag + as * tc[P - nx]!);
      tinv[P] = inv;
      tc[P] = row < last ? -ay[P]! * inv : 0;
    }
  }
}

/** The coarse operator of level f (the sums of its fine equations) into c. */
export function coarsenLevel(f: Level, c: Level): void {
  const { rx, ry } = f;
  if (rx === 2 && ry === 2 && c.nx > 1) {
    // The common case, unrolled (the same sums in the same order as below).
    const fnx = f.nx, cnx = c.nx;
    const fax = f.ax, fay = f.ay, fe = f.e, cax = c.ax, cay = c.ay, ce = c.e;
    for (let J = 0, C = 0; J < c.ny; J++) {
      const r0 = 2 * J * fnx, r1 = r0 + fnx;
      for (let I = 0; I < cnx; I++, C++) {
        const F0 = r0 + 2 * I, F1 = r1 + 2 * I;
        cax[C] = (fax[F0 + 1]! + fax[F1 + 1]!) / 2;
        cay[C] = (fay[F1]! + fay[F1 + 1]!) / 2;
        ce[C] = fe[F0]! + fe[F0 + 1]! + fe[F1]! + fe[F1 + 1]!;
      }
    }
    return;
  }
  for (let J = 0; J < c.ny; J++) {
    for (let I = 0; I < c.nx; I++) {
      let ax = 0, ay = 0, e = 0;
      for (let k = 0; k < ry; k++) ax += f.ax[(ry * J + k) * f.nx + rx * I + rx - 1]!;
      for (let k = 0; k < rx; k++) ay += f.ay[(ry * J + ry - 1) * f.nx + rx * I + k]!;
      for (let q = 0; q < ry; q++) for (let p = 0; p < rx; p++) e += f.e[(ry * J + q) * f.nx + rx * I + p]!;
      const C = J * c.nx + I;
      c.ax[C] = c.nx === 1 ? 0 : ax / rx;
      c.ay[C] = ay / ry;
      c.e[C] = e;
    }
  }
}

/** Row j's coarse rows and bilinear weights (mirror ghost at the top: Dirichlet), written into w. */
function rowWeights(f: Level, c: Level, j: number, w: Float64Array): void {
  const { rx, ry } = f;
  const wx2 = rx === 2 ? 0.25 : 0, wy2 = ry === 2 ? 0.25 : 0;
  const J = ry === 2 ? j >> 1 : j;
  let J2 = ry === 2 ? (j & 1 ? J + 1 : J - 1) : J;
  let sy = wy2;
  if (J2 < 0) J2 = J;
  else if (J2 >= c.ny) { J2 = J; sy = -wy2; }
  w[0] = (1 - wx2) * (1 - wy2); w[1] = (1 - wx2) * sy; w[2] = wx2 * (1 - wy2); w[3] = wx2 * sy;
  w[4] = J * c.nx; w[5] = J2 * c.nx;
}

/**
 * c.b = P^T r, with r = f.b - A f.u the fine residual computed as it is restricted (the restriction as the
 * transpose of prolongAdd, so the V-cycle is a symmetric preconditioner). Every column: after the pre-smoothing the
 * odd columns' residual is zero only to rounding, and leaving it out changes the runs (PTFE's metrics by up to 1e-3
 * after 600 steps: rounding differences grow there).
 */
export function restrictResidual(f: Level, c: Level, w: Float64Array): void {
  const fnx = f.nx, fny = f.ny;
  const { ax, ay, e, u, b, cI, cI2 } = f;
  const cb = c.b;
  cb.fill(0);
  for (let j = 0, row = 0; j < fny; j++, row += fnx) {
    rowWeights(f, c, j, w);
    const w00 = w[0]!, w01 = w[1]!, w10 = w[2]!, w11 = w[3]!, rowJ = w[4]!, rowJ2 = w[5]!;
    const top = j === fny - 1, south = j > 0;
    for (let i = 0; i < fnx; i++) {
      const P = row + i;
      const W = i === 0 ? row + fnx - 1 : P - 1;
      const E = i === fnx - 1 ? row : P + 1;
      const up = u[P]!;
      let au = e[P]! * up + ax[W]! * (up - u[W]!) + ax[P]! * (up - u[E]!);
      if (south) au += ay[P - fnx]! * (up - u[P - fnx]!);
      au += ay[P]! * (top ? up : up - u[P + fnx]!);
      const r = b[P]! - au;
      const I = cI[i]!, I2 = cI2[i]!;
      cb[rowJ + I]! += w00 * r;
      cb[rowJ2 + I]! += w01 * r;
      cb[rowJ + I2]! += w10 * r;
      cb[rowJ2 + I2]! += w11 * r;
    }
  }
}

/**
 * f.u += P c.u on the columns i = 0, step, 2 step, ...: step 2 where the post-smoothing starts with a half-sweep of
 * the odd columns, which overwrites theirs (a line solve does not read its own old values).
 */
export function prolongAdd(c: Level, f: Level, step: number, w: Float64Array): void {
  const fnx = f.nx;
  const { cI, cI2 } = f;
  const fu = f.u, cu = c.u;
  for (let j = 0, row = 0; j < f.ny; j++, row += fnx) {
    rowWeights(f, c, j, w);
    const w00 = w[0]!, w01 = w[1]!, w10 = w[2]!, w11 = w[3]!, rowJ = w[4]!, rowJ2 = w[5]!;
    for (let i = 0; i < fnx; i += step) {
      const I = cI[i]!, I2 = cI2[i]!;
      fu[row + i]! += w00 * cu[rowJ + I]! + w01 * cu[rowJ2 + I]! + w10 * cu[rowJ + I2]! + w11 * cu[rowJ2 + I2]!;
    }
  }
}
