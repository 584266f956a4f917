/**
 * The sweep panel's no-effect warning (src/ui/components/sweep/sweepEffect.ts) held to the model: each coating
 * property it names as acting only through the layer gives, on bare Zn, the same series at both ends of its range
 * on the CPU reference; a property it does not name (|dG_H*|) changes them; the warning names the property.
 */
import { describe, expect, it } from "vitest";
import { COATING_PARAMS } from "../src/model/params.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { runCpu } from "../src/reference/run.ts";
import { LAYER_ONLY_KEYS, noEffectWarning } from "../src/ui/components/sweep/sweepEffect.ts";

const bare = (coating: Record<string, number> = {}) =>
  parseScenario({ grid: { nx: 16, ny: 16, dx_um: 1 }, duration_s: 20, samples: 4, current_mA_cm2: 20, coating: { preset: "bare", ...coating } });
const series = (coating: Record<string, number>) => runCpu(bare(coating)).series;
const spec = (k: string) => COATING_PARAMS.find((p) => p.key === k)!;

describe("sweep no-effect warning", () => {
  it("names the layer's own properties (t+, conductivity, modulus...) and not the surface's (|dG_H*|, water, nucleation)", () => {
    expect(LAYER_ONLY_KEYS).toEqual(expect.arrayContaining(["t_plus", "sigma_mS_cm", "E_GPa", "Gc_J_m2"]));
    for (const k of ["thickness_nm", "dG_H_eV", "water_activity", "eta_nuc_mV", "anisotropy_6fold", "dEcorr_mV"]) expect(LAYER_ONLY_KEYS).not.toContain(k);
  });

  it.each(LAYER_ONLY_KEYS.map((k) => [k]))("bare Zn runs the same at both ends of %s's range", (k) => {
    const p = spec(k);
    expect(series({ [k]: p.max })).toEqual(series({ [k]: p.min }));
  });

  it("a property it does not name changes the run on bare Zn (|dG_H*| from 0.5 to 2 eV)", () => {
    expect(series({ dG_H_eV: 2 })).not.toEqual(series({ dG_H_eV: 0.5 }));
  });

  it("warns for a layer property on bare Zn, not with a layer, not while the thickness is swept too", () => {
    expect(noEffectWarning(["coating.t_plus"], bare())).toMatch(/^Zn²⁺ transference number .*of the coating layer, and this scenario has none \(coating thickness 0 nm\): every row will be the same/);
    expect(noEffectWarning(["current_mA_cm2"], bare())).toBeNull();
    expect(noEffectWarning(["coating.dG_H_eV"], bare())).toBeNull();
    expect(noEffectWarning(["coating.t_plus"], bare({ thickness_nm: 500 }))).toBeNull();
    expect(noEffectWarning(["coating.t_plus", "coating.thickness_nm"], bare())).toBeNull();
    expect(noEffectWarning(["coating.t_plus", "coating.E_GPa"], bare())).toContain(" and ");
  });
});
