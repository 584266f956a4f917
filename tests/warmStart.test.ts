/**
 * The solves' warm starts extrapolated in time (solver.ts warmStart, 2 u^n - u^(n-1)): fewer V-cycles a step than a
 * start from u^n, the same run to the solves' tolerances, and a state file written before the step before was kept
 * still resumes (its next step starts from u^n, as every step did then).
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { SERIES_FIELDS } from "../src/model/metrics.ts";
import { checkpointFromJson, checkpointToJson } from "../src/reference/checkpointJson.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import type { CpuSolver } from "../src/reference/solver.ts";

/** Runs `steps` steps; with `fromLast`, each step starts from u^n (the step before is forgotten first). */
function run(solver: CpuSolver, steps: number, fromLast: boolean) {
  let phi = 0, c = 0;
  for (let k = 0; k < steps; k++) {
    if (fromLast) {
      const cp = solver.checkpoint();
      solver.restore({ ...cp, phiPrev: cp.phi, phiBPrev: cp.phiB, cPrev: cp.c });
    }
    solver.advance();
    phi += solver.stats.phiCycles;
    c += solver.stats.cCycles;
  }
  return { phi, c, row: solver.metrics() };
}

describe("warm starts extrapolated in time", () => {
  for (const preset of ["cof", "carbon"]) {
    it(`take fewer V-cycles than a start from the last solution and end at the same state (${preset}, 32 x 32)`, () => {
      const s = parseScenario({ coating: { preset }, grid: { nx: 32, ny: 32, dx_um: 1 } });
      const steps = 150;
      const extrapolated = run(createCpuSolver(s), steps, false);
      const last = run(createCpuSolver(s), steps, true);
      const ratio = (extrapolated.phi + extrapolated.c) / (last.phi + last.c);
      console.log(`${preset}: V-cycles a step ${((last.phi + last.c) / steps).toFixed(2)} -> ${((extrapolated.phi + extrapolated.c) / steps).toFixed(2)} (potential ${(last.phi / steps).toFixed(2)} -> ${(extrapolated.phi / steps).toFixed(2)}, c ${(last.c / steps).toFixed(2)} -> ${(extrapolated.c / steps).toFixed(2)})`);
      expect(ratio).toBeLessThan(0.9);
      for (const f of SERIES_FIELDS) {
        const a = extrapolated.row[f], b = last.row[f];
        expect(Math.abs(a - b), `${f}: ${a} vs ${b}`).toBeLessThanOrEqual(2e-3 * Math.max(Math.abs(b), 1e-3));
      }
    });
  }

  it("a state written without the step before resumes from u^n; one with part of it is refused, naming what is missing", () => {
    const s = parseScenario({ coating: { preset: "cof" }, grid: { nx: 16, ny: 16, dx_um: 1 } });
    const solver = createCpuSolver(s);
    for (let k = 0; k < 5; k++) solver.advance();
    const raw = JSON.parse(checkpointToJson(solver.checkpoint())) as Record<string, unknown>;
    expect(raw.phiPrev).toBeDefined();
    const cp = checkpointFromJson(checkpointToJson(solver.checkpoint()));
    expect(Array.from(cp.phiPrev)).toEqual(Array.from(solver.checkpoint().phiPrev));
    expect(Array.from(cp.phiPrev)).not.toEqual(Array.from(cp.phi));

    const { phiPrev: _p, phiBPrev: _b, cPrev: _c, ...older } = raw;
    const old = checkpointFromJson(JSON.stringify(older));
    expect(Array.from(old.phiPrev)).toEqual(Array.from(old.phi));
    expect(Array.from(old.phiBPrev)).toEqual(Array.from(old.phiB));
    expect(Array.from(old.cPrev)).toEqual(Array.from(old.c));
    // Its next step is the step from u^n: a solver told to forget the step before takes the same one.
    const a = createCpuSolver(s), b = createCpuSolver(s);
    a.restore(old);
    const now = solver.checkpoint();
    b.restore({ ...now, phiPrev: now.phi, phiBPrev: now.phiB, cPrev: now.c });
    a.advance(); b.advance();
    expect(a.checkpoint()).toEqual(b.checkpoint());

    const { cPrev: _only, ...partial } = raw;
    expect(() => checkpointFromJson(JSON.stringify(partial))).toThrow(/has phiPrev and phiBPrev but not cPrev/);
  });
});
