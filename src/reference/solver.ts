/**
 * The CPU reference solver of the full model (docs/MODEL.md). Plain TypeScript, no DOM, no GPU: the truth for
 * the WGSL engine's tests and the fallback where WebGPU is missing. Fields are stored in f32 (as on the GPU);
 * arithmetic is f64.
 *
 * One coupled step (dt from coefficients()):
 *  1. column pass: deposit volume per column, mean height -> where the coating band sits; coating mechanics
 *     (Maxwell stress from protrusions, cracking by the Griffith energy criterion, self-healing);
 *  2. reaction sums over the interface -> the electrode potential E_m that makes the Zn + HER current equal
 *     the applied current (galvanostatic; scalar Newton);
 *  3. potential: div(sigma grad phi) = q(phi), the reaction linearised in phi (semi-implicit), MG-PCG;
 *     then step 2 again at the new potential;
 *  4. phase field: explicit Allen-Cahn + Butler-Volmer update of xi;
 *  5. concentration: backward Euler Nernst-Planck (diffusion implicit, migration t+ j / nF from step 3).
 */
import { appliedZnPerStep, type Coefficients } from "../model/coefficients.ts";
import { FARADAY, N_ZN, ZN_SITE_DENSITY } from "../model/constants.ts";
import type { InitialState } from "../model/initial.ts";
import { allenCahnRate } from "../model/allenCahn.ts";
import { sampleTime, type SeriesRow } from "../model/metrics.ts";
import { Multigrid } from "./multigrid.ts";

export const MG_TOL = 1e-6;
export const MG_MAX_CYCLES = 200;
const PHI_B_TOL = 1e-3;
/**
 * The concentration solve also stops only once the Zn2+ it loses (the residual's sum) is below this fraction of
 * the Zn the applied current plates in a step (so a run's Zn balance holds to about this, at every cell size).
 */
export const C_MASS_TOL = 1e-4;
const NF = N_ZN * FARADAY;
const MAX_PENALTY_V = 0.5;

/** Everything needed to continue a run exactly, on either backend. */
/** The length of each of a checkpoint's arrays on an nx x ny grid. */
export function checkpointSizes(nx: number, ny: number) {
  const cells = nx * ny;
  return {
    xi: cells, c: cells, phi: cells, phiB: cells, phiPrev: cells, phiBPrev: cells, cPrev: cells,
    site: nx, integrity: nx, stress: nx, strainPrev: nx, scalars: 8,
  } as const;
}

/** Throws, naming what is wrong, unless `cp` fits an nx x ny run: its grid, a whole step, each array's length, finite values. */
export function checkCheckpoint(cp: Checkpoint, nx: number, ny: number): void {
  if (!cp || typeof cp !== "object") throw new Error("no checkpoint");
  if (cp.nx !== nx || cp.ny !== ny) throw new Error(`checkpoint grid ${cp.nx}x${cp.ny} does not match the run's ${nx}x${ny}`);
  if (!Number.isInteger(cp.step) || cp.step < 0) throw new Error(`the checkpoint's step must be a whole number >= 0, got ${cp.step}`);
  for (const [key, n] of Object.entries(checkpointSizes(nx, ny))) {
    const v = cp[key as keyof ReturnType<typeof checkpointSizes>] as ArrayLike<number> | undefined;
    if (v?.length !== n) throw new Error(`the checkpoint's ${key} has ${v?.length ?? "no"} values, the run needs ${n}`);
    for (let k = 0; k < n; k++) if (!Number.isFinite(v[k])) throw new Error(`the checkpoint's ${key} is not finite at ${k}`);
  }
}

export interface Checkpoint {
  nx: number;
  ny: number;
  step: number;
  xi: Float32Array;
  c: Float32Array;
  phi: Float32Array;
  /** Warm start of the potential's response to a shift of E_m (part of the state for an exact restart). */
  phiB: Float32Array;
  /**
   * phi, phi_b and c one step earlier: each solve starts from the linear extrapolation 2 u^n - u^(n-1) (WARM_START).
   * A state without them (an older file) takes them equal to the current fields: its next step starts from u^n.
   */
  phiPrev: Float32Array;
  phiBPrev: Float32Array;
  cPrev: Float32Array;
  site: Float32Array;
  integrity: Float32Array;
  stress: Float32Array;
  strainPrev: Float32Array;
  /** [u = f E_m, Q_Zn, Q_H, top influx, deposit, I_Zn, I_H, q0] in the units used by the solver. */
  scalars: Float64Array;
}

