/**
 * The one binding table of each WGSL module: from it the engine generates the module's @group/@binding
 * declarations (prepended to its source), its bind group layouts and its bind groups. A binding names its WGSL
 * variable, its type and access, and the engine buffer it binds (`buffer`, where that differs from the name: see
 * EngineBuffers). The modules' own sources declare no bindings.
 */
import { cgSlotsWgsl } from "./layout.ts";
import { LOG_KSP_ZHS, ZHS_MOLAR_VOLUME, ZHS_OPEN_FLOOR, ZHS_PORE_TRANSPORT, ZHS_POROSITY } from "../reference/byproduct.ts";
import { FARADAY } from "../model/constants.ts";

/** The by-product's constants (src/reference/byproduct.ts) as WGSL, for the modules that include "zhs" (film.wgsl, ph.wgsl). */
const zhsWgsl = Object.entries({
  ZHS_MOLAR_VOLUME, ZHS_POROSITY, ZHS_OPEN_FLOOR, ZHS_PORE_TRANSPORT, ZHS_LOG_KSP: LOG_KSP_ZHS, ZHS_FARADAY: FARADAY,
}).map(([k, v]) => `const ${k}: f32 = ${v.toPrecision(17)};`).join("\n") + "\n";

/** u: uniform; r: read-only storage; w: read-write storage. */
export type Access = "u" | "r" | "w";
export interface Binding { name: string; type: string; access: Access; buffer?: string; doc?: string }

/** The WGSL files (shaders/NAME.wgsl). */
export const SHADER_NAMES = [
  "params", "sum_slots", "cells", "columns", "reaction", "operators", "multigrid", "multigrid_pcr", "pcg", "potential", "growth",
  "concentration", "reduce_metrics", "render_field", "dead", "allen_cahn", "ac_substeps", "film", "ph",
] as const;
/** The WGSL sources, by file name. */
export type ShaderSources = Record<(typeof SHADER_NAMES)[number], string>;

/**
 * The shared WGSL a module includes: the parameters (group 0), the reductions' final sum, the cell fields' helpers,
 * the CG scalar slots (generated from layout.ts CG).
 */
type Shared = "params" | "sum_slots" | "cells" | "cg" | "zhs";
export interface ModuleTable {
  source: keyof ShaderSources;
  /** Further files of the module's own, after `source` (one module in several files). */
  more?: (keyof ShaderSources)[];
  /** The group of `bindings` (1 in the modules that include params, whose group 0 is PARAMS). */
  group: number;
  bindings: Binding[];
  include: Shared[];
  /** The entry points the engine builds pipelines for (the multigrid's line reductions are built apart). */
  entries: string[];
}

const F32 = "array<f32>", VEC4 = "array<vec4f>";
const r = (name: string, type = F32, buffer?: string, doc?: string): Binding => ({ name, type, access: "r", buffer, doc });
const w = (name: string, type = F32, buffer?: string, doc?: string): Binding => ({ name, type, access: "w", buffer, doc });
const u = (name: string, type: string, buffer?: string, doc?: string): Binding => ({ name, type, access: "u", buffer, doc });

/** dc: Zn2+ as its deviation from the reservoir (the engine's `c` field; shaders/cells.wgsl conc). */
const DC_DOC = "dc: Zn2+ as its deviation from the reservoir, c / c0 - 1 (f32 keeps the reservoir influx exact; resources.ts).";
const dc = (access: "r" | "w", doc = DC_DOC): Binding => ({ name: "dc", type: F32, access, buffer: "c", doc });

/** Group 0 of every module that includes params.wgsl: the coefficients and the scalar slots. */
export const PARAMS: Binding[] = [u("P", "Params", "params"), w("S", F32, "scalars")];

const withParams = (source: keyof ShaderSources, bindings: Binding[], entries: string[], include: Shared[] = []): ModuleTable => ({
  source, group: 1, bindings, entries, include: ["params", ...include],
});

