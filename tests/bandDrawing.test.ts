/**
 * Issue 26, item 6 (lesson III): the coating band is drawn as the model has it. The model sits the band on the mean
 * deposit height (the column pass's mean: reference/columns.ts, S.MEAN on the GPU) and cracks it column by column
 * (integrity). Through the CPU worker's own frames (sim/cpuCore.ts, the page's CPU path): after growth the band's
 * drawn rows have moved up with the mean deposit, and a cracked column is drawn as a dark gap, not olive.
 * tests/gpu/checks.test.ts checks that render_field.wgsl draws the same band as this CPU twin.
 */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { createWorkerCore } from "../src/ui/sim/cpuCore.ts";
import type { Frame } from "../src/ui/sim/types.ts";
import { BRITTLE_BAND } from "./helpers.ts";

describe("the coating band drawn where the model has it", () => {
  it("rises with the mean deposit height, and shows its cracked columns as dark gaps", () => {
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: parseScenario(BRITTLE_BAND) });
    const s = core.solver!;
    const { nx, ny } = s;
    const frame = (steps: number) => (core.handle({ type: "frame", id: 1, steps, layer: "deposit" })!.reply as { frame: Frame }).frame;
    const mean = () => s.xi.reduce((a, v) => a + v, 0) / nx;
    const px = (f: Frame, i: number, j: number) => Array.from(f.pixels.subarray(((ny - 1 - j) * nx + i) * 4, ((ny - 1 - j) * nx + i) * 4 + 3));
    // The band's rows in column i: olive (the electrolyte mixed half with amber: red above 100 of 255; the
    // electrolyte's own red is at most 26).
    const bandRows = (f: Frame, i: number) => Array.from({ length: ny }, (_, j) => j).filter((j) => px(f, i, j)[0]! > 100);

    const f0 = frame(1);
    const m0 = mean();
    const rows0 = bandRows(f0, 0);
    const f1 = frame(s.co.steps);
    const m1 = mean();
    const intact = Array.from(s.integrity.keys()).filter((i) => s.integrity[i]! > 0.999);
    const cracked = Array.from(s.integrity.keys()).filter((i) => s.integrity[i]! < 0.2);
    console.log(`mean height ${m0.toFixed(2)} -> ${m1.toFixed(2)} cells; band rows ${rows0} -> ${bandRows(f1, intact[0]!)}; intact ${intact.length}, cracked ${cracked.length} of ${nx}`);
    expect(m1 - m0).toBeGreaterThan(2);
    // Two cells thick (2 µm), its bottom on the mean height (the row whose centre is the first at or above it).
    expect(rows0).toHaveLength(s.co.bandCells);
    expect(Math.abs(rows0[0]! - Math.ceil(m0 - 0.5))).toBeLessThanOrEqual(1);
    expect(intact.length).toBeGreaterThan(0);
    for (const i of intact) {
      const rows = bandRows(f1, i);
      expect(rows).toHaveLength(s.co.bandCells);
      expect(Math.abs(rows[0]! - Math.ceil(m1 - 0.5))).toBeLessThanOrEqual(1);
      // Moved up with the deposit: as many rows as the mean rose, within one.
      expect(Math.abs(rows[0]! - rows0[0]! - (m1 - m0))).toBeLessThanOrEqual(1);
    }
    // A cracked column: no olive in its band rows, and darker there than the electrolyte just above the band.
    expect(cracked.length).toBeGreaterThan(0);
    const band = bandRows(f1, intact[0]!);
    const lum = (p: number[]) => p[0]! + p[1]! + p[2]!;
    for (const i of cracked) {
      expect(bandRows(f1, i)).toEqual([]);
      for (const j of band) expect(lum(px(f1, i, j))).toBeLessThan(lum(px(f1, i, band.at(-1)! + 1)));
    }
  });
});
