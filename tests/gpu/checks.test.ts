/**
 * The MODEL.md checks on the gpu backend in Node (the `webgpu` package, Dawn: the GPU driver where there is one,
 * else Chromium's SwiftShader), beside the series agreement of tests/gpu/agreement.test.ts: both V-cycle layouts
 * and line solvers, the page's frames, Sand's time, the steady limiting current's 1 / (1 - t+), the coating's ohmic
 * drop i h / sigma_c, Zn conservation, and the review's trends (t+ and conductivity -> uniformity, modulus ->
 * shorter dendrites, dG_H* and water activity -> less HER). Same thresholds as tests/transport.test.ts and
 * tests/growth.test.ts; each check also runs its scenarios on the CPU reference (cheap) and compares.
 *
 * Each describe block runs its scenarios in ONE child process on ONE device (tests/gpu/runs.ts).
 *
 * Grids are smaller and runs shorter than the CPU tests' (SwiftShader takes ~1 s a step at 1024 cells); each
 * scenario below was chosen so that the CPU reference passes the same threshold on it too, which the tests assert.
 */
import { describe, expect, it } from "vitest";
import type { SeriesRow } from "../../src/model/metrics.ts";
import { createCpuSolver, runCpu } from "../../src/reference/run.ts";
import { colorize } from "../../src/ui/sim/colorize.ts";
import { coefficients, crackStrain } from "../../src/model/coefficients.ts";
import { alkalinityOf, pHOf } from "../../src/model/water.ts";
import { BRITTLE_BAND, mean, runUntil, scenario, znMassBalance } from "../helpers.ts";
import { expectSeriesNear, gpuRuns } from "./runs.ts";

const rel = (a: number, b: number) => Math.abs(a / b - 1);

