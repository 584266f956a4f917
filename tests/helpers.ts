import { parseScenario, type Scenario } from "../src/model/scenario.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import type { CpuSolver } from "../src/reference/solver.ts";

export const scenario = (raw: Record<string, unknown>): Scenario =>
  parseScenario({ coating: { preset: "bare" }, ...raw });

/** Steps a CPU solver until t >= tEnd (s), calling probe after every step. */
export function runUntil(s: Scenario, tEnd: number, probe?: (sv: CpuSolver) => boolean | void): CpuSolver {
  const sv = createCpuSolver(s);
  while (sv.step * sv.co.dt < tEnd - 1e-9) {
    sv.advance();
    if (probe?.(sv) === true) break;
  }
  return sv;
}

export const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
