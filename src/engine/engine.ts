/**
 * The WebGPU engine: the model of docs/MODEL.md as WGSL compute passes, step for step the CPU reference's
 * algorithm (src/reference/solver.ts). Takes a GPUDevice (browser, or the `webgpu` package in Node), builds
 * every buffer, pipeline and bind group once (resources.ts, from the binding tables of bindings.ts), encodes many
 * steps per submit (step.ts, schedule.ts) and reads back only the small metrics buffer (or, on demand, a full
 * checkpoint, the field image, a probe: readback.ts, state.ts), through a pool of staging buffers. No React, no DOM.
 */
import { crackStrain, herToMaCm2, type Coefficients } from "../model/coefficients.ts";
import { alkalinityOf } from "../model/water.ts";
import { sampleTime, type SeriesRow } from "../model/metrics.ts";
import type { Checkpoint } from "../reference/solver.ts";
import { Encoder } from "./encoder.ts";
import type { ShaderSources } from "./bindings.ts";
import { CG, gridLevels, packParams, paramOffset, S, SCALAR_SLOTS } from "./layout.ts";
import { isSoftwareAdapter, planLevels, type EngineOptions } from "./options.ts";
import { profileDispatches, type StepProfile } from "./profile.ts";
import { readParts, StagingPool, type Part } from "./readback.ts";
import { createCore, createView, LOG_STEPS, VIEW_BYTES, type Core, type View } from "./resources.ts";
import { IterationBudget, type Iterations } from "./schedule.ts";
import { readCheckpoint, writeCheckpoint } from "./state.ts";
import { StepEncoder } from "./step.ts";
import { storage, writeCgUniforms } from "./systems.ts";

export type { ShaderSources } from "./bindings.ts";
export type { KernelTime } from "./profile.ts";
export { isSoftwareAdapter, type EngineOptions };

/** Metrics rows a page's frames may encode before reading them back (GpuEngine.advanceSampled): 64 bytes each. */
export const SAMPLE_SLOTS = 256;
/** Byte offsets in the metrics readback: the metrics (16 floats), the potential's two CG lanes, the concentration's. */
const READ_M = { phi: 64, c: 64 + 2 * CG.LANE * 4, bytes: 64 + 3 * CG.LANE * 4 } as const;

export class GpuEngine {
  readonly co: Coefficients;
  readonly device: GPUDevice;
  step = 0;
  /** Compute dispatches and buffer copies encoded so far, for the benchmark (a step has no copies). */
  readonly counts: { dispatches: number; copies: number };
  /** CG iterations (one V-cycle each) the last step's solves used, read back with the metrics. */
  readonly lastIterations: { phi: number; phiB: number; c: number };
  private readonly core: Core;
  private readonly e: Encoder;
  private readonly steps: StepEncoder;
  private readonly iters: IterationBudget;
  private readonly pool: StagingPool;
  /** A step was encoded since the last metrics readback (its solves' scalars are then worth tuning from). */
  private solvedSinceReadback = false;
  private view: View | null = null;

  constructor(device: GPUDevice, co: Coefficients, cp: Checkpoint, src: ShaderSources, opts: EngineOptions = {}) {
    this.device = device;
    this.co = co;
    const levels = gridLevels(co.nx, co.ny);
    // The plan first: it throws on an option out of range before any buffer is made.
    const plan = planLevels(levels, isSoftwareAdapter(device.adapterInfo), opts);
    this.core = createCore(device, co, src, levels, plan);
    this.e = new Encoder(device, this.core.pipe, this.core.levels);
    this.counts = this.e.counts;
    this.steps = new StepEncoder(this.e, this.core, co.mode === "2d");
    this.iters = new IterationBudget(plan.maxIters, plan.margin);
    this.lastIterations = this.iters.used;
    this.pool = new StagingPool(device);
    device.queue.writeBuffer(this.core.params, 0, packParams(co));
    this.restore(cp);
  }

  /** New coefficients (a slider moved): uniform writes, nothing rebuilt. The grid must not change. */
  setCoefficients(co: Coefficients): void {
    if (co.nx !== this.co.nx || co.ny !== this.co.ny) throw new Error("the grid changed: build a new engine");
    if (!!co.ph !== !!this.co.ph || co.ph?.byproduct !== this.co.ph?.byproduct || co.acSubsteps !== this.co.acSubsteps) {
      throw new Error("the pH field, the by-product or the Allen-Cahn substeps changed: build a new engine");
    }
    (this as { co: Coefficients }).co = co;
    this.device.queue.writeBuffer(this.core.params, 0, packParams(co));
    writeCgUniforms(this.device, this.core.cSys, co);
  }

