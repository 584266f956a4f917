/** Runs a scenario on the CPU reference solver and collects the series. */
import { coefficients } from "../model/coefficients.ts";
import { initialState } from "../model/initial.ts";
import type { SeriesRow } from "../model/metrics.ts";
import type { Scenario } from "../model/scenario.ts";
import { CpuSolver } from "./solver.ts";

export interface RunOptions {
  /** Called after each sample with (rows done, rows in all). */
  onSample?: (done: number, total: number, row: SeriesRow) => void;
}

export function createCpuSolver(s: Scenario): CpuSolver {
  const co = coefficients(s);
  return new CpuSolver(co, initialState(co, s.seed));
}

export function runCpu(s: Scenario, opts: RunOptions = {}): { series: SeriesRow[]; solver: CpuSolver } {
  const solver = createCpuSolver(s);
  const { samples, stepsPerSample } = solver.co;
  const series: SeriesRow[] = [];
  for (let k = 0; k < samples; k++) {
    for (let q = 0; q < stepsPerSample; q++) solver.advance();
    const row = solver.metrics();
    series.push(row);
    opts.onSample?.(k + 1, samples, row);
  }
  return { series, solver };
}
