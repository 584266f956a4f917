/**
 * Lesson IIb (issue 25): principle II on the shelf. Zinc corrodes at open circuit: the electrode floats to its mixed
 * potential, where zinc dissolves as fast as hydrogen evolves, and HER's OH⁻ raises the local pH until Zn₄(OH)₆SO₄
 * precipitates as a film on the metal. A barrier layer that shifts the corrosion potential (TiO₂) and one that all but
 * stops HER (COF@Zn) corrode less, and form no film. Pure data (lessonData.ts's types; no React, no solver).
 *
 * Chosen by running it (128 x 128 cells of 0.5 µm, 3 h at rest, pH and by-product on, seed 1): i_corr at the end
 * 40.17 µA/cm² (bare Zn; it falls as the film covers the metal: 43.5 at 1 h, 39.9 at 6 h), 7.12 (TiO₂), 0.25
 * (COF@Zn); zinc lost 0.219, 0.037, 0.0013 µm; the film 0.228 µm on bare Zn (pH held at 5.50, the saturation),
 * none on the others (pH 4.38, 4.31: their OH⁻ diffuses away before it neutralises the electrolyte's acid).
 */
import { DEFAULT_GRID } from "../model/scenario.ts";
import { fixedText } from "./text.ts";
import type { Lesson } from "./lessonData.ts";

/** The lessons' grid (lessonData.ts LESSON_GRID, not imported: lessonData.ts imports this file). */
const dx = DEFAULT_GRID.dx_um;

/** Hours at open circuit. */
const HOURS = 3;

export const SHELF_LESSON: Lesson = {
  id: "IIb",
  title: "On the shelf: corrosion at rest",
  principle: "At rest zinc corrodes as fast as hydrogen evolves on it; HER's OH⁻ raises the pH until a by-product film grows. A barrier layer corrodes less and stays clean.",
  base: {
    grid: { nx: 64 / dx, ny: 64 / dx, dx_um: dx }, seed: 1, samples: 36, duration_s: HOURS * 3600, ph_field: true, byproduct: true, cycles: 1,
    protocol: [{ step: "rest", until: { time_s: HOURS * 3600 } }],
  },
  conditions: `${HOURS} h at open circuit in 2 M ZnSO4 (pH 4.3), the local pH and the Zn₄(OH)₆SO₄ by-product tracked; a 64 µm wide, 64 µm tall cell`,
  scenarios: [
    { id: "bare", label: "Bare Zn", coating: { preset: "bare" } },
    { id: "tio2", label: "TiO₂ (corrosion potential +40 mV)", coating: { preset: "tio2" } },
    { id: "cof", label: "COF@Zn", coating: { preset: "cof" } },
  ],
  metrics: [
    { field: "corrosion_uA_cm2", at: "end", label: "Corrosion current", unit: "µA/cm²", format: "fixed", digits: 2 },
    { field: "zn_lost_um", at: "end", label: "Zinc lost", unit: "µm", format: "fixed", digits: 3 },
    { field: "h2_mmol_cm2", at: "end", label: "Cumulative H₂", unit: "mmol/cm²", format: "exp", digits: 2 },
    { field: "surface_pH", at: "end", label: "Interfacial pH", unit: "", format: "fixed", digits: 2 },
    { field: "byproduct_um", at: "end", label: "By-product film", unit: "µm", format: "fixed", digits: 3 },
  ],
  steps: [
    {
      title: "Bare Zn on the shelf",
      set: `Bare Zn left ${HOURS} h at open circuit in 2 M ZnSO4, the local pH and the by-product tracked.`,
      watch: "The deposit layer: a lilac film (Zn₄(OH)₆SO₄) grows on the metal as the pH at the surface rises; the potential sits near 0 mV, the mixed potential.",
      scenario: "bare", layer: "deposit",
    },
    {
      title: "A TiO₂ barrier",
      set: "The same rest under a TiO₂ layer, which shifts the corrosion potential by 40 mV.",
      watch: "The deposit layer: no film forms; the HER layer: far less hydrogen at the surface.",
      scenario: "tio2", layer: "deposit",
    },
    {
      title: "COF@Zn",
      set: "The same rest on COF@Zn, whose surface binds hydrogen so weakly (|ΔG_H*| 2.94 eV) that HER all but stops.",
      watch: "The HER layer: almost none; the charts: the corrosion current some 200 times below bare Zn's.",
      scenario: "cof", layer: "her",
    },
    {
      title: "Question",
      question: "Nothing is plated or stripped. Why does bare Zn lose metal at rest, and why does a film grow on it but not on TiO₂?",
    },
    { title: "What the run shows", answer: true },
  ],
  trends: [
    { metric: "corrosion_uA_cm2", a: "tio2", dir: "lower", b: "bare", factor: 3, text: "TiO₂ corrodes at least 3x slower than bare Zn" },
    { metric: "corrosion_uA_cm2", a: "cof", dir: "lower", b: "tio2", text: "COF@Zn corrodes slower still" },
    { metric: "byproduct_um", a: "tio2", dir: "lower", b: "bare", text: "TiO₂ grows less by-product film than bare Zn" },
  ],
  answer: (v) => {
    const i = (id: string) => `${fixedText(v(id, "corrosion_uA_cm2"), 2)} µA/cm²`;
    const z = (id: string) => `${fixedText(v(id, "zn_lost_um"), 3)} µm`;
    const f = (id: string) => `${fixedText(v(id, "byproduct_um"), 3)} µm`;
    const pH = (id: string) => fixedText(v(id, "surface_pH"), 2);
    return [
      `In ${HOURS} h at rest bare Zn corroded at ${i("bare")} and lost ${z("bare")} of metal; TiO₂ ${i("tio2")} (${z("tio2")}), COF@Zn ${i("cof")} (${z("cof")}).`,
      "Why: with no current the electrode floats to the mixed potential, where zinc dissolves exactly as fast as water is reduced to hydrogen; whatever slows HER (a corrosion-potential shift, a surface that binds H poorly) slows the corrosion with it.",
      `HER leaves OH⁻ at the surface: on bare Zn the pH rose to ${pH("bare")}, where Zn₄(OH)₆SO₄ saturates, and a ${f("bare")} film grew that blocks the metal beneath it. Under TiO₂ the pH stayed at ${pH("tio2")}: its OH⁻ diffused away before it could neutralise the electrolyte's acid, and ${v("tio2", "byproduct_um") > 0 ? `${f("tio2")} of film formed` : "no film formed"}.`,
    ];
  },
};
