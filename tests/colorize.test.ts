import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { herToMaCm2 } from "../src/model/coefficients.ts";
import { createCpuSolver, runCpu } from "../src/reference/run.ts";
import {
  bandRgb, bandSpan, crackRgb, colorize, DEAD_ZINC_RGB, FILM_RGB, layerColour, metalRgb, pHOfF32, stretchedRgb, unorm8, type ColorizeFields, type ColorizeView,
} from "../src/ui/sim/colorize.ts";
import { alkalinityOf, pHOf } from "../src/model/water.ts";
import { crackStrain } from "../src/model/coefficients.ts";
import { ZHS_MOLAR_VOLUME, ZHS_POROSITY } from "../src/reference/byproduct.ts";
import { metalShadeRgb } from "../src/ui/sim/fieldRenderer.ts";
import { layerKey } from "../src/ui/legend.ts";
import { createWorkerCore, type CpuReply } from "../src/ui/sim/cpuCore.ts";
import { BYPRODUCT_OFF, FIELD_LAYERS, layerScale, PH_OFF, type CellValues, type Frame } from "../src/ui/sim/types.ts";
import { hoverText } from "../src/ui/components/FieldView.tsx";

/** pack4x8unorm of one channel. */
const u8 = (v: number) => Math.floor(0.5 + 255 * Math.min(1, Math.max(0, v)));
const rgb = (r: number, g: number, b: number) => [u8(r), u8(g), u8(b), 255];
const mix = (a: number[], b: number[], t: number) => a.map((x, k) => x * (1 - t) + b[k]! * t);

/** A grid's fields; the deposit's tops all 0 (no metal), so a band lies on the bottom: cells whose centre is below its thickness. */
function fields(nx: number, ny: number, init: Partial<Record<"xi" | "c" | "phi", number>> = {}): ColorizeFields & {
  xi: Float32Array; c: Float32Array; phi: Float32Array; integrity: Float32Array; tops: Float32Array;
} {
  const n = nx * ny;
  return {
    nx, ny,
    xi: new Float32Array(n).fill(init.xi ?? 0),
    c: new Float32Array(n).fill(init.c ?? 1),
    phi: new Float32Array(n).fill(init.phi ?? 0),
    integrity: new Float32Array(nx).fill(1),
    tops: new Float32Array(nx),
  };
}
const view = (v: Partial<ColorizeView> = {}): ColorizeView => ({ band: [0, 0], layer: 0, lo: 0, hi: 1, c0_M: 2, ...v });
const pixel = (px: Uint8ClampedArray, nx: number, row: number, i: number) => Array.from(px.subarray((row * nx + i) * 4, (row * nx + i) * 4 + 4));

