/**
 * The WebGPU engine: the model of docs/MODEL.md as WGSL compute passes, step for step the CPU reference's
 * algorithm (src/reference/solver.ts). Takes a GPUDevice (browser, or the `webgpu` package in Node), builds
 * every buffer, pipeline and bind group once, encodes many steps per submit and reads back only the small
 * metrics buffer (or, on demand, a full checkpoint). No React, no DOM.
 */
import { appliedZnPerStep, herToMaCm2, type Coefficients } from "../model/coefficients.ts";
import { sampleTime, type SeriesRow } from "../model/metrics.ts";
import { C_MASS_TOL, checkCheckpoint, type Checkpoint } from "../reference/solver.ts";
import { GpuTimer } from "./gpuTimer.ts";
import { CG, cgSlotsWgsl, gridLevels, levelCells, packParams, PARAMS_BYTES, S, SCALAR_SLOTS, type GridLevel, GPU_TOL, GPU_TOL_B } from "./layout.ts";

export interface ShaderSources {
  params: string; sum_slots: string; columns: string; reaction: string; operators: string; multigrid: string; pcg: string;
  potential: string; growth: string; concentration: string; reduce_metrics: string; render_field: string;
}

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

type Access = "u" | "r" | "w";
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
 * Columns per workgroup of a level's line solves, by its width (EngineOptions.pcrCols). On an H100, GPU time a
 * sweep of level 0 at 1024^2: ~60 us with one column a workgroup, 28.4 to 30.4 with four (neighbouring threads then
 * share the sectors of a row's loads); but four made the narrower levels slower (256 wide: 7.7 -> 11.7 us, 64 wide:
 * 5.9 -> 8.5: a quarter of the workgroups). Whole steps, GPU ms at 256^2 / 512^2 / 1024^2, one setting on every level:
 * 1 column 3.24 / 5.14 / 9.56, 2 columns 3.37 / 5.00 / 8.44, 4 columns 3.80 / 5.78 / 9.39; by width as here,
 * 3.25 / 4.86 / 8.42 (docs/PERFORMANCE.md).
 */
function pcrColsFor(nx: number): number {
  return nx >= 1024 ? 4 : nx >= 512 ? 2 : 1;
}
/** Columns a workgroup of the column pass by segments (shaders/columns.wgsl SCAN_COLS). */
const SCAN_COLS = 16;
/** Metrics rows a page's frames may encode before reading them back (GpuEngine.advanceSampled): 64 bytes each. */
export const SAMPLE_SLOTS = 256;

/** Byte offsets in the metrics readback: the metrics (16 floats), the potential's two CG lanes, the concentration's. */
const READ_M = { phi: 64, c: 64 + 2 * CG.LANE * 4, bytes: 64 + 3 * CG.LANE * 4 } as const;
/**
 * Levels at least this wide sweep by half-sweep passes by default (EngineOptions.sweeps). On an H200 (GPU ms a step,
 * 256^2 / 512^2 / 1024^2, three alternating runs each) whole sweeps on every level took 2.28 / 4.13 / 8.16, half
 * sweeps 2.42 / 4.01 / 7.62 and this split 2.28 / 3.94 / 7.55: the whole passes save launches where a level's passes
 * are mostly launch latency, but where they are mostly work a whole pass (1024 wide: 98.5 us) took longer than its
 * two halves (2 x 41.3 us; docs/PERFORMANCE.md).
 */
const HALF_SWEEPS_FROM = 512;
/**
 * Why a level whose lines go by reduction gets its B by a pass of its own (EngineOptions.restriction): on an H200
 * (--profile, every encoded iteration working) a half-sweep pass of the 512-wide level took 37.0 us as level 1 of a
 * 1024^2 grid, whose first sweeps of each colour restricted their columns' B, against 13.6 us as level 0 of a 512^2
 * grid; a whole-sweep pass 256 wide, 31.2 us as level 2 against 20.0 as level 0. With the pass (29.3 us at 512
 * wide, 6.1 at 64) they took 13.8 and 19.7 us, and a step 6.67 ms at 1024^2 against 7.46 (docs/PERFORMANCE.md).
 */
const RESTRICT_PASS = "pass";
/**
 * Columns per workgroup of a level's whole-sweep passes (EngineOptions.sweeps), by its width: one of them is solved
 * by the next workgroup too (a halo of one line), so a workgroup of c columns solves 2 (c - 1) lines of its own and
 * one more; 2 columns (twice the work on one colour) only where the level is narrow and its passes are mostly launch
 * latency. On an H200 with whole sweeps on every level, 2 or 8 columns everywhere were slower than these (GPU ms
 * at 512^2 / 1024^2: 4.28 / 11.43 and 5.50 / 10.09, against 4.11 / 8.10; docs/PERFORMANCE.md).
 */
function zebraColsFor(nx: number): number {
  return nx >= 512 ? 4 : 2;
}
/** The pipeline of a line-solve entry point with `cols` columns a workgroup. */
function pcrName(entry: string, cols: number): string {
  return cols === 1 ? entry : `${entry}x${cols}`;
}
/**
 * Most phi_b iterations a step once the run is past its first readback, while phi_b stays within PHI_B_NEAR times
 * its tolerance. It binds only where phi_b needs more iterations than phi_a, whose iterations phi_b's lane shares
 * (PTFE's phi_b needs 6 to 9 a step to its 1e-3, and gets them beside phi_a's 14). phi_b (warm-started from the last
 * step) enters the potential only through dE phi_b, and dE is small after the first steps: stopped early, it stays
 * near its tolerance (the residual it reached is read back with the metrics), and the series still match the CPU's
 * converged solve (tests/gpu-checks.test.ts). When phi_b was a solve of its own, up to 30 every step cost PTFE's
 * default scenario on SwiftShader 40 % more time.
 */
const PHI_B_STEADY = 6;
/** phi_b left further than this many times its tolerance may take its maximum again until it is back. */
const PHI_B_NEAR = 10;

/**
 * A software adapter (Chromium's SwiftShader, Mesa's llvmpipe/lavapipe, WARP): it runs every pass's workgroups as
 * CPU tasks, with a fixed cost per workgroup and per pass, so the engine walks the whole V-cycle in the one
 * `bottom` workgroup there: at 128^2 a step takes 0.33 s instead of 0.56 s (COF@Zn, SwiftShader on 2 cores).
 */
export function isSoftwareAdapter(info: GPUAdapterInfo | undefined): boolean {
  if (!info) return false;
  return info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe|warp/i.test(`${info.vendor} ${info.architecture} ${info.description}`);
}
// A function: in Node the GPU globals exist only once the `webgpu` package is loaded.
const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;

/**
 * One level's bind groups, by the index a pass names (Group). The half-sweeps: 0 colour 0 (also the operator passes
 * and the bottom pass); 1 colour 1; 2 colour 0 from U = 0, and 3 colour 1, each computing its columns' B by restriction
 * from the level above first on a level below level 0 that has no restriction pass of its own (restrictPass; the
 * first sweep of each colour; shaders/multigrid.wgsl restrictColumn). The whole sweeps (zebraPcr): 4 and 5 the
 * pre-smoothing's (colour 0 first; the first from U = 0, restricting B likewise), 6 and 7 the post-smoothing's
 * (colour 1 first; the first with the prolongation).
 */
