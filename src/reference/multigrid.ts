/**
 * Cell-centred geometric multigrid for the 5-point operators of the model:
 *
 *   (A u)_P = e_P u_P + sum_faces a_f (u_P - u_nb)       (x periodic, bottom no-flux, top Dirichlet via a_top)
 *
 * ax[i,j] couples (i,j)-(i+1,j); ay[i,j] couples (i,j)-(i,j+1), and on the top row it is the conductance to
 * the Dirichlet value (already folded into b). Coarse operators are the sums of the fine equations (an
 * aggregation that keeps conservation; coarse face conductances are the fine faces on the block boundary), smoothing is red-black Gauss-Seidel, prolongation is
 * bilinear. Each dimension coarsens by 2 while it is even and > 2, so 1D columns (nx = 1) work too.
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
}

function makeLevel(nx: number, ny: number): Level {
  const n = nx * ny;
  return { nx, ny, ax: new Float64Array(n), ay: new Float64Array(n), e: new Float64Array(n), u: new Float64Array(n), b: new Float64Array(n), r: new Float64Array(n), rx: 1, ry: 1 };
}

export class Multigrid {
  readonly levels: Level[] = [];
  preSmooth = 2;
  postSmooth = 2;
  coarseSweeps = 60;

  constructor(nx: number, ny: number) {
    let lv = makeLevel(nx, ny);
    this.levels.push(lv);
    for (;;) {
      const rx = lv.nx % 2 === 0 && lv.nx > 2 ? 2 : 1;
      const ry = lv.ny % 2 === 0 && lv.ny > 2 ? 2 : 1;
      if (rx === 1 && ry === 1) break;
      lv.rx = rx;
      lv.ry = ry;
      lv = makeLevel(lv.nx / rx, lv.ny / ry);
      this.levels.push(lv);
    }
  }

  get fine(): Level {
    return this.levels[0]!;
  }

  /** Builds the coarse operators from the finest one; call after filling fine.ax/ay/e. */
  coarsen(): void {
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
    }
  }

  private smooth(lv: Level, sweeps: number): void {
    const { nx, ny, ax, ay, e, u, b } = lv;
    for (let s = 0; s < sweeps; s++) {
      for (let color = 0; color < 2; color++) {
        for (let j = 0; j < ny; j++) {
          const row = j * nx;
          const top = j === ny - 1;
          for (let i = (j + color) & 1; i < nx; i += 2) {
            const P = row + i;
            const W = row + (i === 0 ? nx - 1 : i - 1);
            const E = row + (i === nx - 1 ? 0 : i + 1);
            const aw = ax[W]!, ae = ax[P]!, an = ay[P]!;
            const as = j > 0 ? ay[P - nx]! : 0;
            let num = b[P]! + aw * u[W]! + ae * u[E]!;
            if (j > 0) num += as * u[P - nx]!;
            if (!top) num += an * u[P + nx]!;
            u[P] = num / (e[P]! + aw + ae + as + an);
          }
        }
      }
    }
  }

  /** r = b - A u; returns the RMS of r. */
  residual(lv: Level): number {
    const { nx, ny, ax, ay, e, u, b, r } = lv;
    let sum = 0;
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      const top = j === ny - 1;
      for (let i = 0; i < nx; i++) {
        const P = row + i;
        const W = row + (i === 0 ? nx - 1 : i - 1);
        const E = row + (i === nx - 1 ? 0 : i + 1);
        const up = u[P]!;
        let au = e[P]! * up + ax[W]! * (up - u[W]!) + ax[P]! * (up - u[E]!);
        if (j > 0) au += ay[P - nx]! * (up - u[P - nx]!);
        au += ay[P]! * (top ? up : up - u[P + nx]!);
        const rv = b[P]! - au;
        r[P] = rv;
        sum += rv * rv;
      }
    }
    return Math.sqrt(sum / (nx * ny));
  }

  private restrict(f: Level, c: Level): void {
    const { rx, ry } = f;
    for (let J = 0; J < c.ny; J++) {
      for (let I = 0; I < c.nx; I++) {
        let s = 0;
        for (let q = 0; q < ry; q++) for (let p = 0; p < rx; p++) s += f.r[(ry * J + q) * f.nx + rx * I + p]!;
        c.b[J * c.nx + I] = s;
      }
    }
  }

  private prolongAdd(c: Level, f: Level): void {
    const { rx, ry } = f;
    for (let j = 0; j < f.ny; j++) {
      const J = ry === 2 ? j >> 1 : j;
      let J2 = ry === 2 ? (j & 1 ? J + 1 : J - 1) : J;
      let wy2 = ry === 2 ? 0.25 : 0;
      let sign = 1;
      if (J2 < 0) J2 = J;
      else if (J2 >= c.ny) { J2 = J; sign = -1; } // Dirichlet top: the correction's ghost is its mirror
      for (let i = 0; i < f.nx; i++) {
        const I = rx === 2 ? i >> 1 : i;
        const I2 = rx === 2 ? (i & 1 ? (I + 1) % c.nx : (I - 1 + c.nx) % c.nx) : I;
        const wx2 = rx === 2 ? 0.25 : 0;
        const v = (1 - wx2) * ((1 - wy2) * c.u[J * c.nx + I]! + wy2 * sign * c.u[J2 * c.nx + I]!)
          + wx2 * ((1 - wy2) * c.u[J * c.nx + I2]! + wy2 * sign * c.u[J2 * c.nx + I2]!);
        f.u[j * f.nx + i]! += v;
      }
      wy2 = 0;
    }
  }

  private vcycle(l: number): void {
    const lv = this.levels[l]!;
    if (l === this.levels.length - 1) {
      this.smooth(lv, this.coarseSweeps);
      return;
    }
    this.smooth(lv, this.preSmooth);
    this.residual(lv);
    const c = this.levels[l + 1]!;
    this.restrict(lv, c);
    c.u.fill(0);
    this.vcycle(l + 1);
    this.prolongAdd(c, lv);
    this.smooth(lv, this.postSmooth);
  }

  /**
   * V-cycles on the finest level until RMS(residual) <= tol * RMS(b) (or <= absTol). The initial guess is
   * fine.u (warm start). Returns the number of cycles used and the final relative residual.
   */
  solve(tol: number, maxCycles: number, absTol = 0): { cycles: number; residual: number } {
    const f = this.fine;
    let bn = 0;
    for (let k = 0; k < f.b.length; k++) bn += f.b[k]! * f.b[k]!;
    bn = Math.sqrt(bn / f.b.length);
    const scale = bn > 0 ? bn : 1;
    let res = this.residual(f) / scale;
    let cycles = 0;
    while (res > tol && res * scale > absTol && cycles < maxCycles) {
      this.vcycle(0);
      cycles++;
      res = this.residual(f) / scale;
    }
    return { cycles, residual: res };
  }
}
