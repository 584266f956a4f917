/**
 * `npm run bench -- --cycles [--cycles-grid=N] [--cycles-preset=ID] [--threads=N]`: the wall and CPU time of 10
 * symmetric cycles at 1 mA/cm2 and 1 mAh/cm2 (20 h of cell time) on the CPU reference, at N x N cells of the default
 * 0.5 um (128 when not given), with the time step, the steps taken and the cycles' zinc kept. Timings are wall-clock
 * on this machine; tests never assert them.
 * `npm run bench -- --cycles-gpu [--cycles-grid=N] [--cycles-preset=ID] [--cycles-samples=K]`: the same protocol on
 * the WGSL engine as the page steps it (protocolAdvance, 200 steps a frame) for its first K samples (20): the
 * readbacks and the bytes they map a sample, and the wall time. On SwiftShader the counts are the measure, not the
 * time.
 */
import { cpus } from "node:os";
import { parseScenario } from "../model/scenario.ts";
import { protocolPreset } from "../model/protocol.ts";
import { runProtocolCpu } from "../reference/protocolRun.ts";

/** 10 symmetric cycles at 1 mA/cm2 and 1 mAh/cm2 of `preset` on n x n cells of 0.5 um. */
const cyclesScenario = (n: number, preset: string) => parseScenario({
  grid: { nx: n, ny: n, dx_um: 0.5 }, coating: { preset },
  ...protocolPreset("symmetric", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 10, duration_s: 1 }),
});

export function cyclesBench(n: number, preset: string, threads: number): void {
  const s = cyclesScenario(n, preset);
  console.log(`10 symmetric cycles, 1 mA/cm2, 1 mAh/cm2 (${(s.duration_s / 3600).toFixed(0)} h of cell time), ${preset}, ${n}^2 cells of 0.5 um, ${threads} thread(s), ${cpus()[0]?.model ?? "unknown CPU"}, Node ${process.version}`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = runProtocolCpu(s, { threads });
  const wall = (performance.now() - t0) / 1000;
  const u = process.cpuUsage(cpu0);
  const cpu = (u.user + u.system) / 1e6;
  const kept = r.cycles.map((c) => (100 * c.ce_zn).toFixed(1)).join(" ");
  console.log(`dt ${r.solver.co.dt.toFixed(3)} s, ${r.solver.step} steps: wall ${wall.toFixed(1)} s, CPU ${cpu.toFixed(1)} s (${((1000 * cpu) / r.solver.step).toFixed(2)} ms a step); zinc kept per cycle, %: ${kept}`);
}

/** Frames of this many steps, as the page's at a high speed. */
const FRAME_STEPS = 200;

export async function cyclesGpuBench(n: number, preset: string, samples: number): Promise<void> {
  const { nodeGpuOrRerun } = await import("../engine/node-gpu.ts");
  let gpu: Awaited<ReturnType<typeof nodeGpuOrRerun>>;
  try {
    gpu = await nodeGpuOrRerun();
  } catch (e) {
    console.log(`GPU engine: ${(e as Error).message}; no GPU figures.`);
    return;
  }
  const { engineFor, protocolAdvance } = await import("../engine/protocol-gpu.ts");
  const { loadShaders } = await import("../engine/shaders-node.ts");
  const { ProtocolDriver } = await import("../model/protocolDriver.ts");
  const s = cyclesScenario(n, preset);
  const engine = engineFor(gpu.device, s, loadShaders());
  const driver = new ProtocolDriver(s, engine.co.dt, engine.co.stepsPerSample);
  console.log(`symmetric cycles, 1 mA/cm2, 1 mAh/cm2, ${preset}, ${n}^2 cells of 0.5 um, on ${gpu.adapter}: the page's GPU path (${FRAME_STEPS} steps a frame), first ${samples} samples of ${engine.co.stepsPerSample} steps`);
  const before = engine.readbacks;
  const t0 = performance.now();
  let rows = 0;
  let foil: string | null = null;
  while (rows < samples && !driver.done && !foil) {
    const r = await protocolAdvance(engine, driver, FRAME_STEPS);
    rows += r.rows.length;
    foil = r.foil;
  }
  if (foil) console.log(`the run stopped: ${foil}`);
  const wall = (performance.now() - t0) / 1000;
  const { reads, bytes } = engine.readbacks;
  const [r, b] = [reads - before.reads, bytes - before.bytes];
  console.log(`${rows} samples, ${engine.step} steps: ${r} readbacks (${(r / Math.max(1, rows)).toFixed(2)} a sample), ${b} bytes mapped (${(b / Math.max(1, rows)).toFixed(0)} a sample); wall ${wall.toFixed(1)} s${/swiftshader/i.test(gpu.adapter) ? " (SwiftShader: the counts are the measure, not the time)" : ""}`);
  engine.destroy();
}
