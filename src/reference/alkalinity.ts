/**
 * The pH field of the CPU solver (docs/MODEL.md, "pH"): the alkalinity w = [OH-] - [H+] (mol/m3), which water's
 * autoionisation conserves, diffuses (backward Euler, the concentration's operator scaled to OH-'s diffusivity) and is
 * made by HER at the interface, one OH- per electron (2 H2O + 2 e- -> H2 + 2 OH-); the reservoir holds the
 * electrolyte's pH. The pH follows from w and K_w. Plain TypeScript loops, after the step's concentration solve:
 * the source, the by-product's precipitation where there is one (byproduct.ts), then diffusion.
 */
import { FARADAY } from "../model/constants.ts";
import { MG_MAX_CYCLES, MG_TOL, type CpuSolver } from "./solver.ts";
import { Multigrid } from "./multigrid.ts";

import { alkalinityOf, pHOf } from "../model/water.ts";
export { KW_MOL2_M6, alkalinityOf, hydroxideOf, pHOf } from "../model/water.ts";

/** Rounds of the active set at most (1d from a pH-10 profile: 2 to 4). */
const MAX_ROUNDS = 30;

/** Makes cell P of level f a Dirichlet value v for its neighbours (those not held themselves): u_P = v. */
function holdCell(f: { ax: Float64Array; ay: Float64Array; e: Float64Array; b: Float64Array; u: Float64Array }, P: number, nx: number, ny: number, v: number, held: Uint8Array): void {
  const i = P % nx, j = (P - i) / nx;
  const move = (Q: number, a: number) => {
    if (!held[Q]) { f.e[Q] += a; f.b[Q] += a * v; }
  };
  if (nx > 1) {
    const W = j * nx + (i === 0 ? nx - 1 : i - 1), E = j * nx + (i === nx - 1 ? 0 : i + 1);
    move(W, f.ax[W]!); f.ax[W] = 0;
    move(E, f.ax[P]!); f.ax[P] = 0;
  }
  if (j > 0) { move(P - nx, f.ay[P - nx]!); f.ay[P - nx] = 0; }
  if (j < ny - 1) move(P + nx, f.ay[P]!);
  f.ay[P] = 0;
  f.e[P] = 1;
  f.b[P] = v;
  f.u[P] = v;
}

export class AlkalinityField {
  /** w per cell (mol/m3). */
  readonly w: Float64Array;
  readonly w0: number;
  /** OH- made by HER and gone out through the reservoir since the start, per electrode area (mol/m2). */
  made = 0;
  out = 0;
  private readonly mg: Multigrid;
  /** The cells held at the by-product's saturation in the last step's diffusion (diffuse's active set). */
  private held: Uint8Array | null = null;

  constructor(nx: number, ny: number, pH0: number, private readonly dRatio: number) {
    this.w0 = alkalinityOf(pH0);
    this.w = new Float64Array(nx * ny).fill(this.w0);
    this.mg = new Multigrid(nx, ny);
  }

  /** The field's state for a checkpoint (checkpoint.ts PhCheckpoint, less the by-product): copies. */
  state(): { w: Float64Array; made: number; out: number; held: Uint8Array | null } {
    return { w: this.w.slice(), made: this.made, out: this.out, held: this.held ? this.held.slice() : null };
  }

  /** Sets the field to a checkpoint's state (its sizes checked by checkCheckpoint). */
  restore(st: { w: ArrayLike<number>; made: number; out: number; held: ArrayLike<number> | null }): void {
    this.w.set(st.w);
    this.made = st.made;
    this.out = st.out;
    this.held = st.held ? Uint8Array.from(st.held) : null;
  }

  /** The step's HER source into w, after the solver's phase field (its qHCell): one OH- per electron. */
  addSource(s: CpuSolver): void {
    const w = this.w, q = s.qHCell, dt = s.co.dt;
    let made = 0;
    for (let P = 0; P < w.length; P++) {
      const src = (q[P]! * dt) / FARADAY; // mol/m3 of OH- this step
      made += src;
      w[P] = w[P]! + src;
    }
    this.made += (made * s.co.dx * s.co.dx) / (s.nx * s.co.dx);
  }

