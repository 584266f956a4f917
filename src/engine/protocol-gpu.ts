/**
 * A protocol run on the WGSL engine (docs/MODEL.md, "Protocols"; the mirror of src/reference/protocolRun.ts): the
 * same clock, per-cycle table, rows and sample times. The applied current is a uniform, so the steps go in batches
 * of one current: a batch ends where the protocol's step ends by time or capacity (known in advance from the
 * clock; its last time step, scaled to meet the limit exactly, is a batch of its own) and at a sample. E_m is read
 * back with each batch (the step log keeps every step's E_m and currents for the table); where it reached a step's
 * voltage limit inside a batch, the batch is taken back to a snapshot and run again up to that step (protocolBatch).
 */
import { coefficients } from "../model/coefficients.ts";
import type { CycleRow } from "../model/cycleLog.ts";
import { initialState } from "../model/initial.ts";
import type { ProtocolRow } from "../model/metrics.ts";
import { ProtocolDriver } from "../model/protocolDriver.ts";
import { foilRows, foilStopReason, runStopReason } from "../model/runStop.ts";
import type { Scenario } from "../model/scenario.ts";
import { checkProtocolResume, ProtocolStoppedError, type ProtocolRunState } from "../reference/protocolRun.ts";
import { CpuSolver } from "../reference/solver.ts";
import { GpuEngine, type EngineOptions, type ShaderSources } from "./engine.ts";
import { LOG_STEPS } from "./resources.ts";
import { sampleTime } from "../model/metrics.ts";
import type { PolarizationPoint } from "../model/tafel.ts";

export interface ProtocolGpuOptions extends EngineOptions {
  onSample?: (done: number, total: number, row: ProtocolRow) => void;
  /** Runs from this engine (its state as it is: e.g. a checkpoint restored into it) instead of a new one. */
  engine?: GpuEngine;
  /** Continues from this state taken at a sample (on either backend): its samples kept, the engine restored. */
  resume?: ProtocolRunState;
  /**
   * After each sample: the state to continue from (taken only when called: the engine's copy is submitted then, with
   * the driver's state as it is, before any later step); `done`: the protocol has ended. Awaited before the next step.
   */
  save?: (state: () => Promise<ProtocolRunState>, done: boolean) => void | Promise<void>;
}

export interface ProtocolGpuResult {
  series: ProtocolRow[];
  cycles: CycleRow[];
  /** The sweep steps' polarization curve, a point a time step (empty without a sweep; not kept across a resume). */
  polarization: PolarizationPoint[];
  engine: GpuEngine;
}

/** The engine at the scenario's initial state (the CPU reference's), with xi's floor on copper. */
export function engineFor(device: GPUDevice, s: Scenario, src: ShaderSources, opts?: EngineOptions): GpuEngine {
  const co = coefficients(s);
  const init = initialState(co, s.seed);
  const engine = new GpuEngine(device, co, new CpuSolver(co, init).checkpoint(), src, opts);
  engine.setFloor(init.xiFloor);
  // A step with a voltage limit runs from snapshots (protocolBatch): their buffers now, with the engine's.
  if (s.protocol?.some((st) => st.until.voltage_V !== undefined)) engine.reserveSnapshot();
  return engine;
}

export async function runProtocolGpu(device: GPUDevice, s: Scenario, src: ShaderSources, opts: ProtocolGpuOptions = {}): Promise<ProtocolGpuResult> {
  const engine = opts.engine ?? engineFor(device, s, src, opts);
  try {
    return await protocolBatches(engine, s, opts);
  } catch (e) {
    if (!opts.engine) engine.destroy();
    throw e;
  }
}