  private encodeStep(): void {
    this.steps.encodeStep(this.iters.now);
    this.step++;
    this.solvedSinceReadback = true;
  }

  /**
   * Encodes `count` coupled steps in one submit (one compute pass). `timestampWrites` (a device with the
   * timestamp-query feature) times that pass on the GPU, for the benchmark.
   */
  advance(count = 1, timestampWrites?: GPUComputePassTimestampWrites): void {
    this.e.timestampWrites = timestampWrites;
    this.e.begin();
    for (let k = 0; k < count; k++) this.encodeStep();
    this.e.submit();
  }

  /** Both systems' CG scalars at READ_M's offsets from byte `at` (the metrics readback's), for tuneFrom. */
  private solveStats(at: number): Part[] {
    return [
      { buf: this.core.phiSys.PS, bytes: 2 * CG.LANE * 4, at: at + READ_M.phi },
      { buf: this.core.cSys.PS, bytes: CG.LANE * 4, at: at + READ_M.c },
    ];
  }

  /** The solves' scalars read back at byte `at` of `all`: the next steps' encoded iterations follow them. */
  private tuneFrom(all: ArrayBuffer, at = 0): void {
    // Only solves tell what solves need: a readback before any step (a page's first frame) keeps the start's budget.
    if (this.solvedSinceReadback) {
      const [phi, phiB, c] = [READ_M.phi, READ_M.phi + CG.LANE * 4, READ_M.c].map((o) => new Float32Array(all, at + o, CG.LANE));
      this.iters.tune(phi!, phiB!, c!);
    }
    this.solvedSinceReadback = false;
  }

  private rowOf(m: Float32Array, step: number): SeriesRow {
    const ph = this.co.ph;
    return {
      t_s: sampleTime(step, this.co.dt), voltage_V: m[0]!, uniformity: m[1]!, roughness_um: m[2]!, max_height_um: m[3]!,
      her_mA_cm2: m[4]!, h2_mmol_cm2: m[5]!, ce: m[6]!, min_surface_c_M: m[7]!, cracked_fraction: m[8]!,
      // With the pH field (reduce_metrics.wgsl): the interfacial pH, and the by-product film's thickness (um).
      ...(ph ? { surface_pH: m[14]!, ...(ph.byproduct ? { byproduct_um: m[15]! } : {}) } : {}),
    };
  }

  /** Reduces the metrics on the GPU and reads back the small metrics buffer. */
  async metrics(): Promise<SeriesRow & { raw: Float32Array }> {
    this.e.begin();
    this.steps.encodeMetrics();
    const all = await readParts(this.e, this.pool, [{ buf: this.core.f.M, bytes: 64 }, ...this.solveStats(0)], READ_M.bytes, true);
    const m = new Float32Array(all, 0, 16);
    this.tuneFrom(all);
    return { ...this.rowOf(m, this.step), raw: m };
  }

  // ---- protocol runs (protocol-gpu.ts): the applied current between steps, xi's floor, the step log ----
  /**
   * The applied current (A/m2, signed) of the steps encoded from now on: a uniform write, which takes effect at the
   * next submit (so the steps of one submit share one current). setCoefficients puts back the scenario's.
   */
  setApplied(iApp: number): void {
    this.device.queue.writeBuffer(this.core.params, paramOffset("iApp"), new Float32Array([iApp]));
  }

  /**
   * Potential control (a sweep step): the electrode potential E_m (V vs Zn) of the steps encoded from now on, imposed
   * (the current is their output); null for the galvanostat. A uniform write, as setApplied's.
   */
  setImposed(E: number | null): void {
    const v = new ArrayBuffer(8);
    new Uint32Array(v, 0, 1)[0] = E === null ? 0 : 1;
    new Float32Array(v, 4, 1)[0] = E ?? 0;
    this.device.queue.writeBuffer(this.core.params, paramOffset("potentiostatic"), v);
  }

  /** xi's floor (a copper substrate's own metal, InitialState.xiFloor), or 0 everywhere (zinc). */
  setFloor(floor: Float32Array | null): void {
    const n = this.core.n;
    if (floor && floor.length !== n) throw new Error(`setFloor: ${floor.length} cells, the grid has ${n}`);
    this.device.queue.writeBuffer(this.core.f.xi, n * 4, floor ? new Float32Array(floor) : new Float32Array(n));
  }

