/**
 * The multigrid's level operations besides smoothing (multigrid.ts): the operator applied, the y-lines' LU factors,
 * the coarse operators, and the transfers between levels (bilinear prolongation, restriction its transpose).
 */
import { kApply, kCoarsen, kFactor } from "./kernels.ts";
import type { Level } from "./multigrid.ts";
import type { WasmKernels } from "./wasm.ts";

/** out = A v on one level; returns the dot product v . out (summed in cell order). */
export function applyOperator(lv: Level, v: Float64Array, out: Float64Array): number {
  if (lv.nx >= 3) return applyDot(lv, v, out);
  kApply(lv.nx, lv.ny, lv.ax, lv.ay, lv.e, v, out, null, 0, lv.ny);
  let dot = 0;
  for (let k = 0, n = lv.nx * lv.ny; k < n; k++) dot += v[k]! * out[k]!;
  return dot;
}

/**
 * applyOperator for nx >= 3: kApply's arithmetic for each cell, in cell order (the seam's cells 0 and nx - 1 at
 * their places in the row), with the dot product summed as each cell is written.
 */
function applyDot(lv: Level, v: Float64Array, out: Float64Array): number {
  let dot = 0;
  for (let j = 0; j < lv.ny; j++) dot = applyRowDot(lv, v, out, j, dot);
  return dot;
}

/** Row j of applyDot (nx >= 3): returns dot plus the row's v out, added cell by cell in order. */
export function applyRowDot(lv: Level, v: Float64Array, out: Float64Array, j: number, dot: number): number {
  const { nx, ny, ax, ay, e } = lv;
  const row = j * nx;
  const top = j === ny - 1, south = j > 0;
  {
    const P = row, W = row + nx - 1, E = row + 1;
    const up = v[P]!;
    let au = e[P]! * up + ax[W]! * (up - v[W]!) + ax[P]! * (up - v[E]!);
    if (south) au += ay[P - nx]! * (up - v[P - nx]!);
    au += ay[P]! * (top ? up : up - v[P + nx]!);
    out[P] = au;
    dot += up * au;
  }
  if (south && !top) {
    for (let P = row + 1, end = row + nx - 1; P < end; P++) {
      const up = v[P]!;
      const au = e[P]! * up + ax[P - 1]! * (up - v[P - 1]!) + ax[P]! * (up - v[P + 1]!) + ay[P - nx]! * (up - v[P - nx]!) + ay[P]! * (up - v[P + nx]!);
      out[P] = au;
      dot += up * au;
    }
  } else {
    for (let P = row + 1, end = row + nx - 1; P < end; P++) {
      const up = v[P]!;
      let au = e[P]! * up + ax[P - 1]! * (up - v[P - 1]!) + ax[P]! * (up - v[P + 1]!);
      if (south) au += ay[P - nx]! * (up - v[P - nx]!);
      au += ay[P]! * (top ? up : up - v[P + nx]!);
      out[P] = au;
      dot += up * au;
    }
  }
  {
    const P = row + nx - 1, W = P - 1, E = row;
    const up = v[P]!;
    let au = e[P]! * up + ax[W]! * (up - v[W]!) + ax[P]! * (up - v[E]!);
    if (south) au += ay[P - nx]! * (up - v[P - nx]!);
    au += ay[P]! * (top ? up : up - v[P + nx]!);
    out[P] = au;
    dot += up * au;
  }
  return dot;
}

/** LU factors of every y-line's tridiagonal matrix (they change only with the operator), row by row. */
export function factorLines(lv: Level): void {
  kFactor(lv.nx, lv.ny, lv.ax, lv.ay, lv.e, lv.tc, lv.tinv, 0, lv.nx);
}