async function protocolBatches(engine: GpuEngine, s: Scenario, opts: ProtocolGpuOptions): Promise<ProtocolGpuResult> {
  const co = engine.co;
  const driver = new ProtocolDriver(s, co.dt, co.stepsPerSample);
  const series: ProtocolRow[] = [];
  if (opts.resume) {
    checkProtocolResume(opts.resume, co, driver.clock);
    engine.restore(opts.resume.checkpoint);
    series.push(...opts.resume.series);
    driver.state = { clock: opts.resume.clock, log: opts.resume.log, sinceSample: 0 };
  }
  const polarization: PolarizationPoint[] = [];
  while (!driver.done) {
    const sample = await protocolBatch(engine, driver, LOG_STEPS, polarization);
    if (!sample) continue;
    series.push(sample.row);
    opts.onSample?.(series.length, co.samples, sample.row);
    const stop = runStopReason(sample.row, s) ?? foilStopReason(sample.bottom, co);
    if (stop) throw new ProtocolStoppedError(stop, series, driver.stopped(sample.dead));
    await opts.save?.(() => {
      const { clock, log } = driver.state;
      const rows = [...series];
      return engine.checkpoint().then((checkpoint) => ({ series: rows, checkpoint, clock, log }));
    }, driver.done);
  }
  return { series, cycles: [...driver.cycles], polarization, engine };
}

/**
 * One batch of at most `limit` steps of the driver's protocol on the engine (one submit, one readback): the sample
 * row where one is due, the dead zinc (C/m2) then and xi's lowest rows (foilStopReason's), else null. The page's GPU
 * backend steps the same way. A step with a voltage limit runs batches as long as any other's, each from a snapshot
 * of the state on the GPU: where E_m reached the limit before the batch's last step, the snapshot is put back and
 * the steps up to the one that reached it run again, so the step ends at the CPU's step (a second submit and
 * readback, once a limited step).
 */
export async function protocolBatch(
  engine: GpuEngine, driver: ProtocolDriver, limit: number, curve?: PolarizationPoint[],
): Promise<{ row: ProtocolRow; dead: number; bottom: Float32Array } | null> {
  // A sweep imposes E_m, which moves every time step: a batch of one step each (as the CPU's), E_m a uniform.
  const sweep = !!driver.clock.step.sweep;
  const limited = driver.voltageLimited;
  const { applied, n } = driver.plan(sweep ? 1 : Math.min(limit, LOG_STEPS));
  const imposed = driver.clock.potential(engine.co.dt);
  engine.setApplied(applied);
  engine.setImposed(imposed);
  // A batch of one step has nothing to take back.
  if (limited && n > 1) engine.snapshot();
  engine.advanceLogged(n);
  const rows = foilRows(engine.co);
  let read = await engine.readLogged(n, rows);
  let taken = n;
  const k = n > 1 ? driver.crossing(n, read.log, engine.co.fNRT) : -1;
  if (k >= 0 && k < n - 1) {
    engine.rollback();
    // The page may have written the scenario's parameters (a slider moved) while the batch was read back.
    engine.setApplied(applied);
    engine.setImposed(imposed);
    taken = k + 1;
    engine.advanceLogged(taken);
    read = await engine.readLogged(taken, rows);
  }
  const { row, raw, log, bottom } = read;
  const dead = raw[13]!;
  if (sweep && curve) {
    // The step log's u = f E_m and the Zn and HER currents: the polarization curve's point (protocolRun.ts).
    const [u, iZn, iH] = [log[0]!, log[1]!, log[2]!];
    curve.push({ t_s: sampleTime(engine.step, engine.co.dt), E_V: u / engine.co.fNRT, i_A_m2: iZn + iH, iZn_A_m2: iZn, iH_A_m2: iH });
  }
  const sample = driver.took(taken, log, engine.co.fNRT, { metrics: () => row, dead: () => dead });
  return sample && { row: sample, dead, bottom };
}

/**
 * Up to `steps` time steps of the driver's protocol on the engine, in batches (protocolBatch), and the samples they
 * crossed; stops early where the protocol ends. `foil`: where a sample finds the zinc foil used up (foilStopReason,
 * on the rows the batch's readback brought), its reason, and no steps after it.
 */
export async function protocolAdvance(engine: GpuEngine, driver: ProtocolDriver, steps: number): Promise<{ rows: ProtocolRow[]; foil: string | null }> {
  const rows: ProtocolRow[] = [];
  let left = Math.floor(steps);
  while (left > 0 && !driver.done) {
    const before = engine.step;
    const sample = await protocolBatch(engine, driver, left);
    left -= engine.step - before;
    if (!sample) continue;
    rows.push(sample.row);
    const foil = foilStopReason(sample.bottom, engine.co);
    if (foil) return { rows, foil };
  }
  return { rows, foil: null };
}
