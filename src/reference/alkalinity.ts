/**
 * The pH field of the CPU solver (docs/MODEL.md, "pH"): the alkalinity w = [OH-] - [H+] (mol/m3), which water's
 * autoionisation conserves, diffuses (backward Euler, the concentration's operator scaled to OH-'s diffusivity) and is
 * made by HER at the interface, one OH- per electron (2 H2O + 2 e- -> H2 + 2 OH-); the reservoir holds the
 * electrolyte's pH. The pH follows from w and K_w. Plain TypeScript loops, after the step's concentration solve.
 */
import { FARADAY } from "../model/constants.ts";
import { MG_MAX_CYCLES, MG_TOL, type CpuSolver } from "./solver.ts";
import { Multigrid } from "./multigrid.ts";

/** Water's ion product at 25 C, (mol/m3)^2: 1e-14 (mol/L)^2. */
export const KW_MOL2_M6 = 1e-8;

/** The alkalinity (mol/m3) of a solution at `pH`. */
export const alkalinityOf = (pH: number): number => {
  const h = 10 ** -pH * 1000;
  return KW_MOL2_M6 / h - h;
};

/** The pH of alkalinity w (mol/m3): [OH-] from [OH-] - K_w / [OH-] = w, without cancellation on either side. */
export function pHOf(w: number): number {
  const r = Math.sqrt(w * w + 4 * KW_MOL2_M6);
  const oh = w >= 0 ? 0.5 * (w + r) : (2 * KW_MOL2_M6) / (r - w);
  return 14 + Math.log10(oh / 1000);
}

export class AlkalinityField {
  /** w per cell (mol/m3). */
  readonly w: Float64Array;
  readonly w0: number;
  /** OH- made by HER and gone out through the reservoir since the start, per electrode area (mol/m2). */
  made = 0;
  out = 0;
  private readonly mg: Multigrid;

  constructor(nx: number, ny: number, pH0: number, private readonly dRatio: number) {
    this.w0 = alkalinityOf(pH0);
    this.w = new Float64Array(nx * ny).fill(this.w0);
    this.mg = new Multigrid(nx, ny);
  }

  /** One time step, after the solver's phase field (its qHCell) and concentration (its face coefficients). */
  step(s: CpuSolver): void {
    const { nx, ny, co } = s;
    const n = nx * ny;
    const f = this.mg.fine, c = s.mgC.fine;
    const r = this.dRatio, dt = co.dt, w = this.w, q = s.qHCell;
    let made = 0;
    for (let P = 0; P < n; P++) {
      f.ax[P] = r * c.ax[P]!;
      f.ay[P] = r * c.ay[P]!;
      const src = (q[P]! * dt) / FARADAY; // mol/m3 of OH- this step
      made += src;
      f.b[P] = w[P]! + src;
      f.u[P] = w[P]!;
    }
    f.e.fill(1);
    const top = (ny - 1) * nx;
    for (let i = 0; i < nx; i++) f.b[top + i] += f.ay[top + i]! * this.w0;
    this.mg.coarsen();
    this.mg.solve(MG_TOL, MG_MAX_CYCLES, 1e-14, 1e-6 * Math.max(made, 1e-12));
    w.set(f.u);
    let out = 0;
    for (let i = 0; i < nx; i++) out += f.ay[top + i]! * (w[top + i]! - this.w0);
    const perArea = (co.dx * co.dx) / (nx * co.dx);
    this.made += made * perArea;
    this.out += out * perArea;
  }

  /** OH- in the cell above the initial state's, per electrode area (mol/m2). */
  excess(s: CpuSolver): number {
    let m = 0;
    for (let P = 0; P < this.w.length; P++) m += this.w[P]! - this.w0;
    return (m * s.co.dx * s.co.dx) / (s.nx * s.co.dx);
  }

  /** The interfacial pH: the highest in the liquid-side interface cells (0.02 < xi < 0.5); in 1d the electrode's cell. */
  surfacePH(s: CpuSolver): number {
    if (s.co.mode === "1d") return pHOf(this.w[0]!);
    let wMax = -Infinity;
    for (let P = 0; P < this.w.length; P++) {
      const x = s.xi[P]!;
      if (x > 0.02 && x < 0.5 && this.w[P]! > wMax) wMax = this.w[P]!;
    }
    return pHOf(Number.isFinite(wMax) ? wMax : this.w0);
  }
}
