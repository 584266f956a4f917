/**
 * A protocol run on the CPU reference solver (docs/MODEL.md, "Protocols"): each time step's current from the
 * protocol's clock, a sample every stepsPerSample steps and one where the protocol ends, the per-cycle table as the
 * cycles end. Continues exactly from a ProtocolRunState taken at a sample (the solver's checkpoint, the clock's and
 * the table's state).
 */
import { CycleLog, protocolRow, type CycleLogState, type CycleRow } from "../model/cycleLog.ts";
import { ProtocolClock, type ClockState } from "../model/protocolClock.ts";
import type { ProtocolRow } from "../model/metrics.ts";
import { foilStopReason, RunStoppedError, runStopReason } from "../model/runStop.ts";
import type { Scenario } from "../model/scenario.ts";
import { createCpuSolver } from "./run.ts";
import { checkCheckpoint, type Checkpoint, type CpuSolver } from "./solver.ts";
import type { Coefficients } from "../model/coefficients.ts";
import { sampleTime } from "../model/metrics.ts";
import type { PolarizationPoint } from "../model/tafel.ts";

/** Everything a protocol run needs to continue from a sample. */
export interface ProtocolRunState {
  series: ProtocolRow[];
  checkpoint: Checkpoint;
  clock: ClockState;
  log: CycleLogState;
}

export interface ProtocolRunOptions {
  onSample?: (done: number, total: number, row: ProtocolRow) => void;
  /** After each sample: the state to continue from (taken only when called); `done`: the protocol has ended. */
  save?: (state: () => ProtocolRunState, done: boolean) => void;
  resume?: ProtocolRunState;
  threads?: number;
}

export interface ProtocolRunResult {
  series: ProtocolRow[];
  cycles: CycleRow[];
  /** The sweep steps' polarization curve, a point a time step (empty without a sweep; not kept across a resume). */
  polarization: PolarizationPoint[];
  solver: CpuSolver;
}

/** Thrown where a protocol run cannot go on: its samples and its cycles so far (the last one marked short). */
export class ProtocolStoppedError extends RunStoppedError {
  constructor(reason: string, series: ProtocolRow[], readonly cycles: CycleRow[]) {
    super(reason, series);
  }
}

export function runProtocolCpu(s: Scenario, opts: ProtocolRunOptions = {}): ProtocolRunResult {
  const solver = createCpuSolver(s, { threads: opts.threads });
  try {
    return protocolSteps(solver, s, opts);
  } finally {
    solver.close();
  }
}

function protocolSteps(solver: CpuSolver, s: Scenario, opts: ProtocolRunOptions): ProtocolRunResult {
  const co = solver.co;
  const clock = new ProtocolClock(s);
  const log = new CycleLog();
  const series: ProtocolRow[] = [];
  if (opts.resume) {
    checkProtocolResume(opts.resume, co, clock);
    solver.restore(opts.resume.checkpoint);
    series.push(...opts.resume.series);
    clock.state = { ...opts.resume.clock };
    log.state = structuredClone(opts.resume.log);
  }
  const perCycle = clock.perCycle.length;
  let sinceSample = 0;
  let applied = 0;
  const polarization: PolarizationPoint[] = [];
  while (!clock.done) {
    const st = clock.step;
    // A sweep imposes E_m (potential control); the galvanostat otherwise solves it from the applied current.
    solver.eImposed = clock.potential(co.dt);
    applied = clock.current(co.dt);
    solver.iApp = applied;
    solver.advance();
    const E = solver.u / co.fNRT;
    // The charge the electrode passed: the applied one, less what cells that ran out of zinc could not give.
    const passed = solver.lastIZn + solver.lastIH;
    log.record(st, co.dt, passed, E, solver.lastIH);
    if (st.sweep) {
      applied = passed;
      polarization.push({ t_s: sampleTime(solver.step, co.dt), E_V: E, i_A_m2: passed, iZn_A_m2: solver.lastIZn, iH_A_m2: solver.lastIH });
    }
    const end = clock.advance(co.dt, applied, E);
    if (end) {
      log.stepEnded(end.ended, end.why, solver.metrics().max_height_um);
      if (end.ended.index === perCycle - 1) log.cycleEnded(solver.deadZincCharge(), false);
    }
    if (++sinceSample < co.stepsPerSample && !clock.done) continue;
    sinceSample = 0;
    const row = protocolRow(solver.metrics(), solver.deadZincCharge(), clock, log, applied);
    series.push(row);
    opts.onSample?.(series.length, co.samples, row);
    const stop = runStopReason(row, s) ?? foilStopReason(solver.xi, co);
    if (stop) {
      // The cycle in progress ends here, short.
      log.cycleEnded(solver.deadZincCharge(), true);
      throw new ProtocolStoppedError(stop, series, [...log.rows]);
    }
    opts.save?.(() => ({ series: [...series], checkpoint: solver.checkpoint(), clock: { ...clock.state }, log: structuredClone(log.state) }), clock.done);
  }
  return { series, cycles: [...log.rows], polarization, solver };
}

/**
 * Throws, naming what does not fit, unless `r` continues a protocol run with these coefficients: no more samples than
 * the run has, each at its time (sample i at i x stepsPerSample x dt, but for a last one where the protocol ended), the
 * solver's state at the end of the last of them, a clock within the protocol.
 */
export function checkProtocolResume(r: ProtocolRunState, co: Pick<Coefficients, "samples" | "stepsPerSample" | "dt" | "nx" | "ny">, clock: ProtocolClock): void {
  const { samples, stepsPerSample, dt } = co;
  const total = clock.cycles * clock.perCycle.length;
  if (r.clock.k > total) throw new Error(`its protocol clock is at step ${r.clock.k + 1}; the protocol has ${total}`);
  const ended = r.clock.k === total;
  // Each step's last time step may run past its bound: up to one more sample a step.
  if (r.series.length > samples + total) throw new Error(`it holds ${r.series.length} samples; the scenario has at most ${samples + total}`);
  r.series.forEach((row, i) => {
    const t = (i + 1) * stepsPerSample * dt;
    if (ended && i === r.series.length - 1) return;
    if (!(Math.abs(row.t_s - t) <= 1e-9 * t)) throw new Error(`its sample ${i + 1} is at t = ${row.t_s} s; this scenario samples at t = ${t} s`);
  });
  const want = r.series.length * stepsPerSample;
  if (!ended && r.checkpoint.step !== want) throw new Error(`its state is at step ${r.checkpoint.step}, but ${r.series.length} samples of ${stepsPerSample} steps end at step ${want}`);
  checkCheckpoint(r.checkpoint, co.nx, co.ny);
}
