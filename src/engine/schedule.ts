/**
 * The multigrid schedule and the solves: the coarse operators, the V-cycle of each level (zebra line sweeps,
 * restriction, the bottom pass), CG preconditioned by one V-cycle, and the iteration budgets the solves are
 * encoded with (tuned from what the last solves needed).
 */
import type { Encoder } from "./encoder.ts";
import { CG, GPU_TOL_B, type GridLevel } from "./layout.ts";
import type { Plan } from "./options.ts";
import { pcrName } from "./resources.ts";
import type { Group, LinearSystem } from "./systems.ts";

export class Multigrid {
  constructor(private readonly e: Encoder, private readonly levels: GridLevel[], private readonly plan: Plan, private readonly nch: number) {}

  /** A pass of level l's multigrid: `group` (systems.ts Group), `lanes` the system's, or 1 for its (shared) operator. */
  private mg(sys: LinearSystem, name: string, l: number, group: Group, count: number, size = 64, lanes = sys.lanes): void {
    this.e.dispatchFlat(name, [sys.levelGroups[l]![group]!], Math.ceil(count / size), l, lanes);
  }

  /**
   * The coarse operators, and the line factors of the levels whose lines a thread walks (the others need none):
   * a pass per level down to `build`, then the rest in one pass (`buildCoarse`, which factors every level it walks).
   */
  coarsenAll(sys: LinearSystem): void {
    const build = this.plan.build;
    for (let l = 0; l < build; l++) {
      const c = this.levels[l + 1]!;
      if (!this.plan.pcrCols[l]) this.mg(sys, "factorLines", l, 0, this.levels[l]!.nx, 64, 1);
      this.mg(sys, "coarsen", l, 0, c.nx * c.ny, 64, 1);
    }
    this.e.dispatch("buildCoarse", [sys.levelGroups[build]![0]!], 1, 1, build);
  }

  /** One zebra half-sweep of level l: `name` is smoothLines or smoothProlong. */
  private sweep(sys: LinearSystem, name: "smoothLines" | "smoothProlong", l: number, group: Group, cols: number): void {
    const pc = this.plan.pcrCols[l]!;
    if (pc > 0) this.e.dispatch(pcrName(`${name}Pcr`, pc), [sys.levelGroups[l]![group]!], Math.ceil(cols / pc), 1, l, sys.lanes);
    else this.mg(sys, name, l, group, cols, 16);
  }

  /** Level l's B by the pass of its own, where it has one (restrictPass); else its first sweeps or the bottom pass compute it. */
  private restrictInto(sys: LinearSystem, l: number): void {
    const lv = this.levels[l]!;
    if (this.plan.restrictPass[l]) this.mg(sys, "restrictLevel", l, 0, lv.nx * lv.ny);
  }

  /**
   * One V-cycle from U = 0 on level l, as the CPU's: 2 zebra sweeps down (the first ignores the old U, so no
   * clearing pass), 2 up in reverse colour order (the first with the prolongation), 8 on the coarsest level. The
   * next level's B, the restriction of this level's residual: a pass of its own (restrictInto), or that level's
   * first sweep of each colour (groups 2 and 3, or 4 on a level swept whole), or the bottom pass computes it.
   */
  private vcycle(sys: LinearSystem, l: number): void {
    const lv = this.levels[l]!;
    if (l === this.plan.bottom) {
      this.e.dispatch("bottom", [sys.levelGroups[l]![0]!], 1, 1, l, sys.lanes);
      return;
    }
    const fc = this.plan.fuseCols[l]!;
    const coarser = () => {
      this.restrictInto(sys, l + 1);
      this.vcycle(sys, l + 1);
    };
    if (fc > 0) {
      const zebra = (group: Group) => this.e.dispatch(pcrName("zebraPcr", fc), [sys.levelGroups[l]![group]!], Math.ceil(lv.nx / 2 / (fc - 1)), 1, l, sys.lanes);
      zebra(4);
      zebra(5);
      coarser();
      zebra(6);
      zebra(7);
      return;
    }
    const cols = lv.nx === 1 ? 1 : Math.ceil(lv.nx / 2);
    const down: (0 | 1)[] = lv.nx === 1 ? [0] : [0, 1];
    const up: (0 | 1)[] = lv.nx === 1 ? [0] : [1, 0];
    for (let s = 0; s < 2; s++) for (const color of down) this.sweep(sys, "smoothLines", l, s === 0 ? (color === 0 ? 2 : 3) : color, cols);
    coarser();
    for (let s = 0; s < 2; s++) for (const color of up) this.sweep(sys, s === 0 && color === up[0] ? "smoothProlong" : "smoothLines", l, color, cols);
  }