describe("gpu backend: both V-cycle layouts", () => {
  it("the per-level passes of a hardware GPU and the one-workgroup V-cycle of a software one give the CPU's series within 1 %", () => {
    // On a software adapter (SwiftShader, as in CI) the engine walks the whole V-cycle in one workgroup of 16; a
    // hardware GPU runs one pass per level down to 32 x 32 (bottomCells 1024) and the rest in one workgroup of 256.
    // At 64^2 with a resistive coating (COF@Zn, 30 steps) the forced hardware layout runs level 0 as its own passes,
    // so both layouts are checked here; and with the bottom pass from 16 x 16, 32 x 32 too: a level whose right side
    // its own first sweeps restrict from the level above (shaders/multigrid.wgsl restrictColumn).
    const raw = { grid: { nx: 64, ny: 64, dx_um: 1 }, duration_s: 60, samples: 5, coating: { preset: "cof" } };
    const [software, hardware, twoLevels, segments] = gpuRuns([raw, raw, raw, raw], [
      { bottomCells: 1e9 }, { bottomCells: 1024, bottomThreads: 256 }, { bottomCells: 256, bottomThreads: 256 },
      { bottomCells: 1e9, columnScan: "segments" },
    ]);
    // The CPU's potential started as the GPU's is (from its last solution: CpuSolver.extrapolatePotential), so that
    // the iteration counts below compare the two V-cycles from the same start.
    const solver = createCpuSolver(scenario(raw));
    solver.extrapolatePotential = false;
    const cpu: SeriesRow[] = [];
    for (let k = 0; k < solver.co.samples; k++) {
      for (let q = 0; q < solver.co.stepsPerSample; q++) solver.advance();
      cpu.push(solver.metrics());
    }
    expectSeriesNear("one-workgroup vs cpu", software!.series, cpu, 0.01);
    // The column pass by segments of rows (columnScan) sums each column in another order: the same series to f32
    // rounding as one thread a column.
    expectSeriesNear("column sums by segments vs by one thread a column", segments!.series, software!.series, 1e-4);
    expectSeriesNear("per-level vs cpu", hardware!.series, cpu, 0.01);
    expectSeriesNear("two per-level levels vs cpu", twoLevels!.series, cpu, 0.01);
    // The same V-cycle as the CPU's, so as good a preconditioner: the last step's CG iterations (one V-cycle each)
    // within one of the CPU's (f32 against f64). A V-cycle that were only near it (a restriction that dropped the
    // wrong colour's residuals: 49 for phi_b + phi instead of 13, 18 for c instead of 3; or a level whose odd
    // columns' first sweep left their B unrestricted: 15 and 3) would still converge to the same series.
    for (const [label, r] of [["one-workgroup", software!], ["per-level", hardware!], ["two per-level levels", twoLevels!]] as const) {
      console.log(`${label}: CG iterations of the last step (phi_b + phi, c) ${r.iterations.phiB + r.iterations.phi}, ${r.iterations.c}; CPU ${solver.stats.phiCycles}, ${solver.stats.cCycles}`);
      expect(Math.abs(r.iterations.phiB + r.iterations.phi - solver.stats.phiCycles), label).toBeLessThanOrEqual(1);
      expect(Math.abs(r.iterations.c - solver.stats.cCycles), label).toBeLessThanOrEqual(1);
    }
  }, 300_000);

  it("the line sweeps by parallel cyclic reduction (a hardware GPU's) give the sequential line solves' series and the CPU's within 1 %", () => {
    // A hardware GPU solves each smoother line above the bottom levels by parallel cyclic reduction, one workgroup
    // per line; a software one walks each line in one thread. On SwiftShader the reduction's workgroup barriers
    // cost seconds a step even at 16^2, so the check is small: 16^2 with the bottom pass from 4 x 4, so 16 x 16 and
    // 8 x 8 sweep by reduction; 64 threads a workgroup over 10 steps, and the hardware's 256 (lines and the CG's
    // final sums) over 2.
    const raw = { grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 20, samples: 5, coating: { preset: "cof" } };
    const short = { ...raw, duration_s: 4, samples: 1 };
    // Blocks of several rows a thread, as a hardware GPU's are (16 rows at 1024^2: 64 threads a column, four columns
    // a workgroup; 4 rows at 512^2), and several columns a workgroup. On 16 x 16: 4 threads, blocks of 4 rows on the
    // 16-row level and 2 on the 8-row one; 8 threads, 2 and 1; 8 threads over 2 columns, 4 and 2 rows; 8 threads over
    // 8 columns, one thread a column walking all of it (the 8-column level fills half of its workgroup: the other
    // columns are past its edge). On 16 x 32, 4 threads asked for 4 columns: 32 rows need 2 threads a column, so the
    // engine takes 2 columns there and 4 on the 16-row level (two pipelines in one engine, as a hardware GPU's 1024^2
    // and 512^2 levels have). Grids are powers of two, so a level's blocks are all of the same length.
    const tall = (ny: number) => ({ ...short, grid: { ...short.grid, ny } });
    const blocks = [
      [short, { pcrThreads: 4 }], [short, { pcrThreads: 8 }], [short, { pcrThreads: 8, pcrCols: 2 }],
      [short, { pcrThreads: 8, pcrCols: 8 }], [tall(32), { pcrThreads: 4, pcrCols: 4 }],
    ] as const;
    // A level's sweeps go by whole-sweep passes (both colours in one, zebraPcr) or by a pass a colour (on a hardware
    // GPU by default from 512 columns wide): the blocks' runs with 2 and with 4 columns a workgroup are run again by
    // a pass a colour on every level, and the first again with the 16-column level by half passes and the 8-column
    // one whole, and again with the 8-column level's B restricted inside its first sweeps (restrictColumn, the
    // halo line's included), swept whole and swept by halves, instead of by a pass of its own; each must give the
    // same fields to the bit.
    const variants = [
      [2, { sweeps: "half" }], [4, { sweeps: "half" }], [2, { halfSweepsFrom: 16 }], [2, { restriction: "sweep" }],
      [2, { sweeps: "half", restriction: "sweep" }],
    ] as const;
    const [pcr, thomas, pcr256, thomas5, thomas32, ...rest] = gpuRuns(
      [raw, raw, short, short, tall(32), ...blocks.map(([r]) => r), ...variants.map(([k]) => blocks[k][0])],
      [
        { bottomCells: 16, lineSolver: "pcr", pcrThreads: 64 }, { bottomCells: 16, lineSolver: "thomas" },
        { bottomCells: 16, lineSolver: "pcr", pcrThreads: 256, sumThreads: 256 }, { bottomCells: 16, lineSolver: "thomas" },
        { bottomCells: 16, lineSolver: "thomas" },
        ...blocks.map(([, b]) => ({ bottomCells: 16, lineSolver: "pcr" as const, ...b })),
        ...variants.map(([k, v]) => ({ bottomCells: 16, lineSolver: "pcr" as const, ...v, ...blocks[k][1] })),
      ],
    );
    const blockRuns = rest.slice(0, blocks.length);
    variants.forEach(([k, v], h) => {
      const whole = blockRuns[k]!.checkpoint, other = rest[blocks.length + h]!.checkpoint;
      for (const f of ["xi", "c", "phi", "phiB", "phiPrev", "phiBPrev", "cPrev"] as const) {
        const differ = whole[f].filter((x, i) => !Object.is(x, other[f][i])).length;
        expect(differ, `${f}: whole sweeps against ${JSON.stringify(v)}, ${JSON.stringify(blocks[k][1])}`).toBe(0);
      }
      expect(rest[blocks.length + h]!.series).toEqual(blockRuns[k]!.series);
    });
    // The two line solvers differ only in f32 rounding inside a preconditioner of a converged CG.
    expectSeriesNear("pcr (256 threads) vs thomas, 2 steps", pcr256!.series, thomas5!.series, 1e-3);
    // The same preconditioner to rounding, so the same CG iterations: a line solve that were only near the exact
    // one would still converge to the same series, in more iterations.
    expect(pcr256!.iterations).toEqual(thomas5!.iterations);
    blockRuns.forEach((r, k) => {
      const [scen, opts] = blocks[k]!;
      const ref = scen.grid.ny === 32 ? thomas32! : thomas5!;
      const label = `pcr ${JSON.stringify(opts)} on 16 x ${scen.grid.ny} vs thomas, 2 steps`;
      expectSeriesNear(label, r.series, ref.series, 1e-3);
      expect(r.iterations, label).toEqual(ref.iterations);
    });
    const cpu = runCpu(scenario(raw)).series;
    expectSeriesNear("pcr vs cpu", pcr!.series, cpu, 0.01);
    expectSeriesNear("pcr vs thomas", pcr!.series, thomas!.series, 1e-3);
    expect(pcr!.checkpoint.phi.every(Number.isFinite) && pcr!.checkpoint.c.every(Number.isFinite)).toBe(true);
  }, 300_000);
});

