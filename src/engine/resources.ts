/**
 * Everything the engine builds once: the parameter and field buffers, the pipelines of every module, the two
 * linear systems and the bind groups (all from the modules' binding tables, bindings.ts).
 */
import type { Coefficients } from "../model/coefficients.ts";
import { bindGroup, bindGroupLayout, MODULES, moduleCode, PARAMS, type ModuleTable, type ShaderSources } from "./bindings.ts";
import { GPU_TOL, GPU_TOL_B, PARAMS_BYTES, SCALAR_SLOTS, type GridLevel } from "./layout.ts";
import type { Plan } from "./options.ts";
import { Allocator, createSystem, storage, uniform, type LinearSystem, type SystemContext } from "./systems.ts";

/**
 * The cell and column fields, the reductions' scratch, dead zinc's work array and the step log (the engine's buffers
 * that the binding tables name).
 */
export type Fields = Record<
  "xi" | "c" | "phi" | "phiB" | "tp" | "qcell" | "react" | "cols" | "partial" | "scratch" | "M" | "work" | "stepLog", GPUBuffer
>;
/** The modules whose passes take the parameters as group 0 and their own bind group as group 1. */
export type StepModule = "columns" | "reaction" | "operators" | "potential" | "growth" | "concentration" | "metrics" | "dead" | "acSub" | "ph";
const STEP_MODULES: StepModule[] = ["columns", "reaction", "operators", "potential", "growth", "concentration", "metrics", "dead", "acSub", "ph"];
/** Whether a scenario's engine builds module m: the Allen-Cahn substeps on long steps only, the pH field's with it only. */
const builds = (m: StepModule, co: Coefficients) => (m !== "acSub" || co.acSubsteps > 1) && (m !== "ph" || co.ph !== null);

/** Steps the step log holds (shaders/dead.wgsl logStep) before the host reads it. */
export const LOG_STEPS = 1024;

export interface Core {
  device: GPUDevice;
  alloc: Allocator;
  src: ShaderSources;
  /** The grid's width, and its cells. */
  nx: number;
  n: number;
  /** Workgroups of a reduction's partial pass (4096 cells each) and the partial sums they leave. */
  nch: number;
  nparts: number;
  /** Allen-Cahn substeps a step (Coefficients.acSubsteps): more than one on a long step (rest). */
  acSubsteps: number;
  levels: GridLevel[];
  plan: Plan;
  params: GPUBuffer;
  scalars: GPUBuffer;
  f: Fields;
  /** Group 0 of the step modules (Params, scalars), and each one's group 1 (of the modules the scenario builds). */
  g0: GPUBindGroup;
  groups: Partial<Record<StepModule, GPUBindGroup>>;
  pipe: Record<string, GPUComputePipeline>;
  phiSys: LinearSystem;
  cSys: LinearSystem;
  /** The alkalinity's system (shaders/ph.wgsl), with the pH field only; and whether the by-product forms. */
  wSys: LinearSystem | null;
  byproduct: boolean;
}

/** The pipeline of a line-solve entry point with `cols` columns a workgroup. */
export function pcrName(entry: string, cols: number): string {
  return cols === 1 ? entry : `${entry}x${cols}`;
}

/**
 * The compute pipelines of a module: its table's entry points (`constants` by entry, where any), under their own
 * names, and `extra` (pipeline name, entry point, constants) more. Returns its group's bind group layout.
 */
function buildModule(
  device: GPUDevice, src: ShaderSources, pipe: Record<string, GPUComputePipeline>, table: ModuleTable,
  before: GPUBindGroupLayout[], constants: (entry: string) => Record<string, number> | undefined,
  extra: [string, string, Record<string, number>][] = [],
): GPUBindGroupLayout {
  const module = device.createShaderModule({ label: table.source, code: moduleCode(table, src) });
  const own = bindGroupLayout(device, table.bindings);
  const layout = device.createPipelineLayout({ bindGroupLayouts: [...before, own] });
  const make = (label: string, entryPoint: string, c: Record<string, number> | undefined) => {
    pipe[label] = device.createComputePipeline({ label, layout, compute: { module, entryPoint, constants: c } });
  };
  for (const e of table.entries) make(e, e, constants(e));
  for (const [label, entry, c] of extra) make(label, entry, c);
  return own;
}