export interface StepStats {
  /** CG iterations (one V-cycle each) of the last step's potential: phi_b's and phi_a's together. */
  phiCycles: number;
  /** Of those, phi_b's. */
  phiBCycles: number;
  cCycles: number;
}

interface Sums { A: number; B: number; C: number; S: number }

/** Exponentials of the kinetics, clipped so that no input of the valid range overflows (e^60 ~ 1e26). */
/**
 * Each solve's first guess: the linear extrapolation in time of its last two solutions, 2 u^n - u^(n-1) (the time
 * step is fixed within a run). The solves still end at their tolerances; from the extrapolation they need fewer
 * iterations than from u^n (docs/PERFORMANCE.md: -15 % to -33 % of the V-cycles a step). The GPU engine does the
 * same for c (concentration.wgsl concRhs), not for the potential (CpuSolver.extrapolatePotential).
 */
export function warmStart(u: number, prev: number): number {
  return 2 * u - prev;
}

const expClip = (x: number) => Math.exp(Math.max(-60, Math.min(60, x)));

const hInterp = (x: number) => x * x * x * (x * (6 * x - 15) + 10);
const harmonic = (a: number, b: number) => (2 * a * b) / (a + b);

export class CpuSolver {
  readonly co: Coefficients;
  readonly nx: number;
  readonly ny: number;
  xi: Float32Array;
  c: Float32Array;
  phi: Float32Array;
  site: Float32Array;
  integrity: Float32Array;
  stress: Float32Array;
  strainPrev: Float32Array;
  step = 0;
  /** u = f E_m: the scaled electrode potential. */
  u = 0;
  /** Zn and HER charge per electrode area (C/m2). */
  qZn = 0;
  qH = 0;
  /** Scaled Zn amounts (sum over cells of c~ and of (c_s/c0) xi) for the mass balance. */
  topInflux = 0;
  depositChange = 0;
  lastIZn = 0; // A/m2
  lastIH = 0; // A/m2
  readonly stats: StepStats = { phiCycles: 0, phiBCycles: 0, cCycles: 0 };
  /**
   * Whether phi_a and phi_b start from the extrapolation in time (warmStart) or from their last solutions, as the
   * GPU engine's do (potential.wgsl setup says why); c always extrapolates, on both. The CPU's solves run to their
   * tolerance, so here the extrapolation only saves V-cycles. False to compare iteration counts with the GPU's.
   */
  extrapolatePotential = true;

  private readonly mgPhi: Multigrid;
  private readonly mgC: Multigrid;
  private readonly colVol: Float64Array;
  private readonly bandFrac: Float64Array;
  private readonly penalty: Float64Array;
  private readonly protrusion: Float64Array; // per column: top height above the local mean (cells)
  private readonly tops: Float64Array;
  private readonly wCath: Float64Array; // per cell: weight * cathodic factor (A/m3 at u = 0)
  private readonly wAnod: Float64Array;
  private readonly wHer: Float64Array;
  private readonly rAc: Float64Array; // Allen-Cahn rate (1/s)
  private readonly qZnCell: Float64Array; // Zn volume current of the last step (A/m3)
  private readonly sx: Float64Array;
  private readonly sy: Float64Array;
  private readonly tp: Float64Array;
  private meanVol = 0;
  private readonly dq: Float64Array; // d q / d phi of the predictor (A/m3/V)
  /** fillOperators' cell diffusivities in x and y (kept, not made anew each step). */
  private readonly dCellX: Float64Array;
  private readonly dCellY: Float64Array;
  private readonly phiB: Float32Array; // potential response to a unit shift of E_m (stored in f32 like the fields)
  /** phi, phi_b and c of the step before: the solves' warm starts extrapolate from them (Checkpoint.phiPrev). */
  private readonly phiPrev: Float32Array;
  private readonly phiBPrev: Float32Array;
  private readonly cPrev: Float32Array;
  /** 1d: the volume current of row 0 in the last step (A/m3), to carry phi from row 0's centre to the electrode face. */
  private q0 = 0;

