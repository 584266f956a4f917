/**
 * Lesson IV (issue 24): dendrites become dead zinc when they are stripped. Bare Zn plated past its limiting current
 * (lesson I's 50 mA/cm² from 0.2 M over a 128 µm tall cell) grows branches; stripped back to the cut-off, a thin
 * stem is cut through before the metal above it is gone, and that metal, cut off from the substrate, stays as dead zinc. A levelling coating
 * grows a compact deposit and leaves less. Pure data (lessonData.ts's types; no React, no solver).
 *
 * Chosen by running it (docs/MODEL.md, "Known limits", dead zinc): 8 mAh/cm² on copper, stripped at 50 mA/cm² to
 * +0.5 V: bare Zn left 0.51, 0.98 and 0.88 mAh/cm² of dead zinc (seeds 1-3), COF@Zn 0.07, 0.06 and 0.17, the
 * single-ion conductor none (seed 1). At 4 mAh/cm² it depends on the seed (bare Zn 0.17, 0, 0; COF@Zn 0.05, 0.06, 0.16), and
 * at 2 mAh/cm² bare Zn leaves none: the branches must be tall before a stem is cut through.
 */
import { DEFAULT_GRID } from "../model/scenario.ts";
import type { Lesson } from "./lessonData.ts";
import { fixedText } from "./text.ts";

const dx = DEFAULT_GRID.dx_um;
/** Plated, then stripped back (mAh/cm²), at this current (mA/cm²). */
const Q = 8, I = 50;

export const DEAD_ZINC_LESSON: Lesson = {
  id: "IV",
  title: "Dead zinc from dendrites",
  principle: "Stripped, a branched deposit is cut through at its thin stems and leaves the parts above behind as dead zinc; a layer that plates evenly leaves less.",
  base: {
    grid: { nx: 64 / dx, ny: 128 / dx, dx_um: dx }, electrolyte: { c0_M: 0.2 }, seed: 1, samples: 40, substrate: "cu", cycles: 1,
    protocol: [
      { step: "plate", current_mA_cm2: I, until: { capacity_mAh_cm2: Q } },
      { step: "strip", current_mA_cm2: I, until: { capacity_mAh_cm2: Q, voltage_V: 0.5 } },
    ],
  },
  conditions: `${Q} mAh/cm² plated on copper at ${I} mA/cm² from 0.2 M ZnSO4 (past the limiting current, as in lesson I), then stripped at ${I} mA/cm² to +0.5 V; a 64 µm wide, 128 µm tall cell`,
  scenarios: [
    { id: "bare", label: "Bare Zn", coating: { preset: "bare" } },
    { id: "cof", label: "COF@Zn", coating: { preset: "cof" } },
    { id: "high", label: "Single-ion conductor, t+ 1.0", coating: { preset: "nafion", thickness_nm: 15_000, sigma_mS_cm: 10, t_plus: 1, Gc_J_m2: 100_000 } },
  ],
  metrics: [
    { field: "dead_zn_mAh_cm2", at: "end", label: "Dead zinc", unit: "mAh/cm²", format: "fixed", digits: 3 },
    { field: "max_height_um", at: "end", label: "Height left", unit: "µm", format: "fixed", digits: 1 },
  ],
  steps: [
    {
      title: "Bare Zn: plate, then strip",
      set: `Bare Zn on copper: ${Q} mAh/cm² plated at ${I} mA/cm² from 0.2 M ZnSO4, then stripped at ${I} mA/cm² until the potential reaches +0.5 V.`,
      watch: "The deposit layer as the strip goes: branches cut off from the metal below turn tan (dead zinc) and stay.",
      scenario: "bare", layer: "deposit",
    },
    {
      title: "COF@Zn",
      set: "The same cycle on COF@Zn: a coating that plates more evenly.",
      watch: "The deposit layer: fewer, shorter branches, and less tan left at the end.",
      scenario: "cof", layer: "deposit",
    },
    {
      title: "A single-ion conductor",
      set: "The same cycle under lesson I's 15 µm single-ion conductor (t+ 1.0): a compact deposit.",
      watch: "The deposit layer: it strips back from the top, and nothing is left.",
      scenario: "high", layer: "deposit",
    },
    {
      title: "Question",
      question: "All three plate and strip the same charge. Why does bare Zn leave zinc behind that no current can reach, and why does a levelling layer leave less?",
    },
    { title: "What the run shows", answer: true },
  ],
  trends: [
    { metric: "dead_zn_mAh_cm2", a: "high", dir: "lower", b: "bare", text: "The single-ion conductor leaves less dead zinc than bare Zn" },
    { metric: "dead_zn_mAh_cm2", a: "cof", dir: "lower", b: "bare", text: "COF@Zn leaves less dead zinc than bare Zn" },
  ],
  answer: (v) => {
    const d = (id: string) => `${fixedText(v(id, "dead_zn_mAh_cm2"), 3)} mAh/cm²`;
    const h = (id: string) => `${fixedText(v(id, "max_height_um"), 1)} µm`;
    return [
      `Of the ${Q} mAh/cm² plated, bare Zn left ${d("bare")} as dead zinc, standing up to ${h("bare")} above the copper; COF@Zn left ${d("cof")}, the single-ion conductor ${d("high")}.`,
      "Why: a branched deposit dissolves over all its surface, and a thin stem is cut through before the wider metal above it is gone; " +
        "that metal no longer touches the metal below, takes no electrons and stays. A compact deposit has no thin stems: it strips back until it is gone.",
    ];
  },
};