describe("gpu backend: the page's frames", () => {
  it("read back the runner's samples whatever the frame's size (the page's charts and CSV at any speed)", () => {
    // 30 steps, a sample every 3: frames of 1, 7 and 100 steps, read back every other frame as the page does.
    const raw = { coating: { preset: "cof" }, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 10 };
    const [runner, ...pages] = gpuRuns([raw, raw, raw, raw], [], [], [undefined, 1, 7, 100]);
    expect(runner!.series.map((r) => r.t_s)).toEqual(Array.from({ length: 10 }, (_, k) => (k + 1) * 6));
    pages.forEach((p, k) => {
      expect(p.series.map((r) => r.t_s), `page frames ${[1, 7, 100][k]}`).toEqual(runner!.series.map((r) => r.t_s));
      expectSeriesNear(`page frames of ${[1, 7, 100][k]} steps vs the runner`, p.series, runner!.series, 1e-4);
    });
  }, 300_000);
});

describe("gpu backend: steady limiting current grows as 1 / (1 - t+)", () => {
  it("i_lim(t+ = 0.6) / i_lim(t+ = 0.2) = 0.8 / 0.4 within 2 %, as on the CPU", () => {
    // tests/transport.test.ts's check on a 4x shorter cell (64 um: steady after ~10 s) at 4x the current (the
    // same depletion, c_s / c0 ~ 0.91 and 0.82), 40 s, so 30 steps instead of 750.
    const raw = (t_plus: number) => ({
      mode: "1d", grid: { nx: 1, ny: 16, dx_um: 4 }, current_mA_cm2: 80, duration_s: 40, samples: 4, electrolyte: { t_plus },
    });
    const tps = [0.6, 0.2];
    const gpu = gpuRuns(tps.map(raw));
    expect(gpu[0]!.adapter).toBeTruthy();
    // At steady state the surface depletion is linear in the current: c_s / c0 = 1 - i / i_lim; c_s extrapolated
    // to the electrode face from the GPU's final field exactly as the CPU's surfaceConcentration() does.
    const iLim = (cs: number) => (80 * 10) / (1 - cs);
    const gpuCs = gpu.map((g) => 1.5 * g.checkpoint.c[0]! - 0.5 * g.checkpoint.c[g.checkpoint.nx]!);
    const cpuCs = tps.map((tp) => {
      const s = scenario(raw(tp));
      return runUntil(s, s.duration_s).surfaceConcentration();
    });
    gpu.forEach((g, k) => {
      // Steady: the last two samples' surface concentration (10 s apart) agree to 1e-4 of c0.
      const [a, b] = g.series.slice(-2).map((r) => r.min_surface_c_M);
      expect(Math.abs(a! - b!) / scenario(raw(tps[k]!)).electrolyte.c0_M, `steady at t+ = ${tps[k]}`).toBeLessThan(1e-4);
      expect(Math.abs(gpuCs[k]! - cpuCs[k]!), `c_s gpu ${gpuCs[k]} vs cpu ${cpuCs[k]}`).toBeLessThan(1e-4);
    });
    const ratio = iLim(gpuCs[0]!) / iLim(gpuCs[1]!);
    const cpuRatio = iLim(cpuCs[0]!) / iLim(cpuCs[1]!);
    console.log(`limiting current: gpu c_s ${gpuCs.map((c) => c.toFixed(5))} ratio ${ratio.toFixed(5)}; cpu ratio ${cpuRatio.toFixed(5)}; expected 2`);
    expect(rel(ratio, 0.8 / 0.4)).toBeLessThan(0.02);
    expect(rel(cpuRatio, 0.8 / 0.4)).toBeLessThan(0.02);
  }, 300_000);
});