describe("colorize (CPU twin of render_field.wgsl)", () => {
  it("paints metal (xi = 1) in the metal colour on every layer but the dimmed ones", () => {
    const f = fields(3, 2, { xi: 1 });
    const px = new Uint8ClampedArray(3 * 2 * 4);
    const metal = rgb(0.86, 0.88, 0.92);
    expect(metal).toEqual([219, 224, 235, 255]);
    for (const layer of [0, 3]) {
      colorize(px, f, view({ layer }));
      for (let k = 0; k < 6; k++) expect(pixel(px, 3, 0, k)).toEqual(metal);
    }
    const dim = rgb(0.45, 0.46, 0.5);
    for (const layer of [1, 2]) {
      colorize(px, f, view({ layer }));
      expect(pixel(px, 3, 1, 2)).toEqual(dim);
    }
  });

  it("with alphaXi, gives the electrolyte's colour alone in RGB and the metal fraction in alpha (for the field renderer)", () => {
    const f = fields(2, 1, { xi: 0.5 });
    f.xi[1] = 1;
    const px = new Uint8ClampedArray(2 * 4);
    colorize(px, f, view({ alphaXi: true }));
    // c = 1 (bulk): the deposit layer's bulk teal, whatever the metal; alpha unorm8(xi).
    expect(pixel(px, 2, 0, 0)).toEqual([...rgb(0.1, 0.55, 0.6).slice(0, 3), 128]);
    expect(pixel(px, 2, 0, 1)).toEqual([...rgb(0.1, 0.55, 0.6).slice(0, 3), 255]);
    colorize(px, f, view());
    expect(pixel(px, 2, 0, 1)).toEqual(rgb(0.86, 0.88, 0.92));
  });

  it("flips rows: the top image row is j = ny - 1 (reservoir), the bottom row j = 0 (electrode)", () => {
    const nx = 4, ny = 3;
    const f = fields(nx, ny);
    for (let i = 0; i < nx; i++) f.xi[i] = 1; // j = 0 metal
    f.c[(ny - 1) * nx + 2] = 0; // top row, column 2 depleted
    const px = new Uint8ClampedArray(nx * ny * 4);
    colorize(px, f, view());
    const metal = rgb(0.86, 0.88, 0.92);
    for (let i = 0; i < nx; i++) expect(pixel(px, nx, ny - 1, i)).toEqual(metal);
    expect(pixel(px, nx, 0, 2)).toEqual(rgb(0.05, 0.1, 0.35));
    expect(pixel(px, nx, 0, 1)).toEqual(rgb(0.1, 0.55, 0.6));
    for (let k = 3; k < px.length; k += 4) expect(px[k]).toBe(255);
  });

  it("colours the bulk electrolyte (c = 1) of the deposit layer as the shader does, the band amber, draped over the tops", () => {
    // Tops 1, 1, 3, 1 cells (periodic), a band 1 cell thick: each column's band spans from one cell below the lowest of
    // its and its neighbours' tops to the surface dilated by 1 (bandSpan): column 0 [0, 2), on the protrusion
    // (column 2) [0, 4), beside it (columns 1 and 3) up its wall to its top, [0, 3).
    const nx = 4, ny = 6;
    const f = fields(nx, ny, { c: 1 });
    f.tops.set([1, 1, 3, 1]);
    expect(bandSpan(f.tops, 0, 1)).toEqual([0, 2]);
    expect(bandSpan(f.tops, 2, 1)).toEqual([0, 4]);
    expect(bandSpan(f.tops, 3, 1)).toEqual([0, 3]); // its right neighbour column 0 (periodic), its left the protrusion
    // Thicker: the dilation by a disc, sqrt(2^2 - 1) = 1.73 over the protrusion one column away.
    expect(bandSpan(f.tops, 3, 2)[1]).toBeCloseTo(3 + Math.sqrt(3), 6);
    const px = new Uint8ClampedArray(nx * ny * 4);
    colorize(px, f, view({ layer: 0, band: [0.5, 1.5] })); // the thickness, band[1] - band[0], is what counts
    const bulk = [0.1, 0.55, 0.6];
    const amber = mix(bulk, [1, 0.8, 0], 0.5);
    const at = (i: number, j: number) => pixel(px, nx, ny - 1 - j, i);
    expect(at(0, 2)).toEqual(rgb(bulk[0]!, bulk[1]!, bulk[2]!)); // y 2.5 is not < 2
    expect(at(0, 2)).toEqual([26, 140, 153, 255]);
    expect(at(0, 1)).toEqual(rgb(amber[0]!, amber[1]!, amber[2]!));
    for (const [i, end] of [[1, 3], [2, 4], [3, 3]] as const) {
      expect(at(i, end - 1)).toEqual(rgb(amber[0]!, amber[1]!, amber[2]!));
      expect(at(i, end)).toEqual(rgb(bulk[0]!, bulk[1]!, bulk[2]!));
    }
    // Integrity layer: the band coloured by its column's integrity, the liquid outside it dark.
    f.integrity[0] = 0;
    colorize(px, f, view({ layer: 3, band: [0, 1] }));
    expect(at(0, 1)).toEqual(rgb(0.6, 0.25, 0.05));
    expect(at(1, 1)).toEqual(rgb(0.6, 0.82, 0.97));
    expect(at(1, 5)).toEqual(rgb(0.12, 0.14, 0.2));
    // A band needs the tops.
    expect(() => colorize(px, { ...f, tops: undefined }, view({ band: [0, 1] }))).toThrow(/top/);
    // The cell the band's top edge cuts is tinted by the share it covers: tops 1.25, a band 1 thick ends at 2.25, a
    // quarter into row 2 (a smooth edge between cell centres, not a step of a whole cell).
    f.tops.fill(1.25);
    f.integrity.fill(1);
    colorize(px, f, view({ layer: 0, band: [0, 1] }));
    const quarter = mix(bulk, amber, 0.25);
    expect(at(0, 1)).toEqual(rgb(amber[0]!, amber[1]!, amber[2]!));
    at(0, 2).slice(0, 3).forEach((v, ch) => expect(Math.abs(v - u8(quarter[ch]!))).toBeLessThanOrEqual(1));
    expect(at(0, 3)).toEqual(rgb(bulk[0]!, bulk[1]!, bulk[2]!));
  });

  it("maps the concentration layer's lo to ramp(0) and hi to ramp(1); the potential layer blue to white", () => {
    const nx = 2, ny = 1;
    const f = fields(nx, ny);
    f.c[0] = 0.5; f.c[1] = 1.5; // c0 = 0.5 M: 0.25 M = lo, 0.75 M = hi
    const px = new Uint8ClampedArray(nx * ny * 4);
    colorize(px, f, view({ layer: 1, lo: 0.25, hi: 0.75, c0_M: 0.5 }));
    expect(pixel(px, nx, 0, 0)).toEqual(rgb(0.27, 0, 0.33));
    expect(pixel(px, nx, 0, 1)).toEqual(rgb(0.99, 0.91, 0.14));
    f.phi[0] = -0.5; f.phi[1] = 0; // V, as the solvers keep phi
    colorize(px, f, view({ layer: 2, lo: -0.5, hi: 0 }));
    expect(pixel(px, nx, 0, 0)).toEqual(rgb(0.1, 0.2, 0.65));
    expect(pixel(px, nx, 0, 1)).toEqual(rgb(0.97, 0.97, 0.97));
    // The HER layer: lo..hi over decades on the ramp, below lo dark, metal grey. herScale 0.1 dx, dx = 1 um.
    const her = new Float32Array(nx * ny);
    const hs = 0.1 * 1e-6;
    her[0] = 1e-6 / hs; her[1] = 1e-1 / hs; // 1e-6 and 1e-1 mA/cm2
    colorize(px, { ...f, her }, view({ layer: 4, lo: 1e-6, hi: 1e-1, herScale: hs }));
    expect(pixel(px, nx, 0, 0)).toEqual(rgb(0.27, 0, 0.33));
    expect(pixel(px, nx, 0, 1)).toEqual(rgb(0.99, 0.91, 0.14));
    her[0] = 0; her[1] = Math.sqrt(1e-6 * 1e-1) / hs; // none; the middle decade (t = 0.5)
    colorize(px, { ...f, her }, view({ layer: 4, lo: 1e-6, hi: 1e-1, herScale: hs }));
    expect(pixel(px, nx, 0, 0)).toEqual(rgb(0.12, 0.14, 0.2));
    expect(pixel(px, nx, 0, 1)).toEqual([...layerColour(4, 0.5).map(u8), 255]);
    f.xi[1] = 1;
    colorize(px, { ...f, her }, view({ layer: 4, lo: 1e-6, hi: 1e-1, herScale: hs }));
    expect(pixel(px, nx, 0, 1)).toEqual(rgb(0.45, 0.46, 0.5));
    expect(() => colorize(px, f, view({ layer: 4, lo: 1e-6, hi: 1e-1, herScale: hs }))).toThrow(/HER/);
    // The legend's colours are the same ramps.
    expect(layerColour(1, 0).map(u8)).toEqual(rgb(0.27, 0, 0.33).slice(0, 3));
    expect(layerColour(1, 1).map(u8)).toEqual(rgb(0.99, 0.91, 0.14).slice(0, 3));
    expect(layerColour(0, 1).map(u8)).toEqual(rgb(0.1, 0.55, 0.6).slice(0, 3));
  });
});

