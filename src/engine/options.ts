/**
 * The engine's options and the per-level plan they give: which levels the bottom pass walks, how each level's
 * lines are solved and swept, where B is restricted, and the CG iteration budgets. The timings behind the defaults:
 * docs/PERFORMANCE.md.
 */
import type { GridLevel } from "./layout.ts";

export interface EngineOptions {
  /**
   * Most CG iterations a step: the potential's phi_a (`phi`), its phi_b, the concentration. phi_a and phi_b are the
   * two lanes of one solve, which encodes the larger of their counts (a converged lane skips the rest, and phi_b
   * runs on while phi_a needs more). Default 60, 30 and 30 until the first metrics readback; after it phi_b is
   * capped at PHI_B_STEADY too.
   */
  iterations?: { phi: number; phiB: number; c: number };
  /**
   * Levels of at most this many cells go to the one-workgroup `bottom` pass. Default: BOTTOM_CELLS on a hardware
   * adapter, the whole grid on a software one (see isSoftwareAdapter).
   */
  bottomCells?: number;
  /**
   * How the smoother solves its y-lines above the bottom levels: "pcr", one workgroup per line (each thread walks a
   * block of rows, then the blocks' rows go by parallel cyclic reduction), or "thomas", one thread per line walking
   * it (the bottom pass always does). Default: "pcr" on a hardware adapter (lines of up to PCR_CELLS cells, and at
   * most PCR_ROWS a thread), "thomas" on a software one (see isSoftwareAdapter).
   */
  lineSolver?: "pcr" | "thomas";
  /**
   * Workgroup size of the line reductions (64, 128 or 256; 4 and 8 for tests, which give blocks of several rows on
   * small grids). Default: 256 on a hardware adapter, 64 on a software one.
   */
  pcrThreads?: 4 | 8 | 64 | 128 | 256;
  /**
   * Columns of a line sweep's colour per workgroup of the line solves (1, 2, 4 or 8, at most pcrThreads) on every
   * level, so that neighbouring threads load neighbouring columns; fewer on a level where the threads a column would
   * then get could not hold its rows. Default: pcrColsFor (by the level's width). Given, it also sets the columns a
   * workgroup of the whole-sweep passes (at least 2; see sweeps), whose default is zebraColsFor.
   */
  pcrCols?: 1 | 2 | 4 | 8;
  /**
   * How a level whose lines go by reduction is swept: "whole", both colours of a zebra sweep in one pass (each
   * workgroup also solving one line of its neighbour's, shaders/multigrid.wgsl zebraPcr), or "half", a pass a colour:
   * the same arithmetic either way. Default: whole on levels narrower than halfSweepsFrom, half from there.
   */
  sweeps?: "whole" | "half";
  /**
   * Where sweeps is not given: levels at least this many columns wide sweep by half-sweep passes, narrower ones whole
   * (a whole number, or Infinity; default HALF_SWEEPS_FROM).
   */
  halfSweepsFrom?: number;
  /**
   * How a level between level 0 and the bottom pass gets its right side, the restriction of the level above's
   * residual: "pass", a pass of its own (one thread a coarse cell, shaders/multigrid.wgsl restrictLevel), or "sweep",
   * inside the level's first sweep of each colour, by the threads that solve those columns (restrictColumn): one
   * dispatch fewer a level and V-cycle, but a thread then computes the restriction of its whole block of rows in
   * turn. The same B to the bit either way. Default: "pass" on levels whose lines go by reduction (a hardware GPU's),
   * "sweep" where a thread walks each line (see RESTRICT_PASS).
   */
  restriction?: "pass" | "sweep";
  /**
   * How the column pass sums each column and finds its top: "thread", one thread walking each column (colScan), or
   * "segments", a workgroup of 16 columns, 16 threads each walking a sixteenth of its rows (colScanSegments; the
   * column sums then differ by f32 rounding). Default "thread" until "segments" is timed on a GPU.
   */
  columnScan?: "thread" | "segments";
  /** Workgroup size of the CG's final sums (64, 128 or 256). Default: 256 on a hardware adapter, 64 on a software one. */
  sumThreads?: 64 | 128 | 256;
  /** CG iterations encoded beyond what each solve used at the last readback (default 2; see tuneIterations). */
  margin?: number;
  /** Workgroup size of the bottom pass (16, 32, 64, 128 or 256). Default: BOTTOM_THREADS on a hardware adapter, 16 on a software one. */
  bottomThreads?: 16 | 32 | 64 | 128 | 256;
}