describe("gpu backend: the potential layer's image", () => {
  it("render_field.wgsl draws the potential in volts, as colorize does over the same state (within 1 of 255)", () => {
    // The scale the page gives the layer: from the electrode row's lowest potential (V) to 0.
    const raw = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 40, samples: 2, current_mA_cm2: 20 };
    const probe = gpuRuns([raw])[0]!;
    const phiMin = Math.min(...probe.checkpoint.phi.slice(0, 32));
    expect(phiMin, "the electrode row's potential (V): the ohmic drop over 32 um at 20 mA/cm2 is ~1 mV").toBeLessThan(-2e-4);
    const scale = { layer: 2, lo: phiMin, hi: 0 };
    const [gpu] = gpuRuns([raw], [], [scale]);
    const cp = gpu!.checkpoint;
    const want = new Uint8ClampedArray(32 * 32 * 4);
    colorize(want, { nx: 32, ny: 32, xi: cp.xi, c: cp.c, phi: cp.phi, integrity: cp.integrity }, { band: [0, 0], layer: 2, lo: scale.lo, hi: scale.hi, c0_M: 2 });
    const got = gpu!.image!;
    expect(got).toHaveLength(want.length);
    let worst = 0;
    want.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - got[k]!))));
    expect(worst).toBeLessThanOrEqual(1);
    // Not one colour: the potential spans the scale.
    expect(new Set(got.filter((_, k) => k % 4 === 2)).size).toBeGreaterThan(10);
  }, 300_000);
});

describe("gpu backend: the coating band's image", () => {
  it("render_field.wgsl drapes the band over the deposit's tops, cracked columns dark, stretched ones lighter, as colorize does (within 1 of 255)", () => {
    // tests/bandDrawing.test.ts's brittle layer, 120 s: the deposit has risen, some columns have cracked, others are
    // stretched over protrusions (strain up to 10 times its cracking strain of 1 %, some below it). No pH field: the
    // pH and by-product layers draw the electrolyte dark.
    const raw = { ...BRITTLE_BAND, duration_s: 120 };
    const [gpu] = gpuRuns([raw], [], [[{ layer: 0, lo: 0, hi: 1 }, { layer: 5, lo: 3, hi: 11 }, { layer: 6, lo: 1e-3, hi: 1 }]]);
    const cp = gpu!.checkpoint, band = gpu!.band!, tops = gpu!.tops!;
    const { nx, ny, dx_um } = BRITTLE_BAND.grid, N = nx * ny;
    const strainRef = crackStrain(coefficients(scenario(raw)));
    expect(strainRef).toBeCloseTo(0.01, 12);
    const partly = Array.from(cp.strainPrev).filter((e, i) => e > 0.1 * strainRef && e < strainRef && cp.integrity[i]! > 0.5).length;
    const full = Array.from(cp.strainPrev).filter((e, i) => e >= strainRef && cp.integrity[i]! > 0.5).length;
    console.log(`band strain: ${partly} intact columns stretched partly, ${full} to the cracking strain or past it`);
    expect(partly + full).toBeGreaterThan(0);
    const mean = cp.xi.slice(0, N).reduce((a, v) => a + v, 0) / nx;
    // Cracked: a crack opens 0.5 um of the layer, one whole column of 0.5 um.
    const cracked = Array.from(cp.integrity).filter((k) => k < 0.2).length;
    const rise = Math.max(...tops) - band[0];
    console.log(`band ${band.map((v) => v.toFixed(3))} cells (the state's mean height ${mean.toFixed(3)}); tops ${Math.min(...tops).toFixed(2)} to ${Math.max(...tops).toFixed(2)}; ${cracked} of ${nx} columns cracked`);
    // The column pass's mean height (of the last step's start) has risen; the band is 4 cells (2 um) thick, draped over the
    // tops that pass found, the highest of them more than a cell above the mean (a protrusion the band rides over).
    expect(band[1] - band[0]).toBe(4);
    expect(Math.abs(band[0] - mean)).toBeLessThan(0.05);
    expect(band[0]).toBeGreaterThan(8); // risen from ~7.5 cells
    expect(tops).toHaveLength(nx);
    expect(rise).toBeGreaterThan(1);
    expect(cracked).toBeGreaterThan(0);
    const fields = { nx, ny, xi: cp.xi, c: cp.c, phi: cp.phi, integrity: cp.integrity, strain: cp.strainPrev, tops };
    const thick: [number, number] = [0, 4];
    const want = new Uint8ClampedArray(N * 4);
    colorize(want, fields, { band: thick, layer: 0, lo: 0, hi: 1, c0_M: 2, strainRef });
    const got = gpu!.image!;
    expect(worstChannel(want, got)).toBeLessThanOrEqual(1);
    // The draped band, not the flat one: drawn on a level deposit at the mean height, the picture differs where the
    // deposit stands off the mean (the test sees the draping).
    const level = new Uint8ClampedArray(N * 4);
    colorize(level, { ...fields, tops: tops.map(() => band[0]) }, { band: thick, layer: 0, lo: 0, hi: 1, c0_M: 2, strainRef });
    expect(worstChannel(level, got)).toBeGreaterThan(20);
    // The same state with the band unshaded differs where the band is stretched: the test sees the shading.
    const flat = new Uint8ClampedArray(N * 4);
    colorize(flat, { ...fields, strain: undefined }, { band: thick, layer: 0, lo: 0, hi: 1, c0_M: 2 });
    expect(worstChannel(flat, got)).toBeGreaterThan(20);
    for (const [k, layer] of [[1, 5], [2, 6]] as const) {
      const none = new Uint8ClampedArray(N * 4);
      colorize(none, fields, { band: thick, layer, lo: layer === 5 ? 3 : 1e-3, hi: layer === 5 ? 11 : 1, c0_M: 2, dx_um });
      expect(worstChannel(none, gpu!.images![k]!), `layer ${layer} without the pH field`).toBeLessThanOrEqual(1);
    }
  }, 300_000);
});

