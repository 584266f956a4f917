/**
 * `npm run bench`: speed of the CPU reference solver. Prints cell-steps per second of the full coupled step
 * at 128^2, 256^2 and 512^2, and the multigrid work (V-cycles, each preconditioning one CG iteration) to bring
 * the potential system from zero to a 1e-6 relative residual, which should stay near constant with the size.
 * Timings are wall-clock on this machine; tests never assert them.
 */
import { cpus } from "node:os";
import { parseScenario } from "../model/scenario.ts";
import { createCpuSolver } from "../reference/run.ts";

const sizes = [128, 256, 512];
const warmup = 3;

console.log(`CPU reference solver (TypeScript, one thread) on ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
console.log("grid      steps  ms/step   cell-steps/s   V-cycles to 1e-6 (cold)   per step (warm: phi, c)");
for (const n of sizes) {
  const s = parseScenario({ grid: { nx: n, ny: n, dx_um: 1 }, duration_s: 1200, samples: 200, coating: { preset: "bare" } });
  const sv = createCpuSolver(s);
  for (let k = 0; k < warmup; k++) sv.advance();
  const steps = Math.max(3, Math.round(60 * (128 / n) ** 2));
  let phi = 0, c = 0;
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) {
    sv.advance();
    phi += sv.stats.phiCycles;
    c += sv.stats.cCycles;
  }
  const ms = (performance.now() - t0) / steps;
  const cold = sv.potentialCyclesFromZero(1e-6);
  console.log(
    `${`${n}^2`.padEnd(9)} ${String(steps).padStart(5)} ${ms.toFixed(1).padStart(8)} ${((n * n) / (ms / 1000)).toExponential(2).padStart(14)}` +
      `   ${String(cold).padStart(24)}   ${(phi / steps).toFixed(1)}, ${(c / steps).toFixed(1)}`,
  );
}
console.log("GPU engine: not built yet (issue 3); no GPU figures.");