describe("CPU worker core", () => {
  it("colours the HER layer from the solver's per-cell HER current; bare Zn and COF sit decades apart", () => {
    const maxT: Record<string, number> = {};
    for (const preset of ["bare", "cof"]) {
      const sc = parseScenario({ coating: { preset }, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 600, samples: 10 });
      const core = createWorkerCore();
      core.handle({ type: "init", scenario: sc });
      const ref = createCpuSolver(sc);
      expect(Array.from(ref.herCurrent()).every((v) => v === 0)).toBe(true); // no step taken yet
      const f = (core.handle({ type: "frame", id: 1, steps: 40, layer: "her" })!.reply as { frame: Frame }).frame;
      for (let q = 0; q < 40; q++) ref.advance();
      const scale = layerScale("her", ref.co.c0 / 1000, 0);
      expect(f.scale).toEqual(scale);
      expect(scale).toMatchObject({ unit: "mA/cm2", log: true });
      const her = ref.herCurrent();
      // The per-cell currents add up to the metrics' HER current (A/m3 * dx^2 / Lx = A/m2; 0.1 -> mA/cm2).
      let sum = 0;
      for (const v of her) sum += v;
      expect((sum * ref.co.dx * 0.1) / ref.nx).toBeCloseTo(ref.metrics().her_mA_cm2, 6);
      const want = new Uint8ClampedArray(32 * 32 * 4);
      colorize(want, { ...ref, nx: ref.nx, ny: ref.ny, her }, { band: [0, 0], layer: 4, lo: scale.lo, hi: scale.hi, c0_M: ref.co.c0 / 1000, herScale: ref.co.dx * 0.1, alphaXi: true });
      expect(f.pixels).toEqual(want);
      // Kept across an update (the new solver has taken no step), as the GPU's react buffer is.
      core.handle({ type: "update", scenario: { ...sc, current_mA_cm2: 5 } });
      const again = (core.handle({ type: "frame", id: 2, steps: 0, layer: "her" })!.reply as { frame: Frame }).frame;
      expect(again.pixels).toEqual(want);
      let top = 0;
      for (const v of her) top = Math.max(top, v * ref.co.dx * 0.1);
      maxT[preset] = Math.log10(top / scale.lo) / Math.log10(scale.hi / scale.lo);
    }
    // On the scale: bare Zn's strongest cells near the top, COF's (about 500x less HER) about half-way.
    expect(maxT.bare!).toBeGreaterThan(0.8);
    expect(maxT.bare!).toBeLessThanOrEqual(1);
    expect(maxT.cof!).toBeGreaterThan(0.2);
    expect(maxT.bare! - maxT.cof!).toBeGreaterThan(0.3);
  });

  const s = parseScenario({ coating: { preset: "bare" }, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 10 });

  it("advances, colours and reads metrics exactly as a CpuSolver run side by side", () => {
    const core = createWorkerCore();
    const ready = core.handle({ type: "init", id: 1, scenario: s })!.reply;
    expect(ready.type).toBe("ready");
    const ref = createCpuSolver(s);
    if (ready.type !== "ready") return;
    expect(ready.info).toEqual({ nx: 32, ny: 32, steps: ref.co.steps, dt_s: ref.co.dt });
    const per = 3;
    for (let k = 0; k < 3; k++) {
      const out = core.handle({ type: "frame", id: 10 + k, steps: per, layer: k === 1 ? "potential" : "deposit" })!;
      expect(out.reply.type).toBe("frame");
      const f = (out.reply as Extract<CpuReply, { type: "frame" }>).frame;
      for (let q = 0; q < per; q++) ref.advance();
      // The potential layer carries the potential and the metal fraction for the current lines, transferred too.
      if (k === 1) {
        expect(out.transfer).toEqual([f.pixels.buffer, f.phi!.buffer, f.xi!.buffer]);
        expect(f.phi).toEqual(ref.phi);
        expect(f.xi).toEqual(ref.xi);
      } else {
        expect(out.transfer).toEqual([f.pixels.buffer]);
        expect(f.phi).toBeUndefined();
        expect(f.xi).toBeUndefined();
      }
      expect(f.step).toBe(ref.step);
      expect(f.t_s).toBe(ref.step * ref.co.dt);
      expect(f.done).toBe(false);
      expect(f.pixels.length).toBe(32 * 32 * 4);
      // A frame of 3 steps ends on a sample (every 3 steps here): its one row is the reference's metrics there.
      expect(f.rows).toHaveLength(1);
      const row = f.rows[0]!;
      expect(row).toEqual(ref.metrics());
      for (const v of Object.values(row)) expect(Number.isNaN(v)).toBe(false);
      // The pixels are those of colorize over the reference's fields.
      let phiMin = Infinity;
      for (let i = 0; i < ref.nx; i++) phiMin = Math.min(phiMin, ref.phi[i]!);
      const layer = k === 1 ? "potential" : "deposit";
      const scale = layerScale(layer, ref.co.c0 / 1000, phiMin);
      expect(f.scale).toEqual(scale);
      const want = new Uint8ClampedArray(32 * 32 * 4);
      colorize(want, ref, { band: [0, 0], layer: k === 1 ? 2 : 0, lo: scale.lo, hi: scale.hi, c0_M: ref.co.c0 / 1000, alphaXi: true });
      expect(f.pixels).toEqual(want);
    }
    const noRow = core.handle({ type: "frame", id: 20, steps: 0, layer: "concentration" })!.reply as { frame: Frame };
    expect(noRow.frame.rows).toEqual([]);
    expect(noRow.frame.step).toBe(ref.step);
  });

  it("probes the potential in volts: in the bulk electrolyte its gradient is the ohmic field i / sigma", () => {
    // Bare Zn, 10 mA/cm2 through 50 mS/cm: E = 100 A/m2 / 5 S/m = 20 V/m, 20 uV a 1 um cell, far above the deposit.
    const core = createWorkerCore();
    const s = parseScenario({ coating: { preset: "bare" }, grid: { nx: 16, ny: 64, dx_um: 1 }, current_mA_cm2: 10, electrolyte: { sigma_mS_cm: 50 } });
    core.handle({ type: "init", scenario: s });
    core.handle({ type: "frame", id: 1, steps: 5, layer: "potential" });
    const phi = (j: number) => ((core.handle({ type: "probe", id: 2, i: 8, j })!.reply as { values: { phi_V: number } }).values.phi_V);
    const field = (phi(50) - phi(30)) / 20e-6;
    expect(Math.abs(field)).toBeGreaterThan(20 * 0.9);
    expect(Math.abs(field)).toBeLessThan(20 * 1.1);
  });

  it("stops at the scenario's last step, probes in physical units, keeps its state on update, reports errors", () => {
    const core = createWorkerCore();
    expect(core.handle({ type: "probe", id: 1, i: 0, j: 0 })!.reply).toMatchObject({ type: "error", id: 1 });
    const small = parseScenario({ coating: { preset: "bare" }, grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 1, samples: 1 });
    core.handle({ type: "init", scenario: small });
    const sv = core.solver!;
    const last = core.handle({ type: "frame", id: 2, steps: sv.co.steps + 50, layer: "integrity" })!.reply as { frame: Frame };
    expect(last.frame.step).toBe(sv.co.steps);
    expect(last.frame.done).toBe(true);
    const p = core.handle({ type: "probe", id: 3, i: 3, j: 0 })!.reply;
    expect(p).toEqual({
      type: "probe", id: 3,
      values: {
        metal: sv.xi[3], c_M: (sv.c[3]! * sv.co.c0) / 1000, phi_V: sv.phi[3]!, her_mA_cm2: sv.herCurrent()[3]! * herToMaCm2(sv.co), integrity: null, pH: null, film_um: null,
      },
    });
    // update: a new solver with the new coefficients, same state.
    const cp = sv.checkpoint();
    expect(core.handle({ type: "update", scenario: { ...small, current_mA_cm2: small.current_mA_cm2 * 2 } })).toBeNull();
    expect(core.solver).not.toBe(sv);
    expect(core.solver!.step).toBe(cp.step);
    expect(core.solver!.xi).toEqual(cp.xi);
    expect(core.solver!.co.iApp).toBeCloseTo(2 * sv.co.iApp, 12);
    const bad = core.handle({ type: "update", id: 5, scenario: { ...small, grid: { nx: 32, ny: 16, dx_um: 1 } } })!.reply;
    expect(bad.type).toBe("error");
    expect((bad as { message: string }).message).toMatch(/grid/);
  });

  it("frames of any size read back the runner's samples, no more and no fewer (the page's charts and CSV at any speed)", () => {
    const want = runCpu(s).series;
    for (const per of [1, 2, 7, 20, 1000]) {
      const core = createWorkerCore();
      core.handle({ type: "init", scenario: s });
      const rows = [];
      for (let guard = 0; guard < 100; guard++) {
        const f = (core.handle({ type: "frame", id: guard, steps: per, layer: "deposit" })!.reply as { frame: Frame }).frame;
        rows.push(...f.rows);
        if (f.done) break;
      }
      expect(rows, `frames of ${per} steps`).toEqual(want);
    }
  });

  it("continues from a checkpoint of the same grid exactly (a lost GPU's run); a checkpoint that does not fit is refused and changes nothing", () => {
    expect(createCpuSolver(s).co.steps).toBe(30);
    const a = createWorkerCore();
    a.handle({ type: "init", scenario: s });
    a.handle({ type: "frame", id: 1, steps: 6, layer: "deposit" });
    const cp = a.solver!.checkpoint();
    const want = (a.handle({ type: "frame", id: 2, steps: 5, layer: "concentration" })!.reply as { frame: Frame }).frame;

    const b = createWorkerCore();
    b.handle({ type: "init", scenario: s });
    b.handle({ type: "frame", id: 1, steps: 2, layer: "deposit" });
    expect(b.handle({ type: "restore", id: 3, checkpoint: cp })!.reply).toMatchObject({ type: "ready", id: 3 });
    expect(b.solver!.step).toBe(6);
    const got = (b.handle({ type: "frame", id: 4, steps: 5, layer: "concentration" })!.reply as { frame: Frame }).frame;
    expect(got.step).toBe(11);
    expect(got.rows.map((r) => r.t_s)).toEqual([9 * b.solver!.co.dt]); // steps 7 to 11 cross the sample at step 9
    expect(got.rows).toEqual(want.rows);
    expect(got.pixels).toEqual(want.pixels);

    // Another grid, or a field cut short: an error naming it, and the state as it was.
    const before = b.solver!.checkpoint();
    const other = createCpuSolver(parseScenario({ ...s, grid: { nx: 16, ny: 32, dx_um: 1 } })).checkpoint();
    expect(b.handle({ type: "restore", id: 5, checkpoint: other })!.reply).toMatchObject({ type: "error", id: 5, message: expect.stringMatching(/grid 16x32 does not match the run's 32x32/) });
    const short = { ...cp, c: cp.c.slice(0, 100) };
    expect(b.handle({ type: "restore", id: 6, checkpoint: short })!.reply).toMatchObject({ type: "error", message: expect.stringMatching(/c has 100 values, the run needs 1024/) });
    expect(b.handle({ type: "restore", id: 7, checkpoint: { ...cp, step: 2.5 } })!.reply).toMatchObject({ type: "error", message: expect.stringMatching(/step must be a whole number from 0 to 30, got 2.5/) });
    const nan = { ...cp, phi: cp.phi.slice() };
    nan.phi[77] = NaN;
    expect(b.handle({ type: "restore", id: 8, checkpoint: nan })!.reply).toMatchObject({ type: "error", message: expect.stringMatching(/phi is not finite at 77/) });
    expect(b.solver!.checkpoint()).toEqual(before);
  });

  it("drapes the coating band over the tops the solver's last column pass saw (GPU cols slot 5)", () => {
    const coated = parseScenario({ coating: { preset: "znf2" }, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 10 });
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: coated });
    const ref = createCpuSolver(coated);
    expect(ref.co.hasCoating).toBe(true);
    for (let k = 0; k < 2; k++) {
      const f = (core.handle({ type: "frame", id: k, steps: 4, layer: "integrity" })!.reply as { frame: Frame }).frame;
      for (let q = 0; q < 4; q++) ref.advance();
      const want = new Uint8ClampedArray(32 * 32 * 4);
      colorize(want, ref, { band: [0, ref.co.bandCells], layer: 3, lo: 0, hi: 1, c0_M: ref.co.c0 / 1000, alphaXi: true }); // ref.tops: its column pass's
      expect(f.pixels).toEqual(want);
    }
  });
});

/** sRGB (0 to 1) to linear light, and the relative luminance (WCAG) of a colour. */
const lin = (v: number) => (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
const luminance = (c: readonly number[]) => 0.2126 * lin(c[0]!) + 0.7152 * lin(c[1]!) + 0.0722 * lin(c[2]!);
/** Machado et al. (2009) dichromacy (severity 1) on linear RGB, back to sRGB. */
const CVD = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
};
const unlin = (v: number) => { const x = Math.min(1, Math.max(0, v)); return x <= 0.0031308 ? 12.92 * x : 1.055 * x ** (1 / 2.4) - 0.055; };
const seenBy = (m: number[][], c: readonly number[]) => m.map((row) => unlin(row.reduce((s, w, k) => s + w * lin(c[k]!), 0)));
const dist = (a: readonly number[], b: readonly number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
/** Hue (degrees), saturation and lightness (HSL) of a colour. */
function hsl(c: readonly number[]): { h: number; s: number; l: number } {
  const [r, g, b] = c as [number, number, number];
  const max = Math.max(r, g, b), min = Math.min(r, g, b), l = (max + min) / 2, d = max - min;
  const s = d === 0 ? 0 : d / (1 - Math.abs(2 * l - 1));
  const h = d === 0 ? 0 : max === r ? (60 * ((g - b) / d) + 360) % 360 : max === g ? 60 * ((b - r) / d) + 120 : 60 * ((r - g) / d) + 240;
  return { h, s, l };
}

describe("palettes that read for every eye and in greyscale, and legend words that match the colours drawn", () => {
  it("every scale's colours grow in luminance from its low end to its high end (a greyscale print keeps the order)", () => {
    for (const layer of [0, 1, 2, 3, 4, 5, 6]) {
      const L = Array.from({ length: 33 }, (_, k) => luminance(layerColour(layer, k / 32)));
      for (let k = 1; k < L.length; k++) expect(L[k]!, `layer ${layer} at ${k}/32`).toBeGreaterThanOrEqual(L[k - 1]! - 1e-9);
      expect(L.at(-1)! - L[0]!, `layer ${layer}: luminance span`).toBeGreaterThan(0.15);
    }
  });

  it("each scale's ends, and the integrity layer's cracked and intact, stay apart for red-green colour blindness", () => {
    for (const layer of [0, 1, 2, 3, 4, 5, 6]) {
      const lo = layerColour(layer, 0), hi = layerColour(layer, 1);
      for (const [name, m] of Object.entries(CVD)) expect(dist(seenBy(m, lo), seenBy(m, hi)), `layer ${layer}, ${name}`).toBeGreaterThan(0.3);
    }
    // The old red-to-green integrity pair collapsed to two near-identical olive-browns for a deuteranope.
    const oldRed = [0.85, 0.15, 0.12], oldGreen = [0.15, 0.75, 0.3];
    expect(dist(seenBy(CVD.deuteranopia, oldRed), seenBy(CVD.deuteranopia, oldGreen))).toBeLessThan(dist(seenBy(CVD.deuteranopia, layerColour(3, 0)), seenBy(CVD.deuteranopia, layerColour(3, 1))));
  });

  it("metal, coating band, electrolyte and the reserved dead-zinc colour differ in greyscale", () => {
    const metal = luminance(metalRgb(0)), band = luminance(bandRgb()), dead = luminance(DEAD_ZINC_RGB);
    const liquid = [0, 1].map((t) => luminance(layerColour(0, t)));
    expect(metal - Math.max(...liquid)).toBeGreaterThan(0.4);
    expect(metal - dead).toBeGreaterThan(0.2);
    expect(dead - Math.max(...liquid)).toBeGreaterThan(0.1);
    expect(band - liquid[1]!).toBeGreaterThan(0.1); // the band over bulk electrolyte: lighter than it
  });

  it("draws the by-product film over the electrolyte on the deposit layer by the share of the cell it covers (x 4)", () => {
    // Three liquid cells: no film, an eighth covered, a quarter covered (m V_ZHS / (1 - porosity) = 0, 1/8, 1/4):
    // none, half the film's colour, all of it.
    const full = (1 - ZHS_POROSITY) / ZHS_MOLAR_VOLUME;
    const f = { ...fields(3, 1), film: new Float32Array([0, full / 8, full / 4]) };
    const px = new Uint8ClampedArray(3 * 4);
    colorize(px, f, view());
    const bulk = pixel(px, 3, 0, 0), half = pixel(px, 3, 0, 1), covered = pixel(px, 3, 0, 2);
    expect(covered.slice(0, 3)).toEqual(FILM_RGB.map(unorm8));
    for (let ch = 0; ch < 3; ch++) expect(Math.abs(half[ch]! - (bulk[ch]! + covered[ch]!) / 2)).toBeLessThanOrEqual(1);
    // Other layers do not draw it.
    const conc = new Uint8ClampedArray(3 * 4);
    colorize(conc, f, view({ layer: 1 }));
    expect(pixel(conc, 3, 0, 2)).toEqual(pixel(conc, 3, 0, 0));
  });

  it("the legend's colour words name the colours drawn: silver, grey, olive, tan, lilac, dark", () => {
    const word: Record<string, (c: { h: number; s: number; l: number }) => boolean> = {
      silver: (c) => c.s < 0.35 && c.l > 0.75,
      grey: (c) => c.s < 0.15 && c.l > 0.3 && c.l <= 0.75,
      olive: (c) => c.h >= 55 && c.h <= 110 && c.s < 0.5 && c.l > 0.25 && c.l < 0.6,
      "pale olive": (c) => c.h >= 55 && c.h <= 110 && c.s < 0.6 && c.l >= 0.6 && c.l < 0.85,
      tan: (c) => c.h >= 20 && c.h <= 45 && c.s < 0.5 && c.l > 0.45 && c.l < 0.75,
      lilac: (c) => c.h >= 260 && c.h <= 300 && c.l > 0.65,
      dark: (c) => c.l < 0.25,
    };
    const seen = new Set<string>();
    for (const layer of FIELD_LAYERS) {
      for (const e of layerKey(layer, { deadZinc: true, film: true })) {
        expect(word[e.word], `a test for the word "${e.word}"`).toBeDefined();
        expect(word[e.word]!(hsl(e.rgb)), `${layer}: ${e.what} is ${e.word} (hsl ${JSON.stringify(hsl(e.rgb))})`).toBe(true);
        seen.add(e.word);
      }
    }
    expect([...seen].sort()).toEqual(["dark", "grey", "lilac", "olive", "pale olive", "silver", "tan"]);
    // The band's swatch is the colour drawn: a band cell over bulk electrolyte, as colorize colours it.
    const f = fields(1, 1);
    const px = new Uint8ClampedArray(4);
    colorize(px, f, view({ layer: 0, band: [0, 1] }));
    expect(Array.from(px.subarray(0, 3))).toEqual(bandRgb().map(u8));
    // The crack's swatch is a band cell of a column cracked through (integrity 0), as colorize colours it.
    f.integrity[0] = 0;
    colorize(px, f, view({ layer: 0, band: [0, 1] }));
    expect(Array.from(px.subarray(0, 3))).toEqual(crackRgb().map(u8));
    // The stretched band's swatch is a band cell of an intact column at the view's strainRef, as colorize colours it.
    f.integrity[0] = 1;
    colorize(px, { ...f, strain: [0.02] }, view({ layer: 0, band: [0, 1], strainRef: 0.02 }));
    expect(Array.from(px.subarray(0, 3))).toEqual(stretchedRgb().map(u8));
    // Dead zinc's entry shows where the run marks it (a protocol run), on the deposit layer only, where it is drawn.
    expect(layerKey("deposit").some((e) => e.testId === "key-dead-zinc")).toBe(false);
    expect(layerKey("deposit", { deadZinc: true }).some((e) => e.testId === "key-dead-zinc")).toBe(true);
    expect(layerKey("concentration", { deadZinc: true }).some((e) => e.testId === "key-dead-zinc")).toBe(false);
  });

  it("shades the metal by its outline's normal: a face looking up lighter, one looking down darker, deep metal plain", () => {
    // 1 x 5 column: reservoir at the top, metal in rows 2..4 (xi 0, 0, 1, 1, 1), and the same upside down.
    const column = (xs: number[]) => {
      const pixels = new Uint8ClampedArray(xs.length * 4);
      xs.forEach((x, r) => { pixels[r * 4 + 3] = Math.round(255 * x); });
      return metalShadeRgb({ pixels, nx: 1, ny: xs.length, layer: 0 });
    };
    const base = u8(metalRgb(0)[0]);
    const up = column([0, 0, 1, 1, 1]), down = column([1, 1, 1, 0, 0]);
    expect(up[2 * 4]!).toBeGreaterThan(base); // the top face, lit
    expect(up[4 * 4]!).toBe(base); // deep metal
    expect(down[2 * 4]!).toBeLessThan(base); // an overhang's underside, in shade
    expect(down[2 * 4]!).toBeGreaterThan(120); // still read as metal (e2e/outline.ts: red above 120)
  });
});

describe("dead zinc on the deposit layer (CPU path)", () => {
  it("colorize draws a dead metal cell in the dead-zinc colour and a live one silver, on the deposit layer only", () => {
    const f = { ...fields(2, 1, { xi: 1 }), dead: new Uint8Array([1, 0]) };
    const px = new Uint8ClampedArray(2 * 4);
    colorize(px, f, view({ layer: 0 }));
    expect(pixel(px, 2, 0, 0)).toEqual([...DEAD_ZINC_RGB.map(u8), 255]);
    expect(pixel(px, 2, 0, 1)).toEqual([...metalRgb(0).map(u8), 255]);
    colorize(px, f, view({ layer: 3 }));
    expect(pixel(px, 2, 0, 0)).toEqual([...metalRgb(3).map(u8), 255]);
  });

  it("the page's renderer shades a protocol run's cut-off island in tan, its deposit silver (the CPU worker's frame)", () => {
    const sc = parseScenario({
      coating: { preset: "bare" }, grid: { nx: 32, ny: 32, dx_um: 0.5 },
      protocol: [{ step: "strip", current_mA_cm2: 5, until: { time_s: 5 } }],
    });
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: sc });
    const sv = core.solver!;
    // A disc of metal high above the deposit (rows 22-27), cut off from the substrate.
    for (let j = 0; j < 32; j++) for (let i = 0; i < 32; i++) if (Math.hypot(i + 0.5 - 16, j + 0.5 - 25) <= 2.5) sv.xi[j * 32 + i] = 1;
    const f = (core.handle({ type: "frame", id: 1, steps: 2, layer: "deposit" })!.reply as { frame: Frame }).frame;
    expect(f.dead).toHaveLength(32 * 32);
    const at = (i: number, j: number) => j * 32 + i;
    expect(f.dead![at(16, 25)]).toBe(1); // the island
    expect(f.dead![at(16, 0)]).toBe(0); // the substrate's row
    const shade = metalShadeRgb({ pixels: f.pixels, nx: 32, ny: 32, layer: 0, dead: f.dead });
    const px = (i: number, j: number) => Array.from(shade.subarray(((31 - j) * 32 + i) * 4, ((31 - j) * 32 + i) * 4 + 3));
    expect(px(16, 25)).toEqual(DEAD_ZINC_RGB.map((v) => Math.round(255 * v))); // deep in the island: the plain colour
    // The deposit: silver (lit a little by its outline), far from tan in blue.
    px(16, 2).forEach((v, q) => expect(Math.abs(v - 255 * metalRgb(0)[q]!)).toBeLessThan(0.05 * 255));
    expect(px(16, 2)[2]! - 255 * DEAD_ZINC_RGB[2]).toBeGreaterThan(80);
    // Without the mask (a plating run's frame) the island is silver like the rest.
    expect(Array.from(metalShadeRgb({ pixels: f.pixels, nx: 32, ny: 32, layer: 0 }).subarray(((31 - 25) * 32 + 16) * 4, ((31 - 25) * 32 + 16) * 4 + 3))).toEqual(metalRgb(0).map((v) => Math.round(255 * v)));
  });
});

