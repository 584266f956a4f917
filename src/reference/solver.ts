/**
 * The CPU reference solver of the full model (docs/MODEL.md). Plain TypeScript, no DOM, no GPU: the truth for
 * the WGSL engine's tests and the fallback where WebGPU is missing. Fields are stored in f32 (as on the GPU),
 * the concentration in f64 (Checkpoint.c says why); arithmetic is f64.
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
import { ZN_SITE_DENSITY } from "../model/constants.ts";
import type { InitialState } from "../model/initial.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { Multigrid } from "./multigrid.ts";
import { columnPass, mechanics, strainOf } from "./columns.ts";
import { restoreCheckpoint, takeCheckpoint, type Checkpoint } from "./checkpoint.ts";
import { columnTops, herCurrent, massBalance, metrics, surfaceConcentration } from "./diagnostics.ts";
import { expClip, NF } from "./numerics.ts";
import { fillOperators } from "./operators.ts";
import { reactionSums, solvePotential, zincSupply, type Sums } from "./reaction.ts";
import { extrapolateC, migrate, phaseLoop, phiASystem, phiBSystem, shiftDenominator, shiftNumerator, superpose } from "./stepLoops.ts";
import { Team } from "./team.ts";
import { DEAD_REACH_ELL, DeadZinc } from "./connectivity.ts";
import { AlkalinityField } from "./alkalinity.ts";
import { ByProduct } from "./byproduct.ts";
import { acSubsteps } from "./acSubsteps.ts";

export { checkCheckpoint, checkpointSizes, type Checkpoint } from "./checkpoint.ts";
export { warmStart } from "./numerics.ts";

export const MG_TOL = 1e-6;
export const MG_MAX_CYCLES = 200;
const PHI_B_TOL = 1e-3;
/**
 * The concentration solve also stops only once the Zn2+ it loses (the residual's sum) is below this fraction of
 * the Zn the applied current plates in a step (so a run's Zn balance holds to about this, at every cell size).
 */
export const C_MASS_TOL = 1e-4;

export interface CpuSolverOptions {
  /**
   * Threads of one run (1: the calling thread alone, the default). From 2, the multigrid's large levels (line
   * sweeps, residuals, transfers, CG's vectors) are shared out among Node worker threads (team.ts); the sums stay
   * on the calling thread in cell order, so the run is the same to the bit whatever the count. Node only.
   */
  threads?: number;
}

export interface StepStats {
  /** CG iterations (one V-cycle each) of the last step's potential: phi_b's and phi_a's together. */
  phiCycles: number;
  /** Of those, phi_b's. */
  phiBCycles: number;
  cCycles: number;
}

export class CpuSolver {
  readonly co: Coefficients;
  readonly nx: number;
  readonly ny: number;
  xi: Float32Array;
  /** Zn2+ / c0 in f64 (Checkpoint.c says why); the other fields in f32, as on the GPU. */
  c: Float64Array;
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
  /**
   * The applied current of the next step (A/m2): + plating, - stripping, 0 at open circuit. The scenario's current
   * unless a protocol sets it step by step (protocolRun.ts).
   */
  iApp: number;
  /**
   * Potential control (a sweep step): the electrode potential E_m (V vs Zn) of the next step, imposed, the total
   * current its output; null (the default) for the galvanostat, which solves E_m from iApp.
   */
  eImposed: number | null = null;
  /** Dead zinc (connectivity.ts): the cells that take no electrons, found at the start of each 2d step. */
  readonly deadZinc: DeadZinc | null;
  /** A copper substrate's own metal per cell, xi's floor (InitialState.xiFloor); null on zinc. */
  readonly xiFloor: Float32Array | null;
  readonly stats: StepStats = { phiCycles: 0, phiBCycles: 0, cCycles: 0 };
  /**
   * Whether phi_a and phi_b start from the extrapolation in time (warmStart) or from their last solutions, as the
   * GPU engine's do (potential.wgsl setup says why); c always extrapolates, on both. The CPU's solves run to their
   * tolerance, so here the extrapolation only saves V-cycles. False to compare iteration counts with the GPU's.
   */
  extrapolatePotential = true;

