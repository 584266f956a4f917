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

import { K_APPLY, K_COARSEN, K_DIRECTION, K_FACTOR, K_PROLONG, K_RESTRICT, K_STEP, K_SWEEP } from "./kernels.ts";
import { applyOperator, applyOperatorWasm, coarsenLevel, factorLines, prolongAdd, prolongAddWasm, restrictResidual, restrictResidualWasm } from "./levelOps.ts";
import { halfSweep, smooth } from "./smoother.ts";
import type { Team } from "./team.ts";
import { wasmAvailable, wasmInstance, type WasmKernels } from "./wasm.ts";

/**
 * Levels of at least this many cells are shared out among a team's threads (team.ts); smaller ones run on the
 * calling thread, where a job's hand-out would cost more than its share saves.
 */
export const TEAM_MIN_CELLS = 4096;

/** Multigrids made on the WebAssembly kernels so far (where each places its arrays in its memory). */
let instances = 0;

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

function makeLevel(nx: number, ny: number, f64: (n: number) => Float64Array): Level {
  const n = nx * ny;
  return {
    nx, ny, ax: f64(n), ay: f64(n), e: f64(n), u: f64(n), b: f64(n), rx: 1, ry: 1, tc: f64(n), tinv: f64(n),
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

  /** The threads a solve shares its large levels' work among (team.ts), or null for the calling thread alone. */
  private readonly team: Team | null;
  /** A level's residual before it is restricted, where a team does it (scratch, fine-level size). */
  private readonly res: Float64Array;

  /**
   * The WebAssembly kernels (wasm.ts) where a one-thread solve uses them, every array of the levels and of CG then
   * a view on their memory; null: the TypeScript ones.
   */
  private readonly k: WasmKernels | null;
  /** The kernels' scratch (CG's residual sum comes back in [1]). */
  private readonly scratch: Float64Array | null = null;

  /**
   * With `team`, every array is one its threads share (allocate every team's arrays before team.start()). `wasm`:
   * whether a one-thread solve runs on the WebAssembly kernels (by default where they compile; the same to the bit).
   */
  constructor(nx: number, ny: number, team: Team | null = null, wasm = team === null && wasmAvailable()) {
    this.team = team;
    let f64 = team ? (n: number) => team.f64(n) : (n: number) => new Float64Array(n);
    this.k = null;
    if (wasm && !team) {
      // 7 arrays a level (the levels together at most twice the fine one), CG's 4, the kernels' 64 bytes of scratch.
      // Each array 5 cache lines after the last one's end, and each instance's first at its own place: arrays that
      // start at the same offset within a 4 KiB page compete for the same L1 sets (a loop reads 6 to 8 of them).
      const { memory, k } = wasmInstance(65536 + 8 * (14 + 4) * nx * ny);
      this.k = k;
      this.scratch = new Float64Array(memory.buffer, 0, 8);
      let at = 64 + 1088 * (instances++ % 4);
      f64 = (n: number) => { const a = new Float64Array(memory.buffer, at, n); at += 8 * n + 320; return a; };
    }
    if (nx !== 1 && nx % 2 !== 0) throw new Error(`multigrid: nx = ${nx} must be 1 or even (the zebra smoother's colours alternate across the periodic seam)`);
    let lv = makeLevel(nx, ny, f64);
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
      lv = makeLevel(cnx, lv.ny / ry, f64);
      this.levels.push(lv);
    }
    const n = nx * ny;
    this.rr = f64(n); this.z = f64(n); this.p = f64(n); this.ap = f64(n);
    this.res = team ? f64(n) : this.rr;
  }

  get fine(): Level {
    return this.levels[0]!;
  }

  /** Builds the coarse operators and every level's line factors from the finest one; call after filling fine.ax/ay/e. */
  coarsen(): void {
    this.factor(this.levels[0]!);
    for (let l = 0; l + 1 < this.levels.length; l++) {
      const f = this.levels[l]!, c = this.levels[l + 1]!;
      if (this.k && f.rx === 2 && f.ry === 2 && c.nx > 1) {
        this.k.coarsen(f.ax.byteOffset, f.ay.byteOffset, f.e.byteOffset, c.ax.byteOffset, c.ay.byteOffset, c.e.byteOffset, f.nx, c.nx, c.ny);
      } else if (this.shared(c) && f.rx === 2 && f.ry === 2) {
        const team = this.team!, ctl = team.ctl;
        ctl[2] = K_COARSEN; ctl[3] = f.nx; ctl[4] = c.nx; ctl[5] = c.ny;
        ctl[6] = team.id(f.ax); ctl[7] = team.id(f.ay); ctl[8] = team.id(f.e); ctl[9] = team.id(c.ax); ctl[10] = team.id(c.ay); ctl[11] = team.id(c.e);
        team.run(f.nx * f.ny);
      } else {
        coarsenLevel(f, c);
      }
      this.factor(c);
    }
  }

  /** A level's line factors (levelOps.ts factorLines), by the team where the level is shared. */
  private factor(lv: Level): void {
    if (this.k) { this.k.factor(lv.ax.byteOffset, lv.ay.byteOffset, lv.e.byteOffset, lv.tc.byteOffset, lv.tinv.byteOffset, lv.nx, lv.ny); return; }
    if (!this.shared(lv)) { factorLines(lv); return; }
    const team = this.team!, ctl = team.ctl;
    ctl[2] = K_FACTOR; ctl[3] = lv.nx; ctl[4] = lv.ny;
    ctl[5] = team.id(lv.ax); ctl[6] = team.id(lv.ay); ctl[7] = team.id(lv.e); ctl[8] = team.id(lv.tc); ctl[9] = team.id(lv.tinv);
    team.run(lv.nx * lv.ny);
  }

  /**
   * One V-cycle on level l from u = 0 (the smoothers and transfers: smoother.ts, levelOps.ts). Zebra (nx even): the
   * post-smoothing starts with the odd columns, which overwrite theirs, so only the even columns are corrected.
   */
  private vcycle(l: number): void {
    const lv = this.levels[l]!;
    if (l === this.levels.length - 1) {
      this.smooth(lv, this.coarseSweeps / 2, false, true, halfSweep);
      this.smooth(lv, this.coarseSweeps / 2, true, false, halfSweep);
      return;
    }
    const step = lv.nx === 1 ? 1 : 2;
    const c = this.levels[l + 1]!;
    const shared = this.shared(lv) && lv.rx === 2 && lv.ry === 2 && c.nx > 1;
    const half = shared ? this.teamHalfSweep : halfSweep;
    this.smooth(lv, this.preSmooth, false, true, half);
    if (this.k) {
      restrictResidualWasm(lv, c, this.w, this.k);
    } else if (shared) {
      this.teamApply(lv, lv.u, this.res, lv.b);
      const ctl = this.team!.ctl;
      ctl[2] = K_RESTRICT; ctl[3] = lv.nx; ctl[4] = lv.ny; ctl[5] = c.nx; ctl[6] = c.ny;
      ctl[7] = this.team!.id(this.res); ctl[8] = this.team!.id(c.b);
      this.team!.run(lv.nx * lv.ny);
    } else {
      restrictResidual(lv, c, this.w);
    }
    this.vcycle(l + 1);
    if (shared) {
      const ctl = this.team!.ctl;
      ctl[2] = K_PROLONG; ctl[3] = lv.nx; ctl[4] = lv.ny; ctl[5] = c.nx; ctl[6] = c.ny;
      ctl[7] = this.team!.id(lv.u); ctl[8] = this.team!.id(c.u); ctl[9] = step;
      this.team!.run(lv.nx * lv.ny);
    } else if (this.k) {
      prolongAddWasm(c, lv, step, this.w, this.k);
    } else {
      prolongAdd(c, lv, step, this.w);
    }
    this.smooth(lv, this.postSmooth, true, false, half);
  }

  /**
   * smoother.ts smooth, in one call of the WebAssembly kernels where they run and the level's width is even; else
   * with the TypeScript or the team's half-sweep `half`.
   */
  private smooth(lv: Level, sweeps: number, reverse: boolean, fromZero: boolean, half: typeof halfSweep): void {
    const k = this.k;
    if (k && lv.nx % 2 === 0) {
      k.smooth(lv.b.byteOffset, lv.ax.byteOffset, lv.ay.byteOffset, lv.u.byteOffset, lv.tinv.byteOffset, lv.tc.byteOffset, lv.nx, lv.ny, sweeps, reverse ? 1 : 0, fromZero ? 1 : 0);
      return;
    }
    smooth(lv, sweeps, reverse, fromZero, half);
  }

  /** Whether level lv's work is shared out among the team's threads. */
  private shared(lv: Level): boolean {
    return this.team !== null && lv.nx > 1 && lv.nx * lv.ny >= TEAM_MIN_CELLS;
  }

  /** halfSweep by the team (kernels.ts kHalfSweep on column ranges). */
  private readonly teamHalfSweep = (lv: Level, color: number, fromZero: boolean): void => {
    const team = this.team!, ctl = team.ctl;
    ctl[2] = K_SWEEP; ctl[3] = lv.nx; ctl[4] = lv.ny;
    ctl[5] = team.id(lv.ax); ctl[6] = team.id(lv.ay); ctl[7] = team.id(lv.u); ctl[8] = team.id(lv.b);
    ctl[9] = team.id(lv.tc); ctl[10] = team.id(lv.tinv); ctl[11] = color; ctl[12] = fromZero ? 1 : 0;
    team.run(lv.nx * lv.ny);
  };

  /** out = A v (or b - A v) on level lv by the team. */
  private teamApply(lv: Level, v: Float64Array, out: Float64Array, b: Float64Array | null): void {
    const team = this.team!, ctl = team.ctl;
    ctl[2] = K_APPLY; ctl[3] = lv.nx; ctl[4] = lv.ny;
    ctl[5] = team.id(lv.ax); ctl[6] = team.id(lv.ay); ctl[7] = team.id(lv.e); ctl[8] = team.id(v); ctl[9] = team.id(out);
    ctl[10] = b === null ? -1 : team.id(b);
    team.run(lv.nx * lv.ny);
  }

  /** out = A v on the fine level; returns v . out (summed in cell order on the calling thread). */
  private apply(v: Float64Array, out: Float64Array): number {
    const f = this.fine;
    if (this.k) return applyOperatorWasm(f, v, out, this.k);
    if (!this.shared(f)) return applyOperator(f, v, out);
    this.teamApply(f, v, out, null);
    let dot = 0;
    for (let k = 0, n = f.nx * f.ny; k < n; k++) dot += v[k]! * out[k]!;
    return dot;
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
    this.apply(x, ap);
    let bn = 0, rn = 0, rs = 0;
    // The WebAssembly kernels take CG's vectors two cells at a time: n even (nx even; nx = 1 with ny odd is not).
    const wk = n % 2 === 0 ? this.k : null;
    if (wk) {
      rn = wk.resid(b.byteOffset, ap.byteOffset, rr.byteOffset, 8 * n);
      rs = this.scratch![1]!;
      bn = this.scratch![2]!;
    } else {
      for (let k = 0; k < n; k++) { const bk = b[k]!, r = bk - ap[k]!; rr[k] = r; bn += bk * bk; rn += r * r; rs += r; }
    }
    const scale = bn > 0 ? Math.sqrt(bn / n) : 1;
    let res = Math.sqrt(rn / n) / scale;
    let cycles = 0;
    let rz = 0;
    const team = this.shared(f) ? this.team : null;
    while ((res > tol || Math.abs(rs) > massTol) && res * scale > absTol && cycles < maxCycles) {
      this.precondition(rr, z);
      let rzNew = 0;
      if (wk) rzNew = wk.dot(rr.byteOffset, z.byteOffset, 8 * n);
      else for (let k = 0; k < n; k++) rzNew += rr[k]! * z[k]!;
      if (cycles === 0) p.set(z);
      else if (wk) wk.direction(p.byteOffset, z.byteOffset, rzNew / rz, 8 * n);
      else if (team) {
        const ctl = team.ctl;
        ctl[2] = K_DIRECTION; ctl[3] = n; ctl[4] = team.id(p); ctl[5] = team.id(z); team.fa[0] = rzNew / rz;
        team.run(n);
      } else { const beta = rzNew / rz; for (let k = 0; k < n; k++) p[k] = z[k]! + beta * p[k]!; }
      rz = rzNew;
      const pap = this.apply(p, ap);
      const alpha = rz / pap;
      rn = 0;
      rs = 0;
      if (wk) {
        rn = wk.step(x.byteOffset, rr.byteOffset, p.byteOffset, ap.byteOffset, alpha, 8 * n);
        rs = this.scratch![1]!;
      } else if (team) {
        const ctl = team.ctl;
        ctl[2] = K_STEP; ctl[3] = n; ctl[4] = team.id(x); ctl[5] = team.id(rr); ctl[6] = team.id(p); ctl[7] = team.id(ap);
        team.fa[0] = alpha;
        team.run(n);
        for (let k = 0; k < n; k++) { const r = rr[k]!; rn += r * r; rs += r; }
      } else {
        for (let k = 0; k < n; k++) { x[k]! += alpha * p[k]!; const r = rr[k]! - alpha * ap[k]!; rr[k] = r; rn += r * r; rs += r; }
      }
      cycles++;
      res = Math.sqrt(rn / n) / scale;
    }
    return { cycles, residual: res };
  }
}