/** The largest difference of one channel between two images. */
function worstChannel(want: ArrayLike<number>, got: ArrayLike<number>): number {
  expect(got).toHaveLength(want.length);
  let worst = 0;
  for (let k = 0; k < want.length; k++) worst = Math.max(worst, Math.abs(want[k]! - got[k]!));
  return worst;
}

describe("gpu backend: the pH and by-product layers' images", () => {
  it("render_field.wgsl draws the pH, the film's own layer and the film on the deposit as colorize does over the same state (within 1 of 255)", () => {
    // Bare Zn with the pH and the by-product, 60 s at 10 mA/cm2 (30 steps): HER raises the interface to the
    // by-product's pH 5.5 and the film forms there.
    const raw = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 2, ph_field: true, byproduct: true };
    // The hover read-out of three cells that hold film on the CPU reference and of one far above them: dw and m as the
    // GPU's state has them.
    const ref = runUntil(scenario(raw), 60);
    const cells: [number, number][] = [];
    for (let k = 0; k < 32 * 32 && cells.length < 3; k++) if (ref.byproduct!.m[k]! > 0 && k % 32 >= 8 * cells.length) cells.push([k % 32, Math.floor(k / 32)]);
    cells.push([16, 30]);
    const [gpu] = gpuRuns([raw], [], [[{ layer: 5, lo: 3, hi: 11 }, { layer: 6, lo: 1e-3, hi: 1 }, { layer: 0, lo: 0, hi: 1 }]], [], [cells]);
    const cp = gpu!.checkpoint;
    const ph = cp.ph!;
    const w0 = alkalinityOf(coefficients(scenario(raw)).ph!.pH0);
    cells.forEach(([i, j], k) => {
      const p = gpu!.probes![k]!, at = j * 32 + i;
      expect(Math.abs(p.dw! - (ph.w[at]! - w0)), `dw at ${i},${j}`).toBeLessThanOrEqual(1e-6 * Math.abs(ph.w[at]! - w0) + 1e-9);
      expect(p.m, `m at ${i},${j}`).toBe(Math.fround(ph.byproduct!.m[at]!));
    });
    expect(gpu!.probes!.slice(0, 3).some((p) => p.m! > 0), "a probed cell holds film").toBe(true);
    expect(ph.byproduct).toBeTruthy();
    const f = { nx: 32, ny: 32, xi: cp.xi, c: cp.c, phi: cp.phi, integrity: cp.integrity, w: ph.w, film: ph.byproduct!.m };
    let filmCells = 0, maxW = -Infinity;
    for (let k = 0; k < 32 * 32; k++) { if (f.film[k]! > 0) filmCells++; maxW = Math.max(maxW, f.w[k]!); }
    console.log(`pH layers: ${filmCells} cells hold film; the highest pH ${pHOf(maxW).toFixed(3)}`);
    expect(filmCells).toBeGreaterThan(16);
    expect(pHOf(maxW)).toBeGreaterThan(5.3);
    ([[5, 3, 11], [6, 1e-3, 1], [0, 0, 1]] as const).forEach(([layer, lo, hi], k) => {
      const want = new Uint8ClampedArray(32 * 32 * 4);
      colorize(want, f, { band: [0, 0], layer, lo, hi, c0_M: 2, dx_um: raw.grid.dx_um });
      const got = gpu!.images![k]!;
      expect(worstChannel(want, got), `layer ${layer}`).toBeLessThanOrEqual(1);
      // Not one colour: the layer shows the pH's rise, the film, the deposit.
      expect(new Set(got.filter((_, q) => q % 4 === 0)).size, `layer ${layer}: distinct reds`).toBeGreaterThan(layer === 6 ? 5 : 10);
    });
  }, 300_000);
});