  /**
   * CG preconditioned by one V-cycle, from the warm start in X with the right side in B (level 0); result in X.
   * Every lane of the system at once, each stopping at its own tolerance.
   */
  solve(sys: LinearSystem, iterations: number): void {
    const g = [sys.pcg];
    const z = sys.lanes;
    const partial = (name: string) => this.e.dispatchFlat(name, g, this.nch, undefined, z);
    const final = (name: string) => this.e.dispatch(name, g, 1, 1, undefined, z);
    partial("initPartial");
    final("initFinal");
    for (let k = 0; k < iterations; k++) {
      this.vcycle(sys, 0);
      partial("matvecPartial");
      final("cgFinal");
      partial("updateXR");
      final("xrFinal");
    }
  }
}

/**
 * Most phi_b iterations a step once the run is past its first readback, while phi_b stays within PHI_B_NEAR times
 * its tolerance. It binds only where phi_b needs more iterations than phi_a, whose iterations phi_b's lane shares
 * (PTFE's phi_b needs a few more a step to its 1e-3 than phi_a). phi_b (warm-started from the last step) enters the
 * potential only through dE phi_b, and dE is small after the first steps: stopped early, it stays near its
 * tolerance (the residual it reached is read back with the metrics), and the series still match the CPU's
 * converged solve (tests/gpu/checks.test.ts). Why it pays: docs/PERFORMANCE.md.
 */
const PHI_B_STEADY = 6;
/** phi_b left further than this many times its tolerance may take its maximum again until it is back. */
const PHI_B_NEAR = 10;

export type Iterations = { phi: number; phiB: number; c: number };

/**
 * The CG iterations encoded a step: until the first metrics readback tunes them, every solve may take the most (a
 * run's first steps need the most: from the initial state PDMS/TiO2's phi_b takes 10, its potential 18, and a
 * start at 12, 6 (phi_b) and 6 left such first steps unconverged).
 */
export class IterationBudget {
  readonly now: Iterations;
  /** CG iterations (one V-cycle each) the last step's solves used, read back with the metrics. */
  readonly used: Iterations = { phi: 0, phiB: 0, c: 0 };

  constructor(private readonly max: Iterations, private readonly margin: number) {
    this.now = { ...max };
  }

  /**
   * Encoded CG iterations follow what the last solves needed (a converged solve skips the rest, but the
   * skipped passes still cost dispatches): `margin` (2) more than used, doubled after a solve that did not converge.
   * phi (lane 0) and phi_b (lane 1) are tuned apart; their solve encodes the larger of the two.
   */
  tune(phi: Float32Array, phiB: Float32Array, c: Float32Array): void {
    const next = (v: Float32Array, now: number, cap: number) => {
      const done = v[CG.DONE]! > 0.5, used = v[CG.ITER]!;
      return Math.min(cap, done ? Math.max(2, used + this.margin) : now * 2);
    };
    // A potential lane that did not converge had the solve's encoded count, the larger of the two: it doubles that.
    const potential = Math.max(this.now.phi, this.now.phiB);
    this.now.phi = next(phi, potential, this.max.phi);
    // phi_b far from its tolerance (an event such as a layer cracking moves it) may take up to its maximum again.
    const phiBCap = phiB[CG.RES]! > PHI_B_NEAR * GPU_TOL_B ? this.max.phiB : Math.min(this.max.phiB, PHI_B_STEADY);
    this.now.phiB = next(phiB, potential, phiBCap);
    this.now.c = next(c, this.now.c, this.max.c);
    Object.assign(this.used, { phi: phi[CG.ITER]!, phiB: phiB[CG.ITER]!, c: c[CG.ITER]! });
  }
}
