/**
 * Cell-centred geometric multigrid for the 5-point operators of the model:
 *
 *   (A u)_P = e_P u_P + sum_faces a_f (u_P - u_nb)       (x periodic, bottom no-flux, top Dirichlet via a_top)
 *
 * ax[i,j] couples (i,j)-(i+1,j); ay[i,j] couples (i,j)-(i,j+1), and on the top row it is the conductance to
 * the Dirichlet value (already folded into b). Coarse operators are the sums of the fine equations (an
 * aggregation that keeps conservation; coarse face conductances are the fine faces on the block boundary), prolongation is
 * bilinear, smoothing is zebra y-line Gauss-Seidel. Each dimension coarsens by 2 while it is even and > 2, so 1D columns (nx = 1) work too.
 */

export interface Level {
  nx: number;
  ny: number;
  ax: Float64Array;
  ay: Float64Array;
  e: Float64Array;
  u: Float64Array;
  b: Float64Array;
  r: Float64Array;
  rx: number; // coarsening factors from this level to the next
  ry: number;
  /** Thomas factors of the y-lines, fixed while the operator is: super-diagonal ratio and 1/pivot. */
  tc: Float64Array;
  tinv: Float64Array;
  /** Each column's two columns on the next level for the transfers: its own, I, and I's neighbour on its side, I2. */
  cI: Int32Array;
  cI2: Int32Array;
}

function makeLevel(nx: number, ny: number): Level {
  const n = nx * ny;
  return {
    nx, ny, ax: new Float64Array(n), ay: new Float64Array(n), e: new Float64Array(n), u: new Float64Array(n),
    b: new Float64Array(n), r: new Float64Array(n), rx: 1, ry: 1, tc: new Float64Array(n), tinv: new Float64Array(n),
    cI: new Int32Array(nx), cI2: new Int32Array(nx),
  };
}

/** out = A v on one level. */
function applyOperator(lv: Level, v: Float64Array, out: Float64Array): void {
  const { nx, ny, ax, ay, e } = lv;
  for (let j = 0; j < ny; j++) {
    const row = j * nx;
    const top = j === ny - 1;
    for (let i = 0; i < nx; i++) {
      const P = row + i;
      const W = row + (i === 0 ? nx - 1 : i - 1);
      const E = row + (i === nx - 1 ? 0 : i + 1);
      const up = v[P]!;
      let au = e[P]! * up + ax[W]! * (up - v[W]!) + ax[P]! * (up - v[E]!);
      if (j > 0) au += ay[P - nx]! * (up - v[P - nx]!);
      au += ay[P]! * (top ? up : up - v[P + nx]!);
      out[P] = au;
    }
  }
}

export class Multigrid {
  readonly levels: Level[] = [];
  preSmooth = 2;
  postSmooth = 2;
  coarseSweeps = 8;

  constructor(nx: number, ny: number) {
    if (nx !== 1 && nx % 2 !== 0) throw new Error(`multigrid: nx = ${nx} must be 1 or even (the zebra smoother's colours alternate across the periodic seam)`);
    let lv = makeLevel(nx, ny);
    this.levels.push(lv);
    for (;;) {
      const rx = lv.nx % 2 === 0 && lv.nx > 2 ? 2 : 1;
      const ry = lv.ny % 2 === 0 && lv.ny > 2 ? 2 : 1;
      if (rx === 1 && ry === 1) break;
      lv.rx = rx;
      lv.ry = ry;
      const cnx = lv.nx / rx;
      for (let i = 0; i < lv.nx; i++) {
        const I = rx === 2 ? i >> 1 : i;
        lv.cI[i] = I;
        lv.cI2[i] = rx === 2 ? (i & 1 ? (I + 1 === cnx ? 0 : I + 1) : I === 0 ? cnx - 1 : I - 1) : I;
      }
      lv = makeLevel(cnx, lv.ny / ry);
      this.levels.push(lv);
    }
  }

  get fine(): Level {
    return this.levels[0]!;
  }

