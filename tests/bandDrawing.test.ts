/**
 * Issue 26, items 6 and 26 (lesson III): the coating band is drawn as the model has it. The model's coating covers the
 * whole metal surface (the HER factor applies to every column, valleys too), is strained by the deposit standing
 * above the mean and cracks column by column (integrity): the band is draped over the deposit (colorize.ts bandSpan,
 * render_field.wgsl's twin), a skin on the metal that rides over protrusions and runs down their walls, not a flat
 * strip at the mean height that protrusions grow through. Checked on a built deposit (a protrusion and a valley)
 * and through the CPU worker's own frames (sim/cpuCore.ts, the page's CPU path) of a stiff, brittle coating at high
 * current. tests/gpu/checks.test.ts checks that render_field.wgsl draws the same band as this CPU twin.
 */
import { describe, expect, it } from "vitest";
import { crackStrain } from "../src/model/coefficients.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { columnTops } from "../src/reference/diagnostics.ts";
import type { CpuSolver } from "../src/reference/solver.ts";
import { bandSpan, colorize, type ColorizeFields } from "../src/ui/sim/colorize.ts";
import { createWorkerCore } from "../src/ui/sim/cpuCore.ts";
import type { Frame } from "../src/ui/sim/types.ts";
import { BRITTLE_BAND } from "./helpers.ts";

const THICK = 2;
/** BRITTLE_BAND's 2 um layer in its 0.5 um cells. */
const BAND_CELLS = 4;
const lum = (p: number[]) => p[0]! + p[1]! + p[2]!;

/**
 * A 24 x 24 deposit: flat with its top at 4.21 cells, a protrusion over columns 7 to 9 up to 14.21, a valley over
 * columns 15 to 17 down to 2.21; its tops as the column pass finds them.
 */
function builtDeposit(): ColorizeFields & { xi: Float32Array; tops: Float64Array; integrity: Float32Array } {
  const nx = 24, ny = 24;
  const xi = new Float32Array(nx * ny);
  for (let i = 0; i < nx; i++) {
    const full = i >= 7 && i <= 9 ? 14 : i >= 15 && i <= 17 ? 2 : 4; // rows of metal, then a 0.3 cell
    for (let j = 0; j < full; j++) xi[j * nx + i] = 1;
    xi[full * nx + i] = 0.3;
  }
  const tops = columnTops({ nx, ny, xi } as unknown as CpuSolver);
  return { nx, ny, xi, c: new Float32Array(nx * ny).fill(1), phi: new Float32Array(nx * ny), integrity: new Float32Array(nx).fill(1), tops };
}

