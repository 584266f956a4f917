/**
 * `npm run bench -- --cycles [--cycles-grid=N] [--cycles-preset=ID] [--threads=N]`: the wall and CPU time of 10
 * symmetric cycles at 1 mA/cm2 and 1 mAh/cm2 (20 h of cell time) on the CPU reference, at N x N cells of the default
 * 0.5 um (128 when not given), with the time step, the steps taken and the cycles' zinc kept. Timings are wall-clock
 * on this machine; tests never assert them.
 */
import { cpus } from "node:os";
import { parseScenario } from "../model/scenario.ts";
import { protocolPreset } from "../model/protocol.ts";
import { runProtocolCpu } from "../reference/protocolRun.ts";

export function cyclesBench(n: number, preset: string, threads: number): void {
  const s = parseScenario({
    grid: { nx: n, ny: n, dx_um: 0.5 }, coating: { preset },
    ...protocolPreset("symmetric", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 10, duration_s: 1 }),
  });
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
