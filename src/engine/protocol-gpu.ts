/**
 * A protocol run on the WGSL engine (docs/MODEL.md, "Protocols"; the mirror of src/reference/protocolRun.ts): the
 * same clock, per-cycle table, rows and sample times. The applied current is a uniform, so the steps go in batches
 * of one current: a batch ends where the protocol's step ends by time or capacity (known in advance from the
 * clock; its last time step, scaled to meet the limit exactly, is a batch of its own), at a sample, and, while the
 * step has a voltage limit, every `voltageEvery` steps: E_m is read back with each batch (the step log keeps every
 * step's E_m and currents for the table), and a voltage limit ends a step only at a batch's end.
 */
import { coefficients } from "../model/coefficients.ts";
import { CycleLog, protocolRow, type CycleRow } from "../model/cycleLog.ts";
import { initialState } from "../model/initial.ts";
import type { ProtocolRow } from "../model/metrics.ts";
import { ProtocolClock } from "../model/protocolClock.ts";
import { foilStopReason, runStopReason } from "../model/runStop.ts";
import { gpuRefusal, type Scenario } from "../model/scenario.ts";
import { ProtocolStoppedError } from "../reference/protocolRun.ts";
import { CpuSolver } from "../reference/solver.ts";
import { GpuEngine, type EngineOptions, type ShaderSources } from "./engine.ts";
import { LOG_STEPS } from "./resources.ts";

/** Steps between readbacks while a step has a voltage limit, unless the options say otherwise. */
export const VOLTAGE_EVERY = 8;

export interface ProtocolGpuOptions extends EngineOptions {
  onSample?: (done: number, total: number, row: ProtocolRow) => void;
  /** Steps between readbacks (E_m checks) while a step has a voltage limit (default VOLTAGE_EVERY). */
  voltageEvery?: number;
  /** Runs from this engine (its state as it is: e.g. a checkpoint restored into it) instead of a new one. */
  engine?: GpuEngine;
}

export interface ProtocolGpuResult {
  series: ProtocolRow[];
  cycles: CycleRow[];
  engine: GpuEngine;
}

/** The engine at the scenario's initial state (the CPU reference's), with xi's floor on copper; no refusal. */
export function engineFor(device: GPUDevice, s: Scenario, src: ShaderSources, opts?: EngineOptions): GpuEngine {
  const co = coefficients(s);
  const init = initialState(co, s.seed);
  const engine = new GpuEngine(device, co, new CpuSolver(co, init).checkpoint(), src, opts);
  engine.setFloor(init.xiFloor);
  return engine;
}

export async function runProtocolGpu(device: GPUDevice, s: Scenario, src: ShaderSources, opts: ProtocolGpuOptions = {}): Promise<ProtocolGpuResult> {
  const refusal = gpuRefusal(s);
  if (refusal) throw new Error(refusal);
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
  const dt = co.dt;
  const clock = new ProtocolClock(s);
  const probe = new ProtocolClock(s);
  const log = new CycleLog();
  const series: ProtocolRow[] = [];
  const perCycle = clock.perCycle.length;
  const voltageEvery = Math.max(1, opts.voltageEvery ?? VOLTAGE_EVERY);
  let sinceSample = 0;
  while (!clock.done) {
    const applied = clock.current(dt);
    const limit = Math.min(co.stepsPerSample - sinceSample, LOG_STEPS, clock.step.voltage_V !== null ? voltageEvery : Infinity);
    const n = batchLength(probe, clock, dt, applied, limit);
    engine.setApplied(applied);
    engine.advanceLogged(n);
    const { row, raw, log: steps } = await engine.readLogged(n);
    const dead = raw[13]!;
    for (let k = 0; k < n; k++) {
      const st = clock.step;
      const E = steps[3 * k]! / co.fNRT;
      const iZn = steps[3 * k + 1]!, iH = steps[3 * k + 2]!;
      // The charge the electrode passed: the applied one, less what cells that ran out of zinc could not give.
      log.record(st, dt, iZn + iH, E, iH);
      // E_m counts for a voltage limit only where it was read back: at the batch's end.
      const end = clock.advance(dt, applied, k === n - 1 ? E : NaN);
      if (!end) continue;
      if (k !== n - 1) throw new Error(`runProtocolGpu: step ${st.index + 1} of cycle ${st.cycle + 1} ended inside a batch (${k + 1} of ${n})`);
      log.stepEnded(end.ended, end.why, row.max_height_um);
      if (end.ended.index === perCycle - 1) log.cycleEnded(dead, false);
    }
    sinceSample += n;
    if (sinceSample < co.stepsPerSample && !clock.done) continue;
    sinceSample = 0;
    const sample = protocolRow(row, dead, clock, log, applied);
    series.push(sample);
    opts.onSample?.(series.length, co.samples, sample);
    const stop = runStopReason(sample, s) ?? foilStopReason((await engine.potentialFields()).xi, co);
    if (stop) {
      // The cycle in progress ends here, short.
      log.cycleEnded(dead, true);
      throw new ProtocolStoppedError(stop, series, [...log.rows]);
    }
  }
  return { series, cycles: [...log.rows], engine };
}

/**
 * Time steps from the clock's state at the current `applied`, at most `limit`: up to and including the one where
 * the protocol's step ends by time or capacity, and not into one whose current differs (a scaled last step).
 */
function batchLength(probe: ProtocolClock, clock: ProtocolClock, dt: number, applied: number, limit: number): number {
  probe.state = { ...clock.state };
  let n = 0;
  while (n < limit) {
    n++;
    if (probe.advance(dt, applied, NaN) || probe.current(dt) !== applied) break;
  }
  return n;
}
