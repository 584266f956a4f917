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

import { applyOperator, coarsenLevel, factorLines, prolongAdd, restrictResidual } from "./levelOps.ts";
import { smooth } from "./smoother.ts";

export interface Level {
  nx: number;
  ny: number;
  ax: Float64Array;
  ay: Float64Array;
  e: Float64Array;
  u: Float64Array;
  b: Float64Array;
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
    b: new Float64Array(n), rx: 1, ry: 1, tc: new Float64Array(n), tinv: new Float64Array(n),
    cI: new Int32Array(nx), cI2: new Int32Array(nx),
  };
}

export class Multigrid {
  readonly levels: Level[] = [];
  preSmooth = 2;
  postSmooth = 2;
  coarseSweeps = 8;
  /** The transfers' row weights (scratch, so that a step allocates nothing). */
  private readonly w = new Float64Array(6);

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
    const n = nx * ny;
    this.rr = new Float64Array(n); this.z = new Float64Array(n); this.p = new Float64Array(n); this.ap = new Float64Array(n);
  }

  get fine(): Level {
    return this.levels[0]!;
  }

  /** Builds the coarse operators and every level's line factors from the finest one; call after filling fine.ax/ay/e. */
  coarsen(): void {
    factorLines(this.levels[0]!);
    for (let l = 0; l + 1 < this.levels.length; l++) {
      coarsenLevel(this.levels[l]!, this.levels[l + 1]!);
      factorLines(this.levels[l + 1]!);
    }
  }

  /**
   * One V-cycle on level l from u = 0 (the smoothers and transfers: smoother.ts, levelOps.ts). Zebra (nx even): the
   * post-smoothing starts with the odd columns, which overwrite theirs, so only the even columns are corrected.
   */
  private vcycle(l: number): void {
    const lv = this.levels[l]!;
    if (l === this.levels.length - 1) {
      smooth(lv, this.coarseSweeps / 2, false, true);
      smooth(lv, this.coarseSweeps / 2, true, false);
      return;
    }
    const step = lv.nx === 1 ? 1 : 2;
    smooth(lv, this.preSmooth, false, true);
    const c = this.levels[l + 1]!;
    restrictResidual(lv, c, this.w);
    this.vcycle(l + 1);
    prolongAdd(c, lv, step, this.w);
    smooth(lv, this.postSmooth, true, false);
  }

  private readonly rr: Float64Array;
  private readonly z: Float64Array;
  private readonly p: Float64Array;
  private readonly ap: Float64Array;

  /** z = M^-1 r: one V-cycle from zero (symmetric, so it can precondition CG), run on r and z in place of fine.b, fine.u. */
  private precondition(r: Float64Array, z: Float64Array): void {
    const f = this.fine;
    const u = f.u, b = f.b;
    f.u = z;
    f.b = r;
    this.vcycle(0);
    f.u = u;
    f.b = b;
  }

  /**
   * Conjugate gradients preconditioned by one V-cycle, from the warm start in fine.u, with fine.b as the right
   * side, until RMS(residual) <= tol * RMS(b) (or <= absTol) and |sum(residual)| <= massTol. The solution is left
   * in fine.u (updated in place; fine.b is kept). For a conservative operator (the concentration's) the residual's
   * sum is exactly what the step loses of the conserved quantity, which an RMS tolerance relative to b does not
   * bound: b holds the reservoir's Dirichlet term, large against the step's change where cells are fine and
   * diffusion fast. CG makes the solve robust where plain V-cycles slow down (thin resistive coatings, cracks).
   */
  solve(tol: number, maxCycles: number, absTol = 0, massTol = Infinity): { cycles: number; residual: number } {
    const f = this.fine;
    const n = f.nx * f.ny;
    const { rr, z, p, ap } = this;
    const x = f.u, b = f.b;
    applyOperator(f, x, ap);
    let bn = 0, rn = 0, rs = 0;
    for (let k = 0; k < n; k++) { const bk = b[k]!, r = bk - ap[k]!; rr[k] = r; bn += bk * bk; rn += r * r; rs += r; }
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
      const pap = applyOperator(f, p, ap);
      const alpha = rz / pap;
      rn = 0;
      rs = 0;
      for (let k = 0; k < n; k++) { x[k]! += alpha * p[k]!; const r = rr[k]! - alpha * ap[k]!; rr[k] = r; rn += r * r; rs += r; }
      cycles++;
      res = Math.sqrt(rn / n) / scale;
    }
    return { cycles, residual: res };
  }
}