/** The coarse operator of level f (the sums of its fine equations) into c. */
export function coarsenLevel(f: Level, c: Level): void {
  const { rx, ry } = f;
  if (rx === 2 && ry === 2 && c.nx > 1) {
    // The common case, unrolled (the same sums in the same order as below).
    kCoarsen(f.nx, c.nx, f.ax, f.ay, f.e, c.ax, c.ay, c.e, 0, c.ny);
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
export function rowWeights(f: Level, c: Level, j: number, w: Float64Array): void {
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
  if (f.rx === 2 && f.ry === 2 && fnx >= 4) {
    restrictResidual22(f, c, w);
    return;
  }
  c.b.fill(0);
  for (let j = 0, row = 0; j < fny; j++, row += fnx) {
    rowWeights(f, c, j, w);
    restrictCells(f, c.b, row, j, 0, fnx, w);
  }
}

/**
 * Cells [i0, i1) of fine row j (at offset row) of restrictResidual, with the row's weights in w (rowWeights): each
 * cell's residual, then its four additions into the coarse right side, in that order.
 */
export function restrictCells(f: Level, cb: Float64Array, row: number, j: number, i0: number, i1: number, w: Float64Array): void {
  const fnx = f.nx, fny = f.ny;
  const { ax, ay, e, u, b, cI, cI2 } = f;
  const w00 = w[0]!, w01 = w[1]!, w10 = w[2]!, w11 = w[3]!, rowJ = w[4]!, rowJ2 = w[5]!;
  const top = j === fny - 1, south = j > 0;
  for (let i = i0; i < i1; i++) {
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

/**
 * restrictResidual where the level coarsens by 2 in x and y (nx >= 4): the same arithmetic, and the same order of
 * the additions into each coarse cell (fine rows, then columns, then the four weights in turn), with the rows
 * between the bottom and the top done by column pairs (2I, 2I + 1, both of coarse column I; their other columns
 * I - 1 and I + 1) without the seam's branches; the bottom and top rows and the seam pairs as in general.
 */
function restrictResidual22(f: Level, c: Level, w: Float64Array): void {
  const fnx = f.nx, fny = f.ny, cnx = c.nx;
  const { ax, ay, e, u, b } = f;
  const cb = c.b;
  cb.fill(0);
  for (let j = 0, row = 0; j < fny; j++, row += fnx) {
    rowWeights(f, c, j, w);
    if (j === 0 || j === fny - 1) {
      restrictCells(f, cb, row, j, 0, fnx, w);
      continue;
    }
    restrictCells(f, cb, row, j, 0, 2, w);
    const w00 = w[0]!, w01 = w[1]!, w10 = w[2]!, w11 = w[3]!, rowJ = w[4]!, rowJ2 = w[5]!;
    for (let I = 1, P = row + 2; I < cnx - 1; I++, P += 2) {
      const up = u[P]!, ue = u[P + 1]!;
      const au = e[P]! * up + ax[P - 1]! * (up - u[P - 1]!) + ax[P]! * (up - ue) + ay[P - fnx]! * (up - u[P - fnx]!) + ay[P]! * (up - u[P + fnx]!);
      const r = b[P]! - au;
      cb[rowJ + I]! += w00 * r;
      cb[rowJ2 + I]! += w01 * r;
      cb[rowJ + I - 1]! += w10 * r;
      cb[rowJ2 + I - 1]! += w11 * r;
      const Q = P + 1;
      const aq = e[Q]! * ue + ax[P]! * (ue - up) + ax[Q]! * (ue - u[Q + 1]!) + ay[Q - fnx]! * (ue - u[Q - fnx]!) + ay[Q]! * (ue - u[Q + fnx]!);
      const rq = b[Q]! - aq;
      cb[rowJ + I]! += w00 * rq;
      cb[rowJ2 + I]! += w01 * rq;
      cb[rowJ + I + 1]! += w10 * rq;
      cb[rowJ2 + I + 1]! += w11 * rq;
    }
    restrictCells(f, cb, row, j, fnx - 2, fnx, w);
  }
}

/**
 * f.u += P c.u on the columns i = 0, step, 2 step, ...: step 2 where the post-smoothing starts with a half-sweep of
 * the odd columns, which overwrites theirs (a line solve does not read its own old values).
 */
export function prolongAdd(c: Level, f: Level, step: number, w: Float64Array, j0 = 0, j1 = f.ny): void {
  const fnx = f.nx;
  const { cI, cI2 } = f;
  const fu = f.u, cu = c.u;
  const pairs = f.rx === 2 && step === 2 && fnx >= 4;
  for (let j = j0, row = j0 * fnx; j < j1; j++, row += fnx) {
    rowWeights(f, c, j, w);
    const w00 = w[0]!, w01 = w[1]!, w10 = w[2]!, w11 = w[3]!, rowJ = w[4]!, rowJ2 = w[5]!;
    if (pairs) {
      // The even columns 2I: coarse columns I and I - 1 (the seam's column 0: 0 and cnx - 1).
      const cm = c.nx - 1;
      fu[row]! += w00 * cu[rowJ]! + w01 * cu[rowJ2]! + w10 * cu[rowJ + cm]! + w11 * cu[rowJ2 + cm]!;
      for (let I = 1, P = row + 2; I <= cm; I++, P += 2) {
        fu[P]! += w00 * cu[rowJ + I]! + w01 * cu[rowJ2 + I]! + w10 * cu[rowJ + I - 1]! + w11 * cu[rowJ2 + I - 1]!;
      }
      continue;
    }
    for (let i = 0; i < fnx; i += step) {
      const I = cI[i]!, I2 = cI2[i]!;
      fu[row + i]! += w00 * cu[rowJ + I]! + w01 * cu[rowJ2 + I]! + w10 * cu[rowJ + I2]! + w11 * cu[rowJ2 + I2]!;
    }
  }
}

/** applyOperator on the WebAssembly kernels (wasm.ts; the level's arrays in their memory): the same sums in order. */
export function applyOperatorWasm(lv: Level, v: Float64Array, out: Float64Array, k: WasmKernels): number {
  if (lv.nx < 4 || lv.nx % 2 !== 0 || lv.ny < 3) return applyOperator(lv, v, out);
  let dot = applyRowDot(lv, v, out, 0, 0);
  dot = k.apply(lv.ax.byteOffset, lv.ay.byteOffset, lv.e.byteOffset, v.byteOffset, out.byteOffset, lv.nx, 1, lv.ny - 1, dot);
  return applyRowDot(lv, v, out, lv.ny - 1, dot);
}

/** restrictResidual on the WebAssembly kernels (wasm.ts): the bottom and top rows here, the rows between there, in order. */
export function restrictResidualWasm(f: Level, c: Level, w: Float64Array, k: WasmKernels): void {
  const fnx = f.nx, fny = f.ny;
  if (!(f.rx === 2 && f.ry === 2 && fnx >= 4)) { restrictResidual(f, c, w); return; }
  c.b.fill(0);
  rowWeights(f, c, 0, w);
  restrictCells(f, c.b, 0, 0, 0, fnx, w);
  k.restrict(f.ax.byteOffset, f.ay.byteOffset, f.e.byteOffset, f.u.byteOffset, f.b.byteOffset, c.b.byteOffset, fnx, c.nx, 1, fny - 1);
  rowWeights(f, c, fny - 1, w);
  restrictCells(f, c.b, (fny - 1) * fnx, fny - 1, 0, fnx, w);
}

/** prolongAdd on the WebAssembly kernels (wasm.ts): the bottom and top rows here, the rows between there. */
export function prolongAddWasm(c: Level, f: Level, step: number, w: Float64Array, k: WasmKernels): void {
  if (!(f.rx === 2 && f.ry === 2 && step === 2 && f.nx >= 4)) { prolongAdd(c, f, step, w); return; }
  prolongAdd(c, f, step, w, 0, 1);
  k.prolong(f.u.byteOffset, c.u.byteOffset, f.nx, c.nx, 1, f.ny - 1);
  prolongAdd(c, f, step, w, f.ny - 1, f.ny);
}
