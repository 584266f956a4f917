import { describe, it, expect } from "vitest";
import { COATING_PARAMS } from "../src/model/params.ts";
import type { CoatingKey } from "../src/model/params.ts";
import { PRESET_IDS, isCited } from "../src/model/presetTypes.ts";
import type { PresetValue } from "../src/model/presetTypes.ts";
import { PRESETS, getPreset, presetValues } from "../src/model/presets.ts";

const KEYS = COATING_PARAMS.map((p) => p.key) as CoatingKey[];
const REVIEW = "Guo et al. 2022 review (Guiding Principles for the Design of Artificial Interface Layer for Zinc Metal Anode)";

/** Every number MODEL.md lists as reported by the review: [preset id, key, value]. Only these may be cited. */
const REPORTED: [string, CoatingKey, number][] = [
  ["bare", "dG_H_eV", 1.0],
  ["znf2", "sigma_mS_cm", 80.2],
  ["znf2", "t_plus", 0.65],
  ["znf2", "dG_H_eV", 1.31],
  ["znf2", "E_GPa", 100],
  ["mmt", "sigma_mS_cm", 3.93],
  ["mmt", "t_plus", 0.82],
  ["cuhcf", "sigma_mS_cm", 7.6],
  ["cuhcf", "t_plus", 0.74],
  ["zns", "E_GPa", 70],
  ["dlc-zns", "E_GPa", 95],
  ["zn3po42", "E_GPa", 98.88],
  ["tio2", "dEcorr_mV", -40],
  ["al2o3", "dEcorr_mV", -4.6],
  ["pvb", "E_GPa", 0.24],
  ["pvb", "dEcorr_mV", 42],
  ["speek", "E_GPa", 4.3],
  ["nafion", "E_GPa", 0.4],
  ["uio66-speek", "E_GPa", 8.63],
  ["zps", "E_GPa", 1.47],
  ["aec", "E_GPa", 2.67],
  ["cof", "dG_H_eV", 2.94],
];

const text = (v: PresetValue): string => (isCited(v) ? v.cite : v.estimate);

describe("presets", () => {
  it("lists exactly PRESET_IDS, in order, with unique ids", () => {
    expect(PRESETS.map((p) => p.id)).toEqual([...PRESET_IDS]);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESET_IDS.length);
  });

  it("gives every preset a name, kind and summary", () => {
    for (const p of PRESETS) {
      expect(p.name.trim(), p.id).not.toBe("");
      expect(p.kind.trim(), p.id).not.toBe("");
      expect(p.summary.trim(), p.id).not.toBe("");
      for (const pr of p.principles) expect(["I", "II", "III"]).toContain(pr);
    }
  });

  it("sets all 15 coating keys and no others", () => {
    expect(KEYS).toHaveLength(15);
    for (const p of PRESETS) expect(Object.keys(p.values).sort(), p.id).toEqual([...KEYS].sort());
  });

  it("keeps every value finite and inside its params.ts range", () => {
    for (const p of PRESETS) {
      for (const spec of COATING_PARAMS) {
        const v = p.values[spec.key as CoatingKey].value;
        const where = `${p.id}.${spec.key} = ${v}`;
        expect(Number.isFinite(v), where).toBe(true);
        expect(v, where).toBeGreaterThanOrEqual(spec.min);
        expect(v, where).toBeLessThanOrEqual(spec.max);
        if ("integer" in spec && spec.integer) expect(Number.isInteger(v), where).toBe(true);
      }
    }
  });

  it("gives every value exactly one of a non-empty cite or estimate", () => {
    for (const p of PRESETS) {
      for (const key of KEYS) {
        const v = p.values[key];
        const where = `${p.id}.${key}`;
        expect("cite" in v !== "estimate" in v, where).toBe(true);
        expect(text(v).trim().length, where).toBeGreaterThan(0);
        if (isCited(v)) expect(v.cite.startsWith(`${REVIEW}, `), where).toBe(true);
        else {
          expect(v.estimate.startsWith("estimate: "), where).toBe(true);
          expect(v.estimate.length, where).toBeGreaterThan("estimate: ".length + 3);
        }
      }
    }
  });

  it.each(REPORTED)("cites the review for %s.%s = %d", (id, key, value) => {
    const v = getPreset(id)!.values[key];
    expect(isCited(v), `${id}.${key} should be cited`).toBe(true);
    expect(v.value).toBe(value);
  });

  it("cites nothing beyond the numbers MODEL.md lists", () => {
    const expected = new Set(REPORTED.map(([id, key]) => `${id}.${key}`));
    const cited = new Set<string>();
    for (const p of PRESETS) for (const key of KEYS) if (isCited(p.values[key])) cited.add(`${p.id}.${key}`);
    expect([...cited].sort()).toEqual([...expected].sort());
  });

  it("follows the review's qualitative statements", () => {
    const v = (id: string) => presetValues(getPreset(id)!);
    expect(v("bare").thickness_nm).toBe(0);
    for (const p of PRESETS.filter((q) => q.id !== "bare")) expect(presetValues(p).thickness_nm, p.id).toBeGreaterThan(0);
    for (const id of ["ptfe", "il-gel"]) expect(v(id).water_activity, id).toBeLessThanOrEqual(0.4);
    expect(v("pdms-tio2").tau_s).toBeLessThanOrEqual(100);
    expect(v("self-healing").k_heal_1_s).toBeGreaterThan(0);
    for (const id of ["bto", "pvdf-trfe"]) expect(v(id).ferro_gain, id).toBeGreaterThanOrEqual(3);
    for (const id of ["zif8", "zeolite"]) {
      expect(v(id).channel_anisotropy, id).toBeLessThanOrEqual(0.3);
      expect(v(id).water_activity, id).toBeLessThan(1);
    }
    for (const id of ["carbon", "mxene"]) {
      expect(v(id).electronic, id).toBe(1);
      expect(v(id).eta_nuc_mV, id).toBeLessThan(v("bare").eta_nuc_mV);
    }
    for (const p of PRESETS.filter((q) => !["carbon", "mxene"].includes(q.id))) expect(presetValues(p).electronic, p.id).toBe(0);
  });

  it("getPreset finds each preset by id and nothing else", () => {
    for (const id of PRESET_IDS) expect(getPreset(id)?.id).toBe(id);
    expect(getPreset("no-such-preset")).toBeUndefined();
  });

  it("presetValues returns plain numbers for all 15 keys", () => {
    for (const p of PRESETS) {
      const vals = presetValues(p);
      expect(Object.keys(vals).sort(), p.id).toEqual([...KEYS].sort());
      for (const key of KEYS) {
        expect(typeof vals[key], `${p.id}.${key}`).toBe("number");
        expect(vals[key], `${p.id}.${key}`).toBe(p.values[key].value);
      }
    }
  });
});
