/** Bad input gets one clear message naming the field, its value and the allowed range; valid input never NaN. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COATING_PARAMS } from "../src/model/params.ts";
import { SERIES_FIELDS } from "../src/model/metrics.ts";
import { PRESET_IDS } from "../src/model/presetTypes.ts";
import { DEFAULT_GRID, parseScenario, parseScenarioJson, presetScenario, ScenarioError } from "../src/model/scenario.ts";
import { runCpu } from "../src/reference/run.ts";

const message = (raw: unknown) => {
  try {
    parseScenario(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error("expected a ScenarioError");
};

describe("scenario validation", () => {
  it("fills every default and keeps overrides", () => {
    const s = parseScenario({ coating: { preset: "znf2", t_plus: 0.9 } });
    expect(s.mode).toBe("2d");
    expect(s.samples).toBe(200);
    expect(s.electrolyte.c0_M).toBe(2);
    expect(s.coating).toEqual({ preset: "znf2", t_plus: 0.9 });
    // A grid given in part: each missing field takes its default.
    expect(parseScenario({ coating: { preset: "cof" }, grid: { nx: 32, ny: 32 } }).grid).toEqual({ nx: 32, ny: 32, dx_um: DEFAULT_GRID.dx_um });
    expect(parseScenario({ coating: { preset: "cof" }, grid: { dx_um: 0.5 } }).grid).toEqual({ nx: 128, ny: 128, dx_um: 0.5 });
  });

  it("names field, value and range of an out-of-range number", () => {
    const m = message({ coating: { preset: "bare", t_plus: 1.5 } });
    expect(m).toContain("coating.t_plus");
    expect(m).toContain("1.5");
    expect(m).toMatch(/0\.1 to 1/);
    expect(message({ current_mA_cm2: -3, coating: { preset: "bare" } })).toMatch(/current_mA_cm2 = -3 is out of range: allowed 0\.1 to 100 mA\/cm2/);
    expect(message({ electrolyte: { c0_M: 9 }, coating: { preset: "bare" } })).toMatch(/electrolyte\.c0_M = 9/);
  });

  it("rejects unknown presets, unknown fields, wrong types, non-powers of two and broken JSON", () => {
    expect(message({ coating: { preset: "gold" } })).toMatch(/coating\.preset .*"gold"/);
    expect(message({ coating: { preset: "bare", colour: 1 } })).toMatch(/unknown field.*colour/);
    expect(message({ coating: { preset: "bare" }, duration_s: "long" })).toMatch(/duration_s must be a number/);
    expect(message({ coating: { preset: "bare" }, grid: { nx: 100, ny: 64, dx_um: 1 } })).toMatch(/grid\.nx = 100 must be a power of two/);
    expect(message({ coating: { preset: "bare" }, mode: "3d" })).toMatch(/mode must be "2d" or "1d"/);
    expect(message([1, 2])).toMatch(/must be a JSON object/);
    expect(message({})).toMatch(/coating/);
    expect(() => parseScenarioJson("{ nope")).toThrow(/not valid JSON/);
    // 1e400 in a file is Infinity: named as such (JSON would write it null).
    expect(() => parseScenarioJson('{ "coating": { "preset": "bare" }, "current_mA_cm2": 1e400 }')).toThrow(/current_mA_cm2 must be a number \(Current density\), got Infinity/);
    expect(message({ current_mA_cm2: 100, coating: { preset: "ptfe", sigma_mS_cm: 1e-4, thickness_nm: 50000 } })).toMatch(/ohmic drop .* exceeds 0.5 V/);
  });

  it("every preset's default scenario is valid and uses the default grid", () => {
    for (const id of PRESET_IDS) expect(presetScenario(id).grid).toEqual(DEFAULT_GRID);
    // The converged cell size (docs/MODEL.md) over a cell wide enough for several nuclei.
    expect(DEFAULT_GRID.nx * DEFAULT_GRID.dx_um).toBeGreaterThanOrEqual(64);
  });
});

describe("no NaN for valid scenarios", () => {
  const extremes: Record<string, unknown>[] = [
    { current_mA_cm2: 100, coating: { preset: "ptfe", sigma_mS_cm: 1.01, thickness_nm: 50000 } },
    // The same with seed 4 went to NaN at step 248 (Zn2+ depleted in the layer, plating overshot to negative c and
    // oscillated) until plating was bounded by what a cell can supply in a step (the rest goes to H2).
    { seed: 4, current_mA_cm2: 100, coating: { preset: "ptfe", sigma_mS_cm: 1.01, thickness_nm: 50000 } },
    { current_mA_cm2: 0.1, electrolyte: { c0_M: 0.05, D_m2_s: 1e-11, t_plus: 0.9, sigma_mS_cm: 1 }, coating: { preset: "carbon" } },
    { current_mA_cm2: 50, coating: { preset: "self-healing", E_GPa: 300, Gc_J_m2: 0.01, tau_s: 0.1, k_heal_1_s: 1 } },
    { current_mA_cm2: 30, coating: { preset: "bto", ferro_gain: 20, channel_anisotropy: 0.01, t_plus: 1, eta_nuc_mV: 1 } },
    { current_mA_cm2: 10, coating: { preset: "bare", eta_nuc_mV: 200, anisotropy_6fold: 0.3, dG_H_eV: 0, water_activity: 1, dEcorr_mV: 200 } },
    { mode: "1d", grid: { nx: 1, ny: 32, dx_um: 50 }, current_mA_cm2: 100, duration_s: 2000, coating: { preset: "nafion" } },
  ];
  for (const [k, raw] of extremes.entries()) {
    it(`extreme scenario ${k + 1} stays finite with metrics in range`, () => {
      const s = parseScenario({ grid: { nx: 32, ny: 32, dx_um: 0.5 }, duration_s: 60, samples: 6, ...raw });
      const { series, solver } = runCpu(s);
      for (const row of series) {
        for (const f of SERIES_FIELDS) expect(Number.isFinite(row[f]), `${f} = ${row[f]}`).toBe(true);
        expect(row.uniformity).toBeGreaterThanOrEqual(0);
        expect(row.uniformity).toBeLessThanOrEqual(1);
        expect(row.ce).toBeGreaterThanOrEqual(0);
        expect(row.ce).toBeLessThanOrEqual(1);
        expect(row.cracked_fraction).toBeGreaterThanOrEqual(0);
        expect(row.cracked_fraction).toBeLessThanOrEqual(1);
      }
      for (const v of solver.xi) expect(Number.isFinite(v)).toBe(true);
      for (const v of solver.c) expect(Number.isFinite(v)).toBe(true);
      for (const v of solver.phi) expect(Number.isFinite(v)).toBe(true);
    });
  }
});

describe("no NaN anywhere in the valid parameter space (property-based, small grid)", () => {
  // Log-scaled parameters are drawn uniformly in their logarithm, as their sliders are.
  const value = (p: (typeof COATING_PARAMS)[number]) =>
    p.integer
      ? fc.integer({ min: p.min, max: p.max })
      : "log" in p && p.log && p.min > 0
        ? fc.double({ min: Math.log10(p.min), max: Math.log10(p.max), noNaN: true }).map((x) => Math.min(p.max, Math.max(p.min, 10 ** x)))
        : fc.double({ min: p.min, max: p.max, noNaN: true, noDefaultInfinity: true });
  const coating = fc.record(Object.fromEntries(COATING_PARAMS.map((p) => [p.key, value(p)])) as Record<string, fc.Arbitrary<number>>, { requiredKeys: [] });
  it("random coatings, currents and seeds give finite series with metrics in range", () => {
    let ran = 0;
    fc.assert(
      fc.property(fc.constantFrom(...PRESET_IDS), coating, fc.double({ min: 0.1, max: 100, noNaN: true }), fc.integer({ min: 0, max: 1000 }), (preset, over, current, seed) => {
        let s;
        try {
          s = parseScenario({ grid: { nx: 16, ny: 32, dx_um: 1 }, duration_s: 20, samples: 2, current_mA_cm2: current, seed, coating: { preset, ...over } });
        } catch (e) {
          fc.pre(!(e instanceof ScenarioError)); // a layer that would block the cell is refused, with a message
          throw e;
        }
        ran++;
        for (const row of runCpu(s).series) {
          for (const f of SERIES_FIELDS) expect(Number.isFinite(row[f]), `${f} = ${row[f]}`).toBe(true);
          expect(row.ce).toBeGreaterThanOrEqual(0);
          expect(row.ce).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 30, seed: 20261126 },
    );
    expect(ran).toBeGreaterThanOrEqual(30);
  });
});

describe("the runner", () => {
  const dir = mkdtempSync(join(tmpdir(), "zil-"));
  const sim = (args: string[]) => spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", ...args], { encoding: "utf8" });

  it("reads a relative path from the folder `npm run sim` was called from, not the project's", () => {
    const sub = mkdtempSync(join(tmpdir(), "zil-cwd-"));
    writeFileSync(join(sub, "a.json"), JSON.stringify({ coating: { preset: "bare" }, grid: { nx: 16, ny: 16 }, duration_s: 10, samples: 1 }));
    const env = { ...process.env, npm_lifecycle_event: "sim", INIT_CWD: sub };
    const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--scenario", "a.json", "--out", "r.json"], { encoding: "utf8", env });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(sub, "r.json"), "utf8")).series).toHaveLength(1);
    // A missing file is named by its whole path.
    const missing = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--scenario", "b.json", "--out", "r.json"], { encoding: "utf8", env });
    expect(missing.status).toBe(2);
    expect(missing.stderr.split("\n")[0]).toContain(join(sub, "b.json"));
  });

  it("lists the 26 presets", () => {
    const out = execFileSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--list-presets"], { encoding: "utf8" });
    expect(out.trim().split("\n")).toHaveLength(26);
  });

  it("writes the validated scenario, the backend and the series as JSON and CSV", () => {
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify({ grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 20, samples: 4, coating: { preset: "znf2" } }));
    const r = sim(["--scenario", file, "--out", join(dir, "r.json"), "--csv", join(dir, "r.csv")]);
    expect(r.status, r.stderr).toBe(0);
    const result = JSON.parse(readFileSync(join(dir, "r.json"), "utf8"));
    expect(result.backend).toBe("cpu");
    expect(result.scenario.electrolyte.c0_M).toBe(2);
    expect(result.series).toHaveLength(4);
    expect(Object.keys(result.series[0]).sort()).toEqual([...SERIES_FIELDS].sort());
    expect(result.series[3].t_s).toBeCloseTo(20, 9);
    const csv = readFileSync(join(dir, "r.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe(SERIES_FIELDS.join(","));
    expect(csv).toHaveLength(5);
  });

  it("writes sample times as decimals (0.9 s, not 3 x 0.3 = 0.8999999999999999), and says a 1d file's nx goes unused", () => {
    const file = join(dir, "t.json");
    // 3 s in 10 samples: one step of 0.3 s a sample, and products such as 3 x 0.3 miss their decimal in the last bit.
    writeFileSync(file, JSON.stringify({ mode: "1d", grid: { nx: 8, ny: 16, dx_um: 4 }, duration_s: 3, samples: 10, coating: { preset: "bare" } }));
    const r = sim(["--scenario", file, "--out", join(dir, "t-out.json"), "--csv", join(dir, "t.csv")]);
    expect(r.status, r.stderr).toBe(0);
    const times = readFileSync(join(dir, "t.csv"), "utf8").trim().split("\n").slice(1).map((l) => l.split(",")[0]);
    expect(times).toEqual(["0.3", "0.6", "0.9", "1.2", "1.5", "1.8", "2.1", "2.4", "2.7", "3"]);
    expect(3 * 0.3).not.toBe(0.9); // what the rounding mends
    expect(r.stderr).toContain("sim: the scenario is in 1d mode, a planar cell of one column: its grid's nx = 8 is not used");
  });

  it("exits 2 with one clear line for a bad scenario or bad flags, 1 for a gpu backend with no adapter at all", () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, JSON.stringify({ coating: { preset: "bare", E_GPa: 1e6 } }));
    const r = sim(["--scenario", bad, "--out", join(dir, "x.json")]);
    expect(r.status).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(/coating\.E_GPa = 1000000 is out of range/);
    const broken = join(dir, "broken.json");
    writeFileSync(broken, "{");
    expect(sim(["--scenario", broken, "--out", join(dir, "x.json")]).status).toBe(2);
    expect(sim(["--preset", "nope", "--out", join(dir, "x.json")]).status).toBe(2);
    expect(sim(["--preset", "bare", "--out", join(dir, "x.json"), "--frobnicate"]).status).toBe(2);
    expect(sim(["--preset", "bare"]).stderr).toMatch(/--out/);
    // A flag given twice would replace the first without a word: refused, both values named.
    const twice = sim(["--preset", "bare", "--out", join(dir, "a.json"), "--out", join(dir, "b.json")]);
    expect(twice.status).toBe(2);
    expect(twice.stderr.split("\n")[0]).toBe(`sim: --out is given 2 times ("${join(dir, "a.json")}", "${join(dir, "b.json")}"); give it once`);
    // An output that cannot be written is refused before the run starts (no run lost at its end).
    const nowhere = sim(["--preset", "bare", "--out", join(dir, "no-such-folder", "x.json")]);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr.split("\n")[0]).toMatch(/^sim: --out .*cannot write into .*no-such-folder/);
    expect(nowhere.stderr).not.toMatch(/%/); // no progress line: nothing ran
    expect(sim(["--preset", "bare", "--out", dir]).stderr.split("\n")[0]).toMatch(/is a folder; give a file name/);
    expect(sim(["--preset", "bare", "--out", join(dir, "x.json"), "--csv", join(dir, "nope", "x.csv")]).status).toBe(2);
    // No GPU driver and the SwiftShader fallback turned off: a clear message, exit 1.
    const gpu = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--preset", "bare", "--out", join(dir, "x.json"), "--backend", "gpu"], {
      encoding: "utf8",
      env: { ...process.env, ZIL_NO_SOFTWARE_GPU: "1", VK_ICD_FILENAMES: join(dir, "no-such-icd.json") },
    });
    expect(gpu.status).toBe(1);
    expect(gpu.stderr).toMatch(/gpu backend is not available/);
  });
});