  private readonly dq: Float64Array; // d q / d phi of the predictor (A/m3/V)
  /** phaseLoop's sums (stepLoops.ts): deposit, Zn and HER currents, cell 0's current. */
  private readonly phaseSums = new Float64Array(4);
  /**
   * The step's work arrays below are read and written by the solver's parts (columns.ts, reaction.ts, operators.ts,
   * diagnostics.ts, checkpoint.ts): public for them, not for callers.
   */
  readonly mgPhi: Multigrid;
  readonly mgC: Multigrid;
  readonly colVol: Float64Array;
  readonly bandFrac: Float64Array;
  readonly penalty: Float64Array;
  readonly protrusion: Float64Array; // per column: top height above the local mean (cells)
  readonly tops: Float64Array;
  readonly tipDrive: Float64Array; // per column: the tip closure's driving gradient ahead of the top (V per cell)
  readonly wCath: Float64Array; // per cell: weight * cathodic factor (A/m3 at u = 0)
  readonly wAnod: Float64Array;
  readonly wHer: Float64Array;
  readonly rAc: Float64Array; // Allen-Cahn rate (1/s)
  /** A long step's Allen-Cahn change per cell (acSubsteps.ts), and its scratch; null where a step is one substep. */
  readonly acNet: Float64Array | null;
  private readonly acTmp: Float64Array | null;
  readonly qZnCell: Float64Array; // Zn volume current of the last step (A/m3)
  readonly qHCell: Float64Array; // HER volume current of the last step (A/m3), the supply bound's excess included
  /** The pH field (alkalinity.ts), with the scenario's ph_field; null without. */
  readonly ph: AlkalinityField | null;
  /** The Zn4(OH)6SO4 film (byproduct.ts), with the scenario's byproduct; null without. */
  readonly byproduct: ByProduct | null;
  /** reactionSums' interface weights of Zn and HER per cell and its sum S, kept for the corrector's call. */
  readonly wZnGeo: Float64Array;
  readonly wHGeo: Float64Array;
  sumS = 0;
  readonly sx: Float64Array;
  readonly sy: Float64Array;
  readonly tp: Float64Array;
  meanVol = 0; // mean column volume (cells; 0 in 1d), from columnPass
  /** fillOperators' cell diffusivities in x and y (kept, not made anew each step). */
  readonly dCellX: Float64Array;
  readonly dCellY: Float64Array;
  readonly phiB: Float32Array; // potential response to a unit shift of E_m (stored in f32 like the fields)
  /** phi, phi_b and c of the step before: the solves' warm starts extrapolate from them (Checkpoint.phiPrev). */
  readonly phiPrev: Float32Array;
  readonly phiBPrev: Float32Array;
  readonly cPrev: Float64Array;
  /** 1d: the volume current of row 0 in the last step (A/m3), to carry phi from row 0's centre to the electrode face. */
  q0 = 0;

  /** The run's worker threads (CpuSolverOptions.threads), or null for one thread. */
  private readonly team: Team | null;