describe("gpu backend: the hover read-out (engine.probe)", () => {
  it("reads the cell's own fields, its HER current within 2 % of the CPU's, and its column's integrity", () => {
    // A coating (COF@Zn), so the integrity is read; 40 s at 20 mA/cm2: the interface's cells carry the HER.
    const raw = { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 40, samples: 2, current_mA_cm2: 20, coating: { preset: "cof" } };
    const cpu = runUntil(scenario(raw), 40);
    const her = cpu.herCurrent();
    // In three columns the cell of the most HER (at the interface), and one far above the deposit (none).
    const cells: [number, number][] = [3, 17, 28].map((i) => {
      let best = 0;
      for (let j = 1; j < 32; j++) if (her[j * 32 + i]! > her[best * 32 + i]!) best = j;
      return [i, best] as [number, number];
    });
    cells.push([9, 30]);
    const [gpu] = gpuRuns([raw], [], [], [], [cells]);
    const probes = gpu!.probes!;
    const cp = gpu!.checkpoint;
    const toMA = cpu.co.dx * 0.1; // A/m3 times dx is A/m2; a tenth of that is mA/cm2
    cells.forEach(([i, j], k) => {
      const at = j * 32 + i, p = probes[k]!;
      // The probe reads the very cell and column of the state (its offsets into xi, c, phi and the columns).
      expect(p.xi, `xi at ${i},${j}`).toBe(Math.fround(cp.xi[at]!));
      expect(p.phi, `phi at ${i},${j}`).toBe(Math.fround(cp.phi[at]!));
      expect(p.c, `c at ${i},${j}`).toBeCloseTo(cp.c[at]!, 6);
      expect(p.integrity, `integrity of column ${i}`).toBe(Math.fround(cp.integrity[i]!));
      expect(Math.abs(p.integrity - cpu.integrity[i]!), `integrity against the CPU's, column ${i}`).toBeLessThan(1e-4);
      if (k < 3) {
        console.log(`probe ${i},${j}: HER ${(p.her * toMA).toExponential(4)} mA/cm2 (cpu ${(her[at]! * toMA).toExponential(4)})`);
        expect(her[at]!, "the CPU's interface cell carries HER").toBeGreaterThan(0);
        expect(rel(p.her, her[at]!), `HER at ${i},${j}`).toBeLessThan(0.02);
      } else {
        expect(p.her * toMA, "no HER far above the deposit").toBeLessThan(1e-6 * probes[0]!.her * toMA);
      }
    });
  }, 300_000);
});