  /**
   * Diffusion over the step, backward Euler on the concentration's face coefficients scaled by D_OH / D. With `cap`
   * (a cell's largest alkalinity, the by-product's saturation; Infinity where none), an obstacle problem w <= cap: cells
   * past it are held at it and re-solved (active set, a few rounds), and what each held cell's equation then leaves
   * over is the alkalinity that precipitated there, written into `removed` (mol/m3). A held cell that would take
   * alkalinity back is let go (the by-product does not dissolve here). Returns the rounds taken.
   */
  diffuse(s: CpuSolver, cap: Float64Array | null = null, removed: Float64Array | null = null): number {
    const { nx, ny, co } = s;
    const n = nx * ny;
    const f = this.mg.fine, c = s.mgC.fine;
    const r = this.dRatio, w = this.w;
    const top = (ny - 1) * nx;
    // The held set starts from the last step's: the film grows where it grew (2d: 1-2 rounds a step, not 13).
    if (cap && !this.held) this.held = new Uint8Array(n);
    const held = cap ? this.held : null;
    // A cell the metal has grown into (cap Infinity) holds nothing.
    if (held) for (let P = 0; P < n; P++) if (held[P] && !Number.isFinite(cap![P]!)) held[P] = 0;
    const ax0 = (P: number) => r * c.ax[P]!, ay0 = (P: number) => r * c.ay[P]!;
    // A held cell's own equation, with its own faces and right side: what it leaves over precipitated (telescoping
    // exactly with its neighbours' equations).
    const leftOver = (P: number) => {
      const u = f.u, i = P % nx, j = (P - i) / nx;
      const W = j * nx + (i === 0 ? nx - 1 : i - 1), E = j * nx + (i === nx - 1 ? 0 : i + 1);
      let flow = nx > 1 ? ax0(W) * (u[P]! - u[W]!) + ax0(P) * (u[P]! - u[E]!) : 0;
      if (j > 0) flow += ay0(P - nx) * (u[P]! - u[P - nx]!);
      flow += ay0(P) * (u[P]! - (j === ny - 1 ? this.w0 : u[P + nx]!));
      return w[P]! - u[P]! - flow;
    };
    let rounds = 0;
    for (; rounds < MAX_ROUNDS; rounds++) {
      for (let P = 0; P < n; P++) {
        f.ax[P] = ax0(P);
        f.ay[P] = ay0(P);
        f.e[P] = 1;
        f.b[P] = w[P]!;
        if (rounds === 0) f.u[P] = w[P]!; // later rounds start from the last round's solution
      }
      for (let i = 0; i < nx; i++) f.b[top + i] += f.ay[top + i]! * this.w0;
      // A held cell is a Dirichlet value for its neighbours: its faces move to their diagonals and right sides.
      if (held) for (let P = 0; P < n; P++) if (held[P]) holdCell(f, P, nx, ny, cap![P]!, held);
      this.mg.coarsen();
      // The residual's sum is the alkalinity the solve loses: below 1e-9 of a cell's worth of the start's.
      this.mg.solve(MG_TOL, MG_MAX_CYCLES, 1e-14, 1e-9 * Math.max(Math.abs(this.w0), 1e-6));
      if (!held) break;
      // Primal-dual active set: hold the cells past their cap, let go of the held ones that would take alkalinity back.
      let changed = false;
      for (let P = 0; P < n; P++) {
        if (!held[P] && f.u[P]! > cap![P]!) { held[P] = 1; changed = true; }
        else if (held[P] && leftOver(P) < 0) { held[P] = 0; changed = true; }
      }
      if (!changed) break;
    }
    if (held && removed) for (let P = 0; P < n; P++) removed[P] = held[P] ? leftOver(P) : 0;
    w.set(f.u);
    let out = 0;
    for (let i = 0; i < nx; i++) out += ay0(top + i) * (w[top + i]! - this.w0);
    this.out += (out * co.dx * co.dx) / (nx * co.dx);
    return rounds;
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