  constructor(co: Coefficients, init: InitialState, opts: CpuSolverOptions = {}) {
    const threads = opts.threads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads must be a whole number from 1, got ${threads}`);
    this.team = threads > 1 ? new Team(threads) : null;
    this.co = co;
    this.nx = co.nx;
    this.ny = co.ny;
    const n = co.nx * co.ny;
    this.xi = init.xi.slice();
    this.c = Float64Array.from(init.c);
    this.phi = init.phi.slice();
    this.site = init.site.slice();
    this.iApp = co.iApp;
    this.xiFloor = init.xiFloor ? init.xiFloor.slice() : null;
    this.deadZinc = co.mode === "2d" ? new DeadZinc(co.nx, co.ny) : null;
    this.integrity = new Float32Array(co.nx).fill(co.hasCoating ? 1 : 0);
    this.stress = new Float32Array(co.nx);
    this.strainPrev = new Float32Array(co.nx);
    this.mgPhi = new Multigrid(co.nx, co.ny, this.team);
    this.mgC = new Multigrid(co.nx, co.ny, this.team);
    this.team?.start();
    this.colVol = new Float64Array(co.nx);
    this.bandFrac = new Float64Array(co.ny);
    this.penalty = new Float64Array(co.nx);
    this.protrusion = new Float64Array(co.nx);
    this.tops = new Float64Array(co.nx);
    this.tipDrive = new Float64Array(co.nx);
    this.wCath = new Float64Array(n);
    this.wAnod = new Float64Array(n);
    this.wHer = new Float64Array(n);
    this.rAc = new Float64Array(n);
    const sub = co.acSubsteps > 1 && co.mode !== "1d";
    this.acNet = sub ? new Float64Array(n) : null;
    this.acTmp = sub ? new Float64Array(n) : null;
    this.qZnCell = new Float64Array(n);
    this.qHCell = new Float64Array(n);
    this.ph = co.ph ? new AlkalinityField(co.nx, co.ny, co.ph.pH0, co.ph.dRatio) : null;
    this.byproduct = co.ph?.byproduct ? new ByProduct(n) : null;
    this.wZnGeo = new Float64Array(n);
    this.wHGeo = new Float64Array(n);
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
    columnPass(this);
    for (let i = 0; i < co.nx; i++) this.strainPrev[i] = strainOf(this, i);
    this.stress.fill(0);
  }

  /** The threads this run shares its work among (CpuSolverOptions.threads). */
  get threads(): number {
    return this.team?.threads ?? 1;
  }

  /** Ends the run's worker threads (none with one thread); the solver cannot step after. */
  close(): void {
    this.team?.close();
  }

  // ---- the coupled step -----------------------------------------------------------------------------------
  advance(): void {
    // 1. columns, coating band and mechanics (columns.ts); operators (operators.ts)
    columnPass(this);
    this.deadZinc?.update(this.xi, this.deadReach());
    mechanics(this);
    fillOperators(this);
    if (this.acNet) acSubsteps(this, this.acNet, this.acTmp!);
    // 2a. predictor: reaction at phi^n and the galvanostatic E_m
    this.potential(solvePotential(this, reactionSums(this)));
    // 2b. corrector: reaction at the new potential, E_m again (so the charge is exactly the applied one); the phase
    // field, c and the columns are those of the predictor
    this.u = solvePotential(this, reactionSums(this, true));
    this.phaseField(this.u);
    this.concentration();
    // pH (alkalinity.ts): HER's OH-, then its diffusion, capped by the by-product's solubility where there is one.
    if (this.ph) {
      this.ph.addSource(this);
      if (this.byproduct) this.byproduct.step(this);
      else this.ph.diffuse(this);
    }
    this.step++;
  }

  // The step's parts below are methods of their own, not one function: V8 optimises each on its own, so that a
  // deoptimisation in one (solvePotential's, inlined, once a step) does not leave the others' loops to the
  // interpreter for the rest of the step.

  /**
   * 3. potential, semi-implicit: q(phi, E_m) ~ q^n + q' (phi - phi^n) - q' dE, with dE the shift of E_m that keeps
   * the total current at the applied one, from the predictor's u = f E_m. Solved by superposition
   * phi = phi_a + dE phi_b (phi_b: the response to a unit shift, warm-started from the last step). Treating the
   * reaction's own ohmic drop implicitly keeps resistive coatings from oscillating step to step.
   */
  private potential(u: number): void {
    const { co, nx, ny } = this;
    const n = nx * ny;
    const phiLv = this.mgPhi.fine;
    const extrapolate = this.extrapolatePotential;
    const { wCath, wAnod, wHer, rAc, dq: dqA, phiB, phiBPrev, phiPrev, phi } = this;
    const { alphaC, alphaA, alphaHrel, qToPhi } = co;
    const eC = expClip(-alphaC * u), eA = expClip(alphaA * u), eH = expClip(-alphaHrel * u);
    const sumDq = phiBSystem(n, co.fNRT, alphaC, alphaA, alphaHrel, qToPhi, eC, eA, eH, extrapolate, wCath, wAnod, wHer, dqA, phiLv.e, phiLv.b, phiLv.u, phiB, phiBPrev);
    this.mgPhi.coarsen();
    // phi_b only sets the predictor's shift of E_m, which the corrector re-solves exactly: a loose tolerance does.
    // Under potential control E_m does not shift (dE = 0): no phi_b.
    const potentiostatic = this.eImposed !== null;
    const bCycles = potentiostatic ? 0 : this.mgPhi.solve(PHI_B_TOL, MG_MAX_CYCLES, 1e-14).cycles;
    if (!potentiostatic) {
      phiBPrev.set(phiB);
      phiB.set(phiLv.u);
    }
    phiASystem(n, co.mode === "1d", NF * ZN_SITE_DENSITY, qToPhi, eC, eA, eH, extrapolate, wCath, wAnod, wHer, rAc, dqA, phi, phiPrev, phiLv.b, phiLv.u);
    this.stats.phiCycles = bCycles + this.mgPhi.solve(MG_TOL, MG_MAX_CYCLES, 1e-14).cycles;
    this.stats.phiBCycles = bCycles;
    const num = shiftNumerator(n, dqA, phiLv.u, phi), den = shiftDenominator(n, dqA, phiB);
    const dE = !potentiostatic && sumDq > 0 && den !== 0 ? num / den : 0;
    phiPrev.set(phi);
    superpose(n, phi, phiLv.u, phiB, dE);
  }

  /** 4. phase field and the Zn sink, at the corrector's u = f E_m; the concentration's right side starts here. */
  private phaseField(u: number): void {
    const { co, nx, ny } = this;
    const dt = co.dt;
    const { alphaC, alphaA, alphaHrel } = co;
    const out = this.phaseSums;
    phaseLoop(this, zincSupply, nx * ny, expClip(-alphaC * u), expClip(alphaA * u), expClip(-alphaHrel * u), co.mode === "1d", NF * ZN_SITE_DENSITY, dt, co.dx * co.dx, this.mgC.fine.b, out);
    const Lx = nx * co.dx;
    this.q0 = out[3]!;
    this.depositChange += out[0]!;
    this.lastIZn = out[1]! / Lx;
    this.lastIH = out[2]! / Lx;
    this.qZn += this.lastIZn * dt;
    this.qH += this.lastIH * dt;
  }

  /** 5. concentration: migration t+ j/(nF) from the new potential, explicit; diffusion implicit. */
  private concentration(): void {
    const { co, nx, ny } = this;
    const n = nx * ny;
    const phiLv = this.mgPhi.fine, cLv = this.mgC.fine;
    let topIn = migrate(nx, ny, co.migration, phiLv.ax, phiLv.ay, cLv.ay, this.tp, this.phi, cLv.b);
    extrapolateC(n, cLv.u, this.c, this.cPrev);
    this.cPrev.set(this.c);
    this.mgC.coarsen();
    this.stats.cCycles = this.mgC.solve(MG_TOL, MG_MAX_CYCLES, 1e-14, C_MASS_TOL * appliedZnPerStep(co)).cycles;
    this.c.set(cLv.u);
    const rowTop = (ny - 1) * nx;
    for (let i = 0; i < nx; i++) topIn += cLv.ay[rowTop + i]! * (1 - cLv.u[rowTop + i]!);
    this.topInflux += topIn;
  }

  /** The dead-zinc window's half-width in cells (connectivity.ts DEAD_REACH_ELL). */
  deadReach(): number {
    return Math.max(1, Math.ceil(DEAD_REACH_ELL * this.co.ell - 1e-9));
  }

  /** Dead zinc now, per electrode area (C/m2): the metal of the dead cells above copper's own. */
  deadZincCharge(): number {
    const dz = this.deadZinc;
    if (!dz?.any) return 0;
    const { xi, xiFloor } = this;
    let m = 0;
    for (let P = 0; P < xi.length; P++) if (dz.dead[P]) m += xi[P]! - (xiFloor ? xiFloor[P]! : 0);
    return (m * NF * ZN_SITE_DENSITY * this.co.dx * this.co.dx) / (this.nx * this.co.dx);
  }

  /**
   * 1d: electrolyte potential at the electrode face. Row 0 holds the reaction as a volume current q; the
   * current through its lower half is that of the face, so the half-cell drop is q dx (dx/2) / sigma.
   */
  electrodeFacePotential(): number {
    const s0 = this.sy[0]!;
    return s0 > 0 ? this.phi[0]! - (this.q0 * this.co.qToPhi) / (2 * s0) : this.phi[0]!;
  }

  /** The reaction sums at the present state (reaction.ts; fills the per-cell reaction weights as a step does). */
  reactionSums(): Sums {
    return reactionSums(this);
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

  // ---- metrics (diagnostics.ts) -----------------------------------------------------------------------------
  /** Height of the highest xi = 0.5 crossing in each column, in cells from the bottom. */
  columnTops(tops: Float64Array = new Float64Array(this.nx)): Float64Array {
    return columnTops(this, tops);
  }

  /** Raw surface concentration (scaled): 1d: extrapolated to the electrode face; 2d: min at the interface. */
  surfaceConcentration(): number {
    return surfaceConcentration(this);
  }

  metrics(): SeriesRow {
    const m = metrics(this);
    // The pH field's column rides along where there is one (csv.ts writes it; PH_FIELDS).
    if (!this.ph) return m;
    const row: Record<string, number> = { ...m, surface_pH: this.ph.surfacePH(this) };
    if (this.byproduct) row.byproduct_um = this.byproduct.thicknessUm(this);
    return row as SeriesRow;
  }

  /** The HER volume current of each cell in the last step (A/m3); see diagnostics.ts herCurrent. */
  herCurrent(out: Float32Array = new Float32Array(this.nx * this.ny)): Float32Array {
    return herCurrent(this, out);
  }

  /** Mass balance in scaled cell units: Zn in solution, deposited since the start, and in through the reservoir. */
  massBalance(): { solution: number; deposit: number; influx: number } {
    return massBalance(this);
  }

  checkpoint(): Checkpoint {
    return takeCheckpoint(this);
  }

  /** Continues from `cp`; throws, naming what does not fit (see checkCheckpoint), and keeps the state. */
  restore(cp: Checkpoint): void {
    restoreCheckpoint(this, cp);
  }
}