describe("gpu backend: ohmic drop of a coating", () => {
  it("a layer of thickness h and conductivity sigma_c adds i h (1/sigma_c - 1/sigma_l) within 2 % (20 um; 200 nm in a 4 um cell)", () => {
    const base = { mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, duration_s: 4, samples: 2 };
    const sigmaL = 5; // S/m, the default electrolyte
    const cases = [
      { i: 100, h: 20e-6, sigmaC: 0.1, extra: { water_activity: 1, dEcorr_mV: 0 } },
      { i: 100, h: 200e-9, sigmaC: 0.001, extra: {} },
    ];
    const raws = [
      { ...base, current_mA_cm2: 10, coating: { preset: "bare" } },
      ...cases.map((c) => ({
        ...base, current_mA_cm2: c.i / 10,
        coating: { preset: "pvb", thickness_nm: c.h * 1e9, sigma_mS_cm: c.sigmaC * 10, t_plus: 1, ...c.extra },
      })),
    ];
    const gpu = gpuRuns(raws);
    // The electrode-face potential of the GPU's final state, through the CPU solver's own electrodeFacePotential():
    // a CPU run of the same scenario (its face conductance, constant in 1d, is set) restored to the GPU's state.
    const faces = raws.map((raw, k) => {
      const s = scenario(raw);
      const sv = runUntil(s, s.duration_s);
      const cpu = sv.electrodeFacePotential();
      sv.restore(gpu[k]!.checkpoint);
      return { cpu, gpu: sv.electrodeFacePotential() };
    });
    cases.forEach((c, k) => {
      const expected = c.i * c.h * (1 / c.sigmaC - 1 / sigmaL);
      const dGpu = faces[0]!.gpu - faces[k + 1]!.gpu, dCpu = faces[0]!.cpu - faces[k + 1]!.cpu;
      console.log(`ohmic drop h = ${+(c.h * 1e6).toPrecision(6)} um, sigma_c = ${c.sigmaC} S/m: gpu ${(dGpu * 1e3).toFixed(6)} mV, cpu ${(dCpu * 1e3).toFixed(6)} mV, expected ${(expected * 1e3).toFixed(6)} mV (relative error gpu ${(dGpu / expected - 1).toExponential(2)}, cpu ${(dCpu / expected - 1).toExponential(2)})`);
      expect(rel(dGpu, expected), `gpu drop ${dGpu} V vs ${expected} V`).toBeLessThan(0.02);
      expect(rel(dCpu, expected)).toBeLessThan(0.02);
      expect(Math.abs(dGpu - dCpu), "gpu and cpu drops").toBeLessThan(0.01 * expected);
    });
  }, 300_000);
});

describe("gpu backend: the review's trends", () => {
  // tests/growth.test.ts's pairs on a 64 x 16 um cell, 120 s at 15 mA/cm2 (60 steps; the deposit stays below
  // 5 um): the CPU reference passes the same thresholds here (asserted below).
  const trendBase = { grid: { nx: 64, ny: 16, dx_um: 1 }, current_mA_cm2: 15, duration_s: 120, samples: 4 };
  const pairs = {
    tplus: [{ preset: "mmt", t_plus: 0.3 }, { preset: "mmt", t_plus: 0.95 }],
    sigma: [{ preset: "mmt", sigma_mS_cm: 0.3 }, { preset: "mmt", sigma_mS_cm: 30 }],
    // t+ 0.4 as in tests/growth.test.ts: a layer no more selective than the liquid, so the soft one grows dendrites.
    modulus: [{ preset: "speek", E_GPa: 0.1, Gc_J_m2: 1e5, t_plus: 0.4 }, { preset: "speek", E_GPa: 100, Gc_J_m2: 1e5, t_plus: 0.4 }],
  } as const;
  const keys = Object.keys(pairs) as (keyof typeof pairs)[];
  const raws = keys.flatMap((k) => pairs[k].map((coating) => ({ ...trendBase, coating })));
  let results: Record<keyof typeof pairs, { gpu: SeriesRow[][]; cpu: SeriesRow[][] }> | null = null;
  /** All six GPU runs in one batch (one pipeline compile), on first use. */
  const get = (k: keyof typeof pairs) => {
    if (!results) {
      const gpu = gpuRuns(raws);
      results = Object.fromEntries(keys.map((key, p) => [key, {
        gpu: [gpu[2 * p]!.series, gpu[2 * p + 1]!.series],
        cpu: [runCpu(scenario(raws[2 * p]!)).series, runCpu(scenario(raws[2 * p + 1]!)).series],
      }])) as NonNullable<typeof results>;
    }
    return results[k];
  };
  const avgUniformity = (s: SeriesRow[]) => mean(s.map((r) => r.uniformity));
  const last = (s: SeriesRow[]) => s.at(-1)!;

  for (const [k, what] of [["tplus", "higher coating t+ (0.3 vs 0.95)"], ["sigma", "higher coating conductivity (0.3 vs 30 mS/cm)"]] as const) {
    it(`${what} gives more uniform deposition, on the GPU as on the CPU`, () => {
      const { gpu, cpu } = get(k);
      for (const [name, [lo, hi]] of [["gpu", gpu], ["cpu", cpu]] as const) {
        console.log(`${k} ${name}: mean uniformity ${avgUniformity(lo!).toFixed(4)} -> ${avgUniformity(hi!).toFixed(4)}, roughness ${last(lo!).roughness_um.toFixed(4)} -> ${last(hi!).roughness_um.toFixed(4)} um`);
        expect(avgUniformity(hi!), name).toBeGreaterThan(avgUniformity(lo!) + 0.05);
        expect(last(hi!).roughness_um, name).toBeLessThan(last(lo!).roughness_um);
      }
      for (let m = 0; m < 2; m++) {
        expect(Math.abs(avgUniformity(gpu[m]!) - avgUniformity(cpu[m]!)), "gpu vs cpu uniformity").toBeLessThan(0.01);
      }
    }, 600_000);
  }

  it("a stiffer coating gives shorter dendrites (0.1 vs 100 GPa, tough enough not to crack, t+ 0.4), on the GPU as on the CPU", () => {
    const { gpu, cpu } = get("modulus");
    for (const [name, [soft, stiff]] of [["gpu", gpu], ["cpu", cpu]] as const) {
      const a = last(soft!), b = last(stiff!);
      console.log(`modulus ${name}: max height ${a.max_height_um.toFixed(4)} -> ${b.max_height_um.toFixed(4)} um (ratio ${(b.max_height_um / a.max_height_um).toFixed(4)}), roughness ${a.roughness_um.toFixed(4)} -> ${b.roughness_um.toFixed(4)} um`);
      expect(b.max_height_um, name).toBeLessThan(a.max_height_um * 0.85);
      expect(b.roughness_um, name).toBeLessThan(a.roughness_um);
    }
    for (let m = 0; m < 2; m++) {
      expect(rel(last(gpu[m]!).max_height_um, last(cpu[m]!).max_height_um), "gpu vs cpu max height").toBeLessThan(0.01);
    }
  }, 600_000);
});

