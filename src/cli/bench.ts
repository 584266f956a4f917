/**
 * `npm run bench`: speed of the CPU reference solver, then of the WGSL engine through the `webgpu` package.
 * CPU: Prints cell-steps per second of the full coupled step
 * at 128^2 to 1024^2 (`--cpu-sizes=` overrides; 256^2 to 1024^2 are the GPU's sizes, for the two side by side), and the multigrid work (V-cycles, each preconditioning one CG iteration) to bring
 * the potential system from zero to a 1e-6 relative residual, which should stay near constant with the size.
 * GPU: time per coupled step and cell-steps per second at 256^2, 512^2 and 1024^2 on the adapter Dawn finds
 * (a hardware adapter only: SwiftShader is a correctness tool, not a speed measure; `--allow-software` measures
 * it anyway, starting it the way the runner does where there is no GPU driver), the CG iterations (one V-cycle
 * each) per solve, the dispatches and copies encoded per step, and the share of the memory bandwidth those
 * cell-steps imply at the model's floor of 32 bytes per cell-step, against the copy bandwidth measured on the
 * same device; then the wall time of one dependent trivial dispatch (the floor a pass of the step costs).
 * `--profile`: also where one step's time goes at each size, kernel by kernel (GpuEngine.profileStep).
 * Timings are wall-clock on this machine; tests never assert them.
 */
import { spawnSync } from "node:child_process";
import { cpus } from "node:os";
import { parseScenario } from "../model/scenario.ts";
import { createCpuSolver } from "../reference/run.ts";
import type { EngineOptions, GpuEngine, KernelTime } from "../engine/engine.ts";

const args = new Set(process.argv.slice(2));
/** `--gpu-sizes=64,128` overrides the GPU grid sizes (e.g. a quick check on a software adapter). */
const gpuSizes = [...args].find((a) => a.startsWith("--gpu-sizes="))?.slice(12).split(",").map(Number) ?? [256, 512, 1024];
const cpuSizes = [...args].find((a) => a.startsWith("--cpu-sizes="))?.slice(12).split(",").map(Number) ?? [128, 256, 512, 1024];
for (const n of [...gpuSizes, ...cpuSizes]) {
  if (!Number.isInteger(n) || n < 32 || n > 4096 || (n & (n - 1)) !== 0) {
    console.error(`bench: grid sizes must be powers of two from 32 to 4096, got ${n}`);
    process.exit(2);
  }
}
/** `--threads=N`: the CPU run's threads (CpuSolverOptions.threads), 1 when not given. */
const cpuThreads = Number([...args].find((a) => a.startsWith("--threads="))?.slice(10) ?? "1");
if (!Number.isInteger(cpuThreads) || cpuThreads < 1 || cpuThreads > 64) {
  console.error(`bench: --threads must be a whole number from 1 to 64, got ${cpuThreads}`);
  process.exit(2);
}
const only = args.has("--gpu") ? "gpu" : args.has("--cpu") ? "cpu" : "both";
/**
 * `--cycles`: 10 symmetric cycles on the CPU reference; `--cycles-gpu`: the same on the WGSL engine as the page steps
 * them, their readbacks counted (benchCycles.ts); nothing else.
 */
if (args.has("--cycles") || args.has("--cycles-gpu")) {
  const gpuCycles = args.has("--cycles-gpu");
  const cyclesFlag = (name: string) => [...args].find((a) => a.startsWith(`--cycles-${name}=`))?.slice(name.length + 10);
  const n = Number(cyclesFlag("grid") ?? (gpuCycles ? "64" : "128"));
  const k = Number(cyclesFlag("samples") ?? "20");
  if (!Number.isInteger(n) || n < 32 || n > 1024 || (n & (n - 1)) !== 0) {
    console.error(`bench: --cycles-grid must be a power of two from 32 to 1024, got ${n}`);
    process.exit(2);
  }
  if (!Number.isInteger(k) || k < 1 || k > 2000) {
    console.error(`bench: --cycles-samples must be a whole number from 1 to 2000, got ${k}`);
    process.exit(2);
  }
  const { cyclesBench, cyclesGpuBench } = await import("./benchCycles.ts");
  const preset = cyclesFlag("preset") ?? "bare";
  if (gpuCycles) await cyclesGpuBench(n, preset, k);
  else cyclesBench(n, preset, cpuThreads);
  process.exit(0);
}
/**
 * `--bottom-cells=N`, `--bottom-threads=N`, `--lines=pcr|thomas`, `--sweeps=whole|half`, `--half-from=N`,
 * `--restriction=pass|sweep`, `--col-scan=thread|segments`, `--pcr-threads=N`, `--pcr-cols=N`,
 * `--sum-threads=N` and `--margin=N` override the engine's defaults for the adapter (EngineOptions).
 */