type LevelGroups = GPUBindGroup[];
type Group = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
/** Level uniform fields (color, fresh, restrictB, second) of each Group; r: 1 below level 0 where no pass restricts B. */
const GROUP_FIELDS = (r: number) => [
  [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, r, 0], [1, 0, r, 0],
  [0, 1, r, 0], [0, 0, 0, 1], [1, 2, 0, 0], [1, 0, 0, 1],
];

/**
 * One multigrid + CG system (the potential, or the concentration). The right side is written into level 0 of
 * B and becomes the CG residual there; level 0 of U is the preconditioned residual; X is the warm start and
 * the solution. R holds residuals only in the bottom pass (the per-level restrictions compute theirs on the fly).
 * A system solves `lanes` right sides with its one operator in the same passes (the potential: phi_a in lane 0,
 * phi_b in lane 1; shaders/multigrid.wgsl), each lane's U, B, R, X, Pv (p and s), AU `stride` cells after the last's.
 */
interface LinearSystem {
  A: GPUBuffer; T: GPUBuffer; U: GPUBuffer; B: GPUBuffer; R: GPUBuffer;
  /** The whole-sweep passes' second copy of a colour's columns (shaders/multigrid.wgsl V). */
  V: GPUBuffer;
  X: GPUBuffer; Pv: GPUBuffer; AU: GPUBuffer; PS: GPUBuffer; partial: GPUBuffer;
  lanes: number;
  stride: number;
  /** Per level: its bind groups (see LevelGroups). */
  levelGroups: LevelGroups[];
  /** The CG bind group, and its uniform (n, stride, the lanes' tolerances, absTol, massTol, shift: see writeCgUniforms). */
  pcg: GPUBindGroup;
  cgUniform: GPUBuffer;
  /** Each lane's relative tolerance. */
  tols: number[];
  /** Whether the solve also bounds the residual's sum (the concentration's: Zn2+ conservation). */
  conserves: boolean;
}

/**
 * One kernel's (or one kernel on one level's) dispatches of a step and their time replayed alone: wall time from
 * encoding to done, and (a device with timestamp queries) the GPU's time for the pass.
 */
export interface KernelTime { name: string; dispatches: number; ms: number; gpuMs?: number }

/** A residual-sum bound that never binds (a finite f32: WGSL may assume there are no infinities). */
const NO_MASS_TOL = 3e38;

export class GpuEngine {
  readonly co: Coefficients;
  readonly device: GPUDevice;
  step = 0;
  /** Compute dispatches and buffer copies encoded so far, for the benchmark (a step has no copies). */
  readonly counts = { dispatches: 0, copies: 0 };
  /** CG iterations (one V-cycle each) the last step's solves used, read back with the metrics. */
  readonly lastIterations = { phi: 0, phiB: 0, c: 0 };
  private readonly n: number;
  /** Workgroups of a reduction's partial pass (4096 cells each) and the partial sums they leave. */
  private readonly nch: number;
  private readonly nparts: number;
  private readonly levels: GridLevel[];
  /** The first multigrid level small enough for the one-workgroup `bottom` pass, which does the rest of the V-cycle. */
  private readonly bottom: number;
  /** The first level whose operator and line factors, and every coarser level's, one workgroup builds (buildCoarse). */
  private readonly build: number;
  /**
   * Per level: columns per workgroup of its line sweeps by blocks and cyclic reduction, or 0 where a thread walks
   * each line instead.
   */
  private readonly pcrCols: number[];
  /** Per level: columns a workgroup of its whole-sweep passes (shaders/multigrid.wgsl zebraPcr), or 0 for half-sweeps. */
  private readonly fuseCols: number[];
  /** EngineOptions.columnScan. */
  private readonly columnScan: "thread" | "segments";
  /** Per level: whether a pass of its own computes its B (restrictLevel), not its first sweeps (EngineOptions.restriction). */
  private readonly restrictPass: boolean[];
  private readonly iters: { phi: number; phiB: number; c: number };
  private readonly maxIters: { phi: number; phiB: number; c: number };
  private readonly margin: number;
  /** A step was encoded since the last metrics readback (its solves' scalars are then worth tuning from). */
  private solvedSinceReadback = false;
  private readonly buffers: GPUBuffer[] = [];
  private readonly params: GPUBuffer;
  private readonly scalars: GPUBuffer;
  private readonly f: Record<"xi" | "c" | "phi" | "phiB" | "tp" | "qcell" | "react" | "cols" | "partial" | "scratch" | "M", GPUBuffer>;
  private readonly g0: GPUBindGroup;
  private readonly pipe: Record<string, GPUComputePipeline> = {};
  private readonly groups: Record<string, GPUBindGroup> = {};
  private readonly phiSys: LinearSystem;
  private readonly cSys: LinearSystem;
  private readonly mgLayout: GPUBindGroupLayout;
  private readonly pcgLayout: GPUBindGroupLayout;
  private readonly readM: GPUBuffer;
  private readonly src: ShaderSources;
  private view: { pipeline: GPUComputePipeline; group: GPUBindGroup; uniform: GPUBuffer; pixels: GPUBuffer } | null = null;

