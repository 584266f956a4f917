/**
 * The multigrid's kernels that a team of threads (team.ts) shares out: each works on a range of columns, rows or
 * cells, so that the ranges of a team together do what one call over the whole level does, to the bit (each cell's
 * arithmetic, and the order of the additions into each cell, are those of the one-thread code).
 *
 * Every function here is self-contained (no imports, no closures, no nested functions): the worker threads run
 * their source text (Function.prototype.toString), so they must not name anything outside this list. `runPart` is
 * the dispatcher: it reads a job from the shared control block and runs thread t's share of it.
 */

/**
 * One half-sweep of the zebra y-line Gauss-Seidel (smoother.ts halfSweep, which says what it does) on the lines of
 * colour `color` among columns [c0, c1) (c0, c1 even). The periodic seam column of the colour (0 for colour 0,
 * nx - 1 for colour 1) is done with its wrapped neighbours where the range holds it.
 */
export function kHalfSweep(
  nx: number, ny: number, ax: Float64Array, ay: Float64Array, u: Float64Array, b: Float64Array, tc: Float64Array,
  tinv: Float64Array, color: number, fromZero: boolean, c0: number, c1: number,
): void {
  const n = nx * ny;
  const first = c0 + color;
  const iB = color === 0 ? 0 : nx - 1;
  const seam = color === 0 ? c0 === 0 : c1 === nx;
  const iwB = iB === 0 ? nx - 1 : iB - 1, ieB = iB === nx - 1 ? 0 : iB + 1;
  // Interior cells of the colour in a row: offsets [lo, hi) in steps of 2.
  const lo = first === 0 ? 2 : first, hi = color === 1 && c1 === nx ? nx - 1 : c1;
  for (let i = first; i < c1; i += 2) {
    const iw = i === 0 ? nx - 1 : i - 1, ie = i === nx - 1 ? 0 : i + 1;
    u[i] = (fromZero ? b[i]! : b[i]! + ax[iw]! * u[iw]! + ax[i]! * u[ie]!) * tinv[i]!;
  }
  if (fromZero) {
    for (let row = nx; row < n; row += nx) {
      if (seam) { const P = row + iB; u[P] = (b[P]! + ay[P - nx]! * u[P - nx]!) * tinv[P]!; }
      for (let Q = row + lo, end = row + hi; Q < end; Q += 2) u[Q] = (b[Q]! + ay[Q - nx]! * u[Q - nx]!) * tinv[Q]!;
    }
  } else {
    for (let row = nx; row < n; row += nx) {
      if (seam) {
        const P = row + iB;
        u[P] = (b[P]! + ax[row + iwB]! * u[row + iwB]! + ax[P]! * u[row + ieB]! + ay[P - nx]! * u[P - nx]!) * tinv[P]!;
      }
      for (let Q = row + lo, end = row + hi; Q < end; Q += 2) {
        u[Q] = (b[Q]! + ax[Q - 1]! * u[Q - 1]! + ax[Q]! * u[Q + 1]! + ay[Q - nx]! * u[Q - nx]!) * tinv[Q]!;
      }
    }
  }
  for (let row = n - 2 * nx; row >= 0; row -= nx) {
    for (let P = row + first, end = row + c1; P < end; P += 2) u[P] = u[P]! - tc[P]! * u[P + nx]!;
  }
}

/**
 * out = A v on rows [j0, j1) of a level (levelOps.ts applyOperator's arithmetic), or, with `b`, out = b - A v (the
 * residual, levelOps.ts restrictResidual's).
 */
export function kApply(
  nx: number, ny: number, ax: Float64Array, ay: Float64Array, e: Float64Array, v: Float64Array, out: Float64Array,
  b: Float64Array | null, j0: number, j1: number,
): void {
  for (let j = j0, row = j0 * nx; j < j1; j++, row += nx) {
    const top = j === ny - 1, south = j > 0;
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
    // The residual row by row, from the row just written (the branch out of the cells' loops).
    if (b !== null) for (let P = row, end = row + nx; P < end; P++) out[P] = b[P]! - out[P]!;
  }
}

