/** The page's units and chemistry: every model unit and label prints with its superscripts and subscripts. */
import { describe, expect, it } from "vitest";
import { SERIES_META } from "../src/model/metrics.ts";
import { COATING_PARAMS, ELECTROLYTE_PARAMS, OPERATION_PARAMS } from "../src/model/params.ts";
import { formulaText, labelText, unitSuffix, unitText } from "../src/ui/text.ts";
import { PRESETS } from "../src/model/presets.ts";

describe("units and labels as the page shows them", () => {
  it("writes areas, volumes and micrometres with their symbols, and nothing for a dimensionless value", () => {
    expect(unitText("mA/cm2")).toBe("mA/cm²");
    expect(unitText("mmol/cm2")).toBe("mmol/cm²");
    expect(unitText("J/m2")).toBe("J/m²");
    expect(unitText("m2/s")).toBe("m²/s");
    expect(unitText("mol/m3")).toBe("mol/m³");
    expect(unitText("um")).toBe("µm");
    expect(unitText("1")).toBe("");
    expect(unitText("mS/cm")).toBe("mS/cm");
    expect(unitSuffix("mA/cm2")).toBe(" (mA/cm²)");
    expect(unitSuffix("1")).toBe("");
  });

  it("writes ions and molecules with their charges and subscripts, leaving other words alone", () => {
    expect(labelText("Zn2+ transference number")).toBe("Zn²⁺ transference number");
    expect(labelText("Cumulative H2")).toBe("Cumulative H₂");
    expect(labelText("H2O activity at the metal")).toBe("H₂O activity at the metal");
    expect(labelText("0.2 M ZnSO4 at 10 mA/cm2")).toBe("0.2 M ZnSO₄ at 10 mA/cm²");
    expect(labelText("H2SO4")).toBe("H2SO4");
    expect(labelText("H adsorption free energy |dG_H*|")).toBe("H adsorption free energy |ΔG_H*|");
  });

  it("leaves no ASCII area unit or bare ion charge in any control's or chart's label and unit", () => {
    const texts = [...COATING_PARAMS, ...ELECTROLYTE_PARAMS, ...OPERATION_PARAMS].flatMap((p) => [labelText(p.label), unitText(p.unit)]);
    texts.push(...Object.values(SERIES_META).flatMap((m) => [labelText(m.label), unitText(m.unit)]));
    for (const t of texts) expect(t).not.toMatch(/cm2|m2\b|\bum\b|Zn2\+|\bH2\b/);
  });

  it("writes the coatings' formulas with subscripts, and leaves numbered names (UIO-66, ZIF-8) alone", () => {
    expect(formulaText("ZnF2")).toBe("ZnF₂");
    expect(formulaText("Zn3(PO4)2")).toBe("Zn₃(PO₄)₂");
    expect(formulaText("Al2O3 (ALD)")).toBe("Al₂O₃ (ALD)");
    expect(formulaText("MXene (Ti3C2Tx)")).toBe("MXene (Ti₃C₂Tx)");
    expect(formulaText("UIO-66/SPEEK")).toBe("UIO-66/SPEEK");
    expect(formulaText("ZIF-8")).toBe("ZIF-8");
    // Every preset's name keeps its letters; only digits change.
    for (const p of PRESETS) expect(formulaText(p.name).replace(/[₀-₉]/g, "")).toBe(p.name.replace(/(?<=[A-Za-z)])\d+/g, ""));
  });
});