describe("the pH and by-product layers, and the band's strain (CPU path)", () => {
  const DARK = [...[0.12, 0.14, 0.2].map(u8), 255];
  const PH = 5, FILM = 6;

  it("the pH of the shader's arithmetic is model/water.ts pHOf, from pH 1 to 13", () => {
    for (let pH = 1; pH <= 13; pH += 0.25) {
      expect(Math.abs(pHOfF32(alkalinityOf(pH)) - pH), `pH ${pH}`).toBeLessThan(1e-4);
      expect(Math.abs(pHOfF32(alkalinityOf(pH)) - pHOf(alkalinityOf(pH)))).toBeLessThan(1e-4);
    }
  });

  it("colours each cell's pH on the fixed scale pH 3 to 11 (below and above: the ends), metal grey, never NaN", () => {
    const pHs = [2, 3, 4.3, 5.5, 7, 9, 11, 12.5];
    const f = { ...fields(pHs.length + 3, 1), w: Float64Array.from([...pHs.map(alkalinityOf), 0, 1e6, -1e6]) };
    f.xi[pHs.length] = 1; // a metal cell (w = 0 there: pH 7)
    const px = new Uint8ClampedArray(f.nx * 4);
    const scale = layerScale("ph", 2, 0, { ph: true });
    expect(scale).toMatchObject({ lo: 3, hi: 11, unit: "pH" });
    expect(scale.off).toBeUndefined();
    colorize(px, f, view({ layer: PH, lo: scale.lo, hi: scale.hi }));
    pHs.forEach((pH, k) => {
      const want = layerColour(PH, (pH - 3) / 8).map(u8);
      const got = pixel(px, f.nx, 0, k).slice(0, 3);
      for (let ch = 0; ch < 3; ch++) expect(Math.abs(got[ch]! - want[ch]!), `pH ${pH}`).toBeLessThanOrEqual(1);
    });
    expect(pixel(px, f.nx, 0, 0)).toEqual(pixel(px, f.nx, 0, 1)); // pH 2 drawn as pH 3
    expect(pixel(px, f.nx, 0, pHs.length)).toEqual([...metalRgb(PH).map(u8), 255]);
    // 1e6 mol/m3 of OH- (pH 17) and of H+ (pH -3): the scale's ends.
    expect(pixel(px, f.nx, 0, pHs.length + 1).slice(0, 3)).toEqual(layerColour(PH, 1).map(u8));
    expect(pixel(px, f.nx, 0, pHs.length + 2).slice(0, 3)).toEqual(layerColour(PH, 0).map(u8));
    // Acid dark, alkaline light: the reservoir's pH 4.3 and the by-product's 5.5 are far apart on the ramp.
    const dist8 = (a: number[], b: number[]) => Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
    expect(dist8(pixel(px, f.nx, 0, 2), pixel(px, f.nx, 0, 3))).toBeGreaterThan(60);
  });

  it("colours the by-product's film in each cell (fill x cell size, um) over the decades from 1 nm to 1 um, metal grey", () => {
    const full = (1 - ZHS_POROSITY) / ZHS_MOLAR_VOLUME; // mol/m3 that fill a cell
    // In cells of 0.5 um: none, 0.5 nm (below the scale), 1 nm, 10 nm, 0.25 um (half a cell), the cell filled (0.5 um).
    const fills = [0, 0.001, 0.002, 0.02, 0.5, 1];
    const f = { ...fields(fills.length + 1, 1), film: Float64Array.from([...fills.map((x) => x * full), full]) };
    f.xi[fills.length] = 1;
    const px = new Uint8ClampedArray(f.nx * 4);
    const scale = layerScale("byproduct", 2, 0, { ph: true, byproduct: true });
    expect(scale).toMatchObject({ lo: 1e-3, hi: 1, unit: "um", log: true });
    expect(() => colorize(px, f, view({ layer: FILM, lo: scale.lo, hi: scale.hi }))).toThrow(/dx_um/);
    colorize(px, f, view({ layer: FILM, lo: scale.lo, hi: scale.hi, dx_um: 0.5 }));
    fills.forEach((x, k) => {
      const um = x * 0.5;
      const want = layerColour(FILM, um < 1e-3 ? 0 : Math.log10(um / 1e-3) / 3).map(u8);
      const got = pixel(px, f.nx, 0, k).slice(0, 3);
      for (let ch = 0; ch < 3; ch++) expect(Math.abs(got[ch]! - want[ch]!), `fill ${x}`).toBeLessThanOrEqual(1);
    });
    expect(pixel(px, f.nx, 0, 0).slice(0, 3)).toEqual(layerColour(FILM, 0).map(u8));
    expect(pixel(px, f.nx, 0, fills.length)).toEqual([...metalRgb(FILM).map(u8), 255]);
    // A cell of 1 um filled: the top of the scale, the film's lilac.
    colorize(px, f, view({ layer: FILM, lo: scale.lo, hi: scale.hi, dx_um: 1 }));
    expect(pixel(px, f.nx, 0, 5).slice(0, 3)).toEqual(FILM_RGB.map(u8));
  });

  it("without the pH field or the by-product: the layers draw the electrolyte dark and their scales carry the note", () => {
    const f = fields(2, 1);
    f.xi[1] = 1;
    const px = new Uint8ClampedArray(2 * 4);
    for (const layer of [PH, FILM]) {
      colorize(px, f, view({ layer, lo: 3, hi: 11, dx_um: 1 }));
      expect(pixel(px, 2, 0, 0), `layer ${layer}`).toEqual(DARK);
      expect(pixel(px, 2, 0, 1)).toEqual([...metalRgb(layer).map(u8), 255]);
    }
    // The pH alone: the by-product layer dark, the pH layer drawn.
    colorize(px, { ...f, w: [alkalinityOf(4.3), 0] }, view({ layer: FILM, lo: 1e-3, hi: 1, dx_um: 1 }));
    expect(pixel(px, 2, 0, 0)).toEqual(DARK);
    expect(layerScale("ph", 2, 0).off).toBe(PH_OFF);
    expect(layerScale("byproduct", 2, 0).off).toBe(PH_OFF);
    expect(layerScale("byproduct", 2, 0, { ph: true }).off).toBe(BYPRODUCT_OFF);
    expect(PH_OFF).toMatch(/Local pH and by-product/);
    for (const l of FIELD_LAYERS) if (l !== "ph" && l !== "byproduct") expect(layerScale(l, 2, -0.01).off).toBeUndefined();
  });

  it("draws the band lighter as its column stretches, up to the view's strainRef; cracked columns still a gap", () => {
    // Four band columns: strain 0, half of strainRef, strainRef, twice it; a fifth at strainRef but cracked through.
    const ref = 0.02;
    const f = { ...fields(5, 1), strain: Float32Array.from([0, ref / 2, ref, 2 * ref, ref]) };
    f.integrity[4] = 0;
    const px = new Uint8ClampedArray(5 * 4);
    colorize(px, f, view({ layer: 0, band: [0, 1], strainRef: ref }));
    expect(pixel(px, 5, 0, 0).slice(0, 3)).toEqual(bandRgb().map(u8));
    const mid = mix([...bandRgb()], [...stretchedRgb()], 0.5).map(u8);
    pixel(px, 5, 0, 1).slice(0, 3).forEach((v, ch) => expect(Math.abs(v - mid[ch]!)).toBeLessThanOrEqual(1));
    expect(pixel(px, 5, 0, 2).slice(0, 3)).toEqual(stretchedRgb().map(u8));
    expect(pixel(px, 5, 0, 3)).toEqual(pixel(px, 5, 0, 2));
    expect(pixel(px, 5, 0, 4).slice(0, 3)).toEqual(crackRgb().map(u8));
    // Lighter in greyscale as it stretches.
    expect(luminance(stretchedRgb())).toBeGreaterThan(luminance(bandRgb()) + 0.15);
    // No strainRef (no coating): unshaded, whatever the strain.
    colorize(px, f, view({ layer: 0, band: [0, 1] }));
    expect(pixel(px, 5, 0, 3).slice(0, 3)).toEqual(bandRgb().map(u8));
    expect(() => colorize(px, { ...f, strain: undefined }, view({ layer: 0, band: [0, 1], strainRef: ref }))).toThrow(/strain/);
    // The cracking strain sqrt(2 Gc / (E h)): 100 GPa, 10 J/m2, 2 um -> 1 %; none without a coating.
    expect(crackStrain({ hasCoating: true, E: 100e9, Gc: 10, thickness: 2e-6 })).toBeCloseTo(0.01, 12);
    expect(crackStrain({ hasCoating: false, E: 100e9, Gc: 10, thickness: 2e-6 })).toBe(0);
  });

  it("the CPU worker's pH and by-product frames are colorize over the solver's alkalinity and film; pH and film rise at the metal", () => {
    const sc = parseScenario({ coating: { preset: "bare" }, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 2, ph_field: true, byproduct: true });
    const core = createWorkerCore();
    core.handle({ type: "init", scenario: sc });
    const ref = createCpuSolver(sc);
    const ph = (core.handle({ type: "frame", id: 1, steps: 20, layer: "ph" })!.reply as { frame: Frame }).frame;
    for (let q = 0; q < 20; q++) ref.advance();
    const film = (core.handle({ type: "frame", id: 2, steps: 0, layer: "byproduct" })!.reply as { frame: Frame }).frame;
    expect(ph.scale).toEqual(layerScale("ph", 2, 0, { ph: true, byproduct: true }));
    expect(film.scale).toEqual(layerScale("byproduct", 2, 0, { ph: true, byproduct: true }));
    expect(film.scale.off).toBeUndefined();
    const c0_M = ref.co.c0 / 1000;
    for (const [frame, layer, scale] of [[ph, PH, ph.scale], [film, FILM, film.scale]] as const) {
      const want = new Uint8ClampedArray(32 * 32 * 4);
      colorize(want, { ...ref, nx: 32, ny: 32, w: ref.ph!.w, film: ref.byproduct!.m }, { band: [0, 0], layer, lo: scale.lo, hi: scale.hi, c0_M, dx_um: ref.co.dx * 1e6, alphaXi: true });
      expect(frame.pixels).toEqual(want);
    }
    // The reservoir's top row at the electrolyte's pH 4.3; the liquid right above the metal near the by-product's 5.5.
    const rgbAt = (f: Frame, i: number, j: number) => Array.from(f.pixels.subarray(((31 - j) * 32 + i) * 4, ((31 - j) * 32 + i) * 4 + 3));
    const top = rgbAt(ph, 16, 31);
    layerColour(PH, (4.3 - 3) / 8).map(u8).forEach((v, ch) => expect(Math.abs(top[ch]! - v)).toBeLessThanOrEqual(1));
    let surface = 0, filmCells = 0;
    for (let i = 0; i < 32; i++) {
      let j = 0;
      while (j < 31 && ref.xi[j * 32 + i]! >= 0.5) j++;
      surface = Math.max(surface, ref.ph!.w[j * 32 + i]!);
      if (rgbAt(film, i, j).some((v, ch) => v !== u8([0.1, 0.1, 0.13][ch]!))) filmCells++;
    }
    expect(pHOf(surface)).toBeGreaterThan(5.3);
    expect(filmCells).toBeGreaterThan(16);
    // The hover read-out: the cell's pH and its film in um (cover x cell size); none in a run without them.
    let k = 0;
    while (ref.byproduct!.m[k]! === 0) k++;
    const i = k % 32, j = (k - i) / 32;
    const v = (core.handle({ type: "probe", id: 3, i, j })!.reply as { values: CellValues }).values;
    expect(v.pH).toBe(pHOf(ref.ph!.w[k]!));
    expect(v.film_um).toBeCloseTo((ref.byproduct!.m[k]! * ZHS_MOLAR_VOLUME) / (1 - ZHS_POROSITY), 12); // 1 um cells
    expect(v.film_um!).toBeGreaterThan(0);
    expect(hoverText(i, j, 1, v)).toMatch(new RegExp(`, pH ${v.pH!.toFixed(2).replace(".", "\\.")}, film [\\d.e-]+ µm$`));
    const plain = createWorkerCore();
    plain.handle({ type: "init", scenario: parseScenario({ coating: { preset: "bare" }, grid: { nx: 16, ny: 16, dx_um: 1 } }) });
    const none = (plain.handle({ type: "probe", id: 4, i: 1, j: 1 })!.reply as { values: CellValues }).values;
    expect(none).toMatchObject({ pH: null, film_um: null });
    expect(hoverText(1, 1, 1, none)).not.toMatch(/pH|film/);
  });
});