/**
 * Levels of at most this many cells go to one workgroup that walks them all in one pass (shaders/multigrid.wgsl
 * `bottom`): on a real GPU each per-level pass there is mostly launch latency, on a software one a thread wake-up.
 * On every adapter their operators and line factors are built the same way (`buildCoarse`, the engine's `build`).
 */
const BOTTOM_CELLS = 1024;
/** Threads of the bottom pass on a hardware adapter (shaders/multigrid.wgsl BOTTOM_THREADS). */
const BOTTOM_THREADS = 256;
/** Most rows one workgroup's line solve holds, and most rows a thread's block holds (shaders/multigrid.wgsl). */
const PCR_CELLS = 1024;
const PCR_ROWS = 16;
/**
 * Columns per workgroup of a level's line solves, by its width (EngineOptions.pcrCols): several columns let
 * neighbouring threads share the sectors of a row's loads on the wide levels, but leave too few workgroups on the
 * narrow ones (docs/PERFORMANCE.md).
 */
function pcrColsFor(nx: number): number {
  return nx >= 1024 ? 4 : nx >= 512 ? 2 : 1;
}
/**
 * Levels at least this wide sweep by half-sweep passes by default (EngineOptions.sweeps): whole passes save
 * launches where a level's passes are mostly launch latency, but where they are mostly work a whole pass took
 * longer than its two halves (docs/PERFORMANCE.md).
 */
const HALF_SWEEPS_FROM = 512;
/**
 * Why a level whose lines go by reduction gets its B by a pass of its own (EngineOptions.restriction): its sweeps
 * ran slower when their first ones restricted their columns' B, more than the pass costs (docs/PERFORMANCE.md).
 */
const RESTRICT_PASS = "pass";
/**
 * Columns per workgroup of a level's whole-sweep passes (EngineOptions.sweeps), by its width: one of them is solved
 * by the next workgroup too (a halo of one line), so a workgroup of c columns solves 2 (c - 1) lines of its own and
 * one more; 2 columns (twice the work on one colour) only where the level is narrow and its passes are mostly launch
 * latency (docs/PERFORMANCE.md).
 */
function zebraColsFor(nx: number): number {
  return nx >= 512 ? 4 : 2;
}

/**
 * A software adapter (Chromium's SwiftShader, Mesa's llvmpipe/lavapipe, WARP): it runs every pass's workgroups as
 * CPU tasks, with a fixed cost per workgroup and per pass, so the engine walks the whole V-cycle in the one
 * `bottom` workgroup there (docs/PERFORMANCE.md).
 */
export function isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  return info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}

/** What the options and the adapter give, per level and for the whole engine. */
export interface Plan {
  /** The first multigrid level small enough for the one-workgroup `bottom` pass, which does the rest of the V-cycle. */
  bottom: number;
  /** The first level whose operator and line factors, and every coarser level's, one workgroup builds (buildCoarse). */
  build: number;
  /** Per level: columns per workgroup of its line sweeps by blocks and cyclic reduction, or 0 where a thread walks each line. */
  pcrCols: number[];
  /** Per level: columns a workgroup of its whole-sweep passes (shaders/multigrid.wgsl zebraPcr), or 0 for half-sweeps. */
  fuseCols: number[];
  /** Per level: whether a pass of its own computes its B (restrictLevel), not its first sweeps (EngineOptions.restriction). */
  restrictPass: boolean[];
  columnScan: "thread" | "segments";
  maxIters: { phi: number; phiB: number; c: number };
  margin: number;
  pcrThreads: number;
  sumThreads: number;
  bottomThreads: number;
}