/**
 * Coarse rows [J0, J1) of the restriction c.b = P^T r of a level that coarsens by 2 in x and y (levelOps.ts
 * restrictResidual), from the residual r: each coarse row gathers from its fine rows 2J - 1 to 2J + 2, adding in the
 * order of the one-thread scatter (fine rows, then columns, then the four weights in turn), so each coarse cell's
 * sum is the same to the bit.
 */
export function kRestrictRows(fnx: number, fny: number, cnx: number, cny: number, r: Float64Array, cb: Float64Array, J0: number, J1: number): void {
  const wx2 = 0.25, wy2 = 0.25;
  for (let J = J0; J < J1; J++) {
    const base = J * cnx;
    for (let I = 0; I < cnx; I++) cb[base + I] = 0;
    const jEnd = Math.min(fny - 1, 2 * J + 2);
    for (let j = Math.max(0, 2 * J - 1); j <= jEnd; j++) {
      const Jj = j >> 1;
      let J2 = j & 1 ? Jj + 1 : Jj - 1;
      let sy = wy2;
      if (J2 < 0) J2 = Jj;
      else if (J2 >= cny) { J2 = Jj; sy = -wy2; }
      const w00 = (1 - wx2) * (1 - wy2), w01 = (1 - wx2) * sy, w10 = wx2 * (1 - wy2), w11 = wx2 * sy;
      const to0 = Jj === J, to2 = J2 === J;
      const row = j * fnx;
      for (let i = 0; i < fnx; i++) {
        const rr = r[row + i]!;
        const I = i >> 1;
        const I2 = i & 1 ? (I + 1 === cnx ? 0 : I + 1) : I === 0 ? cnx - 1 : I - 1;
        if (to0) cb[base + I]! += w00 * rr;
        if (to2) cb[base + I]! += w01 * rr;
        if (to0) cb[base + I2]! += w10 * rr;
        if (to2) cb[base + I2]! += w11 * rr;
      }
    }
  }
}

/** Fine rows [j0, j1) of f.u += P c.u (levelOps.ts prolongAdd) for a level that coarsens by 2 in x and y. */
export function kProlongRows(fnx: number, cnx: number, cny: number, fu: Float64Array, cu: Float64Array, step: number, j0: number, j1: number): void {
  const wx2 = 0.25, wy2 = 0.25;
  for (let j = j0, row = j0 * fnx; j < j1; j++, row += fnx) {
    const J = j >> 1;
    let J2 = j & 1 ? J + 1 : J - 1;
    let sy = wy2;
    if (J2 < 0) J2 = J;
    else if (J2 >= cny) { J2 = J; sy = -wy2; }
    const w00 = (1 - wx2) * (1 - wy2), w01 = (1 - wx2) * sy, w10 = wx2 * (1 - wy2), w11 = wx2 * sy;
    const rowJ = J * cnx, rowJ2 = J2 * cnx;
    for (let i = 0; i < fnx; i += step) {
      const I = i >> 1;
      const I2 = i & 1 ? (I + 1 === cnx ? 0 : I + 1) : I === 0 ? cnx - 1 : I - 1;
      fu[row + i]! += w00 * cu[rowJ + I]! + w01 * cu[rowJ2 + I]! + w10 * cu[rowJ + I2]! + w11 * cu[rowJ2 + I2]!;
    }
  }
}

/** CG's updates on cells [k0, k1): x += alpha p, r -= alpha A p (multigrid.ts solve). */
export function kStep(x: Float64Array, r: Float64Array, p: Float64Array, ap: Float64Array, alpha: number, k0: number, k1: number): void {
  for (let k = k0; k < k1; k++) { x[k]! += alpha * p[k]!; r[k] = r[k]! - alpha * ap[k]!; }
}

