/**
 * The engine's buffers: the allocator that owns them, and the two linear systems (multigrid + CG) with their
 * per-level bind groups and CG uniforms.
 */
import { appliedZnPerStep, type Coefficients } from "../model/coefficients.ts";
import { C_MASS_TOL } from "../reference/solver.ts";
import { bindGroup, MODULES } from "./bindings.ts";
import { CG, levelCells, type GridLevel } from "./layout.ts";
import type { Plan } from "./options.ts";

// A function: in Node the GPU globals exist only once the `webgpu` package is loaded.
export const storage = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
export const uniform = () => GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST;

/** Creates the engine's buffers (sizes rounded up to 16 bytes) and destroys them all at the end. */
export class Allocator {
  private readonly buffers: GPUBuffer[] = [];
  constructor(readonly device: GPUDevice) {}

  buffer(size: number, usage: number): GPUBuffer {
    const b = this.device.createBuffer({ size: Math.max(16, Math.ceil(size / 16) * 16), usage });
    this.buffers.push(b);
    return b;
  }

  /** A uniform buffer holding `data`. */
  uniform(data: Uint32Array<ArrayBuffer>): GPUBuffer {
    const b = this.buffer(data.byteLength, uniform());
    this.device.queue.writeBuffer(b, 0, data);
    return b;
  }

  destroy(): void {
    for (const b of this.buffers) b.destroy();
  }
}

/**
 * One level's bind groups, by the index a pass names (Group). The half-sweeps: 0 colour 0 (also the operator passes
 * and the bottom pass); 1 colour 1; 2 colour 0 from U = 0, and 3 colour 1, each computing its columns' B by restriction
 * from the level above first on a level below level 0 that has no restriction pass of its own (restrictPass; the
 * first sweep of each colour; shaders/multigrid.wgsl restrictColumn). The whole sweeps (zebraPcr): 4 and 5 the
 * pre-smoothing's (colour 0 first; the first from U = 0, restricting B likewise), 6 and 7 the post-smoothing's
 * (colour 1 first; the first with the prolongation).
 */
export type Group = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;
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
export interface LinearSystem {
  A: GPUBuffer; T: GPUBuffer; U: GPUBuffer; B: GPUBuffer; R: GPUBuffer;
  /** The whole-sweep passes' second copy of a colour's columns (shaders/multigrid.wgsl V). */
  V: GPUBuffer;
  X: GPUBuffer; Pv: GPUBuffer; AU: GPUBuffer; PS: GPUBuffer; partial: GPUBuffer;
  lanes: number;
  stride: number;
  /** Per level: its bind groups, by Group. */
  levelGroups: GPUBindGroup[][];
  /** The CG bind group, and its uniform (n, stride, the lanes' tolerances, absTol, massTol, shift: see writeCgUniforms). */
  pcg: GPUBindGroup;
  cgUniform: GPUBuffer;
  /** Each lane's relative tolerance. */
  tols: number[];
  /** Whether the solve also bounds the residual's sum (the concentration's: Zn2+ conservation). */
  conserves: boolean;
}

/** What a system is built from: the grid, the plan, the layouts of the multigrid and CG modules. */
export interface SystemContext {
  alloc: Allocator;
  co: Coefficients;
  levels: GridLevel[];
  plan: Plan;
  /** Partial sums of a reduction (workgroups of 4096 cells, 64 slots each). */
  nparts: number;
  mgLayout: GPUBindGroupLayout;
  pcgLayout: GPUBindGroupLayout;
}

/** A residual-sum bound that never binds (a finite f32: WGSL may assume there are no infinities). */
const NO_MASS_TOL = 3e38;

/** A system of tols.length lanes; `X`, where given, is its warm start and solution (one lane only). */
export function createSystem(ctx: SystemContext, tols: number[], conserves: boolean, X?: GPUBuffer): LinearSystem {
  const { alloc, levels, co } = ctx;
  const device = alloc.device;
  const n = co.nx * co.ny;
  const stride = levelCells(levels);
  const lanes = tols.length;
  if (lanes > 2 || (X && lanes > 1)) throw new Error("a system has one or two lanes, and only one lane may solve into a field");
  // X, Pv, AU and s (one value a level-0 cell) keep the lanes at the same stride as U, B and R do; Pv holds every
  // lane's p, then every lane's s = A p (shaders/pcg.wgsl Pc.sOff).
  const vec = ((lanes - 1) * stride + n) * 4;
  const field = (size: number) => alloc.buffer(size, storage());
  const bufs = {
    A: field(stride * 16), T: field(stride * 32), U: field(lanes * stride * 4), B: field(lanes * stride * 4), R: field(lanes * stride * 4),
    V: field(ctx.plan.fuseCols.some((c) => c > 0) ? lanes * stride * 4 : 16),
    X: X ?? field(vec), Pv: field(2 * vec), AU: field(vec), PS: field(lanes * CG.LANE * 4), partial: field(lanes * ctx.nparts * 16),
    cgUniform: alloc.buffer(32, uniform()),
  };
  const levelGroups = levels.map((lv, l) => {
    const next = levels[l + 1] ?? lv;
    const up = levels[l - 1];
    return GROUP_FIELDS(up && !ctx.plan.restrictPass[l] ? 1 : 0).map(([color, fresh, restrict, second]) => {
      const level = alloc.uniform(new Uint32Array([
        lv.nx, lv.ny, lv.off, color!, next.nx, next.ny, next.off, lv.rx, lv.ry, fresh!, stride, restrict!,
        up?.nx ?? 0, up?.ny ?? 0, up?.off ?? 0, second!,
      ]));
      return bindGroup(device, ctx.mgLayout, MODULES.multigrid.bindings, { ...bufs, level });
    });
  });
  const width = alloc.uniform(new Uint32Array([co.nx, co.ny, 0, 0]));
  const pcg = bindGroup(device, ctx.pcgLayout, MODULES.pcg.bindings, { ...bufs, width });
  const sys = { ...bufs, levelGroups, pcg, lanes, stride, tols, conserves };
  writeCgUniforms(device, sys, co);
  return sys;
}

/**
 * A system's CG uniform (shaders/pcg.wgsl Pc: n, lane stride, each lane's tolerance, absTol, massTol, shift, where
 * s starts in Pv): the residual-sum bound follows the applied current and time step (see C_MASS_TOL); shift 1 for
 * the concentration, whose unknown is c - 1, so its tolerance is relative to the c form's right side, as on the CPU.
 */
export function writeCgUniforms(device: GPUDevice, sys: LinearSystem, co: Coefficients): void {
  const n = co.nx * co.ny;
  const bytes = new ArrayBuffer(32);
  const u = new Uint32Array(bytes), f = new Float32Array(bytes);
  u[0] = n;
  u[1] = sys.stride;
  f[2] = sys.tols[0]!;
  f[3] = sys.tols[1] ?? sys.tols[0]!;
  f[4] = 1e-14;
  f[5] = sys.conserves ? C_MASS_TOL * appliedZnPerStep(co) : NO_MASS_TOL;
  f[6] = sys.conserves ? 1 : 0;
  u[7] = (sys.lanes - 1) * sys.stride + n;
  device.queue.writeBuffer(sys.cgUniform, 0, bytes);
}