  constructor(device: GPUDevice, co: Coefficients, cp: Checkpoint, src: ShaderSources, opts: EngineOptions = {}) {
    this.device = device;
    this.co = co;
    this.src = src;
    this.n = co.nx * co.ny;
    this.nch = Math.ceil(this.n / 4096);
    this.nparts = this.nch * 64;
    this.levels = gridLevels(co.nx, co.ny);
    const software = isSoftwareAdapter(device.adapterInfo);
    const bottomCells = opts.bottomCells ?? (software ? Infinity : BOTTOM_CELLS);
    // The first level of at most bottomCells cells, or the coarsest where none is that small.
    const bottom = this.levels.findIndex((l) => l.nx * l.ny <= bottomCells);
    this.bottom = bottom < 0 ? this.levels.length - 1 : bottom;
    // The coarse operators from 32 x 32 down whatever the V-cycle's layout: on a software adapter, whose bottom pass
    // takes the whole grid, one workgroup building the large levels would be slower than a pass a level.
    const build = this.levels.findIndex((l) => l.nx * l.ny <= BOTTOM_CELLS);
    this.build = build < 0 ? this.levels.length - 1 : build;
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
    // Columns per workgroup of each level's line solves: as asked, halved while a column's threads could not hold
    // its rows (PCR_ROWS each); 0 where the level walks its lines instead.
    this.pcrCols = this.levels.map((l, k) => {
      if (!pcr || k >= this.bottom || l.ny > PCR_CELLS) return 0;
      let c = opts.pcrCols ?? pcrColsFor(l.nx);
      while (c > 1 && (pcrThreads / c) * PCR_ROWS < l.ny) c /= 2;
      return (pcrThreads / c) * PCR_ROWS >= l.ny ? c : 0;
    });
    // Per level: columns a workgroup of its whole-sweep passes (at least 2: one of them the halo), or 0 where the
    // level sweeps by half-sweep passes (one or an odd number of columns wide, its lines walked, halfSweepsFrom
    // columns wide or more, or asked to).
    this.fuseCols = this.levels.map((l, k) => {
      let c = Math.max(2, opts.pcrCols ?? zebraColsFor(l.nx));
      while (c > 2 && (pcrThreads / c) * PCR_ROWS < l.ny) c /= 2;
      const fits = this.pcrCols[k]! > 0 && l.nx % 2 === 0 && l.nx > 1 && (pcrThreads / c) * PCR_ROWS >= l.ny;
      const whole = opts.sweeps === undefined ? l.nx < halfFrom : opts.sweeps === "whole";
      return fits && whole ? c : 0;
    });
    // Per level: whether its B comes by a pass of its own (levels between level 0 and the bottom pass only: the
    // bottom pass restricts its top level itself).
    this.restrictPass = this.levels.map((_, k) => {
      const way = opts.restriction ?? (this.pcrCols[k]! > 0 ? RESTRICT_PASS : "sweep");
      return k > 0 && k < this.bottom && way === "pass";
    });
    this.columnScan = opts.columnScan ?? "thread";
    this.maxIters = opts.iterations ?? { phi: 60, phiB: 30, c: 30 };
    this.margin = opts.margin ?? 2;
    if (!Number.isInteger(this.margin) || this.margin < 0) throw new Error(`margin must be a whole number >= 0, got ${this.margin}`);
    // Until the first metrics readback tunes them, every solve may take the most iterations: a run's first steps
    // need the most (from the initial state PDMS/TiO2's phi_b takes 10, its potential 18), and a start at 12, 6
    // (phi_b) and 6 left such first steps unconverged.
    this.iters = { ...this.maxIters };
    const n = this.n;

    this.params = this.buffer(PARAMS_BYTES, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.scalars = this.buffer(SCALAR_SLOTS * 4, storage());
    // c holds the step before's field after the current one (cells n to 2n - 1): its solve starts from the
    // extrapolation 2 c^n - c^(n-1) (solver.ts warmStart, concentration.wgsl concRhs). The potential's start from
    // their last solution (docs/PERFORMANCE.md, "Why not the GPU's potential").
    this.f = {
      xi: this.buffer(n * 4, storage()), c: this.buffer(2 * n * 4, storage()), phi: this.buffer(n * 4, storage()),
      phiB: this.buffer(n * 4, storage()), tp: this.buffer(n * 4, storage()), qcell: this.buffer(n * 4, storage()),
      react: this.buffer(n * 16, storage()), cols: this.buffer(co.nx * 32, storage()),
      partial: this.buffer(Math.max(this.nparts, co.nx) * 16, storage()),
      scratch: this.buffer((co.nx + this.nparts) * 8, storage()), M: this.buffer(16 * 4, storage()),
    };
    // The metrics and both systems' CG scalars (the potential's two lanes), read back together (one round trip).
    this.readM = this.buffer(READ_M.bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);

    // Pipelines: modules that share the parameters get group 0 = (Params, scalars) and their own group 1.
    const g0Layout = this.layout(["u", "w"]);
    this.g0 = device.createBindGroup({ layout: g0Layout, entries: [{ binding: 0, resource: { buffer: this.params } }, { binding: 1, resource: { buffer: this.scalars } }] });
    // Modules that end a reduction over the cells also get the shared final sum (sum_slots.wgsl).
    const withParams = (name: keyof ShaderSources, access: Access[], entries: string[], sums = false) => {
      const code = [src.params, ...(sums ? [src.sum_slots] : []), src[name]].join("\n");
      const module = device.createShaderModule({ label: name, code });
      const g1 = this.layout(access);
      const layout = device.createPipelineLayout({ bindGroupLayouts: [g0Layout, g1] });
      for (const e of entries) this.pipe[e] = device.createComputePipeline({ label: e, layout, compute: { module, entryPoint: e } });
      return g1;
    };
    const F = this.f;
    const L = {
      columns: withParams("columns", ["r", "w"], ["colScan", "colScanSegments", "colMean", "colMech"]),
      reaction: withParams("reaction", ["r", "r", "r", "r", "r", "w", "w"], ["reactCells", "reactSolve"], true),
      operators: withParams("operators", ["r", "r", "w", "w", "w"], ["fillOperators"]),
      potential: withParams("potential", ["r", "w", "w", "w", "w", "w", "w"], ["setup", "combinePartial", "combineFinal", "apply"], true),
      growth: withParams("growth", ["r", "w", "r", "w", "w", "w", "r"], ["growCells", "growFinal"], true),
      concentration: withParams("concentration", ["r", "r", "r", "r", "w", "w"], ["concRhs", "concTop"]),
      metrics: withParams("reduce_metrics", ["r", "r", "r", "r", "w", "w"], ["metricsColumns", "metricsCells", "metricsFinal"]),
    };
    this.mgLayout = this.layout(["u", "w", "w", "w", "w", "w", "w", "w"]);
    const mgModule = device.createShaderModule({ label: "multigrid", code: cgSlotsWgsl + src.multigrid });
    const mgPipeLayout = device.createPipelineLayout({ bindGroupLayouts: [this.mgLayout] });
    // The line reductions' pipelines, one for each number of columns a workgroup that some level uses (none on a
    // software adapter: compiling them costs it seconds).
    const pcrPipes = (entries: string[], cols: number[]) => {
      for (const c of new Set(cols.filter((c) => c > 0))) {
        for (const e of entries) {
          const constants = { PCR_THREADS: pcrThreads, PCR_COLS: c };
          this.pipe[pcrName(e, c)] = device.createComputePipeline({ label: pcrName(e, c), layout: mgPipeLayout, compute: { module: mgModule, entryPoint: e, constants } });
        }
      }
    };
    pcrPipes(["smoothLinesPcr", "smoothProlongPcr"], this.pcrCols);
    pcrPipes(["zebraPcr"], this.fuseCols);
    for (const e of ["coarsen", "factorLines", "smoothLines", "smoothProlong", "restrictLevel", "bottom", "buildCoarse"]) {
      const constants: Record<string, number> | undefined = e === "bottom" || e === "buildCoarse" ? { BOTTOM_THREADS: bottomThreads } : undefined;
      this.pipe[e] = device.createComputePipeline({ label: e, layout: mgPipeLayout, compute: { module: mgModule, entryPoint: e, constants } });
    }
    this.pcgLayout = this.layout(["u", "w", "w", "w", "w", "w", "w", "w", "w", "u"]);
    const pcgModule = device.createShaderModule({ label: "pcg", code: cgSlotsWgsl + src.sum_slots + "\n" + src.pcg });
    const pcgPipeLayout = device.createPipelineLayout({ bindGroupLayouts: [this.pcgLayout] });
    for (const e of ["initPartial", "initFinal", "matvecPartial", "cgFinal", "updateXR", "xrFinal"]) {
      const constants = e.endsWith("Final") ? { RED_THREADS: sumThreads } : undefined;
      this.pipe[e] = device.createComputePipeline({ label: e, layout: pcgPipeLayout, compute: { module: pcgModule, entryPoint: e, constants } });
    }

    // phi_a (lane 0) and phi_b (lane 1), solved together.
    this.phiSys = this.system([GPU_TOL, GPU_TOL_B], false);
    // The concentration is its own system's warm start and solution.
    // It holds dc = c / c0 - 1, the deviation from the reservoir, not c: the reservoir's coupling on the top row,
    // 2 D dt / dx^2, reaches 1e5 to 1e6 for fine cells and fast diffusion, and in the c form the right side and
    // the influx D dt / dx^2 (1 - c) lose that many times f32's 2^-24 per cell, more than a step plates there.
    // Every shader reads c as 1 + dc; checkpoints hold c.
    this.cSys = this.system([GPU_TOL], true, this.f.c);

    const bg = (layout: GPUBindGroupLayout, bufs: GPUBuffer[]) =>
      device.createBindGroup({ layout, entries: bufs.map((buffer, binding) => ({ binding, resource: { buffer } })) });
    this.groups.columns = bg(L.columns, [F.xi, F.cols]);
    this.groups.reaction = bg(L.reaction, [F.xi, F.c, F.phi, F.cols, F.tp, F.react, F.partial]);
    this.groups.operators = bg(L.operators, [F.xi, F.cols, this.phiSys.A, this.cSys.A, F.tp]);
    this.groups.potential = bg(L.potential, [F.react, F.phi, F.phiB, this.phiSys.A, this.phiSys.B, this.phiSys.X, F.partial]);
    this.groups.growth = bg(L.growth, [F.react, F.xi, F.c, F.qcell, this.cSys.B, F.partial, this.cSys.A]);
    this.groups.concentration = bg(L.concentration, [this.phiSys.A, F.phi, F.tp, this.cSys.A, this.cSys.B, F.c]);
    this.groups.metrics = bg(L.metrics, [F.xi, F.c, F.cols, F.qcell, F.scratch, F.M]);

    device.queue.writeBuffer(this.params, 0, packParams(co));
    this.restore(cp);
  }

  private buffer(size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    this.buffers.push(b);
    return b;
  }

  private layout(access: Access[]): GPUBindGroupLayout {
    return this.device.createBindGroupLayout({
      entries: access.map((a, binding) => ({
        binding,
        visibility: GPUShaderStage.COMPUTE,
        buffer: { type: a === "u" ? "uniform" : a === "r" ? "read-only-storage" : "storage" },
      })),
    });
  }

  private system(tols: number[], conserves: boolean, X?: GPUBuffer): LinearSystem {
    const stride = levelCells(this.levels);
    const lanes = tols.length;
    // X, Pv, AU and s (one value a level-0 cell) keep the lanes at the same stride as U, B and R do; Pv holds every
    // lane's p, then every lane's s = A p (shaders/pcg.wgsl Pc.sOff).
    const vec = ((lanes - 1) * stride + this.n) * 4;
    const sys = {
      A: this.buffer(stride * 16, storage()), T: this.buffer(stride * 32, storage()), U: this.buffer(lanes * stride * 4, storage()),
      B: this.buffer(lanes * stride * 4, storage()), R: this.buffer(lanes * stride * 4, storage()),
      V: this.buffer(this.fuseCols.some((c) => c > 0) ? lanes * stride * 4 : 16, storage()),
      X: X ?? this.buffer(vec, storage()),
      Pv: this.buffer(2 * vec, storage()), AU: this.buffer(vec, storage()), PS: this.buffer(lanes * CG.LANE * 4, storage()),
      partial: this.buffer(lanes * this.nparts * 16, storage()), levelGroups: [] as LevelGroups[],
      lanes, stride, tols, conserves,
      cgUniform: this.buffer(32, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST),
    };
    if (lanes > 2 || (X && lanes > 1)) throw new Error("a system has one or two lanes, and only one lane may solve into a field");
    for (const [l, lv] of this.levels.entries()) {
      const next = this.levels[l + 1] ?? lv;
      const up = this.levels[l - 1];
      const groups = GROUP_FIELDS(up && !this.restrictPass[l] ? 1 : 0).map(([color, fresh, restrict, second]) => {
        const u = this.buffer(64, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
        this.device.queue.writeBuffer(u, 0, new Uint32Array([
          lv.nx, lv.ny, lv.off, color!, next.nx, next.ny, next.off, lv.rx, lv.ry, fresh!, stride, restrict!,
          up?.nx ?? 0, up?.ny ?? 0, up?.off ?? 0, second!,
        ]));
        return this.device.createBindGroup({
          layout: this.mgLayout,
          entries: [u, sys.A, sys.T, sys.U, sys.B, sys.R, sys.PS, sys.V].map((buffer, binding) => ({ binding, resource: { buffer } })),
        });
      });
      sys.levelGroups.push(groups);
    }
    const width = this.buffer(16, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
    this.device.queue.writeBuffer(width, 0, new Uint32Array([this.co.nx, this.co.ny, 0, 0]));
    const pcg = this.device.createBindGroup({
      layout: this.pcgLayout,
      entries: [sys.cgUniform, sys.PS, sys.A, sys.X, sys.B, sys.U, sys.Pv, sys.AU, sys.partial, width].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const out = { ...sys, pcg };
    this.writeCgUniforms(out);
    return out;
  }

  /**
   * A system's CG uniform (shaders/pcg.wgsl Pc: n, lane stride, each lane's tolerance, absTol, massTol, shift, where
   * s starts in Pv): the residual-sum bound follows the applied current and time step (see C_MASS_TOL); shift 1 for
   * the concentration, whose unknown is c - 1, so its tolerance is relative to the c form's right side, as on the CPU.
   */
  private writeCgUniforms(sys: LinearSystem): void {
    const bytes = new ArrayBuffer(32);
    const u = new Uint32Array(bytes), f = new Float32Array(bytes);
    u[0] = this.n;
    u[1] = sys.stride;
    f[2] = sys.tols[0]!;
    f[3] = sys.tols[1] ?? sys.tols[0]!;
    f[4] = 1e-14;
    f[5] = sys.conserves ? C_MASS_TOL * appliedZnPerStep(this.co) : NO_MASS_TOL;
    f[6] = sys.conserves ? 1 : 0;
    u[7] = (sys.lanes - 1) * sys.stride + this.n;
    this.device.queue.writeBuffer(sys.cgUniform, 0, bytes);
  }

  /** New coefficients (a slider moved): uniform writes, nothing rebuilt. The grid must not change. */
  setCoefficients(co: Coefficients): void {
    if (co.nx !== this.co.nx || co.ny !== this.co.ny) throw new Error("the grid changed: build a new engine");
    (this as { co: Coefficients }).co = co;
    this.device.queue.writeBuffer(this.params, 0, packParams(co));
    this.writeCgUniforms(this.cSys);
  }

  // ---- encoding ------------------------------------------------------------------------------------------
  private enc!: GPUCommandEncoder;
  private pass: GPUComputePassEncoder | null = null;

  /** While set, every dispatch is also recorded here (profileStep), with its multigrid level's size if it has one. */
  private recording: { name: string; groups: GPUBindGroup[]; x: number; y: number; z: number; level?: string }[] | null = null;

  /** Timestamps of the next pass that advance() opens (the benchmark's GPU time), if asked for. */
  private timestampWrites: GPUComputePassTimestampWrites | undefined;

  /** `z`: the lanes of a system's passes (1 elsewhere). */
  private dispatch(name: string, groups: GPUBindGroup[], x: number, y = 1, level?: number, z = 1): void {
    const lv = level === undefined ? undefined : this.levels[level];
    this.recording?.push({ name, groups, x, y, z, level: lv && `${lv.nx}x${lv.ny}` });
    if (!this.pass) {
      this.pass = this.enc.beginComputePass(this.timestampWrites ? { timestampWrites: this.timestampWrites } : undefined);
      this.timestampWrites = undefined;
    }
    this.pass.setPipeline(this.pipe[name]!);
    groups.forEach((g, k) => this.pass!.setBindGroup(k, g));
    this.pass.dispatchWorkgroups(x, y, z);
    this.counts.dispatches++;
  }
  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }
  private copy(from: GPUBuffer, to: GPUBuffer, bytes: number, fromOff = 0, toOff = 0): void {
    this.endPass();
    this.enc.copyBufferToBuffer(from, fromOff, to, toOff, bytes);
    this.counts.copies++;
  }
  /** 2D dispatch size for `count` workgroups (at most 65535 per dimension). */
  private wg(count: number): [number, number] {
    return count <= 65535 ? [count, 1] : [65535, Math.ceil(count / 65535)];
  }

  private withP(name: string, group: string, cells: number, size = 256): void {
    const [x, y] = this.wg(Math.ceil(cells / size));
    this.dispatch(name, [this.g0, this.groups[group]!], x, y);
  }
  /** A reduction's partial pass over all cells (4096 per workgroup), for each of `lanes`. */
  private chunked(name: string, groups: GPUBindGroup[], lanes = 1): void {
    const [x, y] = this.wg(this.nch);
    this.dispatch(name, groups, x, y, undefined, lanes);
  }

  /** `group`: see LevelGroups; `lanes`: the system's lanes, or 1 for the passes that build its (shared) operator. */
  private mg(sys: LinearSystem, name: string, l: number, group: Group, count: number, size = 64, lanes = sys.lanes): void {
    const [x, y] = this.wg(Math.ceil(count / size));
    this.dispatch(name, [sys.levelGroups[l]![group]], x, y, l, lanes);
  }

  /**
   * The coarse operators, and the line factors of the levels whose lines a thread walks (the others need none):
   * a pass per level down to `build`, then the rest in one pass (`buildCoarse`, which factors every level it walks).
   */
  private coarsenAll(sys: LinearSystem): void {
    for (let l = 0; l < this.build; l++) {
      const c = this.levels[l + 1]!;
      if (!this.pcrCols[l]) this.mg(sys, "factorLines", l, 0, this.levels[l]!.nx, 64, 1);
      this.mg(sys, "coarsen", l, 0, c.nx * c.ny, 64, 1);
    }
    this.dispatch("buildCoarse", [sys.levelGroups[this.build]![0]], 1, 1, this.build);
  }

  /** One zebra half-sweep of level l: `name` is smoothLines or smoothProlong (see mg for `group`). */
  private sweep(sys: LinearSystem, name: "smoothLines" | "smoothProlong", l: number, group: Group, cols: number): void {
    const pc = this.pcrCols[l]!;
    if (pc > 0) this.dispatch(pcrName(`${name}Pcr`, pc), [sys.levelGroups[l]![group]], Math.ceil(cols / pc), 1, l, sys.lanes);
    else this.mg(sys, name, l, group, cols, 16);
  }

  /** Level l's B by the pass of its own, where it has one (restrictPass); else its first sweeps or the bottom pass compute it. */
  private restrictInto(sys: LinearSystem, l: number): void {
    if (this.restrictPass[l]) this.mg(sys, "restrictLevel", l, 0, this.levels[l]!.nx * this.levels[l]!.ny);
  }

  /**
   * One V-cycle from U = 0 on level l, as the CPU's: 2 zebra sweeps down (the first ignores the old U, so no
   * clearing pass), 2 up in reverse colour order (the first with the prolongation), 8 on the coarsest level. The
   * next level's B, the restriction of this level's residual: a pass of its own (restrictInto), or that level's
   * first sweep of each colour (groups 2 and 3, or 4 on a level swept whole), or the bottom pass computes it.
   */
  private vcycle(sys: LinearSystem, l: number): void {
    const lv = this.levels[l]!;
    if (l === this.bottom) {
      this.dispatch("bottom", [sys.levelGroups[l]![0]], 1, 1, l, sys.lanes);
      return;
    }
    const fc = this.fuseCols[l]!;
    if (fc > 0) {
      const zebra = (group: Group) => this.dispatch(pcrName("zebraPcr", fc), [sys.levelGroups[l]![group]!], Math.ceil(lv.nx / 2 / (fc - 1)), 1, l, sys.lanes);
      zebra(4);
      zebra(5);
      this.restrictInto(sys, l + 1);
      this.vcycle(sys, l + 1);
      zebra(6);
      zebra(7);
      return;
    }
    const cols = lv.nx === 1 ? 1 : Math.ceil(lv.nx / 2);
    const down: (0 | 1)[] = lv.nx === 1 ? [0] : [0, 1];
    const up: (0 | 1)[] = lv.nx === 1 ? [0] : [1, 0];
    for (let s = 0; s < 2; s++) for (const color of down) this.sweep(sys, "smoothLines", l, s === 0 ? (color === 0 ? 2 : 3) : color, cols);
    this.restrictInto(sys, l + 1);
    this.vcycle(sys, l + 1);
    for (let s = 0; s < 2; s++) for (const color of up) this.sweep(sys, s === 0 && color === up[0] ? "smoothProlong" : "smoothLines", l, color, cols);
  }

  /**
   * CG preconditioned by one V-cycle, from the warm start in X with the right side in B (level 0); result in X.
   * Every lane of the system at once, each stopping at its own tolerance.
   */
  private solve(sys: LinearSystem, iterations: number): void {
    const g = sys.pcg;
    const z = sys.lanes;
    this.chunked("initPartial", [g], z);
    this.dispatch("initFinal", [g], 1, 1, undefined, z);
    for (let k = 0; k < iterations; k++) {
      this.vcycle(sys, 0);
      this.chunked("matvecPartial", [g], z);
      this.dispatch("cgFinal", [g], 1, 1, undefined, z);
      this.chunked("updateXR", [g], z);
      this.dispatch("xrFinal", [g], 1, 1, undefined, z);
    }
  }

  private encodeStep(): void {
    const { nx } = this.co;
    const n = this.n;
    const colGroups = Math.ceil(nx / 64);
    if (this.columnScan === "segments") this.dispatch("colScanSegments", [this.g0, this.groups.columns!], Math.ceil(nx / SCAN_COLS));
    else this.dispatch("colScan", [this.g0, this.groups.columns!], colGroups);
    this.dispatch("colMean", [this.g0, this.groups.columns!], 1);
    this.dispatch("colMech", [this.g0, this.groups.columns!], colGroups);
    this.withP("fillOperators", "operators", n);
    this.chunked("reactCells", [this.g0, this.groups.reaction!]);
    this.dispatch("reactSolve", [this.g0, this.groups.reaction!], 1);
    // Potential: phi_a and phi_b in one solve (its two lanes), then the combination that keeps the applied current.
    this.withP("setup", "potential", n);
    this.coarsenAll(this.phiSys);
    this.solve(this.phiSys, Math.max(this.iters.phi, this.iters.phiB));
    this.chunked("combinePartial", [this.g0, this.groups.potential!]);
    this.dispatch("combineFinal", [this.g0, this.groups.potential!], 1);
    this.withP("apply", "potential", n);
    // Corrector: reaction at the new potential, then growth and the Zn sink.
    this.chunked("reactCells", [this.g0, this.groups.reaction!]);
    this.dispatch("reactSolve", [this.g0, this.groups.reaction!], 1);
    this.chunked("growCells", [this.g0, this.groups.growth!]);
    this.dispatch("growFinal", [this.g0, this.groups.growth!], 1);
    // Concentration.
    this.withP("concRhs", "concentration", n);
    this.coarsenAll(this.cSys);
    this.solve(this.cSys, this.iters.c);
    this.dispatch("concTop", [this.g0, this.groups.concentration!], 1);
    this.step++;
    this.solvedSinceReadback = true;
  }

  /**
   * Encodes `count` coupled steps in one submit (one compute pass). `timestampWrites` (a device with the
   * timestamp-query feature) times that pass on the GPU, for the benchmark.
   */
  advance(count = 1, timestampWrites?: GPUComputePassTimestampWrites): void {
    this.timestampWrites = timestampWrites;
    this.enc = this.device.createCommandEncoder();
    for (let k = 0; k < count; k++) this.encodeStep();
    this.endPass();
    this.device.queue.submit([this.enc.finish()]);
  }

  private encodeMetrics(): void {
    this.dispatch("metricsColumns", [this.g0, this.groups.metrics!], Math.ceil(this.co.nx / 64));
    this.chunked("metricsCells", [this.g0, this.groups.metrics!]);
    this.dispatch("metricsFinal", [this.g0, this.groups.metrics!], 1);
  }

  /** Both systems' CG scalars into `to` at READ_M's offsets (the metrics readback's), for tuneIterations. */
  private copySolveStats(to: GPUBuffer, at = 0): void {
    this.copy(this.phiSys.PS, to, 2 * CG.LANE * 4, 0, at + READ_M.phi);
    this.copy(this.cSys.PS, to, CG.LANE * 4, 0, at + READ_M.c);
  }

  /** The solves' scalars read back at byte `at` of `all`: the next steps' encoded iterations follow them. */
  private tuneFrom(all: ArrayBuffer, at = 0): void {
    // Only solves tell what solves need: a readback before any step (a page's first frame) keeps the start's budget.
    if (this.solvedSinceReadback) {
      const [phi, phiB, c] = [READ_M.phi, READ_M.phi + CG.LANE * 4, READ_M.c].map((o) => new Float32Array(all, at + o, CG.LANE));
      this.tuneIterations(phi!, phiB!, c!);
    }
    this.solvedSinceReadback = false;
  }

  private rowOf(m: Float32Array, step: number): SeriesRow {
    return {
      t_s: sampleTime(step, this.co.dt), voltage_V: m[0]!, uniformity: m[1]!, roughness_um: m[2]!, max_height_um: m[3]!,
      her_mA_cm2: m[4]!, h2_mmol_cm2: m[5]!, ce: m[6]!, min_surface_c_M: m[7]!, cracked_fraction: m[8]!,
    };
  }

  /** Reduces the metrics on the GPU and reads back the small metrics buffer. */
  async metrics(): Promise<SeriesRow & { raw: Float32Array }> {
    this.enc = this.device.createCommandEncoder();
    this.encodeMetrics();
    this.copy(this.f.M, this.readM, 64);
    this.copySolveStats(this.readM);
    this.device.queue.submit([this.enc.finish()]);
    await this.readM.mapAsync(GPUMapMode.READ);
    const all = this.readM.getMappedRange().slice(0);
    this.readM.unmap();
    const m = new Float32Array(all, 0, 16);
    this.tuneFrom(all);
    return { ...this.rowOf(m, this.step), raw: m };
  }

  // ---- the scenario's samples, for the page (its charts and CSV hold the runner's samples at any speed) ----
  /** Samples encoded and not yet read back, by step; at most SAMPLE_SLOTS (see sampleRoom). */
  private readonly sampleSteps: number[] = [];
  private sampleBuf: GPUBuffer | null = null;
  private sampleRead: GPUBuffer | null = null;

  /** Steps advanceSampled may take before its sample slots are full (read them with readSamples first). */
  sampleRoom(): number {
    const every = this.co.stepsPerSample;
    const free = SAMPLE_SLOTS - this.sampleSteps.length;
    return free <= 0 ? 0 : free * every - (this.step % every);
  }

  /** Samples encoded and not yet read back. */
  get pendingSamples(): number {
    return this.sampleSteps.length;
  }

  /**
   * Advances `count` steps (at most sampleRoom()) in one submit and, at each step that ends one of the scenario's
   * samples (every stepsPerSample steps, as the runner samples), reduces the metrics into a slot of the sample
   * buffer, read back with the frame (readSamples) rather than a round trip a sample.
   */
  advanceSampled(count: number): void {
    if (count > this.sampleRoom()) throw new Error(`advanceSampled: ${count} steps would cross more samples than the ${SAMPLE_SLOTS} slots hold; read them first`);
    this.sampleBuf ??= this.buffer(SAMPLE_SLOTS * 64, GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    this.timestampWrites = undefined;
    this.enc = this.device.createCommandEncoder();
    for (let k = 0; k < count; k++) {
      this.encodeStep();
      if (this.step % this.co.stepsPerSample === 0) {
        this.encodeMetrics();
        this.copy(this.f.M, this.sampleBuf, 64, 0, this.sampleSteps.length * 64);
        this.sampleSteps.push(this.step);
      }
    }
    this.endPass();
    this.device.queue.submit([this.enc.finish()]);
  }

  /** The samples advanceSampled encoded since the last call, in order (one readback, with the solves' scalars). */
  async readSamples(): Promise<SeriesRow[]> {
    const steps = this.sampleSteps.splice(0);
    if (!steps.length && !this.solvedSinceReadback) return [];
    // The samples' slots, then the solves' scalars (made on the first read: a runner's engine never reads samples).
    this.sampleRead ??= this.buffer(SAMPLE_SLOTS * 64 + READ_M.bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    const stats = SAMPLE_SLOTS * 64;
    this.enc = this.device.createCommandEncoder();
    if (steps.length) this.copy(this.sampleBuf!, this.sampleRead, steps.length * 64);
    this.copySolveStats(this.sampleRead, stats);
    this.device.queue.submit([this.enc.finish()]);
    await this.sampleRead.mapAsync(GPUMapMode.READ);
    const all = this.sampleRead.getMappedRange().slice(0);
    this.sampleRead.unmap();
    this.tuneFrom(all, stats);
    return steps.map((step, k) => this.rowOf(new Float32Array(all, k * 64, 16), step));
  }

  /**
   * Encoded CG iterations follow what the last solves needed (a converged solve skips the rest, but the
   * skipped passes still cost dispatches): `margin` (2) more than used, doubled after a solve that did not converge.
   * phi (lane 0) and phi_b (lane 1) are tuned apart; their solve encodes the larger of the two.
   */
  private tuneIterations(phi: Float32Array, phiB: Float32Array, c: Float32Array): void {
    const next = (v: Float32Array, now: number, cap: number) => {
      const done = v[CG.DONE]! > 0.5, used = v[CG.ITER]!;
      return Math.min(cap, done ? Math.max(2, used + this.margin) : now * 2);
    };
    // A potential lane that did not converge had the solve's encoded count, the larger of the two: it doubles that.
    const potential = Math.max(this.iters.phi, this.iters.phiB);
    this.iters.phi = next(phi, potential, this.maxIters.phi);
    // phi_b far from its tolerance (an event such as a layer cracking moves it) may take up to its maximum again.
    const phiBCap = phiB[CG.RES]! > PHI_B_NEAR * GPU_TOL_B ? this.maxIters.phiB : Math.min(this.maxIters.phiB, PHI_B_STEADY);
    this.iters.phiB = next(phiB, potential, phiBCap);
    this.iters.c = next(c, this.iters.c, this.maxIters.c);
    Object.assign(this.lastIterations, { phi: phi[CG.ITER]!, phiB: phiB[CG.ITER]!, c: c[CG.ITER]! });
  }

  /**
   * Where a step's GPU time goes, for the benchmark: records one step's dispatches, then replays them in one pass
   * with both systems' CG scalars cleared first, so no solve counts as converged and every encoded iteration does
   * its work (an upper bound on the step): all of them, then each kernel's alone, then each multigrid kernel's on
   * each level alone; and once with every solve converged from the start (`idle`: the floor). Wall time from
   * encoding to done and, where the device has timestamps, the GPU's time; the best of `repeats`. Changes the
   * state (a benchmark's engine only).
   */
  async profileStep(repeats = 3): Promise<{ all: KernelTime; idle: KernelTime; kernels: KernelTime[]; byLevel: KernelTime[] }> {
    this.recording = [];
    this.advance(1);
    const rec = this.recording;
    this.recording = null;
    await this.device.queue.onSubmittedWorkDone();
    // The CG scalars of every lane (layout.ts CG): cleared, or with the done flag set.
    const zero = new Float32Array(2 * CG.LANE);
    const converged = new Float32Array(2 * CG.LANE);
    converged[CG.DONE] = converged[CG.LANE + CG.DONE] = 1;
    const timer = GpuTimer.available(this.device) ? new GpuTimer(this.device) : null;
    const time = async (name: string, list: typeof rec, scalars = zero): Promise<KernelTime> => {
      let best = Infinity, bestGpu = Infinity;
      for (let r = 0; r < repeats; r++) {
        for (const sys of [this.phiSys, this.cSys]) this.device.queue.writeBuffer(sys.PS, 0, scalars, 0, sys.lanes * CG.LANE);
        await this.device.queue.onSubmittedWorkDone();
        const t0 = performance.now();
        const enc = this.device.createCommandEncoder();
        const pass = enc.beginComputePass(timer ? { timestampWrites: timer.writes() } : undefined);
        for (const d of list) {
          pass.setPipeline(this.pipe[d.name]!);
          d.groups.forEach((g, k) => pass.setBindGroup(k, g));
          pass.dispatchWorkgroups(d.x, d.y, d.z);
        }
        pass.end();
        this.device.queue.submit([enc.finish()]);
        await this.device.queue.onSubmittedWorkDone();
        best = Math.min(best, performance.now() - t0);
        if (timer) bestGpu = Math.min(bestGpu, await timer.read());
      }
      return { name, dispatches: list.length, ms: best, ...(timer ? { gpuMs: bestGpu } : {}) };
    };
    const all = await time("all", rec);
    // Every solve converged before its first iteration (their start passes, which would find them unconverged, left
    // out): what the encoded iterations cost when none has work.
    const idle = await time("idle", rec.filter((d) => !d.name.startsWith("init")), converged);
    const group = async (key: (d: (typeof rec)[number]) => string | undefined): Promise<KernelTime[]> => {
      const out: KernelTime[] = [];
      for (const name of new Set(rec.map(key))) {
        if (name === undefined) continue;
        out.push(await time(name, rec.filter((d) => key(d) === name)));
      }
      return out.sort((a, b) => b.ms - a.ms);
    };
    const kernels = await group((d) => d.name);
    // The multigrid kernels again, level by level (the bottom pass under its first level).
    const byLevel = await group((d) => (d.level ? `${d.name} ${d.level}` : undefined));
    timer?.destroy();
    return { all, idle, kernels, byLevel };
  }

  private async read(buf: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const tmp = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(buf, 0, tmp, 0, tmp.size);
    this.device.queue.submit([enc.finish()]);
    await tmp.mapAsync(GPUMapMode.READ);
    const out = tmp.getMappedRange().slice(0, bytes);
    tmp.unmap();
    tmp.destroy();
    return out;
  }

  /** All the state, in the CPU reference's checkpoint format (so either backend can resume it). */
  async checkpoint(): Promise<Checkpoint> {
    const n = this.n, nx = this.co.nx;
    const [xi, c2, phi2, phiB2, cols, sc] = await Promise.all([
      this.read(this.f.xi, n * 4), this.read(this.f.c, 2 * n * 4), this.read(this.f.phi, n * 4), this.read(this.f.phiB, n * 4),
      this.read(this.f.cols, nx * 32), this.read(this.scalars, SCALAR_SLOTS * 4),
    ]);
    // c: the field, then the step before's (its solve starts from their extrapolation). The potential's solves start
    // from their last solution, so the GPU keeps no step before for phi and phi_b: the checkpoint gives the field
    // itself (the rule a checkpoint without them follows), and a CPU run that takes it over starts its first
    // potential solve from phi^n, extrapolating from the next step on.
    const now = (b: ArrayBuffer) => new Float32Array(b, 0, n), before = (b: ArrayBuffer) => new Float32Array(b, n * 4, n);
    const cOf = (dc: Float32Array) => Float32Array.from(dc, (d) => 1 + d);
    const col = new Float32Array(cols);
    const pick = (k: number) => Float32Array.from({ length: nx }, (_, i) => col[i * 8 + k]!);
    const s = new Float32Array(sc);
    return {
      nx, ny: this.co.ny, step: this.step,
      xi: new Float32Array(xi), c: cOf(now(c2)), phi: new Float32Array(phi2), phiB: new Float32Array(phiB2),
      phiPrev: new Float32Array(phi2), phiBPrev: new Float32Array(phiB2), cPrev: cOf(before(c2)),
      site: pick(0), integrity: pick(1), stress: pick(2), strainPrev: pick(3),
      scalars: Float64Array.from([s[S.U]!, s[S.QZN]!, s[S.QH]!, s[S.TOPIN]!, s[S.DEP]!, s[S.IZN]!, s[S.IH]!, s[S.Q0]!]),
    };
  }

  /**
   * Restarts from a checkpoint taken on either backend; throws, naming what does not fit (the CPU solver's own
   * checks, checkCheckpoint: grid, a whole step, each array's length, finite values), before writing anything.
   */
  restore(cp: Checkpoint): void {
    const { nx, ny } = this.co;
    checkCheckpoint(cp, nx, ny);
    const q = this.device.queue;
    q.writeBuffer(this.f.xi, 0, new Float32Array(cp.xi));
    const both = (a: ArrayLike<number>, b: ArrayLike<number>, f = (v: number) => v) => {
      const out = new Float32Array(2 * this.n);
      for (let k = 0; k < this.n; k++) { out[k] = f(a[k]!); out[this.n + k] = f(b[k]!); }
      return out;
    };
    q.writeBuffer(this.f.c, 0, both(cp.c, cp.cPrev, (c) => c - 1));
    q.writeBuffer(this.f.phi, 0, new Float32Array(cp.phi));
    q.writeBuffer(this.f.phiB, 0, new Float32Array(cp.phiB));
    const col = new Float32Array(nx * 8);
    for (let i = 0; i < nx; i++) {
      col[i * 8] = cp.site[i]!; col[i * 8 + 1] = cp.integrity[i]!; col[i * 8 + 2] = cp.stress[i]!; col[i * 8 + 3] = cp.strainPrev[i]!;
    }
    q.writeBuffer(this.f.cols, 0, col);
    const s = new Float32Array(SCALAR_SLOTS);
    const [u, qZn, qH, top, dep, iZn, iH, q0] = Array.from(cp.scalars);
    s[S.U] = u!; s[S.QZN] = qZn!; s[S.QH] = qH!; s[S.TOPIN] = top!; s[S.DEP] = dep!; s[S.IZN] = iZn!; s[S.IH] = iH!; s[S.Q0] = q0 ?? 0;
    q.writeBuffer(this.scalars, 0, s);
    q.writeBuffer(this.phiSys.X, 0, new Float32Array(this.phiSys.X.size / 4));
    q.writeBuffer(this.f.qcell, 0, new Float32Array(this.n));
    this.step = cp.step;
  }

  /**
   * The field coloured on the GPU (render_field.wgsl), RGBA8 with the reservoir row first (only this small image
   * comes back). `band` is the coating band in cells; `layer` 0 deposit, 1 concentration (lo..hi in M),
   * 2 potential (lo..hi in V), 3 coating integrity, 4 the HER current of each cell per electrode area (lo..hi in
   * mA/cm2, over decades).
   */
  async image(band: [number, number] = [0, 0], layer = 0, lo = 0, hi = 1): Promise<Uint8ClampedArray<ArrayBuffer>> {
    if (!this.view) {
      const module = this.device.createShaderModule({ label: "render_field", code: this.src.render_field });
      const pipeline = this.device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "colorize" } });
      const uniform = this.buffer(48, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      const pixels = this.buffer(this.n * 4, storage());
      const group = this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: [uniform, this.f.xi, this.f.c, this.f.phi, this.f.cols, pixels, this.f.react, this.scalars].map((buffer, binding) => ({ binding, resource: { buffer } })),
      });
      this.view = { pipeline, group, uniform, pixels };
    }
    const u = new ArrayBuffer(48);
    new Uint32Array(u, 0, 2).set([this.co.nx, this.co.ny]);
    new Float32Array(u, 8, 2).set(band);
    new Uint32Array(u, 16, 1)[0] = layer;
    new Float32Array(u, 20, 5).set([lo, hi, 0, this.co.c0 / 1000, herToMaCm2(this.co)]);
    this.device.queue.writeBuffer(this.view.uniform, 0, u);
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(this.view.pipeline);
    pass.setBindGroup(0, this.view.group);
    const [x, y] = this.wg(Math.ceil(this.n / 64));
    pass.dispatchWorkgroups(x, y);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    return new Uint8ClampedArray(await this.read(this.view.pixels, this.n * 4));
  }

  /**
   * One cell's metal fraction, c / c0, potential (V), HER volume current (A/m3, react.z S[EH] as the HER layer
   * colours it) and its column's coating integrity: six 4-byte reads, for the hover read-out.
   */
  async probe(i: number, j: number): Promise<{ xi: number; c: number; phi: number; her: number; integrity: number }> {
    const ci = Math.max(0, Math.min(this.co.nx - 1, i));
    const k = Math.max(0, Math.min(this.co.ny - 1, j)) * this.co.nx + ci;
    const tmp = this.device.createBuffer({ size: 24, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(this.f.xi, k * 4, tmp, 0, 4);
    enc.copyBufferToBuffer(this.f.c, k * 4, tmp, 4, 4);
    enc.copyBufferToBuffer(this.f.phi, k * 4, tmp, 8, 4);
    enc.copyBufferToBuffer(this.f.react, k * 16 + 8, tmp, 12, 4);
    enc.copyBufferToBuffer(this.scalars, S.EH * 4, tmp, 16, 4);
    enc.copyBufferToBuffer(this.f.cols, ci * 32 + 4, tmp, 20, 4);
    this.device.queue.submit([enc.finish()]);
    await tmp.mapAsync(GPUMapMode.READ);
    const v = new Float32Array(tmp.getMappedRange().slice(0));
    tmp.unmap();
    tmp.destroy();
    return { xi: v[0]!, c: 1 + v[1]!, phi: v[2]!, her: v[3]! * v[4]!, integrity: v[5]! };
  }

  /** The scaled potential and the metal fraction of every cell (j = 0 at the electrode), for the current lines. */
  async potentialFields(): Promise<{ phi: Float32Array<ArrayBuffer>; xi: Float32Array<ArrayBuffer> }> {
    const [phi, xi] = await Promise.all([this.read(this.f.phi, this.n * 4), this.read(this.f.xi, this.n * 4)]);
    return { phi: new Float32Array(phi), xi: new Float32Array(xi) };
  }

  /** The lowest electrolyte potential along the bottom row (scaled units), for the potential legend. */
  async phiFloor(): Promise<number> {
    const row = new Float32Array(await this.read(this.f.phi, this.co.nx * 4));
    return row.reduce((a, b) => Math.min(a, b), Infinity);
  }

  /** Where the coating band sits now (cells from the bottom), for the field view. */
  async band(): Promise<[number, number]> {
    if (!this.co.hasCoating) return [0, 0];
    const s = new Float32Array(await this.read(this.scalars, SCALAR_SLOTS * 4));
    return [s[S.MEAN]!, s[S.MEAN]! + this.co.bandCells];
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}