/** CG's new direction on cells [k0, k1): p = z + beta p (multigrid.ts solve). */
export function kDirection(p: Float64Array, z: Float64Array, beta: number, k0: number, k1: number): void {
  for (let k = k0; k < k1; k++) p[k] = z[k]! + beta * p[k]!;
}

/**
 * LU factors of the y-lines of columns [c0, c1) (levelOps.ts factorLines, which calls this for every column):
 * super-diagonal ratio tc and 1/pivot tinv, row by row.
 */
export function kFactor(
  nx: number, ny: number, ax: Float64Array, ay: Float64Array, e: Float64Array, tc: Float64Array, tinv: Float64Array,
  c0: number, c1: number,
): void {
  // Row 0 (no line below), then the rest without branches but the seam's west neighbour.
  for (let i = c0; i < c1; i++) {
    const diag = e[i]! + ax[i === 0 ? nx - 1 : i - 1]! + ax[i]! + 0 + ay[i]!;
    const inv = 1 / (diag + 0);
    tinv[i] = inv;
    tc[i] = ny > 1 ? -ay[i]! * inv : 0;
  }
  for (let row = nx, last = (ny - 1) * nx; row < nx * ny; row += nx) {
    for (let i = c0; i < c1; i++) {
      const P = row + i;
      const as = ay[P - nx]!;
      const diag = e[P]! + ax[i === 0 ? row + nx - 1 : P - 1]! + ax[P]! + as + ay[P]!;
      const inv = 1 / (diag + as * tc[P - nx]!);
      tinv[P] = inv;
      tc[P] = row < last ? -ay[P]! * inv : 0;
    }
  }
}

/**
 * Coarse rows [J0, J1) of the coarse operator of a level that coarsens by 2 in x and y (levelOps.ts coarsenLevel,
 * which calls this for every row of that case): the sums of the fine equations.
 */
export function kCoarsen(
  fnx: number, cnx: number, fax: Float64Array, fay: Float64Array, fe: Float64Array, cax: Float64Array, cay: Float64Array,
  ce: Float64Array, J0: number, J1: number,
): void {
  for (let J = J0, C = J0 * cnx; J < J1; J++) {
    const r0 = 2 * J * fnx, r1 = r0 + fnx;
    for (let I = 0; I < cnx; I++, C++) {
      const F0 = r0 + 2 * I, F1 = r1 + 2 * I;
      cax[C] = (fax[F0 + 1]! + fax[F1 + 1]!) / 2;
      cay[C] = (fay[F1]! + fay[F1 + 1]!) / 2;
      ce[C] = fe[F0]! + fe[F0 + 1]! + fe[F1]! + fe[F1 + 1]!;
    }
  }
}

/** The kernels' numbers in the control block (ctl[2]). */
export const K_SWEEP = 1, K_APPLY = 2, K_RESTRICT = 3, K_PROLONG = 4, K_STEP = 5, K_DIRECTION = 6, K_STOP = 7;
export const K_FACTOR = 8, K_COARSEN = 9;

/**
 * Thread t of T runs its share of the job in `ctl` (ctl[2] the kernel, ctl[3...] its whole-number arguments, array
 * arguments as indices into `A`; `fa` its real ones). Shares: whole column pairs for the sweeps, rows for the rest
 * of a level, cells for CG's vectors; a share may be empty.
 */