export const MODULES = {
  columns: withParams("columns", [r("xi"), w("cols")], ["colScan", "colScanSegments", "colMean", "colMech", "colOpen"]),
  reaction: {
    ...withParams("reaction", [r("xi"), dc("r"), r("phi"), r("cols"), r("tp"), w("react", VEC4), w("partial", VEC4)],
      ["reactCells", "reactSolve"], ["sum_slots", "cells", "zhs"]),
    more: ["allen_cahn", "film"],
  },
  acSub: {
    ...withParams("ac_substeps", [w("xi", F32, undefined, "xi, its floor, the dead-zinc mask and the substeps' two changes (n cells each: resources.ts).")],
      ["acFirst", "acForth", "acBack"]),
    more: ["allen_cahn"],
  },
  operators: {
    ...withParams("operators", [r("xi"), r("cols"), w("phiA", VEC4, "phi.A"), w("cA", VEC4, "c.A"), w("tp"), dc("r")], ["fillOperators"], ["zhs"]),
    more: ["film"],
  },
  potential: withParams("potential", [
    r("react", VEC4), w("phi"), w("phiB"), w("A0", VEC4, "phi.A"),
    w("B0", F32, "phi.B", "The potential system's right sides (level 0 of its multigrid B) and unknowns (its CG's X), by lane: lane 0 phi_a,\nlane 1 phi_b at P.phiLane."),
    w("U0", F32, "phi.X"), w("partial", VEC4),
  ], ["setup", "combinePartial", "combineFinal", "apply"], ["sum_slots"]),
  growth: withParams("growth", [
    r("react", VEC4), w("xi"), dc("r"), w("qcell"), w("cB0", F32, "c.B"), w("partial", VEC4),
    r("cA", VEC4, "c.A", "The concentration system's fine operator (ax, ay, e, -): D dt / dx^2 on the faces, filled this step."),
  ], ["growCells", "growFinal"], ["sum_slots", "cells"]),
  concentration: withParams("concentration", [
    r("phiA", VEC4, "phi.A"), r("phi"), r("tp"), r("cA", VEC4, "c.A"), w("cB0", F32, "c.B"),
    dc("w", "dc, then the step before's dc at N + k: concRhs turns dc into the solve's first guess, 2 dc^n - dc^(n-1) (the\nCPU's solver.ts warmStart), and keeps dc^n at N + k."),
  ], ["concRhs", "concTop"], ["cells"]),
  dead: withParams("dead", [
    w("xi", F32, undefined, "xi, its floor and the dead-zinc mask (n cells each: resources.ts)."),
    w("work", "array<u32>"), w("stepLog", F32, undefined, "The step log: its entries so far, then (u, Zn current, HER current) a step."),
  ], ["deadLive", "deadRows", "deadMask", "logStep"]),
  metrics: withParams("reduce_metrics", [r("xi"), dc("r"), r("cols"), r("qcell"), w("scratch", "array<vec2f>"), w("M")],
    ["metricsColumns", "metricsCells", "metricsFinal"], ["cells", "zhs"]),
  /** The pH field and the by-product (ph.wgsl): built only for a scenario with ph_field. */
  ph: withParams("ph", [
    dc("w", "dc, the step before's dc, the alkalinity's deviation dw, the by-product m, the held set and the cap (n cells each: resources.ts)."),
    r("xi"), r("qcell"), r("cA", VEC4, "c.A"), w("wA", VEC4, "w.A"), w("wB", F32, "w.B"), w("wX", F32, "w.X"),
  ], ["phSource", "phCap", "phSetup", "phActive", "phFinish"], ["cells", "zhs"]),
  /** One level of one system (its bind groups: systems.ts); the line reductions' pipelines are built by level. */
  multigrid: {
    source: "multigrid", more: ["multigrid_pcr"], group: 0, include: ["cg"],
    bindings: [
      u("L", "Level", "level"), w("A", VEC4), w("T", VEC4), w("U"), w("B"), w("R"), w("PS"),
      w("V", F32, undefined, "The second copy of the columns that a whole-sweep pass (zebraPcr) solves second, laid out as U: the first pass of\na pair writes them here and the second pass reads them from here (as the old values the first colour's lines\ntake) and writes them back to U, so U holds every column again after each pair (see zebraPcr)."),
    ],
    entries: ["coarsen", "factorLines", "smoothLines", "smoothProlong", "restrictLevel", "bottom", "buildCoarse"],
  },
  pcg: {
    source: "pcg", group: 0, include: ["cg", "sum_slots"],
    bindings: [
      u("C", "Pc", "cgUniform"), w("PS"), w("A", VEC4), w("X"), w("RR", F32, "B"), w("Z", F32, "U"),
      w("Pv", F32, undefined, "The search direction p, then (from C.sOff) its image s = A p, carried by its recurrence."),
      w("AU", F32, undefined, "w = A u, u the preconditioned residual (Z)."), w("partial", VEC4),
      u("W", "vec4u", "width", "The finest level's width, for the matrix-vector product: its neighbours (nx, ny)."),
    ],
    entries: ["initPartial", "initFinal", "matvecPartial", "cgFinal", "updateXR", "xrFinal"],
  },
  render: {
    source: "render_field", group: 0, include: ["cells", "zhs"],
    bindings: [
      u("V", "View", "view"), r("xi"), dc("r"), r("phi"), r("cols"), w("pixels", "array<u32>"), r("react", VEC4), r("S", F32, "scalars"),
    ],
    entries: ["colorize"],
  },
} satisfies Record<string, ModuleTable>;
export type ModuleName = keyof typeof MODULES;