  /** Builds the coarse operators from the finest one; call after filling fine.ax/ay/e. */
  coarsen(): void {
    this.factorLines(this.levels[0]!);
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const f = this.levels[l]!;
      const c = this.levels[l + 1]!;
      const { rx, ry } = f;
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
      this.factorLines(c);
    }
  }

  /** LU factors of every y-line's tridiagonal matrix (they change only with the operator). */
  private factorLines(lv: Level): void {
    const { nx, ny, ax, ay, e, tc, tinv } = lv;
    for (let i = 0; i < nx; i++) {
      const iw = i === 0 ? nx - 1 : i - 1;
      for (let j = 0; j < ny; j++) {
        const P = j * nx + i;
        const as = j > 0 ? ay[P - nx]! : 0;
        const diag = e[P]! + ax[j * nx + iw]! + ax[P]! + as + ay[P]!;
        const inv = 1 / (diag + (j > 0 ? as * tc[P - nx]! : 0));
        tinv[P] = inv;
        tc[P] = j < ny - 1 ? -ay[P]! * inv : 0;
      }
    }
  }

  /**
   * Zebra y-line Gauss-Seidel: even columns, then odd ones (reverse order for the post-smoother, so the
   * V-cycle stays symmetric), each solved exactly along y. Exact in y makes it robust for thin layers of very
   * different conductance (a coating, the metal).
   */
  private smooth(lv: Level, sweeps: number, reverse = false): void {
    const { nx, ny, ax, ay, u, b, tc, tinv } = lv;
    const colors = nx === 1 ? 1 : 2;
    for (let s = 0; s < sweeps; s++) {
      for (let k = 0; k < colors; k++) {
        const color = reverse ? colors - 1 - k : k;
        // Every line of one colour at once, row by row (rows are contiguous in memory, columns a row apart). Each
        // line's arithmetic is that of line by line, so the result is the same to the bit, where no two lines of a
        // colour are neighbours: nx even (the scenarios' powers of two) or 1. With nx odd, lines 0 and nx - 1 would
        // share a colour across the periodic seam and read each other's half-done values; the constructor refuses it.
        // Forward: d_j = (rhs_j + as d_{j-1}) / pivot_j, kept in u; backward: u_j = d_j - tc_j u_{j+1}.
        for (let j = 0, row = 0; j < ny; j++, row += nx) {
          for (let i = color; i < nx; i += colors) {
            const P = row + i;
            const iw = i === 0 ? nx - 1 : i - 1, ie = i === nx - 1 ? 0 : i + 1;
            const rhs = b[P]! + ax[row + iw]! * u[row + iw]! + ax[P]! * u[row + ie]!;
            u[P] = (rhs + (j > 0 ? ay[P - nx]! * u[P - nx]! : 0)) * tinv[P]!;
          }
        }
        for (let row = (ny - 2) * nx; row >= 0; row -= nx) {
          for (let i = color; i < nx; i += colors) u[row + i] = u[row + i]! - tc[row + i]! * u[row + i + nx]!;
        }
      }
    }
  }

  /** r = b - A u; returns the RMS of r. */
  residual(lv: Level): number {
    const { nx, ny, u, b, r } = lv;
    applyOperator(lv, u, r);
    let sum = 0;
    for (let k = 0; k < nx * ny; k++) {
      const rv = b[k]! - r[k]!;
      r[k] = rv;
      sum += rv * rv;
    }
    return Math.sqrt(sum / (nx * ny));
  }


  /** Restriction: the transpose of prolongAdd (so the V-cycle is a symmetric preconditioner). */
  private restrict(f: Level, c: Level): void {
    c.b.fill(0);
    this.transfer(c, f, false);
  }

  private prolongAdd(c: Level, f: Level): void {
    this.transfer(c, f, true);
  }

  /**
   * Bilinear weights between fine cell F and its coarse cells (mirror ghost at the top: Dirichlet).
   * prolong: f.u += P c.u; otherwise c.b += P^T f.r.
   */
  private transfer(c: Level, f: Level, prolong: boolean): void {
    const { rx, ry } = f;
    const cnx = c.nx, fnx = f.nx;
    const wx2 = rx === 2 ? 0.25 : 0, wy2 = ry === 2 ? 0.25 : 0;
    const { cI, cI2 } = f;
    const fu = f.u, fr = f.r, cu = c.u, cb = c.b;
    for (let j = 0; j < f.ny; j++) {
      const J = ry === 2 ? j >> 1 : j;
      let J2 = ry === 2 ? (j & 1 ? J + 1 : J - 1) : J;
      let sy = wy2;
      if (J2 < 0) J2 = J;
      else if (J2 >= c.ny) { J2 = J; sy = -wy2; }
      const w00 = (1 - wx2) * (1 - wy2), w01 = (1 - wx2) * sy, w10 = wx2 * (1 - wy2), w11 = wx2 * sy;
      const rowJ = J * cnx, rowJ2 = J2 * cnx, row = j * fnx;
      if (prolong) {
        for (let i = 0; i < fnx; i++) {
          const I = cI[i]!, I2 = cI2[i]!;
          fu[row + i]! += w00 * cu[rowJ + I]! + w01 * cu[rowJ2 + I]! + w10 * cu[rowJ + I2]! + w11 * cu[rowJ2 + I2]!;
        }
      } else {
        for (let i = 0; i < fnx; i++) {
          const I = cI[i]!, I2 = cI2[i]!;
          const r = fr[row + i]!;
          cb[rowJ + I]! += w00 * r;
          cb[rowJ2 + I]! += w01 * r;
          cb[rowJ + I2]! += w10 * r;
          cb[rowJ2 + I2]! += w11 * r;
        }
      }
    }
  }

  private vcycle(l: number): void {
    const lv = this.levels[l]!;
    if (l === this.levels.length - 1) {
      this.smooth(lv, this.coarseSweeps / 2);
      this.smooth(lv, this.coarseSweeps / 2, true);
      return;
    }
    this.smooth(lv, this.preSmooth);
    this.residual(lv);
    const c = this.levels[l + 1]!;
    this.restrict(lv, c);
    c.u.fill(0);
    this.vcycle(l + 1);
    this.prolongAdd(c, lv);
    this.smooth(lv, this.postSmooth, true);
  }

  private x = new Float64Array(0);
  private rr = new Float64Array(0);
  private z = new Float64Array(0);
  private p = new Float64Array(0);
  private ap = new Float64Array(0);
  private b0 = new Float64Array(0);



  /** z = M^-1 r: one V-cycle from zero (symmetric, so it can precondition CG). */
  private precondition(r: Float64Array, z: Float64Array): void {
    const f = this.fine;
    f.b.set(r);
    f.u.fill(0);
    this.vcycle(0);
    z.set(f.u);
  }

  /**
   * Conjugate gradients preconditioned by one V-cycle, from the warm start in fine.u, with fine.b as the right
   * side, until RMS(residual) <= tol * RMS(b) (or <= absTol) and |sum(residual)| <= massTol. The solution is left
   * in fine.u. For a conservative operator (the concentration's) the residual's sum is exactly what the step
   * loses of the conserved quantity, which an RMS tolerance relative to b does not bound: b holds the reservoir's
   * Dirichlet term, large against the step's change where cells are fine and diffusion fast.
   * CG makes the solve robust where plain V-cycles slow down (thin resistive coatings, cracks).
   */
  solve(tol: number, maxCycles: number, absTol = 0, massTol = Infinity): { cycles: number; residual: number } {
    const f = this.fine;
    const n = f.nx * f.ny;
    if (this.x.length !== n) {
      this.x = new Float64Array(n); this.rr = new Float64Array(n); this.z = new Float64Array(n);
      this.p = new Float64Array(n); this.ap = new Float64Array(n); this.b0 = new Float64Array(n);
    }
    const { x, rr, z, p, ap } = this;
    const b = this.b0;
    b.set(f.b);
    x.set(f.u);
    applyOperator(this.fine, x, ap);
    let bn = 0, rn = 0, rs = 0;
    for (let k = 0; k < n; k++) { rr[k] = b[k]! - ap[k]!; bn += b[k]! * b[k]!; rn += rr[k]! * rr[k]!; rs += rr[k]!; }
    const scale = bn > 0 ? Math.sqrt(bn / n) : 1;
    let res = Math.sqrt(rn / n) / scale;
    let cycles = 0;
    let rz = 0;
    while ((res > tol || Math.abs(rs) > massTol) && res * scale > absTol && cycles < maxCycles) {
      this.precondition(rr, z);
      let rzNew = 0;
      for (let k = 0; k < n; k++) rzNew += rr[k]! * z[k]!;
      if (cycles === 0) p.set(z);
      else { const beta = rzNew / rz; for (let k = 0; k < n; k++) p[k] = z[k]! + beta * p[k]!; }
      rz = rzNew;
      applyOperator(this.fine, p, ap);
      let pap = 0;
      for (let k = 0; k < n; k++) pap += p[k]! * ap[k]!;
      const alpha = rz / pap;
      rn = 0;
      rs = 0;
      for (let k = 0; k < n; k++) { x[k]! += alpha * p[k]!; rr[k]! -= alpha * ap[k]!; rn += rr[k]! * rr[k]!; rs += rr[k]!; }
      cycles++;
      res = Math.sqrt(rn / n) / scale;
    }
    f.u.set(x);
    f.b.set(b);
    return { cycles, residual: res };
  }
}
