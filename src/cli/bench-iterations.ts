/**
 * `npm run bench:iterations [-- --grid=64 --presets=bare,cof,carbon,ptfe --cpu|--gpu]`: the solver work of whole
 * default runs (each preset's default scenario, 600 steps), counted rather than timed, so a software adapter
 * measures it as well as a GPU: on the CPU reference the mean CG iterations a step (one multigrid V-cycle each:
 * phi_b, phi_a, c); on the GPU engine the mean iterations the solves needed at each metrics readback and the
 * dispatches encoded a step (on SwiftShader, where a V-cycle is one workgroup's pass, the dispatches follow the
 * iterations; a hardware GPU's per-level layout has ~35 a V-cycle at 1024^2). With the wall time of each run and the
 * metrics at its end, to compare one engine's numerics against another's (docs/PERFORMANCE.md, warm starts).
 */
import { parseScenario, type Scenario } from "../model/scenario.ts";
import { createCpuSolver } from "../reference/run.ts";
import type { SeriesRow } from "../model/metrics.ts";

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const grid = Number(opt("grid") ?? 64);
const presets = (opt("presets") ?? "bare,cof,carbon,ptfe").split(",");
if (!Number.isInteger(grid) || grid < 8 || grid > 1024 || (grid & (grid - 1)) !== 0) {
  console.error(`bench:iterations: --grid must be a power of two from 8 to 1024, got ${opt("grid")}`);
  process.exit(2);
}
const scenarios = presets.map((id) => {
  try {
    return parseScenario({ coating: { preset: id }, grid: { nx: grid, ny: grid, dx_um: 1 } });
  } catch (e) {
    console.error(`bench:iterations: ${(e as Error).message}`);
    process.exit(2);
  }
});
const end = (r: SeriesRow | undefined) =>
  r ? `end: ${(1000 * r.voltage_V).toFixed(4)} mV, uniformity ${r.uniformity.toFixed(5)}, roughness ${r.roughness_um.toFixed(4)} um, CE ${r.ce.toFixed(6)}` : "";

function cpu(s: Scenario): void {
  const solver = createCpuSolver(s);
  const { samples, stepsPerSample } = solver.co;
  let phi = 0, phiB = 0, c = 0, row: SeriesRow | undefined;
  const t0 = performance.now();
  for (let k = 0; k < samples; k++) {
    for (let q = 0; q < stepsPerSample; q++) {
      solver.advance();
      phi += solver.stats.phiCycles;
      phiB += solver.stats.phiBCycles;
      c += solver.stats.cCycles;
    }
    row = solver.metrics();
  }
  const steps = samples * stepsPerSample, per = (v: number) => (v / steps).toFixed(2);
  console.log(
    `${s.coating.preset.padEnd(8)} ${String(steps).padStart(5)} ${per(phiB).padStart(6)} ${per(phi - phiB).padStart(6)} ${per(c).padStart(6)} ${per(phi + c).padStart(9)}` +
      ` ${((performance.now() - t0) / steps).toFixed(1).padStart(8)}   ${end(row)}`,
  );
}

async function gpu(): Promise<void> {
  const { nodeGpu, softwareGpuEnv, rerunWith } = await import("../engine/node-gpu.ts");
  let g;
  try {
    g = await nodeGpu();
  } catch (e) {
    const env = softwareGpuEnv();
    if (env) {
      // The loader reads the driver's path only at start-up: again, in a child on SwiftShader.
      rerunWith({ ...env, ZIL_ITER_GPU_ONLY: "1" });
      return;
    }
    console.log(`GPU engine: ${(e as Error).message}; no GPU figures.`);
    return;
  }
  const { createEngine } = await import("../engine/run-gpu.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  const src = loadShaders();
  console.log(`\nGPU engine on ${g.adapter}, ${grid}^2: CG iterations the solves needed at the readbacks (mean), dispatches a step`);
  console.log("preset   steps  phi_b  phi_a      c  dispatches/step  wall s");
  for (const s of scenarios) {
    const engine = createEngine(g.device, s, src);
    const { samples, stepsPerSample } = engine.co;
    const d0 = engine.counts.dispatches;
    let phi = 0, phiB = 0, c = 0, row: SeriesRow | undefined;
    const t0 = performance.now();
    for (let k = 0; k < samples; k++) {
      engine.advance(stepsPerSample);
      const { raw: _raw, ...m } = await engine.metrics();
      row = m;
      phi += engine.lastIterations.phi;
      phiB += engine.lastIterations.phiB;
      c += engine.lastIterations.c;
    }
    const steps = samples * stepsPerSample, per = (v: number) => (v / samples).toFixed(2);
    console.log(
      `${s.coating.preset.padEnd(8)} ${String(steps).padStart(5)} ${per(phiB).padStart(6)} ${per(phi).padStart(6)} ${per(c).padStart(6)}` +
        ` ${((engine.counts.dispatches - d0) / steps).toFixed(1).padStart(16)} ${((performance.now() - t0) / 1000).toFixed(1).padStart(7)}   ${end(row)}`,
    );
    engine.destroy();
  }
  g.exit(0);
}

const only = args.includes("--gpu") || process.env.ZIL_ITER_GPU_ONLY ? "gpu" : args.includes("--cpu") ? "cpu" : "both";
if (only !== "gpu") {
  console.log(`CPU reference, ${grid}^2, default scenarios: mean CG iterations (V-cycles) a step, ms a step`);
  console.log("preset   steps  phi_b  phi_a      c  V-cycles    ms/step");
  for (const s of scenarios) cpu(s);
}
if (only !== "cpu") await gpu();