export function createCore(device: GPUDevice, co: Coefficients, src: ShaderSources, levels: GridLevel[], plan: Plan): Core {
  const alloc = new Allocator(device);
  const n = co.nx * co.ny;
  const nch = Math.ceil(n / 4096);
  const nparts = nch * 64;
  const field = (size: number) => alloc.buffer(size, storage());

  const params = alloc.buffer(PARAMS_BYTES, uniform());
  const scalars = field(SCALAR_SLOTS * 4);
  // c holds the step before's field after the current one (cells n to 2n - 1): its solve starts from the
  // extrapolation 2 c^n - c^(n-1) (solver.ts warmStart, concentration.wgsl concRhs). The potential's start from
  // their last solution (docs/PERFORMANCE.md, "Why not the GPU's potential").
  // xi holds three fields of n cells (8 storage buffers a module is all every adapter gives, and the reaction and
  // growth modules bind 8): xi, its floor (a copper substrate's own metal: xi never falls below it; 0 on zinc) and
  // the dead-zinc mask (shaders/dead.wgsl); on a long step (co.acSubsteps > 1), two more for its Allen-Cahn
  // substeps (shaders/ac_substeps.wgsl). With the pH field (shaders/ph.wgsl), c holds four more (the alkalinity's
  // deviation, the by-product, the held set, the cap), qcell the HER current per cell after the Zn's, and the
  // metrics' scratch a second partial per slot (the highest alkalinity at the interface, the film's sum).
  const ph = co.ph !== null;
  const f: Fields = {
    xi: field((co.acSubsteps > 1 ? 5 : 3) * n * 4), c: field((ph ? 6 : 2) * n * 4), phi: field(n * 4), phiB: field(n * 4), tp: field(n * 4),
    qcell: field((ph ? 2 : 1) * n * 4),
    work: field((2 * n + 4) * 4), stepLog: field((1 + 3 * LOG_STEPS) * 4),
    react: field(n * 16), cols: field(co.nx * 32), partial: field(Math.max(nparts, co.nx) * 16),
    scratch: field((co.nx + (ph ? 2 : 1) * nparts) * 8), M: field(16 * 4),
  };

  // Pipelines: the step modules share group 0 (the parameters) and have their own group 1.
  const pipe: Record<string, GPUComputePipeline> = {};
  const g0Layout = bindGroupLayout(device, PARAMS);
  const none = () => undefined;
  const layouts = {} as Record<StepModule, GPUBindGroupLayout>;
  for (const m of STEP_MODULES) if (builds(m, co)) layouts[m] = buildModule(device, src, pipe, MODULES[m], [g0Layout], none);
  // The line reductions' pipelines, one for each number of columns a workgroup that some level uses (none on a
  // software adapter: compiling them costs it seconds).
  const pcrPipes = (entries: string[], cols: number[]) => [...new Set(cols.filter((c) => c > 0))].flatMap((c) =>
    entries.map((e): [string, string, Record<string, number>] => [pcrName(e, c), e, { PCR_THREADS: plan.pcrThreads, PCR_COLS: c }]));
  const bottomThreads = { BOTTOM_THREADS: plan.bottomThreads };
  const mgLayout = buildModule(device, src, pipe, MODULES.multigrid, [], (e) => (e === "bottom" || e === "buildCoarse" ? bottomThreads : undefined), [
    ...pcrPipes(["smoothLinesPcr", "smoothProlongPcr"], plan.pcrCols), ...pcrPipes(["zebraPcr"], plan.fuseCols),
  ]);
  const pcgLayout = buildModule(device, src, pipe, MODULES.pcg, [], (e) => (e.endsWith("Final") ? { RED_THREADS: plan.sumThreads } : undefined));

  const ctx: SystemContext = { alloc, co, levels, plan, nparts, mgLayout, pcgLayout };
  // phi_a (lane 0) and phi_b (lane 1), solved together.
  const phiSys = createSystem(ctx, [GPU_TOL, GPU_TOL_B], false);
  // The concentration is its own system's warm start and solution.
  // It holds dc = c / c0 - 1, the deviation from the reservoir, not c: the reservoir's coupling on the top row,
  // 2 D dt / dx^2, reaches 1e5 to 1e6 for fine cells and fast diffusion, and in the c form the right side and
  // the influx D dt / dx^2 (1 - c) lose that many times f32's 2^-24 per cell, more than a step plates there.
  // Every shader reads c as 1 + dc; checkpoints hold c.
  const cSys = createSystem(ctx, [GPU_TOL], true, f.c);
  // The alkalinity's deviation from the reservoir's (shaders/ph.wgsl), where the scenario tracks the pH.
  const wSys = ph ? createSystem(ctx, [GPU_TOL], false) : null;

  // The buffers the step modules' tables name: the fields, and the systems' operators and level-0 vectors.
  const named: Record<string, GPUBuffer> = {
    ...f, params, scalars, "phi.A": phiSys.A, "phi.B": phiSys.B, "phi.X": phiSys.X, "c.A": cSys.A, "c.B": cSys.B,
    ...(wSys ? { "w.A": wSys.A, "w.B": wSys.B, "w.X": wSys.X } : {}),
  };
  const g0 = bindGroup(device, g0Layout, PARAMS, named);
  const groups = {} as Record<StepModule, GPUBindGroup>;
  for (const m of STEP_MODULES) if (builds(m, co)) groups[m] = bindGroup(device, layouts[m], MODULES[m].bindings, named);
  return {
    device, alloc, src, nx: co.nx, n, nch, nparts, acSubsteps: co.acSubsteps, byproduct: co.ph?.byproduct === true, levels, plan, params, scalars,
    f, g0, groups, pipe, phiSys, cSys, wSys,
  };
}

/** The field view, built on the first image (render_field.wgsl: its pipeline `colorize`): colours the fields into `pixels`. */
export interface View { group: GPUBindGroup; uniform: GPUBuffer; pixels: GPUBuffer }
/** render_field.wgsl's struct View: 16 four-byte fields. */
export const VIEW_BYTES = 64;
export function createView(core: Core): View {
  const { device, alloc } = core;
  const table = MODULES.render;
  const layout = buildModule(device, core.src, core.pipe, table, [], () => undefined);
  const view = alloc.buffer(VIEW_BYTES, uniform());
  const pixels = alloc.buffer(core.n * 4, storage());
  const group = bindGroup(device, layout, table.bindings, { ...core.f, scalars: core.scalars, view, pixels });
  return { group, uniform: view, pixels };
}
