/** The page's units and chemistry: every model unit and label prints with its superscripts and subscripts. */
import { describe, expect, it } from "vitest";
import { SERIES_META } from "../src/model/metrics.ts";
import { COATING_PARAMS, ELECTROLYTE_PARAMS, OPERATION_PARAMS } from "../src/model/params.ts";
import { boxText, expText, fixedText, fmt, formulaText, labelText, tickText, timeText, unitSuffix, unitText } from "../src/ui/text.ts";
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

describe("numbers as the page prints them (one set of formatters for the charts, the hover, the legends and the tables)", () => {
  it("fmt: significant digits, trailing zeros dropped, exponent form below 1e-3 and from 1e5", () => {
    expect(fmt(0)).toBe("0");
    expect(fmt(NaN)).toBe("–");
    expect(fmt(Infinity)).toBe("–");
    expect(fmt(16.5)).toBe("16.5");
    expect(fmt(1.9)).toBe("1.9");
    expect(fmt(-12.3456)).toBe("-12.3");
    expect(fmt(0.12345)).toBe("0.123");
    expect(fmt(2)).toBe("2");
    expect(fmt(0.001)).toBe("0.001");
    expect(fmt(1e-3 * 0.999)).toBe("9.99e-4");
    expect(fmt(1e-4)).toBe("1e-4");
    expect(fmt(-2.5e-6)).toBe("-2.5e-6");
    expect(fmt(99999)).toBe("100000");
    expect(fmt(1e5)).toBe("1e5");
    expect(fmt(2.5e6)).toBe("2.5e6");
    expect(fmt(1234.5678, 4)).toBe("1235");
    expect(fmt(1.23456e-4, 4)).toBe("1.235e-4");
    expect(fmt(0.1 + 0.2, 6)).toBe("0.3");
  });

  it("the hover's read-out form: x = 16.5 µm, Zn²⁺ 1.9 M, φ -12 mV, HER 1e-3 mA/cm²", () => {
    expect(`${fmt(16.5)} ${fmt(1.9)} ${fmt(-0.012 * 1e3)} ${fmt(1e-3)} ${fmt(9.5e-4)}`).toBe("16.5 1.9 -12 0.001 9.5e-4");
  });

  it("the special ones: ticks to 6 digits, times to 4, fixed decimals without -0, typed boxes in plain notation", () => {
    expect(tickText(98.85)).toBe("98.85");
    expect(tickText(5e-5)).toBe("5e-5");
    expect(timeText(123.456)).toBe("123.5");
    expect(timeText(0.9)).toBe("0.9");
    expect(fixedText(0.987, 2)).toBe("0.99");
    expect(fixedText(-0.001, 2)).toBe("0.00");
    expect(fixedText(98.691, 3)).toBe("98.691");
    expect(fixedText(NaN, 1)).toBe("–");
    expect(boxText(0.123456)).toBe("0.123456");
    expect(boxText(1.234567e-4)).toBe("0.000123457");
    expect(boxText(2.5e6)).toBe("2500000");
    expect(boxText(0)).toBe("0");
    expect(expText(4.07e-4, 1)).toBe("4.1e-4");
    expect(expText(1e-4)).toBe("1e-4");
  });
});
