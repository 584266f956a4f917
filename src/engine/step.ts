/** Step encoding: the passes of one coupled step in order (docs/MODEL.md), and the metrics' reduction. */
import type { Encoder } from "./encoder.ts";
import type { Core, StepModule } from "./resources.ts";
import { Multigrid, type Iterations } from "./schedule.ts";

/**
 * Rounds of the by-product's active set a step (ph.wgsl; the CPU's runs until the set stops changing, 0-2 rounds a
 * step in 2d once the film is there), and CG iterations a round (those past convergence do nothing: DONE). At rest's
 * 20 s steps D_OH dt / dx^2 is 4e5: 12 iterations left an hour of bare Zn at pH 9.5 and a film of 300 um, 60 give
 * the CPU's pH and i_corr to 0.1 % and its film to 1.3 % (tests/gpu/ph.test.ts).
 */
const PH_ROUNDS = 3;
const PH_ITERATIONS = 60;

/** Columns a workgroup of the column pass by segments (shaders/columns.wgsl SCAN_COLS). */
const SCAN_COLS = 16;

export class StepEncoder {
  private readonly mg: Multigrid;

  constructor(private readonly e: Encoder, private readonly core: Core, private readonly is2d = true) {
    this.mg = new Multigrid(e, core.levels, core.plan, core.nch);
  }

  private group(m: StepModule): GPUBindGroup {
    const g = this.core.groups[m];
    if (!g) throw new Error(`the engine has no ${m} module for this scenario`);
    return g;
  }

  /** A pass of a step module (group 0 the parameters, group 1 its own) over `x` workgroups. */
  private pass(name: string, m: StepModule, x = 1): void {
    this.e.dispatch(name, [this.core.g0, this.group(m)], x);
  }
  /** A pass of a step module with one thread a cell, `size` a workgroup. */
  private cells(name: string, m: StepModule, size = 256): void {
    this.e.dispatchFlat(name, [this.core.g0, this.group(m)], Math.ceil(this.core.n / size));
  }
  /** A reduction's partial pass over all cells (4096 per workgroup). */
  private chunked(name: string, m: StepModule): void {
    this.e.dispatchFlat(name, [this.core.g0, this.group(m)], this.core.nch);
  }
  /** A reduction: its partial pass, then its one-workgroup final pass. */
  private reduce(partial: string, final: string, m: StepModule): void {
    this.chunked(partial, m);
    this.pass(final, m);
  }

  /** One coupled step, its solves encoded with `iters` CG iterations. */
  encodeStep(iters: Iterations): void {
    const { phiSys, cSys, plan, nx } = this.core;
    const colGroups = Math.ceil(nx / 64);
    if (plan.columnScan === "segments") this.pass("colScanSegments", "columns", Math.ceil(nx / SCAN_COLS));
    else this.pass("colScan", "columns", colGroups);
    this.pass("colMean", "columns");
    this.pass("colMech", "columns", colGroups);
    this.pass("colOpen", "columns", colGroups);
    // Dead zinc (dead.wgsl): reachability in one workgroup, then the window in two passes.
    if (this.is2d) {
      this.pass("deadLive", "dead");
      this.cells("deadRows", "dead");
      this.cells("deadMask", "dead");
    }
    this.cells("fillOperators", "operators");
    // A long step's Allen-Cahn substeps (ac_substeps.wgsl), before the reaction reads their change.
    const m = this.is2d ? this.core.acSubsteps : 1;
    if (m > 1) for (let k = 0; k < m; k++) this.cells(k === 0 ? "acFirst" : k % 2 === 1 ? "acForth" : "acBack", "acSub");
    this.reduce("reactCells", "reactSolve", "reaction");
    // Potential: phi_a and phi_b in one solve (its two lanes), then the combination that keeps the applied current.
    this.cells("setup", "potential");
    this.mg.coarsenAll(phiSys);
    this.mg.solve(phiSys, Math.max(iters.phi, iters.phiB));
    this.reduce("combinePartial", "combineFinal", "potential");
    this.cells("apply", "potential");
    // Corrector: reaction at the new potential, then growth and the Zn sink.
    this.reduce("reactCells", "reactSolve", "reaction");
    this.reduce("growCells", "growFinal", "growth");
    // Concentration.
    this.cells("concRhs", "concentration");
    this.mg.coarsenAll(cSys);
    this.mg.solve(cSys, iters.c);
    this.pass("concTop", "concentration");
    // pH (ph.wgsl): HER's OH-, then its diffusion; with the by-product, capped at its saturation by the active set's
    // rounds (the last round's set is the one solved with), then the precipitate.
    const wSys = this.core.wSys;
    if (wSys) {
      this.cells("phSource", "ph");
      this.cells("phCap", "ph");
      const rounds = this.core.byproduct ? PH_ROUNDS : 1;
      for (let r = 0; r < rounds; r++) {
        if (r > 0) this.cells("phActive", "ph");
        this.cells("phSetup", "ph");
        this.mg.coarsenAll(wSys);
        this.mg.solve(wSys, PH_ITERATIONS);
      }
      this.cells("phFinish", "ph");
    }
  }

  /** Appends the last step's E_m and currents to the step log (dead.wgsl logStep). */
  encodeLog(): void {
    this.pass("logStep", "dead");
  }

  /** The metrics of docs/MODEL.md into the M buffer (reduce_metrics.wgsl). */
  encodeMetrics(): void {
    this.pass("metricsColumns", "metrics", Math.ceil(this.core.nx / 64));
    this.reduce("metricsCells", "metricsFinal", "metrics");
  }
}
