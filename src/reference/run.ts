/** Runs a scenario on the CPU reference solver and collects the series. */
import { coefficients } from "../model/coefficients.ts";
import { initialState } from "../model/initial.ts";
import type { SeriesRow } from "../model/metrics.ts";
import { ScenarioError, type Scenario } from "../model/scenario.ts";
import type { Coefficients } from "../model/coefficients.ts";
import { checkCheckpoint, CpuSolver, type Checkpoint, type CpuSolverOptions } from "./solver.ts";
import { checkResumedStop, RunStoppedError, runStopReason } from "../model/runStop.ts";
import { ProtocolStoppedError, runProtocolCpu } from "./protocolRun.ts";
import { cycleFigures, type CycleRow } from "../model/cycleLog.ts";

/** A run cut off after some samples: the samples so far and the state at the end of the last of them. */
export interface PartialRun {
  series: SeriesRow[];
  checkpoint: Checkpoint;
}

/** `CP`: what taking the state gives (the CPU's is at hand; the GPU's comes back from the device). */
export interface RunOptions<CP = Checkpoint> {
  /** Called after each sample with (rows done, rows in all). */
  onSample?: (done: number, total: number, row: SeriesRow) => void;
  /** Continue this run instead of starting it (see checkResume). */
  resume?: PartialRun;
  /** Called after each sample with the series so far and a way to take the state, for periodic checkpoints. */
  save?: (series: readonly SeriesRow[], checkpoint: () => CP) => void | Promise<void>;
  /** The CPU run's threads (CpuSolverOptions.threads; 1 when not given). */
  threads?: number;
}

export function createCpuSolver(s: Scenario, opts: CpuSolverOptions = {}): CpuSolver {
  const co = coefficients(s);
  return new CpuSolver(co, initialState(co, s.seed), opts);
}

/**
 * Throws, naming what does not fit, unless `r` can continue a run of a scenario with these samples: at most that
 * many samples, each at its time (sample i at i x steps per sample x dt), a state that fits the grid (grid, sizes,
 * finite values: checkCheckpoint) at the end of the last of them (step = samples done x steps per sample).
 */
export function checkResume(r: PartialRun, co: Pick<Coefficients, "samples" | "stepsPerSample" | "dt" | "nx" | "ny">): void {
  const { samples, stepsPerSample, dt } = co;
  if (r.series.length > samples) throw new Error(`it holds ${r.series.length} samples; the scenario has ${samples}`);
  r.series.forEach((row, i) => {
    const t = (i + 1) * stepsPerSample * dt;
    if (!(Math.abs(row.t_s - t) <= 1e-9 * t)) throw new Error(`its sample ${i + 1} is at t = ${row.t_s} s; this scenario samples at t = ${t} s`);
  });
  const want = r.series.length * stepsPerSample;
  if (r.checkpoint.step !== want) {
    throw new Error(`its state is at step ${r.checkpoint.step}, but ${r.series.length} samples of ${stepsPerSample} steps end at step ${want}`);
  }
  checkCheckpoint(r.checkpoint, co.nx, co.ny);
}

/**
 * A sweep point's run: its series, or, where it cannot go on (RunStoppedError: a dendrite across the cell), its
 * samples up to that point and why, so that the sweep records the point and goes on to the next.
 */
export function runSweepPoint(s: Scenario): { series: SeriesRow[]; stopped: string | null } {
  if (s.protocol) return protocolSweepPoint(s);
  try {
    return { series: runCpu(s).series, stopped: null };
  } catch (e) {
    if (e instanceof RunStoppedError) return { series: e.series, stopped: e.message };
    throw e;
  }
}

/** A protocol's sweep point: its series, the last row carrying the cycle figures (cycleFigures) as well. */
function protocolSweepPoint(s: Scenario): { series: SeriesRow[]; stopped: string | null } {
  let series: SeriesRow[], cycles: CycleRow[], stopped: string | null = null;
  try {
    ({ series, cycles } = runProtocolCpu(s));
  } catch (e) {
    if (!(e instanceof ProtocolStoppedError)) throw e;
    ({ series, cycles } = e);
    stopped = e.message;
  }
  const last = series.length - 1;
  if (last >= 0) series = [...series.slice(0, last), { ...series[last]!, ...cycleFigures(cycles) }];
  return { series, stopped };
}

export function runCpu(s: Scenario, opts: RunOptions = {}): { series: SeriesRow[]; solver: CpuSolver } {
  if (s.protocol) throw new ScenarioError("runCpu plates at one current: a scenario with a protocol runs through runProtocolCpu (protocolRun.ts)");
  const solver = createCpuSolver(s, { threads: opts.threads });
  try {
    return runSteps(solver, s, opts);
  } finally {
    solver.close();
  }
}

function runSteps(solver: CpuSolver, s: Scenario, opts: RunOptions): { series: SeriesRow[]; solver: CpuSolver } {
  const { samples, stepsPerSample } = solver.co;
  const series: SeriesRow[] = [];
  if (opts.resume) {
    checkResume(opts.resume, solver.co);
    solver.restore(opts.resume.checkpoint);
    series.push(...opts.resume.series);
    checkResumedStop(series, s);
  }
  for (let k = series.length; k < samples; k++) {
    for (let q = 0; q < stepsPerSample; q++) solver.advance();
    const row = solver.metrics();
    series.push(row);
    opts.onSample?.(k + 1, samples, row);
    void opts.save?.(series, () => solver.checkpoint());
    const stop = runStopReason(row, s);
    if (stop) throw new RunStoppedError(stop, series);
  }
  return { series, solver };
}
