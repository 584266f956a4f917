/**
 * A preload for the headless runner in tests (`node --import tsx --import ./tests/gpu/rehearse-gpu-loss.ts
 * src/cli/sim.ts ...`): ZIL_REHEARSE_GPU_LOSS=N[,M...] destroys the GPU device after the N-th (M-th...) sample the
 * process runs (counted across a sweep's points and the samples run again after a loss), through the runner's
 * afterGpuSample seam: a rehearsal of a driver reset, as the page's window.zil.loseGpuDevice() is. The product's
 * code path reads no such variable. (The runner's SwiftShader rerun keeps node's flags, so this preload too.)
 */
import { afterGpuSample } from "../../src/cli/gpu.ts";

const at = new Set((process.env.ZIL_REHEARSE_GPU_LOSS ?? "").split(",").filter(Boolean).map(Number));
let samplesRun = 0;

afterGpuSample.add((gpu) => {
  if (!at.has(++samplesRun)) return;
  process.stderr.write(`sim: ZIL_REHEARSE_GPU_LOSS: destroying the GPU device after sample ${samplesRun}\n`);
  gpu.device.destroy();
});