describe("the coating band drawn where the model has it", () => {
  it("lies on the deposit as a skin: just above a protrusion's top, down its walls, just above a valley's floor, never over the metal", () => {
    const f = builtDeposit();
    const { nx, ny, xi, tops } = f;
    expect(tops[0]).toBeCloseTo(4.214, 3);
    expect(tops[7]).toBeCloseTo(14.214, 3);
    expect(tops[16]).toBeCloseTo(2.214, 3);
    const mean = xi.reduce((a, v) => a + v, 0) / nx;
    const view = { band: [0, THICK] as [number, number], layer: 0, lo: 0, hi: 1, c0_M: 2 };
    const draw = (alphaXi: boolean, band = view.band) => {
      const px = new Uint8ClampedArray(nx * ny * 4);
      colorize(px, f, { ...view, band, alphaXi });
      return (i: number, j: number) => Array.from(px.subarray(((ny - 1 - j) * nx + i) * 4, ((ny - 1 - j) * nx + i) * 4 + 4));
    };
    const withBand = draw(false), without = draw(false, [0, 0]);
    // The band's cells as seen (opaque: the metal mixed in): those that differ from the picture without a band.
    const banded = (i: number) => Array.from({ length: ny }, (_, j) => j).filter((j) => withBand(i, j).some((v, ch) => v !== without(i, j)[ch]));
    const seen = Array.from({ length: nx }, (_, i) => banded(i));
    console.log(`mean height ${mean.toFixed(2)} cells; band rows: flat ${seen[0]}, protrusion ${seen[7]}, its wall ${seen[6]}, valley ${seen[16]}, its wall ${seen[15]}`);
    for (let i = 0; i < nx; i++) {
      const [, hi] = bandSpan(tops, i, THICK);
      for (const j of seen[i]!) {
        // Never over the metal: every cell drawn as band is electrolyte (the metal hides the band's share below its top).
        expect(xi[j * nx + i], `column ${i} row ${j}`).toBeLessThan(0.5);
        // On the surface: from the column's top up to the band's thickness from the surface (bandSpan; the cell its
        // top edge cuts tinted by the share it covers).
        expect(j + 0.5).toBeGreaterThanOrEqual(tops[i]!);
        expect(j).toBeLessThan(hi);
      }
    }
    // Flat deposit: the rows just above its top (4.21) to 6.21: rows 4 and 5, and a fifth of row 6.
    expect(seen[0]).toEqual([4, 5, 6]);
    // On the protrusion (top 14.21, far above the mean height): just above its top, rows 14 and 15 (and a fifth of
    // 16), where the flat band of old (on the mean height) had no part.
    expect(seen[7]).toEqual([14, 15, 16]);
    expect(seen[8]).toEqual([14, 15, 16]);
    expect(seen[9]).toEqual([14, 15, 16]);
    expect(14).toBeGreaterThan(mean + THICK + 5);
    // Down its walls: the electrolyte columns beside each wall carry the band from their own top up to the
    // protrusion's band, with no gap, the band's thickness across (two columns: the next one up to the top only).
    expect(seen[6]).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    expect(seen[10]).toEqual(seen[6]);
    expect(seen[5]).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    expect(seen[11]).toEqual(seen[5]);
    expect(seen[4]).toEqual([4, 5, 6]);
    // In the valley (top 2.21, below the mean): just above its floor, rows 2 and 3 (and the rim's 4.21 cuts row 4);
    // its walls covered up to the rim's band.
    expect(seen[16]).toEqual([2, 3, 4]);
    expect(seen[15]).toEqual([2, 3, 4, 5]);
    expect(seen[17]).toEqual([2, 3, 4, 5]);

    // The page's picture (alphaXi: RGB the electrolyte's colour alone, A = xi): every electrolyte cell touching the metal
    // and the metal cell it touches are band-coloured, so the colours interpolated across the xi = 0.5 outline are
    // the band's: it sits just outside the outline all along it, in the electrolyte's colour (olive: red > 100 of
    // 255, the bulk electrolyte's 26).
    const page = draw(true);
    const olive = (i: number, j: number) => page(i, j)[0]! > 100;
    let touching = 0;
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < ny; j++) {
        if (xi[j * nx + i]! >= 0.5) continue;
        for (const [a, b] of [[i, j - 1], [(i + nx - 1) % nx, j], [(i + 1) % nx, j]] as const) {
          if (b < 0 || xi[b * nx + a]! < 0.5) continue;
          touching++;
          expect(olive(i, j), `electrolyte (${i}, ${j}) on the metal`).toBe(true);
          expect(olive(a, b), `metal (${a}, ${b}) under the electrolyte`).toBe(true);
        }
      }
    }
    expect(touching).toBeGreaterThan(nx);
    // Deep in the metal and well away from it: no band.
    expect(olive(0, 1)).toBe(false);
    expect(olive(8, 10)).toBe(false); // inside the protrusion, well below its top (its neighbours' tops are 14.21 too)
    // (The metal columns along a wall carry the band's colour down it, hidden under the metal: the colours
    // interpolated across the wall's outline are the band's.)
    expect(olive(7, 10)).toBe(true);
    expect(olive(0, 7)).toBe(false);

    // A crack in the protrusion's band: a dark gap there, darker than the electrolyte above it; the column beside
    // (intact) stays olive.
    f.integrity[7] = 0;
    const cracked = draw(false);
    for (const j of [14, 15]) expect(lum(cracked(7, j))).toBeLessThan(lum(cracked(7, 17)));
    expect(cracked(8, 14)).toEqual(withBand(8, 14));
    // No metal: a column without deposit (top 0) carries the band on the electrode, rows 0 and 1.
    const bare = { ...f, integrity: new Float32Array(nx).fill(1), tops: new Float64Array(nx), xi: new Float32Array(nx * ny) };
    const px = new Uint8ClampedArray(nx * ny * 4);
    colorize(px, bare, { ...view, alphaXi: true });
    const rowRed = (j: number) => px[((ny - 1 - j) * nx) * 4]!;
    expect([0, 1, 2].map((j) => rowRed(j) > 100)).toEqual([true, true, false]);
  });

  it("through the CPU worker's frames: rides on each column's top as the deposit grows, over protrusions too; cracked columns dark gaps", () => {
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: parseScenario(BRITTLE_BAND) });
    const s = core.solver!;
    const { nx, ny } = s;
    const frame = (steps: number) => (core.handle({ type: "frame", id: 1, steps, layer: "deposit" })!.reply as { frame: Frame }).frame;
    const mean = () => s.xi.reduce((a, v) => a + v, 0) / nx;
    const px = (f: Frame, i: number, j: number) => Array.from(f.pixels.subarray(((ny - 1 - j) * nx + i) * 4, ((ny - 1 - j) * nx + i) * 4 + 3));
    // The band's rows in column i that are electrolyte (xi < 0.5): olive (the electrolyte mixed half with amber: red
    // above 100 of 255; the electrolyte's own red is at most 26). The frame is the page's (alphaXi): RGB the
    // electrolyte's colour, which the band tints one cell into the metal too (hidden under it).
    const bandRows = (f: Frame, i: number) => Array.from({ length: ny }, (_, j) => j).filter((j) => s.xi[j * nx + i]! < 0.5 && px(f, i, j)[0]! > 100);

    const f0 = frame(1);
    const m0 = mean();
    const tops0 = s.columnTops(); // no growth yet to speak of: the tops before the first step
    const rows0 = bandRows(f0, 0);
    // The electrolyte rows the band covers in column i, from the column's top (the cell below it is metal) up to the
    // band's thickness from the surface (bandSpan: a skin, no gap): `full` those it covers whole, `some` those it
    // covers at all (the one its top edge cuts, tinted by the share it covers).
    const skin = (t: ArrayLike<number>, i: number) => {
      const [lo, hi] = bandSpan(t, i, BAND_CELLS);
      const rows = Array.from({ length: ny }, (_, j) => j).filter((j) => j + 0.5 >= lo && s.xi[j * nx + i]! < 0.5);
      return { full: rows.filter((j) => j + 1 <= hi), some: rows.filter((j) => j < hi) };
    };
    const f1 = frame(s.co.steps);
    const m1 = mean();
    const tops = s.tops; // the last step's column pass: the tops the frame's band was draped over
    const intact = Array.from(s.integrity.keys()).filter((i) => s.integrity[i]! > 0.999);
    // Cracked: a crack opens 0.5 um of the layer, one whole column of 0.5 um.
    const cracked = Array.from(s.integrity.keys()).filter((i) => s.integrity[i]! < 0.2);
    const high = intact.reduce((a, i) => (tops[i]! > tops[a]! ? i : a), intact[0]!);
    console.log(
      `mean height ${m0.toFixed(2)} -> ${m1.toFixed(2)} cells; column 0 top ${tops0[0]!.toFixed(2)}, band rows ${rows0}; ` +
        `highest intact column ${high} top ${tops[high]!.toFixed(2)}, band rows ${bandRows(f1, high)}; intact ${intact.length}, cracked ${cracked.length} of ${nx}`,
    );
    expect(m1 - m0).toBeGreaterThan(2);
    // Four cells thick (2 µm): at the start, the rows just above the deposit's top.
    expect(s.co.bandCells).toBe(BAND_CELLS);
    expect(rows0.length).toBeGreaterThanOrEqual(BAND_CELLS);
    expect(rows0[0]! + 0.5 - tops0[0]!).toBeLessThan(1);
    expect(intact.length).toBeGreaterThan(0);
    for (const i of intact) {
      const rows = bandRows(f1, i);
      const { full, some } = skin(tops, i);
      for (const j of full) expect(rows, `column ${i}`).toContain(j);
      for (const j of rows) expect(some, `column ${i}`).toContain(j);
      expect(rows.length).toBeGreaterThanOrEqual(BAND_CELLS - 1);
      expect(rows[0]! + 0.5).toBeGreaterThanOrEqual(tops[i]! - 0.5);
    }
    // Over the highest protrusion (its top over a cell above the mean): the band lies just above its top, up past
    // where the flat band on the mean height of old ended.
    expect(tops[high]! - m1).toBeGreaterThan(1);
    const onTop = bandRows(f1, high);
    expect(onTop[0]! + 0.5).toBeGreaterThanOrEqual(tops[high]!);
    expect(onTop[0]! + 0.5 - tops[high]!).toBeLessThan(1);
    expect(onTop.at(-1)! + 0.5).toBeGreaterThan(m1 + BAND_CELLS);
    // A cracked column: its band drawn as the dark gap, darker than the same band
    // intact. The frame is colorize over the solver's fields and the tops of its last column pass; the same with the
    // cracked columns made whole shows the difference.
    expect(cracked.length).toBeGreaterThan(0);
    const view = { band: [0, BAND_CELLS] as [number, number], layer: 0, lo: 0, hi: 1, c0_M: s.co.c0 / 1000, strainRef: crackStrain(s.co), alphaXi: true };
    const again = new Uint8ClampedArray(nx * ny * 4);
    colorize(again, { ...s, strain: s.strainPrev }, view);
    expect(again).toEqual(f1.pixels);
    const whole = new Uint8ClampedArray(nx * ny * 4);
    colorize(whole, { ...s, strain: s.strainPrev, integrity: new Float32Array(nx).fill(1) }, view);
    const at = (p: Uint8ClampedArray, i: number, j: number) => Array.from(p.subarray(((ny - 1 - j) * nx + i) * 4, ((ny - 1 - j) * nx + i) * 4 + 3));
    for (const i of cracked) {
      const rows = skin(tops, i).full;
      expect(rows.length).toBeGreaterThanOrEqual(BAND_CELLS - 1);
      for (const j of rows) expect(lum(at(f1.pixels, i, j)), `column ${i} row ${j}`).toBeLessThan(lum(at(whole, i, j)) - 40);
    }
  });
});
