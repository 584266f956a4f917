/**
 * `npm run morphology`: the two growth regimes of docs/MODEL.md ("Morphology"), on the CPU reference. Lesson I's
 * bare-Zn step (50 mA/cm2 from 0.2 M in its 64 x 128 um cell, past the cell's limiting current) against the same
 * cell below it (10 mA/cm2 for five times as long: the same charge, 30 C/cm2). Prints for each the limiting
 * current, the final metrics and the box-counting dimension of the deposit's outline, and writes the deposit layer
 * (the app's colours, src/ui/sim/colorize.ts) to docs/screenshots/morphology-{above,below}-limit.png.
 * `--out-dir DIR` writes the pictures elsewhere; `--seed N` another seed. Progress on stderr.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { outlineDimension } from "../model/boxCounting.ts";
import { limitingCurrent } from "../model/coefficients.ts";
import { parseScenario, type Scenario } from "../model/scenario.ts";
import { runCpu } from "../reference/run.ts";
import { getLesson, lessonScenario } from "../ui/lessonData.ts";
import { colorize } from "../ui/sim/colorize.ts";
import { encodePng } from "./pngFile.ts";

const { values } = parseArgs({ options: { "out-dir": { type: "string" }, seed: { type: "string" } }, strict: true });
const outDir = values["out-dir"] ?? "docs/screenshots";
const seed = values.seed === undefined ? 1 : Number(values.seed);
if (!Number.isInteger(seed) || seed < 0) {
  console.error(`morphology: --seed must be a whole number >= 0, got ${JSON.stringify(values.seed)}`);
  process.exit(2);
}

const above = parseScenario({ ...lessonScenario(getLesson("I")!, "bare"), seed });
const below = parseScenario({ ...above, current_mA_cm2: above.current_mA_cm2 / 5, duration_s: above.duration_s * 5 });

function show(name: string, s: Scenario): void {
  const t0 = performance.now();
  process.stderr.write(`morphology: ${name}: ${s.current_mA_cm2} mA/cm2 for ${s.duration_s} s on ${s.grid.nx} x ${s.grid.ny} cells of ${s.grid.dx_um} um...\n`);
  const { series, solver } = runCpu(s, {
    onSample: (done, total) => { if (done % 5 === 0) process.stderr.write(`  ${done}/${total} samples\n`); },
  });
  const last = series.at(-1)!;
  const d = outlineDimension(solver.xi, solver.nx, solver.ny, solver.co.dx);
  const rgba = new Uint8ClampedArray(solver.nx * solver.ny * 4);
  colorize(rgba, { nx: solver.nx, ny: solver.ny, xi: solver.xi, c: solver.c, phi: solver.phi, integrity: solver.integrity }, { band: [0, 0], layer: 0, lo: 0, hi: 1, c0_M: s.electrolyte.c0_M });
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `morphology-${name}-limit.png`);
  writeFileSync(file, encodePng(rgba, solver.nx, solver.ny, 3));
  const iLim = limitingCurrent(s);
  console.log(
    `${name} the limiting current: ${s.current_mA_cm2} mA/cm2 (i_lim ${iLim.toFixed(1)} mA/cm2, ${(s.current_mA_cm2 / iLim).toFixed(2)} x), ${s.duration_s} s, ` +
      `${s.electrolyte.c0_M} M, ${s.grid.nx * s.grid.dx_um} x ${s.grid.ny * s.grid.dx_um} um at ${s.grid.dx_um} um\n` +
      `  outline box-counting dimension ${d.dimension.toFixed(3)} (r2 ${d.r2.toFixed(3)}, boxes ${d.boxes.map((b) => `${b.size_um} um: ${b.count}`).join(", ")})\n` +
      `  max height ${last.max_height_um.toFixed(1)} um, roughness ${last.roughness_um.toFixed(2)} um, min surface Zn2+ ${last.min_surface_c_M.toFixed(3)} M, ` +
      `CE ${(last.ce * 100).toFixed(1)} %, E_m ${(last.voltage_V * 1e3).toFixed(1)} mV\n  picture: ${file} (${((performance.now() - t0) / 1000).toFixed(0)} s)`,
  );
}

show("above", above);
show("below", below);