/** The plan for `levels` on an adapter (software or not); throws on an option out of its range. */
export function planLevels(levels: GridLevel[], software: boolean, opts: EngineOptions): Plan {
  const bottomCells = opts.bottomCells ?? (software ? Infinity : BOTTOM_CELLS);
  // The first level of at most bottomCells cells, or the coarsest where none is that small.
  const firstWithin = (cells: number) => {
    const k = levels.findIndex((l) => l.nx * l.ny <= cells);
    return k < 0 ? levels.length - 1 : k;
  };
  const bottom = firstWithin(bottomCells);
  // The coarse operators from 32 x 32 down whatever the V-cycle's layout: on a software adapter, whose bottom pass
  // takes the whole grid, one workgroup building the large levels would be slower than a pass a level.
  const build = firstWithin(BOTTOM_CELLS);
  const pcr = (opts.lineSolver ?? (software ? "thomas" : "pcr")) === "pcr";
  const pcrThreads = opts.pcrThreads ?? (software ? 64 : 256);
  const sumThreads = opts.sumThreads ?? (software ? 64 : 256);
  const bottomThreads = opts.bottomThreads ?? (software ? 16 : BOTTOM_THREADS);
  for (const [k, v, allowed] of [["pcrThreads", pcrThreads, [4, 8, 64, 128, 256]], ["sumThreads", sumThreads, [64, 128, 256]], ["bottomThreads", bottomThreads, [16, 32, 64, 128, 256]]] as const) {
    if (!(allowed as readonly number[]).includes(v)) throw new Error(`${k} must be ${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}, got ${v}`);
  }
  if (opts.pcrCols !== undefined && (![1, 2, 4, 8].includes(opts.pcrCols) || opts.pcrCols > pcrThreads)) {
    throw new Error(`pcrCols must be 1, 2, 4 or 8, and at most pcrThreads (${pcrThreads}), got ${opts.pcrCols}`);
  }
  for (const [k, v, allowed] of [["sweeps", opts.sweeps, ["whole", "half"]], ["restriction", opts.restriction, ["pass", "sweep"]], ["columnScan", opts.columnScan, ["thread", "segments"]]] as const) {
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw new Error(`${k} must be "${allowed[0]}" or "${allowed[1]}", got ${String(v)}`);
  }
  const halfFrom = opts.halfSweepsFrom ?? HALF_SWEEPS_FROM;
  if (!(halfFrom >= 1) || !(Number.isInteger(halfFrom) || halfFrom === Infinity)) {
    throw new Error(`halfSweepsFrom must be a whole number of columns, 1 or more (or Infinity), got ${halfFrom}`);
  }
  if (opts.halfSweepsFrom !== undefined && opts.sweeps !== undefined) throw new Error("give sweeps or halfSweepsFrom, not both");
  // Whether a workgroup of pcrThreads threads, c columns, holds a line of ny rows (PCR_ROWS a thread).
  const holds = (c: number, ny: number) => (pcrThreads / c) * PCR_ROWS >= ny;
  // Columns per workgroup of each level's line solves: as asked, halved while a column's threads could not hold
  // its rows; 0 where the level walks its lines instead.
  const pcrCols = levels.map((l, k) => {
    if (!pcr || k >= bottom || l.ny > PCR_CELLS) return 0;
    let c = opts.pcrCols ?? pcrColsFor(l.nx);
    while (c > 1 && !holds(c, l.ny)) c /= 2;
    return holds(c, l.ny) ? c : 0;
  });
  // Per level: columns a workgroup of its whole-sweep passes (at least 2: one of them the halo), or 0 where the
  // level sweeps by half-sweep passes (one or an odd number of columns wide, its lines walked, halfSweepsFrom
  // columns wide or more, or asked to).
  const fuseCols = levels.map((l, k) => {
    let c = Math.max(2, opts.pcrCols ?? zebraColsFor(l.nx));
    while (c > 2 && !holds(c, l.ny)) c /= 2;
    const fits = pcrCols[k]! > 0 && l.nx % 2 === 0 && l.nx > 1 && holds(c, l.ny);
    const whole = opts.sweeps === undefined ? l.nx < halfFrom : opts.sweeps === "whole";
    return fits && whole ? c : 0;
  });
  // Per level: whether its B comes by a pass of its own (levels between level 0 and the bottom pass only: the
  // bottom pass restricts its top level itself).
  const restrictPass = levels.map((_, k) => {
    const way = opts.restriction ?? (pcrCols[k]! > 0 ? RESTRICT_PASS : "sweep");
    return k > 0 && k < bottom && way === "pass";
  });
  const margin = opts.margin ?? 2;
  if (!Number.isInteger(margin) || margin < 0) throw new Error(`margin must be a whole number >= 0, got ${margin}`);
  return {
    bottom, build, pcrCols, fuseCols, restrictPass, columnScan: opts.columnScan ?? "thread",
    maxIters: opts.iterations ?? { phi: 60, phiB: 30, c: 30 }, margin, pcrThreads, sumThreads, bottomThreads,
  };
}