  constructor(co: Coefficients, init: InitialState) {
    this.co = co;
    this.nx = co.nx;
    this.ny = co.ny;
    const n = co.nx * co.ny;
    this.xi = init.xi.slice();
    this.c = init.c.slice();
    this.phi = init.phi.slice();
    this.site = init.site.slice();
    this.integrity = new Float32Array(co.nx).fill(co.hasCoating ? 1 : 0);
    this.stress = new Float32Array(co.nx);
    this.strainPrev = new Float32Array(co.nx);
    this.mgPhi = new Multigrid(co.nx, co.ny);
    this.mgC = new Multigrid(co.nx, co.ny);
    this.colVol = new Float64Array(co.nx);
    this.bandFrac = new Float64Array(co.ny);
    this.penalty = new Float64Array(co.nx);
    this.protrusion = new Float64Array(co.nx);
    this.tops = new Float64Array(co.nx);
    this.wCath = new Float64Array(n);
    this.wAnod = new Float64Array(n);
    this.wHer = new Float64Array(n);
    this.rAc = new Float64Array(n);
    this.qZnCell = new Float64Array(n);
    this.sx = new Float64Array(n);
    this.sy = new Float64Array(n);
    this.tp = new Float64Array(n);
    this.dq = new Float64Array(n);
    this.dCellX = new Float64Array(n);
    this.dCellY = new Float64Array(n);
    this.phiB = new Float32Array(n);
    this.phiPrev = this.phi.slice();
    this.phiBPrev = this.phiB.slice();
    this.cPrev = this.c.slice();
    this.columnPass();
    for (let i = 0; i < co.nx; i++) this.strainPrev[i] = this.strainOf(i);
    this.stress.fill(0);
  }

  // ---- 1. columns, coating band and mechanics ------------------------------------------------------------
  private strainOf(i: number): number {
    // Membrane strain of a layer draped over a bump of height d and width lambda: (8/3) (d / lambda)^2.
    const d = (Math.max(0, this.colVol[i]! - this.meanVol) * this.co.dx) / this.co.strainLength;
    return (8 / 3) * d * d;
  }

  private columnPass(): void {
    const { nx, ny, co, xi } = this;
    let total = 0;
    for (let i = 0; i < nx; i++) {
      let v = 0;
      for (let j = 0; j < ny; j++) v += xi[j * nx + i]!;
      this.colVol[i] = v;
      total += v;
    }
    this.meanVol = co.mode === "1d" ? 0 : total / nx;
    if (co.mode === "2d") {
      this.columnTops(this.tops);
      const R = co.tipWindow;
      for (let i = 0; i < nx; i++) {
        let m = 0;
        for (let d = -R; d <= R; d++) m += this.tops[(i + d + nx) % nx]!;
        this.protrusion[i] = Math.max(0, this.tops[i]! - m / (2 * R + 1));
      }
    }
    const lo = this.meanVol, hi = this.meanVol + co.bandCells;
    for (let j = 0; j < ny; j++) this.bandFrac[j] = co.hasCoating ? Math.max(0, Math.min(j + 1, hi) - Math.max(j, lo)) : 0;
  }

  private mechanics(): void {
    const { co, nx } = this;
    if (!co.hasCoating || co.mode === "1d") return;
    for (let i = 0; i < nx; i++) {
      const eps = this.strainOf(i);
      let k = this.integrity[i]!;
      let s = Math.max(0, (this.stress[i]! + co.E * k * (eps - this.strainPrev[i]!)) * co.stressDecay);
      if ((s * s * co.thickness) / (2 * co.E) > co.Gc) {
        k = 0; // Griffith: the stored elastic energy per area exceeds the fracture energy
        s = 0;
      }
      k += (1 - k) * co.healStep;
      this.integrity[i] = k;
      this.stress[i] = s;
      this.strainPrev[i] = eps;
      this.penalty[i] = Math.min(MAX_PENALTY_V, co.penaltyPerPa * s * k);
    }
  }