const flag = (name: string) => [...args].find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
for (const [name, ok, want] of [
  ["bottom-cells", (v: string) => /^[1-9]\d*$/.test(v), "a positive whole number of cells"],
  ["lines", (v: string) => v === "pcr" || v === "thomas", "pcr or thomas"],
  ["sweeps", (v: string) => v === "whole" || v === "half", "whole or half"],
  ["half-from", (v: string) => /^[1-9]\d*$/.test(v), "a positive whole number of columns"],
  ["restriction", (v: string) => v === "pass" || v === "sweep", "pass or sweep"],
  ["col-scan", (v: string) => v === "thread" || v === "segments", "thread or segments"],
  ["pcr-threads", (v: string) => ["64", "128", "256"].includes(v), "64, 128 or 256"],
  ["pcr-cols", (v: string) => ["1", "2", "4", "8"].includes(v), "1, 2, 4 or 8"],
  ["sum-threads", (v: string) => ["64", "128", "256"].includes(v), "64, 128 or 256"],
  ["bottom-threads", (v: string) => ["16", "32", "64", "128", "256"].includes(v), "16, 32, 64, 128 or 256"],
  ["margin", (v: string) => /^\d$/.test(v), "a whole number of iterations, 0 to 9"],
] as const) {
  const v = flag(name);
  if (v !== undefined && !ok(v)) {
    console.error(`bench: --${name}=${v} is not valid: it must be ${want}`);
    process.exit(2);
  }
}
if (flag("sweeps") !== undefined && flag("half-from") !== undefined) {
  console.error("bench: give --sweeps or --half-from, not both");
  process.exit(2);
}
const engineOptions: EngineOptions = {
  ...(flag("bottom-cells") ? { bottomCells: Number(flag("bottom-cells")) } : {}),
  ...(flag("lines") ? { lineSolver: flag("lines") as "pcr" | "thomas" } : {}),
  ...(flag("sweeps") ? { sweeps: flag("sweeps") as "whole" | "half" } : {}),
  ...(flag("half-from") ? { halfSweepsFrom: Number(flag("half-from")) } : {}),
  ...(flag("col-scan") ? { columnScan: flag("col-scan") as "thread" | "segments" } : {}),
  ...(flag("restriction") ? { restriction: flag("restriction") as "pass" | "sweep" } : {}),
  ...(flag("pcr-threads") ? { pcrThreads: Number(flag("pcr-threads")) as 64 } : {}),
  ...(flag("pcr-cols") ? { pcrCols: Number(flag("pcr-cols")) as 1 } : {}),
  ...(flag("sum-threads") ? { sumThreads: Number(flag("sum-threads")) as 64 } : {}),
  ...(flag("margin") ? { margin: Number(flag("margin")) } : {}),
  ...(flag("bottom-threads") ? { bottomThreads: Number(flag("bottom-threads")) as 16 } : {}),
};

/** Bytes per cell-step that a coupled step must move at least (each field read and written once). */
const FLOOR_BYTES = 32;
/**
 * CPU steps before the timed ones: a run's first steps need more iterations (from the initial state, and the
 * solves' extrapolated warm starts need two solved steps behind them), which a few timed steps would show.
 */
const warmup = 6;
if (only !== "gpu") cpuBench();
if (only !== "cpu") await gpuBench();
// With neither --cpu nor --gpu, the page's figures too (npm run bench:page: builds the app, runs it in Chromium).
if (only === "both") process.exit(spawnSync("npm", ["run", "--silent", "bench:page"], { stdio: "inherit" }).status ?? 1);
process.exit(0);

