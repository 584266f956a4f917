/**
 * A CPU run shared among threads (CpuSolverOptions.threads, team.ts) is the one-thread run to the bit: each thread
 * writes cells no other does, and the sums stay on the calling thread in cell order. 128^2, so that two levels
 * (128^2, 64^2) are shared out; 3 threads give shares of unequal size.
 */
import { describe, expect, it } from "vitest";
import { SERIES_FIELDS } from "../src/model/metrics.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import { parseThreads, UsageError } from "../src/cli/args.ts";

function run(preset: string, threads: number, steps: number) {
  const s = parseScenario({ coating: { preset }, grid: { nx: 128, ny: 128, dx_um: 0.5 } });
  const sv = createCpuSolver(s, { threads });
  try {
    const rows = [];
    const cycles = [];
    for (let k = 0; k < steps; k++) {
      sv.advance();
      cycles.push(sv.stats.phiCycles, sv.stats.cCycles);
      if (k % 4 === 3) rows.push(sv.metrics());
    }
    return { rows, cycles, fields: [sv.xi, sv.c, sv.phi, sv.phiB].map((a) => Array.from(a)) };
  } finally {
    sv.close();
  }
}

describe("a CPU run on several threads", () => {
  for (const preset of ["bare", "ptfe"]) {
    it(`gives the one-thread run's series and fields to the bit (${preset}, 128 x 128, 2 and 3 threads)`, () => {
      const one = run(preset, 1, 12);
      for (const threads of [2, 3]) {
        const many = run(preset, threads, 12);
        expect(many.cycles).toEqual(one.cycles);
        many.rows.forEach((row, k) => {
          for (const f of SERIES_FIELDS) expect(Object.is(row[f], one.rows[k]![f]), `${f} at row ${k}, ${threads} threads: ${row[f]} vs ${one.rows[k]![f]}`).toBe(true);
        });
        many.fields.forEach((a, k) => {
          const b = one.fields[k]!;
          const diff = a.findIndex((v, i) => !Object.is(v, b[i]));
          expect(diff, `field ${k}, ${threads} threads: first difference at cell ${diff}`).toBe(-1);
        });
      }
    });
  }
});

describe("--threads", () => {
  it("takes 1 to 64 or auto (1 when not given) and refuses the rest", () => {
    expect(parseThreads(undefined)).toBe(1);
    expect(parseThreads("2")).toBe(2);
    expect(parseThreads("64")).toBe(64);
    expect(parseThreads("auto")).toBeGreaterThanOrEqual(1);
    for (const bad of ["0", "65", "1.5", "-2", "two", ""]) expect(() => parseThreads(bad), bad).toThrow(UsageError);
  });
});