describe("gpu backend: Sand's time (1d, 100 mA/cm2)", () => {
  // The CPU's own Sand check (over a range of currents) is in tests/transport.test.ts.
  it("the surface concentration reaches zero within 5 % of t_s = pi D (n F c0)^2 / (4 (i (1 - t+))^2)", () => {
    // t_s = 195.0 s for these values; sampled every 2.5 s. HER made negligible (dG_H* 3.5 eV, water activity 0.01)
    // so that all the current plates Zn, as Sand's derivation assumes.
    const raw = {
      mode: "1d", grid: { nx: 1, ny: 512, dx_um: 4 }, current_mA_cm2: 100, duration_s: 250, samples: 100,
      electrolyte: { c0_M: 2, D_m2_s: 6e-10, t_plus: 0.4 }, coating: { preset: "bare", dG_H_eV: 3.5, water_activity: 0.01 },
    };
    const tSand = 194.98;
    const { series } = gpuRuns([raw])[0]!;
    const first = series.find((row) => row.min_surface_c_M <= 1e-6);
    expect(first, "the surface concentration reaches zero").toBeDefined();
    expect(Math.abs(first!.t_s - tSand) / tSand, `reached at ${first!.t_s} s`).toBeLessThan(0.05);
    const before = series.filter((row) => row.t_s < 0.9 * tSand).at(-1)!;
    expect(before.min_surface_c_M).toBeGreaterThan(0.1);
  }, 600_000);
});

describe("gpu backend: hydrogen evolution and the Zn balance", () => {
  // 32 x 32 cells, 60 s at 10 mA/cm2 (30 steps); the Zn balance over 120 s with PVB (a resistive layer).
  const small = (coating: object, extra: object = {}) => ({ coating, grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 60, samples: 10, ...extra });
  const raws = [
    small({ preset: "bare", dG_H_eV: 1 }), small({ preset: "bare", dG_H_eV: 2 }), small({ preset: "bare", dG_H_eV: 1, water_activity: 0.2 }),
    small({ preset: "bare" }), small({ preset: "cof" }), small({ preset: "pvb" }, { duration_s: 120 }),
  ];
  let runs: ReturnType<typeof gpuRuns> | null = null;
  const get = () => (runs ??= gpuRuns(raws));
  const h2 = (k: number) => get()[k]!.series.at(-1)!.h2_mmol_cm2;

  it("dG_H* from 1 to 2 eV cuts H2 several-fold, water activity 0.2 cuts it too; COF@Zn makes ~100x less than bare Zn", () => {
    expect(h2(0) / h2(1)).toBeGreaterThan(5);
    expect(h2(0) / h2(2)).toBeGreaterThan(3);
    expect(h2(3) / h2(4)).toBeGreaterThan(100);
  }, 600_000);

  it("conserves Zn: solution + deposit - reservoir influx, and deposit = Faradaic charge, within 1e-3", () => {
    const gpu = get()[5]!;
    // The GPU's final state in the CPU solver's hands: the same bookkeeping as the CPU mass-balance check.
    const s = scenario(raws[5]!);
    const sv = createCpuSolver(s);
    sv.restore(gpu.checkpoint);
    const m = znMassBalance(s, sv);
    expect(m.deposit).toBeGreaterThan(0);
    expect(m.relConservation, `conservation error ${m.relConservation}`).toBeLessThan(1e-3);
    expect(m.relFaradaic, `deposit vs Faradaic ${m.relFaradaic}`).toBeLessThan(1e-3);
  }, 600_000);
});