  // ---- 2. reaction sums and the galvanostatic electrode potential -------------------------------------
  private reactionSums(): Sums {
    const { co, nx, ny, xi, c, phi } = this;
    const dA = co.dx * co.dx;
    const f = co.fNRT;
    const is1d = co.mode === "1d";
    const wInterface = 1 / (5 * co.ell * co.dx);
    const ell2 = 2 * co.ell * co.ell;
    const zoneTop = co.substrateCells + co.nucleationZone;
    let A = 0, B = 0, C = 0, S = 0;
    for (let j = 0; j < ny; j++) {
      const inZone = j + 0.5 < zoneTop;
      const bf = this.bandFrac[j]!;
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i;
        const x = xi[P]!;
        let wZn: number, wH: number, rac = 0;
        const chi = bf * this.integrity[i]!;
        if (is1d) {
          wZn = j === 0 ? 1 / co.dx : 0;
          wH = wZn;
        } else {
          const xW = xi[j * nx + (i === 0 ? nx - 1 : i - 1)]!;
          const xE = xi[j * nx + (i === nx - 1 ? 0 : i + 1)]!;
          const xS = j > 0 ? xi[P - nx]! : x;
          const xN = j < ny - 1 ? xi[P + nx]! : x;
          const gx = 0.5 * (xE - xW), gy = 0.5 * (xN - xS);
          const g2 = gx * gx + gy * gy;
          rac = (co.gammaDt / co.dt) * allenCahnRate(x, xW + xE + xS + xN - 4 * x, gx, gy, ell2, co.aniso);
          const host = co.hostGain > 0 ? (co.hostGain * chi * (1 - x)) / (co.bandCells * co.dx) : 0;
          const m = inZone && chi < 0.5 ? this.site[i]! : 1;
          wZn = 30 * x * x * (1 - x) * (1 - x) * wInterface * m + host;
          wH = Math.sqrt(g2) / co.dx + host;
        }
        this.rAc[P] = rac;
        S += NF * ZN_SITE_DENSITY * rac * dA;
        if (wZn > 0) {
          let tip = 0;
          if (!is1d && this.protrusion[i]! > 0) {
            // Sub-grid tip effect: a protrusion of height p sees the local driving gradient amplified.
            const pW = phi[j * nx + (i === 0 ? nx - 1 : i - 1)]!, pE = phi[j * nx + (i === nx - 1 ? 0 : i + 1)]!;
            const pS = j > 0 ? phi[P - nx]! : phi[P]!, pN = j < ny - 1 ? phi[P + nx]! : phi[P]!;
            const cW = c[j * nx + (i === 0 ? nx - 1 : i - 1)]!, cE = c[j * nx + (i === nx - 1 ? 0 : i + 1)]!;
            const cS = j > 0 ? c[P - nx]! : c[P]!, cN = j < ny - 1 ? c[P + nx]! : c[P]!;
            const gphi = Math.hypot(pE - pW, pN - pS) * 0.5;
            const gc = (Math.hypot(cE - cW, cN - cS) * 0.5) / Math.max(0.05, c[P]!) / f;
            // Scaled by the anion share of the current: a single-ion conductor (t+ -> 1) builds no anion
            // depletion layer at the tip, the space-charge mechanism of tip-led growth (Chazalviel 1990).
            const anion = (1 - this.tp[P]!) / (1 - co.tpLiquid);
            tip = Math.min(co.tipCap, co.tipGain * anion * this.protrusion[i]! * (gphi + gc));
          }
          const etaP = -(is1d ? this.electrodeFacePotential() : phi[P]!) + this.penalty[i]! - tip;
          const cat = wZn * co.i0 * Math.max(0, c[P]!) * expClip(-co.alphaC * f * etaP);
          const an = wZn * co.i0 * expClip(co.alphaA * f * etaP);
          this.wCath[P] = cat;
          this.wAnod[P] = an;
          B += cat * dA;
          A += an * dA;
        } else {
          this.wCath[P] = 0;
          this.wAnod[P] = 0;
        }
        if (wH > 0) {
          // The layer covers the whole surface (valleys too) where intact; a crack exposes bare Zn.
          const k = this.integrity[i]!;
          const fh = co.hasCoating ? k * co.herCoatFactor + (1 - k) : co.herCoatFactor;
          const ih = wH * co.iH0 * fh * expClip(-co.alphaHrel * f * -(is1d ? this.electrodeFacePotential() : phi[P]!));
          this.wHer[P] = ih;
          C += ih * dA;
        } else this.wHer[P] = 0;
      }
    }
    return { A, B, C, S };
  }

  /** Solves B e^{-ac u} - A e^{aa u} + C e^{-ah u} + S = I (all per unit depth) for u = f E_m. */
  private solvePotential({ A, B, C, S }: Sums): number {
    const co = this.co;
    const I = co.iApp * this.nx * co.dx;
    const g = (u: number) => B * expClip(-co.alphaC * u) - A * expClip(co.alphaA * u) + C * expClip(-co.alphaHrel * u) + S - I;
    const dg = (u: number) => -co.alphaC * B * expClip(-co.alphaC * u) - co.alphaA * A * expClip(co.alphaA * u) - co.alphaHrel * C * expClip(-co.alphaHrel * u) - 1e-300;
    // g is strictly decreasing: bracket, then safeguarded Newton.
    let lo = -200, hi = 200;
    let u = Math.min(hi, Math.max(lo, this.u));
    for (let it = 0; it < 100; it++) {
      const gu = g(u);
      if (Math.abs(gu) <= 1e-12 * I) break;
      if (gu > 0) lo = u;
      else hi = u;
      let next = u - gu / dg(u);
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (Math.abs(next - u) < 1e-13) { u = next; break; }
      u = next;
    }
    return u;
  }

  // ---- the coupled step -----------------------------------------------------------------------------------
  advance(): void {
    const { co, nx, ny } = this;
    const n = nx * ny;
    const dt = co.dt;
    const dA = co.dx * co.dx;
    const Lx = nx * co.dx;
    const f = co.fNRT;
    this.columnPass();
    this.mechanics();
    this.fillOperators();
    const phiLv = this.mgPhi.fine;
    const cLv = this.mgC.fine;

    // 2a. predictor: reaction at phi^n and the galvanostatic E_m
    let u = this.solvePotential(this.reactionSums());
    let eC = expClip(-co.alphaC * u), eA = expClip(co.alphaA * u), eH = expClip(-co.alphaHrel * u);

    // 3. potential, semi-implicit: q(phi, E_m) ~ q^n + q' (phi - phi^n) - q' dE, with dE the shift of E_m
    // that keeps the total current at the applied one. Solved by superposition phi = phi_a + dE phi_b
    // (phi_b: the response to a unit shift, warm-started from the last step). Treating the reaction's own
    // ohmic drop implicitly keeps resistive coatings from oscillating step to step.
    const qAc = NF * ZN_SITE_DENSITY;
    let sumDq = 0;
    for (let P = 0; P < n; P++) {
      const cat = this.wCath[P]! * eC, an = this.wAnod[P]! * eA, h = this.wHer[P]! * eH;
      const dq = f * (co.alphaC * cat + co.alphaA * an + co.alphaHrel * h);
      this.dq[P] = dq;
      sumDq += dq;
      phiLv.e[P] = co.qToPhi * dq;
      phiLv.b[P] = co.qToPhi * dq;
      phiLv.u[P] = this.extrapolatePotential ? warmStart(this.phiB[P]!, this.phiBPrev[P]!) : this.phiB[P]!;
    }
    this.mgPhi.coarsen();
    // phi_b only sets the predictor's shift of E_m, which the corrector re-solves exactly: a loose tolerance does.
    const bCycles = this.mgPhi.solve(PHI_B_TOL, MG_MAX_CYCLES, 1e-14).cycles;
    this.phiBPrev.set(this.phiB);
    this.phiB.set(phiLv.u);
    for (let P = 0; P < n; P++) {
      const cat = this.wCath[P]! * eC, an = this.wAnod[P]! * eA, h = this.wHer[P]! * eH;
      const q = (co.mode === "1d" ? 0 : qAc * this.rAc[P]!) + cat - an + h;
      phiLv.b[P] = -co.qToPhi * (q - this.dq[P]! * this.phi[P]!);
      phiLv.u[P] = this.extrapolatePotential ? warmStart(this.phi[P]!, this.phiPrev[P]!) : this.phi[P]!;
    }
    this.stats.phiCycles = bCycles + this.mgPhi.solve(MG_TOL, MG_MAX_CYCLES, 1e-14).cycles;
    this.stats.phiBCycles = bCycles;
    let num = 0, den = 0;
    for (let P = 0; P < n; P++) {
      num += this.dq[P]! * (phiLv.u[P]! - this.phi[P]!);
      den += this.dq[P]! * (1 - this.phiB[P]!);
    }
    const dE = sumDq > 0 && den !== 0 ? num / den : 0;
    this.phiPrev.set(this.phi);
    for (let P = 0; P < n; P++) this.phi[P] = phiLv.u[P]! + dE * this.phiB[P]!;

    // 2b. corrector: reaction at the new potential, E_m again (so the charge is exactly the applied one)
    u = this.solvePotential(this.reactionSums());
    this.u = u;
    eC = expClip(-co.alphaC * u); eA = expClip(co.alphaA * u); eH = expClip(-co.alphaHrel * u);

    // 4. phase field and the Zn sink
    let dep = 0, iZn = 0, iH = 0;
    for (let P = 0; P < n; P++) {
      let qBV = this.wCath[P]! * eC - this.wAnod[P]! * eA; // A/m3
      let qH = this.wHer[P]! * eH;
      // Plating is explicit in c: past the limiting current a cell could plate more Zn2+ in a step than it holds
      // plus all that diffusion can bring it, and c would go negative and oscillate. That excess goes to hydrogen
      // instead, as it does at a depleted electrode (Zn and charge stay conserved).
      const qMax = (this.zincSupply(P) * NF * co.c0) / dt;
      if (qBV > qMax) { qH += qBV - qMax; qBV = qMax; }
      let qZn: number;
      if (co.mode === "1d") {
        qZn = qBV;
      } else {
        const dxi = dt * (this.rAc[P]! + co.vmOverNF * qBV);
        this.xi[P] = this.xi[P]! + dxi;
        qZn = (qAc * dxi) / dt;
      }
      this.qZnCell[P] = qZn;
      if (P === 0) this.q0 = qZn + qH;
      const sink = (qZn * dt) / (NF * co.c0);
      dep += sink;
      iZn += qZn * dA;
      iH += qH * dA;
      cLv.b[P] = this.c[P]! - sink;
    }
    this.depositChange += dep;
    this.lastIZn = iZn / Lx;
    this.lastIH = iH / Lx;
    this.qZn += this.lastIZn * dt;
    this.qH += this.lastIH * dt;

    // 5. concentration: migration t+ j/(nF) from the new potential, explicit; diffusion implicit
    const M = co.migration;
    let topIn = 0;
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i;
        const E = j * nx + (i === nx - 1 ? 0 : i + 1);
        const p = this.phi;
        const ex = phiLv.ax[P]! * 0.5 * (this.tp[P]! + this.tp[E]!) * (p[E]! - p[P]!);
        cLv.b[P] += M * ex;
        cLv.b[E] -= M * ex;
        if (j < ny - 1) {
          const N = P + nx;
          const ny_ = phiLv.ay[P]! * 0.5 * (this.tp[P]! + this.tp[N]!) * (p[N]! - p[P]!);
          cLv.b[P] += M * ny_;
          cLv.b[N] -= M * ny_;
        } else {
          const mig = M * phiLv.ay[P]! * this.tp[P]! * (0 - p[P]!);
          cLv.b[P] += mig + cLv.ay[P]! * 1;
          topIn += mig;
        }
      }
    }
    for (let P = 0; P < n; P++) cLv.u[P] = warmStart(this.c[P]!, this.cPrev[P]!);
    this.cPrev.set(this.c);
    this.mgC.coarsen();
    this.stats.cCycles = this.mgC.solve(MG_TOL, MG_MAX_CYCLES, 1e-14, C_MASS_TOL * appliedZnPerStep(co)).cycles;
    for (let P = 0; P < n; P++) this.c[P] = cLv.u[P]!;
    const rowTop = (ny - 1) * nx;
    for (let i = 0; i < nx; i++) topIn += cLv.ay[rowTop + i]! * (1 - cLv.u[rowTop + i]!);
    this.topInflux += topIn;
    this.step++;
  }

  /**
   * The most Zn2+ (in c0 x cell volume) cell P can give to plating in one step: what it holds plus what diffusion
   * could bring it from its neighbours (and the reservoir, on the top row) if it were emptied, max(0, c) each.
   */
  private zincSupply(P: number): number {
    const { nx, ny, c } = this;
    const { ax, ay } = this.mgC.fine;
    const i = P % nx, j = (P - i) / nx;
    const row = j * nx;
    const W = row + (i === 0 ? nx - 1 : i - 1), E = row + (i === nx - 1 ? 0 : i + 1);
    let s = Math.max(0, c[P]!) + ax[W]! * Math.max(0, c[W]!) + ax[P]! * Math.max(0, c[E]!);
    if (j > 0) s += ay[P - nx]! * Math.max(0, c[P - nx]!);
    s += ay[P]! * (j === ny - 1 ? 1 : Math.max(0, c[P + nx]!));
    return s;
  }

  /** Face coefficients of the potential (conductance, scaled by sigma_l) and concentration (D dt/dx^2). */
  private fillOperators(): void {
    const { co, nx, ny, xi } = this;
    const phiLv = this.mgPhi.fine, cLv = this.mgC.fine;
    const dx_ = this.dCellX, dy_ = this.dCellY;
    for (let j = 0; j < ny; j++) {
      const bf = this.bandFrac[j]!;
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i;
        const chi = bf * this.integrity[i]!;
        const metal = hInterp(Math.min(1, Math.max(0, xi[P]!)));
        const open = 1 - metal, fl = co.floor * metal; // the floor only where there is metal
        this.sx[P] = (chi * co.sBandX + (1 - chi)) * open + fl;
        this.sy[P] = (chi * co.sBandY + (1 - chi)) * open + fl;
        dx_[P] = ((chi * co.dBandX + (1 - chi) * co.dLiquid) * open + fl * co.dLiquid);
        dy_[P] = ((chi * co.dBandY + (1 - chi) * co.dLiquid) * open + fl * co.dLiquid);
        this.tp[P] = chi * co.tpBand + (1 - chi) * co.tpLiquid;
      }
    }
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i;
        const E = j * nx + (i === nx - 1 ? 0 : i + 1);
        phiLv.ax[P] = nx === 1 ? 0 : harmonic(this.sx[P]!, this.sx[E]!);
        cLv.ax[P] = nx === 1 ? 0 : harmonic(dx_[P]!, dx_[E]!);
        if (j < ny - 1) {
          phiLv.ay[P] = harmonic(this.sy[P]!, this.sy[P + nx]!);
          cLv.ay[P] = harmonic(dy_[P]!, dy_[P + nx]!);
        } else {
          phiLv.ay[P] = 2 * this.sy[P]!;
          cLv.ay[P] = 2 * dy_[P]!;
        }
        phiLv.e[P] = 0;
        cLv.e[P] = 1;
      }
    }
  }

  /**
   * 1d: electrolyte potential at the electrode face. Row 0 holds the reaction as a volume current q; the
   * current through its lower half is that of the face, so the half-cell drop is q dx (dx/2) / sigma.
   */
  electrodeFacePotential(): number {
    const s0 = this.sy[0]!;
    return s0 > 0 ? this.phi[0]! - (this.q0 * this.co.qToPhi) / (2 * s0) : this.phi[0]!;
  }

  /** Multigrid work of the last potential system solved from zero to a relative residual tol (benchmarks). */
  potentialCyclesFromZero(tol: number): number {
    const f = this.mgPhi.fine;
    const keep = Float64Array.from(f.u);
    f.u.fill(0);
    const { cycles } = this.mgPhi.solve(tol, MG_MAX_CYCLES);
    f.u.set(keep);
    return cycles;
  }

  // ---- metrics ----------------------------------------------------------------------------------------------
  /** Height of the highest xi = 0.5 crossing in each column, in cells from the bottom. */
  columnTops(tops: Float64Array = new Float64Array(this.nx)): Float64Array {
    const { nx, ny, xi } = this;
    for (let i = 0; i < nx; i++) {
      let t = 0;
      for (let j = ny - 1; j >= 0; j--) {
        const a = xi[j * nx + i]!;
        if (a >= 0.5) {
          const b = j < ny - 1 ? xi[(j + 1) * nx + i]! : 0;
          t = j + 0.5 + (a - 0.5) / Math.max(1e-12, a - b);
          break;
        }
      }
      tops[i] = t;
    }
    return tops;
  }

  /** Raw surface concentration (scaled): 1d: extrapolated to the electrode face; 2d: min at the interface. */
  surfaceConcentration(): number {
    const { nx, ny, xi, c, co } = this;
    if (co.mode === "1d") return 1.5 * c[0]! - 0.5 * c[nx]!;
    let m = Infinity;
    for (let P = 0; P < nx * ny; P++) {
      const x = xi[P]!;
      if (x > 0.02 && x < 0.5 && c[P]! < m) m = c[P]!;
    }
    return Number.isFinite(m) ? m : 1;
  }

  metrics(): SeriesRow {
    const { co, nx } = this;
    const tops = this.columnTops();
    let mean = 0, max = -Infinity;
    for (let i = 0; i < nx; i++) { mean += tops[i]!; max = Math.max(max, tops[i]!); }
    mean /= nx;
    let rough = 0;
    for (let i = 0; i < nx; i++) rough += (tops[i]! - mean) ** 2;
    rough = Math.sqrt(rough / nx);
    // Uniformity: 1 - CV of the Zn deposition current per column.
    let jm = 0, j2 = 0;
    for (let i = 0; i < nx; i++) {
      let s = 0;
      for (let j = 0; j < this.ny; j++) s += this.qZnCell[j * nx + i]!;
      jm += s;
      j2 += s * s;
    }
    jm /= nx;
    const cv = jm !== 0 ? Math.sqrt(Math.max(0, j2 / nx - jm * jm)) / Math.abs(jm) : 0;
    let cracked = 0;
    if (co.hasCoating && co.mode === "2d") { for (let i = 0; i < nx; i++) cracked += 1 - this.integrity[i]!; cracked /= nx; }
    // Net Zn dissolution (corrosion outrunning a small plating current) counts as zero efficiency.
    const qZnPos = Math.max(0, this.qZn);
    const qTot = qZnPos + this.qH;
    const is1d = co.mode === "1d";
    return {
      t_s: sampleTime(this.step, co.dt),
      voltage_V: this.u / co.fNRT,
      uniformity: Math.max(0, Math.min(1, 1 - cv)),
      roughness_um: is1d ? 0 : rough * co.dx * 1e6,
      max_height_um: is1d ? 0 : Math.max(0, max - co.substrateCells) * co.dx * 1e6,
      her_mA_cm2: this.lastIH * 0.1,
      h2_mmol_cm2: (this.qH / (2 * FARADAY)) * 0.1,
      ce: qTot > 0 ? qZnPos / qTot : 1,
      min_surface_c_M: Math.max(0, this.surfaceConcentration()) * co.c0 * 1e-3,
      cracked_fraction: cracked,
    };
  }

  /**
   * The HER volume current of each cell in the last step this solver took (A/m3; row j * nx + i, j = 0 at the
   * electrode): the corrector's HER weights at its electrode potential, exactly the qH of step 4 (the GPU's
   * react.z * S[S_EH]). Zero before the first step. Reads only; changes nothing.
   */
  herCurrent(out: Float32Array = new Float32Array(this.nx * this.ny)): Float32Array {
    const n = this.nx * this.ny;
    if (out.length < n) throw new Error(`herCurrent: the buffer holds ${out.length} cells, ${n} needed`);
    const eH = expClip(-this.co.alphaHrel * this.u);
    for (let P = 0; P < n; P++) out[P] = this.wHer[P]! * eH;
    return out;
  }

  /** Mass balance in scaled cell units: Zn in solution, deposited since the start, and in through the reservoir. */
  massBalance(): { solution: number; deposit: number; influx: number } {
    let sol = 0;
    for (let P = 0; P < this.c.length; P++) sol += this.c[P]!;
    return { solution: sol, deposit: this.depositChange, influx: this.topInflux };
  }

  checkpoint(): Checkpoint {
    return {
      nx: this.nx, ny: this.ny, step: this.step,
      xi: this.xi.slice(), c: this.c.slice(), phi: this.phi.slice(), phiB: this.phiB.slice(), site: this.site.slice(),
      phiPrev: this.phiPrev.slice(), phiBPrev: this.phiBPrev.slice(), cPrev: this.cPrev.slice(),
      integrity: this.integrity.slice(), stress: this.stress.slice(), strainPrev: this.strainPrev.slice(),
      scalars: Float64Array.from([this.u, this.qZn, this.qH, this.topInflux, this.depositChange, this.lastIZn, this.lastIH, this.q0]),
    };
  }

  /** Continues from `cp`; throws, naming what does not fit (see checkCheckpoint), and keeps the state. */
  restore(cp: Checkpoint): void {
    checkCheckpoint(cp, this.nx, this.ny);
    this.step = cp.step;
    this.xi.set(cp.xi); this.c.set(cp.c); this.phi.set(cp.phi); this.phiB.set(cp.phiB); this.site.set(cp.site);
    this.phiPrev.set(cp.phiPrev); this.phiBPrev.set(cp.phiBPrev); this.cPrev.set(cp.cPrev);
    this.integrity.set(cp.integrity); this.stress.set(cp.stress); this.strainPrev.set(cp.strainPrev);
    [this.u, this.qZn, this.qH, this.topInflux, this.depositChange, this.lastIZn, this.lastIH, this.q0] = Array.from(cp.scalars);
    this.qZnCell.fill(0);
  }
}
