import { FARADAY, N_ZN } from "../src/model/constants.ts";
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

/**
 * The Zn mass balance of a solver's state (its own, or a GPU checkpoint restored into it with restore()), with
 * the bookkeeping of tests/growth.test.ts and tests/gpu/checks.test.ts: in scaled cell units, conservation =
 * solution - solution(t = 0) + deposit - reservoir influx, and faradaic = deposit - the Zn that the applied
 * charge minus the HER charge (qH) stands for. `applied` is the Zn equivalent of the whole applied charge; the
 * relative errors are taken over it (the same as over the deposit when CE ~ 1, and still meaningful when most
 * of the charge goes to H2 and the deposit is near zero).
 */
export function znMassBalance(s: Scenario, sv: CpuSolver): {
  conservation: number; faradaic: number; relConservation: number; relFaradaic: number; deposit: number; applied: number;
} {
  const co = sv.co;
  const t = sv.step * co.dt;
  const sol0 = createCpuSolver(s).massBalance().solution;
  const m = sv.massBalance();
  const perZn = (sv.nx * co.dx) / (N_ZN * FARADAY * co.c0 * co.dx * co.dx); // (C/m2) -> scaled cell units
  const applied = co.iApp * t * perZn;
  const conservation = m.solution - sol0 + m.deposit - m.influx;
  const faradaic = m.deposit - (co.iApp * t - sv.qH) * perZn;
  return { conservation, faradaic, relConservation: Math.abs(conservation) / applied, relFaradaic: Math.abs(faradaic) / applied, deposit: m.deposit, applied };
}

/**
 * A stiff, brittle 2 µm layer at 20 mA/cm² on 32 x 32 µm in cells of 0.5 µm (the default, where a crack's 0.5 µm
 * opening is one whole column): the deposit rises ~2.8 µm in 300 s and some columns crack; the band drawing's tests
 * (tests/bandDrawing.test.ts, tests/gpu/checks.test.ts).
 */
export const BRITTLE_BAND = {
  grid: { nx: 64, ny: 64, dx_um: 0.5 }, duration_s: 300, samples: 2, current_mA_cm2: 20,
  coating: { preset: "speek", E_GPa: 100, Gc_J_m2: 10, thickness_nm: 2000 },
};
