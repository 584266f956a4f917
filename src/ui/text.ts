/**
 * Units and chemistry as the page prints them. The model writes plain ASCII ("mA/cm2", "um", "Zn2+", "H2"), which the
 * CLI, the CSV and scenario files keep; every label and unit the page shows goes through these, so the controls, the
 * charts, the legend and the PNG say "mA/cm²", "µm", "Zn²⁺" and "H₂" alike.
 */

/** A number in exponent form with `digits` after the point, trailing zeros dropped: 1e-4 and 2.5e6, not 1.00e-4 and 2.50e+6. */
export function expText(v: number, digits = 2): string {
  const [mantissa, exponent] = v.toExponential(digits).split("e");
  return `${Number(mantissa)}e${Number(exponent)}`;
}

/**
 * A number as the page prints it, everywhere (charts and their ticks, the hover, the legends, the read-outs, the design
 * card, the controls, the sweep table, the PNG and the clip): `digits` significant digits (3 unless said), trailing
 * zeros dropped, in exponent form (expText: 1.5e-4, 2e6) below 1e-3 and from 1e5 in magnitude; "0" for zero and "–"
 * for a value that is not finite.
 */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return expText(v, digits - 1);
  return String(Number(v.toPrecision(digits)));
}

/**
 * An axis tick: as many digits as the tick needs, up to 6 significant (ticks are round numbers; 3 digits would print a
 * CE axis of 98.85 and 98.9 as 98.9 twice).
 */
export const tickText = (v: number): string => fmt(v, 6);

/** A simulated time in a message or a caption ("t = 12.35 s"): 4 significant digits. */
export const timeText = (t_s: number): string => fmt(t_s, 4);

/**
 * A fixed number of decimals, for values read against a fixed scale (a metal fraction 0.00 to 1.00, a lesson's table
 * column); "0.00", never "-0.00".
 */
export function fixedText(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return "–";
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/**
 * A value in a typed box: 6 significant digits in plain notation where JavaScript writes it so (0.000123457, not
 * 1.23457e-4), so that what was typed reads back as the run has it and can be typed again.
 */
export const boxText = (v: number): string => (v === 0 ? "0" : String(Number(v.toPrecision(6))));

/** A unit as shown: um -> µm, cm2 -> cm², m3 -> m³; "1" (dimensionless) -> "". */
export function unitText(unit: string): string {
  if (unit === "1") return "";
  return unit.replace(/\bum\b/g, "µm").replace(/([a-z])2(?![0-9])/g, "$1²").replace(/([a-z])3(?![0-9])/g, "$1³");
}

/** " (unit)" after a label, or nothing for a dimensionless value. */
export const unitSuffix = (unit: string): string => (unitText(unit) ? ` (${unitText(unit)})` : "");

/** A label as shown: Zn2+ -> Zn²⁺, H2 -> H₂, H2O -> H₂O, ZnSO4 -> ZnSO₄, dG_H* -> ΔG_H*, and its units (mA/cm2, um) as unitText writes them. */
export function labelText(label: string): string {
  return label
    .replace(/Zn2\+/g, "Zn²⁺")
    .replace(/\bH2(O?)\b/g, "H₂$1")
    .replace(/ZnSO4/g, "ZnSO₄")
    .replace(/\bdG_H\*/g, "ΔG_H*")
    .replace(/\bum\b/g, "µm")
    .replace(/\b(m|cm)2\b/g, "$1²");
}

/**
 * A coating's name with its formula's subscripts: ZnF2 -> ZnF₂, Zn3(PO4)2 -> Zn₃(PO₄)₂, BaTiO3 -> BaTiO₃. Only
 * digits right after an element symbol or a closing bracket: UIO-66 and ZIF-8 keep theirs.
 */
export function formulaText(name: string): string {
  const SUB = "₀₁₂₃₄₅₆₇₈₉";
  return name.replace(/([A-Z][a-z]?|\))(\d+)/g, (_, head: string, digits: string) => head + [...digits].map((d) => SUB[Number(d)]).join(""));
}