  /** Advances `count` steps (at most LOG_STEPS) in one submit, logging each step's E_m and currents (readLogged). */
  advanceLogged(count: number): void {
    if (count > LOG_STEPS) throw new Error(`advanceLogged: ${count} steps, the step log holds ${LOG_STEPS}`);
    this.device.queue.writeBuffer(this.core.f.stepLog, 0, new Float32Array([0]));
    this.e.timestampWrites = undefined;
    this.e.begin();
    for (let k = 0; k < count; k++) {
      this.encodeStep();
      this.steps.encodeLog();
    }
    this.e.submit();
  }

  /**
   * The metrics now (their raw buffer: M[13] is the dead zinc, C/m2) and the step log of the last advanceLogged:
   * per step u = f E_m, the Zn and the HER current (A/m2), `count` steps; and xi's lowest `bottomRows` rows (row
   * by row from the substrate: what the zinc foil's check reads). One readback.
   */
  async readLogged(count: number, bottomRows = 0): Promise<{ row: SeriesRow; raw: Float32Array; log: Float32Array; bottom: Float32Array }> {
    this.e.begin();
    this.steps.encodeMetrics();
    const at = READ_M.bytes;
    const logBytes = 4 + 12 * count;
    const rows = Math.min(Math.max(0, Math.floor(bottomRows)), this.co.ny);
    const bottomBytes = rows * this.co.nx * 4;
    const all = await readParts(this.e, this.pool, [
      { buf: this.core.f.M, bytes: 64 }, ...this.solveStats(0), { buf: this.core.f.stepLog, bytes: logBytes, at },
      ...(bottomBytes > 0 ? [{ buf: this.core.f.xi, bytes: bottomBytes, at: at + logBytes }] : []),
    ], undefined, true);
    const raw = new Float32Array(all, 0, 16);
    this.tuneFrom(all);
    const log = new Float32Array(all, at, 1 + 3 * count);
    if (log[0] !== count) throw new Error(`readLogged: the step log holds ${log[0]} steps, ${count} were taken`);
    const bottom = new Float32Array(all, at + logBytes, bottomBytes / 4);
    return { row: this.rowOf(raw, this.step), raw, log: log.subarray(1), bottom };
  }

  // ---- a copy of the state on the GPU, to take back steps run past a protocol step's voltage limit (protocol-gpu.ts) ----
  private shadow: { from: GPUBuffer; to: GPUBuffer }[] | null = null;
  private shadowAt: { step: number; now: Iterations; used: Iterations; solved: boolean } | null = null;

  /**
   * Makes the snapshot's buffers (as many bytes again as every field, the scalars and the solves' iterates), if not
   * made yet: engineFor does it when the engine is built for a protocol with a voltage limit, so that a device short
   * of memory fails there, as for the engine's own buffers, not in the middle of a run.
   */
  reserveSnapshot(): void {
    const { f, scalars, phiSys, wSys } = this.core;
    this.shadow ??= [...Object.values(f), scalars, phiSys.X, ...(wSys ? [wSys.X] : [])]
      .map((from) => ({ from, to: this.core.alloc.buffer(from.size, storage()) }));
  }

  /**
   * Copies the state (reserveSnapshot's buffers) in one submit, before the steps encoded next; rollback puts it back.
   * The iteration budgets are kept with it, so the steps run again after a rollback repeat the first run's.
   */
  snapshot(): void {
    this.reserveSnapshot();
    this.e.begin();
    for (const { from, to } of this.shadow!) this.e.copy(from, to, from.size, 0, 0, false);
    this.e.submit();
    this.shadowAt = { step: this.step, now: { ...this.iters.now }, used: { ...this.iters.used }, solved: this.solvedSinceReadback };
  }

  /** The state snapshot took, back, at its step, with the iteration budgets it had (the steps since are undone). */
  rollback(): void {
    const at = this.shadowAt;
    if (!this.shadow || !at) throw new Error("rollback: no snapshot taken");
    this.e.begin();
    for (const { from, to } of this.shadow) this.e.copy(to, from, from.size, 0, 0, false);
    this.e.submit();
    this.step = at.step;
    Object.assign(this.iters.now, at.now);
    Object.assign(this.iters.used, at.used);
    this.solvedSinceReadback = at.solved;
  }

