/**
 * A protocol run on the CPU reference solver (docs/MODEL.md, "Protocols"): each time step's current from the
 * protocol's clock, a sample every stepsPerSample steps and one where the protocol ends, the per-cycle table as the
 * cycles end. Continues exactly from a ProtocolRunState taken at a sample (the solver's checkpoint, the clock's and
 * the table's state).
 */
import type { CycleLogState, CycleRow } from "../model/cycleLog.ts";
import type { ProtocolClock, ClockState } from "../model/protocolClock.ts";
import { ProtocolDriver } from "../model/protocolDriver.ts";
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
  const driver = new ProtocolDriver(s, co.dt, co.stepsPerSample);
  const series: ProtocolRow[] = [];
  if (opts.resume) {
    checkProtocolResume(opts.resume, co, driver.clock);
    solver.restore(opts.resume.checkpoint);
    series.push(...opts.resume.series);
    driver.state = { clock: opts.resume.clock, log: opts.resume.log, sinceSample: 0 };
  }
  const polarization: PolarizationPoint[] = [];
  while (!driver.done) {
    const sweep = driver.clock.step.sweep;
    const row = cpuProtocolStep(solver, driver);
    if (sweep) {
      const { lastIZn: iZn, lastIH: iH } = solver;
      polarization.push({ t_s: sampleTime(solver.step, co.dt), E_V: solver.u / co.fNRT, i_A_m2: iZn + iH, iZn_A_m2: iZn, iH_A_m2: iH });
    }
    if (!row) continue;
    series.push(row);
    opts.onSample?.(series.length, co.samples, row);
    const stop = runStopReason(row, s) ?? foilStopReason(solver.xi, co);
    if (stop) throw new ProtocolStoppedError(stop, series, driver.stopped(solver.deadZincCharge()));
    opts.save?.(() => ({ series: [...series], checkpoint: solver.checkpoint(), clock: driver.state.clock, log: driver.state.log }), driver.done);
  }
  return { series, cycles: [...driver.cycles], polarization, solver };
}

/**
 * One time step of the driver's protocol on the CPU solver (E is known every step: a batch of one); the sample row
 * where one is due, else null. The page's CPU worker steps the same way.
 */
export function cpuProtocolStep(solver: CpuSolver, driver: ProtocolDriver): ProtocolRow | null {
  const { applied } = driver.plan(1);
  // A sweep imposes E_m (potential control); the galvanostat otherwise solves it from the applied current.
  solver.eImposed = driver.clock.potential(solver.co.dt);
  solver.iApp = applied;
  solver.advance();
  return driver.took(1, [solver.u, solver.lastIZn, solver.lastIH], solver.co.fNRT, { metrics: () => solver.metrics(), dead: () => solver.deadZincCharge() });
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