export function runPart(A: Float64Array[], ctl: Int32Array, fa: Float64Array, t: number, T: number): void {
  const k = ctl[2]!;
  if (k === 1) {
    const nx = ctl[3]!, pairs = nx >> 1;
    const c0 = 2 * Math.floor((pairs * t) / T), c1 = 2 * Math.floor((pairs * (t + 1)) / T);
    if (c1 > c0) kHalfSweep(nx, ctl[4]!, A[ctl[5]!]!, A[ctl[6]!]!, A[ctl[7]!]!, A[ctl[8]!]!, A[ctl[9]!]!, A[ctl[10]!]!, ctl[11]!, ctl[12] === 1, c0, c1);
  } else if (k === 2) {
    const ny = ctl[4]!;
    const j0 = Math.floor((ny * t) / T), j1 = Math.floor((ny * (t + 1)) / T);
    if (j1 > j0) kApply(ctl[3]!, ny, A[ctl[5]!]!, A[ctl[6]!]!, A[ctl[7]!]!, A[ctl[8]!]!, A[ctl[9]!]!, ctl[10]! < 0 ? null : A[ctl[10]!]!, j0, j1);
  } else if (k === 3) {
    const cny = ctl[6]!;
    const J0 = Math.floor((cny * t) / T), J1 = Math.floor((cny * (t + 1)) / T);
    if (J1 > J0) kRestrictRows(ctl[3]!, ctl[4]!, ctl[5]!, cny, A[ctl[7]!]!, A[ctl[8]!]!, J0, J1);
  } else if (k === 4) {
    const fny = ctl[4]!;
    const j0 = Math.floor((fny * t) / T), j1 = Math.floor((fny * (t + 1)) / T);
    if (j1 > j0) kProlongRows(ctl[3]!, ctl[5]!, ctl[6]!, A[ctl[7]!]!, A[ctl[8]!]!, ctl[9]!, j0, j1);
  } else if (k === 5 || k === 6) {
    const n = ctl[3]!;
    const k0 = Math.floor((n * t) / T), k1 = Math.floor((n * (t + 1)) / T);
    if (k1 <= k0) return;
    if (k === 5) kStep(A[ctl[4]!]!, A[ctl[5]!]!, A[ctl[6]!]!, A[ctl[7]!]!, fa[0]!, k0, k1);
    else kDirection(A[ctl[4]!]!, A[ctl[5]!]!, fa[0]!, k0, k1);
  } else if (k === 8) {
    const nx = ctl[3]!;
    const c0 = Math.floor((nx * t) / T), c1 = Math.floor((nx * (t + 1)) / T);
    if (c1 > c0) kFactor(nx, ctl[4]!, A[ctl[5]!]!, A[ctl[6]!]!, A[ctl[7]!]!, A[ctl[8]!]!, A[ctl[9]!]!, c0, c1);
  } else if (k === 9) {
    const cny = ctl[5]!;
    const J0 = Math.floor((cny * t) / T), J1 = Math.floor((cny * (t + 1)) / T);
    if (J1 > J0) kCoarsen(ctl[3]!, ctl[4]!, A[ctl[6]!]!, A[ctl[7]!]!, A[ctl[8]!]!, A[ctl[9]!]!, A[ctl[10]!]!, A[ctl[11]!]!, J0, J1);
  }
}

/**
 * Thread t's part of job `gen` (of T threads), in S shares: its own first (t S / T to (t + 1) S / T - 1), then any
 * other not yet taken. A share is taken by one thread only (compare-and-swap of claimed[s] from an older job to
 * gen: a thread that wakes late, with an older gen, finds every share taken and does nothing); done[s] = gen once it
 * is written.
 */
export function takeShares(
  A: Float64Array[], ctl: Int32Array, fa: Float64Array, claimed: Int32Array, done: Int32Array, gen: number, t: number, T: number,
  S: number,
): void {
  const s0 = Math.floor((S * t) / T);
  for (let k = 0; k < S; k++) {
    const s = (s0 + k) % S;
    const was = Atomics.load(claimed, s);
    if (was >= gen || Atomics.compareExchange(claimed, s, was, gen) !== was) continue;
    runPart(A, ctl, fa, s, S);
    Atomics.store(done, s, gen);
    Atomics.notify(done, s);
  }
}

/** Every function a worker needs, in the order their source is concatenated. */
export const WORKER_FUNCTIONS = [kHalfSweep, kApply, kRestrictRows, kProlongRows, kStep, kDirection, kFactor, kCoarsen, runPart, takeShares];