  // ---- the scenario's samples, for the page (its charts and CSV hold the runner's samples at any speed) ----
  /** Samples encoded and not yet read back, by step; at most SAMPLE_SLOTS (see sampleRoom). */
  private readonly sampleSteps: number[] = [];
  private sampleBuf: GPUBuffer | null = null;

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
    this.sampleBuf ??= this.core.alloc.buffer(SAMPLE_SLOTS * 64, GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC);
    this.e.timestampWrites = undefined;
    this.e.begin();
    for (let k = 0; k < count; k++) {
      this.encodeStep();
      if (this.step % this.co.stepsPerSample === 0) {
        this.steps.encodeMetrics();
        this.e.copy(this.core.f.M, this.sampleBuf, 64, 0, this.sampleSteps.length * 64);
        this.sampleSteps.push(this.step);
      }
    }
    this.e.submit();
  }

  /** The samples advanceSampled encoded since the last call, in order (one readback, with the solves' scalars). */
  async readSamples(): Promise<SeriesRow[]> {
    const steps = this.sampleSteps.splice(0);
    if (!steps.length && !this.solvedSinceReadback) return [];
    // The samples' slots, then the solves' scalars.
    const stats = SAMPLE_SLOTS * 64;
    const samples: Part[] = steps.length ? [{ buf: this.sampleBuf!, bytes: steps.length * 64 }] : [];
    this.e.begin();
    const all = await readParts(this.e, this.pool, [...samples, ...this.solveStats(stats)], stats + READ_M.bytes, true);
    this.tuneFrom(all, stats);
    return steps.map((step, k) => this.rowOf(new Float32Array(all, k * 64, 16), step));
  }

  /**
   * Where a step's GPU time goes, for the benchmark: records one step's dispatches, then replays them (profile.ts)
   * all together, each kernel's alone, each multigrid kernel's on each level alone, and with every solve converged
   * from the start (`idle`: the floor). Wall time from encoding to done and, where the device has timestamps, the
   * GPU's time; the best of `repeats`. Changes the state (a benchmark's engine only).
   */
  async profileStep(repeats = 3): Promise<StepProfile> {
    this.e.recording = [];
    this.advance(1);
    const rec = this.e.recording;
    this.e.recording = null;
    return profileDispatches(this.device, this.core.pipe, [this.core.phiSys, this.core.cSys], rec, repeats);
  }

  /** Reads `parts` back in one submit (after the passes `encode` adds). */
  private read(parts: Part[], encode?: () => void): Promise<ArrayBuffer> {
    this.e.begin();
    encode?.();
    return readParts(this.e, this.pool, parts);
  }

  /** All the state, in the CPU reference's checkpoint format (so either backend can resume it). */
  checkpoint(): Promise<Checkpoint> {
    return readCheckpoint(this.core, this.e, this.pool, this.co, this.step);
  }

  /**
   * Restarts from a checkpoint taken on either backend; throws, naming what does not fit (the CPU solver's own
   * checks, checkCheckpoint: grid, a whole step, each array's length, finite values), before writing anything.
   */
  restore(cp: Checkpoint): void {
    writeCheckpoint(this.core, this.co, cp);
    this.step = cp.step;
  }

  /**
   * The field coloured on the GPU (render_field.wgsl), RGBA8 with the reservoir row first (only this small image
   * comes back). `band`: the coating band is drawn band[1] - band[0] cells thick (none where 0), draped over the
   * deposit's tops as the last step's column pass found them (cols slot 5, read by the shader: every frame draws the
   * band where the model has it, with no readback; tops() reads the same); `layer` 0 deposit, 1 concentration (lo..hi in M),
   * 2 potential (lo..hi in V), 3 coating integrity, 4 the HER current of each cell per electrode area (lo..hi in
   * mA/cm2, over decades), 5 the pH (lo..hi in pH), 6 the by-product film in each cell (lo..hi in um, over decades); the
   * deposit layer's band lighter where stretched (its column's strain over crackStrain).
   */
  async image(band: [number, number] = [0, 0], layer = 0, lo = 0, hi = 1, alphaXi = false): Promise<Uint8ClampedArray<ArrayBuffer>> {
    const view = (this.view ??= createView(this.core));
    const n = this.core.n;
    const u = new ArrayBuffer(VIEW_BYTES);
    new Uint32Array(u, 0, 2).set([this.co.nx, this.co.ny]);
    new Float32Array(u, 8, 2).set(band);
    new Uint32Array(u, 16, 1)[0] = layer;
    const ph = this.co.ph;
    new Float32Array(u, 20, 10).set([
      lo, hi, alphaXi ? 1 : 0, this.co.c0 / 1000, herToMaCm2(this.co), ph?.byproduct ? 1 : 0, ph ? 1 : 0, ph ? alkalinityOf(ph.pH0) : 0,
      crackStrain(this.co), this.co.dx * 1e6,
    ]);
    this.device.queue.writeBuffer(view.uniform, 0, u);
    const pixels = await this.read([{ buf: view.pixels, bytes: n * 4 }], () => {
      this.e.dispatchFlat("colorize", [view.group], Math.ceil(n / 64), undefined, 1, false);
    });
    return new Uint8ClampedArray(pixels);
  }

  /**
   * One cell's metal fraction, c / c0, potential (V), HER volume current (A/m3, react.z S[EH] as the HER layer
   * colours it) and its column's coating integrity: six 4-byte reads, for the hover read-out; with the pH field its
   * alkalinity's deviation from the reservoir's dw (mol/m3) and with the by-product its amount m (mol/m3) too.
   */
  async probe(i: number, j: number): Promise<{ xi: number; c: number; phi: number; her: number; integrity: number; dw?: number; m?: number }> {
    const ci = Math.max(0, Math.min(this.co.nx - 1, i));
    const k = Math.max(0, Math.min(this.co.ny - 1, j)) * this.co.nx + ci;
    const f = this.core.f;
    const at = (buf: GPUBuffer, offset: number): Part => ({ buf, offset, bytes: 4 });
    const v = new Float32Array(await this.read([
      at(f.xi, k * 4), at(f.c, k * 4), at(f.phi, k * 4), at(f.react, k * 16 + 8), at(this.core.scalars, S.EH * 4), at(f.cols, ci * 32 + 4),
      // The c buffer's third and fourth fields (ph.wgsl): dw and m, where the run has them.
      ...(this.co.ph ? [at(f.c, (2 * this.core.n + k) * 4)] : []), ...(this.co.ph?.byproduct ? [at(f.c, (3 * this.core.n + k) * 4)] : []),
    ]));
    return {
      xi: v[0]!, c: 1 + v[1]!, phi: v[2]!, her: v[3]! * v[4]!, integrity: v[5]!,
      ...(this.co.ph ? { dw: v[6]! } : {}), ...(this.co.ph?.byproduct ? { m: v[7]! } : {}),
    };
  }

  /** The scaled potential and the metal fraction of every cell (j = 0 at the electrode), for the current lines. */
  /** The dead-zinc mask (shaders/dead.wgsl: the xi buffer's third field), 1 where a cell takes no electrons. */
  async deadMask(): Promise<Uint8Array<ArrayBuffer>> {
    const n = this.core.n;
    const m = new Float32Array(await this.read([{ buf: this.core.f.xi, offset: 2 * n * 4, bytes: n * 4 }]));
    return Uint8Array.from(m, (v) => (v > 0.5 ? 1 : 0));
  }

  async potentialFields(): Promise<{ phi: Float32Array<ArrayBuffer>; xi: Float32Array<ArrayBuffer> }> {
    const n = this.core.n;
    const all = await this.read([{ buf: this.core.f.phi, bytes: n * 4 }, { buf: this.core.f.xi, bytes: n * 4 }]);
    return { phi: new Float32Array(all.slice(0, n * 4)), xi: new Float32Array(all.slice(n * 4)) };
  }

  /** The lowest electrolyte potential along the bottom row (scaled units), for the potential legend. */
  async phiFloor(): Promise<number> {
    const row = new Float32Array(await this.read([{ buf: this.core.f.phi, bytes: this.co.nx * 4 }]));
    return row.reduce((a, b) => Math.min(a, b), Infinity);
  }

  /** Where the coating band sits now (cells from the bottom), for the field view. */
  async band(): Promise<[number, number]> {
    if (!this.co.hasCoating) return [0, 0];
    const s = new Float32Array(await this.read([{ buf: this.core.scalars, bytes: SCALAR_SLOTS * 4 }]));
    return [s[S.MEAN]!, s[S.MEAN]! + this.co.bandCells];
  }

  /**
   * Each column's deposit top in cells (where xi crosses 0.5; 0 where it holds no metal) as the last step's column
   * pass found it (cols slot 5): what render_field.wgsl drapes the coating band over.
   */
  async tops(): Promise<Float32Array<ArrayBuffer>> {
    const nx = this.co.nx;
    const cols = new Float32Array(await this.read([{ buf: this.core.f.cols, bytes: nx * 32 }]));
    return Float32Array.from({ length: nx }, (_, i) => cols[i * 8 + 5]!);
  }

  /** Readbacks so far and the bytes they mapped, all reads of the engine together (the staging pool's count). */
  get readbacks(): { reads: number; bytes: number } {
    return { reads: this.pool.reads, bytes: this.pool.bytes };
  }

  /** Destroys every buffer the engine made, the staging pool's too. */
  destroy(): void {
    this.core.alloc.destroy();
    this.pool.destroy();
  }
}