function cpuBench(): void {

console.log(`CPU reference solver (TypeScript, ${cpuThreads === 1 ? "one thread" : `${cpuThreads} threads`}) on ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
console.log("grid      steps  ms/step  cpu ms   cell-steps/s   V-cycles to 1e-6 (cold)   per step (warm: phi, c)");
for (const n of cpuSizes) {
  const s = parseScenario({ grid: { nx: n, ny: n, dx_um: 1 }, duration_s: 1200, samples: 200, coating: { preset: "bare" } });
  const sv = createCpuSolver(s, { threads: cpuThreads });
  for (let k = 0; k < warmup; k++) sv.advance();
  const steps = Math.max(3, Math.round(60 * (128 / n) ** 2));
  let phi = 0, c = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let k = 0; k < steps; k++) {
    sv.advance();
    phi += sv.stats.phiCycles;
    c += sv.stats.cCycles;
  }
  const ms = (performance.now() - t0) / steps;
  const cpuMs = (process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000 / steps;
  const cold = sv.potentialCyclesFromZero(1e-6);
  sv.close();
  console.log(
    `${`${n}^2`.padEnd(9)} ${String(steps).padStart(5)} ${ms.toFixed(1).padStart(8)} ${cpuMs.toFixed(1).padStart(8)} ${((n * n) / (ms / 1000)).toExponential(2).padStart(14)}` +
      `   ${String(cold).padStart(24)}   ${(phi / steps).toFixed(1)}, ${(c / steps).toFixed(1)}`,
  );
}
}


async function gpuBench(): Promise<void> {
  const { nodeGpu } = await import("../engine/node-gpu.ts");
  process.env.ZIL_GPU_TIMING = "1";
  let gpu;
  try {
    gpu = await nodeGpu();
  } catch (e) {
    const { softwareGpuEnv } = await import("../engine/node-gpu.ts");
    const env = args.has("--allow-software") ? softwareGpuEnv() : null;
    if (env) {
      // The loader reads the driver's path only at start-up: the GPU half again, in a child on SwiftShader.
      const rest = process.argv.slice(2).filter((a) => a !== "--cpu" && a !== "--gpu");
      spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--gpu", ...rest], { env, stdio: "inherit" });
      return;
    }
    console.log(`GPU engine: ${(e as Error).message}; no GPU figures.`);
    return;
  }
  if (/swiftshader/i.test(gpu.adapter) && !args.has("--allow-software")) {
    console.log(`GPU engine: only a software adapter here (${gpu.adapter}), a correctness tool, not a speed measure; no GPU figures.`);
    return;
  }
  const { createEngine } = await import("../engine/run-gpu.ts");
  const { GpuTimer } = await import("../engine/gpuTimer.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  const { device } = gpu;
  const bw = await copyBandwidth(device);
  console.log(`\nGPU engine (WGSL through Dawn, webgpu package) on ${gpu.adapter}${Object.keys(engineOptions).length ? `, engine options ${JSON.stringify(engineOptions)}` : ""}`);
  console.log(`measured copy bandwidth: ${(bw / 1e9).toFixed(0)} GB/s (read + write of a 256 MiB buffer)`);
  const timer = GpuTimer.available(device) ? new GpuTimer(device) : null;
  console.log("ms/step: wall clock; gpu: the GPU's time by timestamps (NaN without them); cpu: encoding and submitting a step, on the CPU");
  console.log("grid      steps  ms/step      gpu      cpu   cell-steps/s   CG its/solve (phi, phi_b, c)   dispatches+copies/step   bandwidth share at 32 B/cell-step");
  const src = loadShaders();
  const profiles: [number, Awaited<ReturnType<GpuEngine["profileStep"]>>][] = [];
  for (const n of gpuSizes) {
    const s = parseScenario({ grid: { nx: n, ny: n, dx_um: 1 }, duration_s: 1200, samples: 200, coating: { preset: "bare" } });
    const engine = createEngine(device, s, src, engineOptions);
    // Warm up: the iteration counts settle to what the solves need after a few metric readbacks.
    for (let k = 0; k < 4; k++) {
      engine.advance(5);
      await engine.metrics();
    }
    const software = /swiftshader/i.test(gpu.adapter);
    // Steps in submits of 10; on SwiftShader fewer, so that 128^2 takes seconds, not minutes.
    const steps = software ? 10 * Math.max(1, Math.round(4 * (64 / n) ** 2)) : n <= 256 ? 200 : n <= 512 ? 100 : 40;
    const d0 = engine.counts.dispatches + engine.counts.copies;
    const t0 = performance.now();
    for (let k = 0; k < steps; k += 10) engine.advance(10);
    await device.queue.onSubmittedWorkDone();
    const ms = (performance.now() - t0) / steps;
    const passes = (engine.counts.dispatches + engine.counts.copies - d0) / steps;
    // The GPU's own time for the same steps, from timestamps around each submit's one pass (where the device has them).
    // And the CPU's: encoding and submitting 10 steps onto an idle queue (so no back-pressure is counted).
    let gpuTotal = 0, cpu = Infinity;
    for (let k = 0; k < 3; k++) {
      const c0 = performance.now();
      engine.advance(10, timer?.writes());
      cpu = Math.min(cpu, (performance.now() - c0) / 10);
      if (timer) gpuTotal += await timer.read();
      else await device.queue.onSubmittedWorkDone();
    }
    const gpuMs = timer ? gpuTotal / 30 : NaN;
    const m = await engine.metrics();
    if (!Number.isFinite(m.voltage_V)) throw new Error(`non-finite voltage at ${n}^2`);
    const rate = (n * n) / (ms / 1000);
    console.log(
      `${`${n}^2`.padEnd(9)} ${String(steps).padStart(5)} ${ms.toFixed(3).padStart(8)} ${gpuMs.toFixed(3).padStart(8)} ${cpu.toFixed(3).padStart(8)}` +
        ` ${rate.toExponential(2).padStart(14)}` +
        `   ${`${engine.lastIterations.phi}, ${engine.lastIterations.phiB}, ${engine.lastIterations.c}`.padStart(28)}   ${passes.toFixed(0).padStart(22)}` +
        `   ${((100 * rate * FLOOR_BYTES) / bw).toFixed(2)} %`,
    );
    if (args.has("--profile")) profiles.push([n, await engine.profileStep()]);
    engine.destroy();
  }
  timer?.destroy();
  console.log(`8 coupled steps per 60 Hz frame need ${(1000 / 60 / 8).toFixed(2)} ms/step or less.`);
  for (const [n, p] of profiles) {
    const gpu = (k: KernelTime) => (k.gpuMs === undefined ? "" : `, GPU ${k.gpuMs.toFixed(2)} ms`);
    console.log(`\nOne step at ${n}^2 replayed with no solve converged (every encoded CG iteration working): ${p.all.ms.toFixed(2)} ms${gpu(p.all)}, ${p.all.dispatches} dispatches`);
    console.log(`The same with every solve converged from the start (its iterations' passes return at once): ${p.idle.ms.toFixed(2)} ms${gpu(p.idle)}, ${p.idle.dispatches} dispatches`);
    const rows = (ks: KernelTime[], w: number) => {
      for (const k of ks) {
        const g = k.gpuMs === undefined ? "" : `${k.gpuMs.toFixed(3).padStart(10)} ${((1000 * k.gpuMs) / k.dispatches).toFixed(1).padStart(9)}`;
        console.log(`${k.name.padEnd(w)} ${String(k.dispatches).padStart(11)} ${k.ms.toFixed(3).padStart(12)} ${((1000 * k.ms) / k.dispatches).toFixed(1).padStart(17)}   ${g}`);
      }
    };
    const head = "dispatches   ms (alone)   us per dispatch" + (p.all.gpuMs === undefined ? "" : "   GPU ms  GPU us each");
    console.log(`kernel             ${head}`);
    rows(p.kernels, 18);
    console.log(`\nmultigrid kernel by level     ${head}`);
    rows(p.byLevel, 29);
  }
  const overhead = await dispatchLatency(device);
  console.log(`\nA dependent trivial dispatch (one 64-thread workgroup, same buffer, in one pass): ${overhead.toFixed(2)} us each`);
}

/** Wall time per dispatch of a trivial kernel, 2000 in one compute pass, each depending on the last (the same buffer). */
async function dispatchLatency(device: GPUDevice): Promise<number> {
  const module = device.createShaderModule({
    code: "@group(0) @binding(0) var<storage, read_write> x: array<u32>;\n@compute @workgroup_size(64) fn main(@builtin(global_invocation_id) g: vec3u) { x[g.x] += 1u; }",
  });
  const pipeline = device.createComputePipeline({ layout: "auto", compute: { module, entryPoint: "main" } });
  const buf = device.createBuffer({ size: 256, usage: GPUBufferUsage.STORAGE });
  const group = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: buf } }] });
  const run = async (k: number) => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    for (let i = 0; i < k; i++) pass.dispatchWorkgroups(1);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run(100);
  const k = 2000;
  const t0 = performance.now();
  await run(k);
  const us = ((performance.now() - t0) * 1000) / k;
  buf.destroy();
  return us;
}

/** Device-to-device copy bandwidth (bytes read + written per second) of a 256 MiB buffer. */
async function copyBandwidth(device: GPUDevice): Promise<number> {
  const size = 256 * 1024 * 1024;
  const usage = GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const a = device.createBuffer({ size, usage }), b = device.createBuffer({ size, usage });
  const copies = async (k: number) => {
    const enc = device.createCommandEncoder();
    for (let i = 0; i < k; i++) enc.copyBufferToBuffer(i % 2 ? b : a, 0, i % 2 ? a : b, 0, size);
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await copies(4);
  const reps = 20;
  const t0 = performance.now();
  await copies(reps);
  const s = (performance.now() - t0) / 1000;
  a.destroy();
  b.destroy();
  return (2 * size * reps) / s;
}