/** The WGSL declarations of one group's bindings. */
export function wgslBindings(group: number, bindings: Binding[]): string {
  return bindings.map((b, k) => {
    const space = b.access === "u" ? "uniform" : b.access === "r" ? "storage, read" : "storage, read_write";
    const doc = b.doc ? b.doc.split("\n").map((l) => `// ${l}\n`).join("") : "";
    return `${doc}@group(${group}) @binding(${k}) var<${space}> ${b.name}: ${b.type};\n`;
  }).join("");
}

/** A module's whole source: its bindings' declarations (and params.wgsl's), the shared WGSL it includes, its own. */
export function moduleCode(table: ModuleTable, src: ShaderSources): string {
  const params = table.include.includes("params") ? wgslBindings(0, PARAMS) : "";
  const shared = table.include.map((s) => (s === "cg" ? cgSlotsWgsl : s === "zhs" ? zhsWgsl : src[s]));
  const own = [table.source, ...(table.more ?? [])].map((s) => src[s]);
  return [params + wgslBindings(table.group, table.bindings), ...shared, ...own].join("\n");
}

export function bindGroupLayout(device: GPUDevice, bindings: Binding[]): GPUBindGroupLayout {
  return device.createBindGroupLayout({
    entries: bindings.map((b, binding) => ({
      binding,
      visibility: GPUShaderStage.COMPUTE,
      buffer: { type: b.access === "u" ? "uniform" : b.access === "r" ? "read-only-storage" : "storage" },
    })),
  });
}

/** A bind group of `bindings`, each bound to buffers[its `buffer`, or its name]. */
export function bindGroup(device: GPUDevice, layout: GPUBindGroupLayout, bindings: Binding[], buffers: Record<string, GPUBuffer>): GPUBindGroup {
  return device.createBindGroup({
    layout,
    entries: bindings.map((b, binding) => {
      const buffer = buffers[b.buffer ?? b.name];
      if (!buffer) throw new Error(`no buffer ${b.buffer ?? b.name} for binding ${b.name}`);
      return { binding, resource: { buffer } };
    }),
  });
}
