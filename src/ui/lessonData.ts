/**
 * The guided lessons, one per design principle of the review and lesson IV (dead zinc, lessonDeadZinc.ts): what to set, what to watch, a question for
 * the audience and the answer the run shows. Pure data and pure functions (no React, no DOM, no solver): the
 * lesson worker (sim/lessonCore.ts) runs each lesson's scenarios on the CPU reference solver and `summarize`
 * turns each run's series into the table's numbers; `answerLines` fills the answer with them; `checkTrends`
 * says whether the run shows the expected direction (tests/lessons.test.ts checks that it does).
 *
 * The scenarios were chosen by running them (32 x 32 cells of 1 µm, seeds 1-3): the trends hold for each seed.
 */
import type { CorrosionField, PhField, ProtocolField, SeriesField, SeriesRow } from "../model/metrics.ts";
import { DEAD_ZINC_LESSON } from "./lessonDeadZinc.ts";
import { SHELF_LESSON } from "./lessonShelf.ts";
import { expText, fixedText, fmt } from "./text.ts";
import { herSplit } from "./lessonFactors.ts";
import { DEFAULT_GRID, parseScenario, type Scenario } from "../model/scenario.ts";
import type { FieldLayer } from "./sim/types.ts";

export type LessonId = "I" | "II" | "IIb" | "III" | "IV";

/** A field a lesson tabulates: a series field, or one a protocol run adds (dead zinc, corrosion), or the pH field's. */
export type LessonField = SeriesField | ProtocolField | CorrosionField | PhField;

/** A number of the table: one series field, at the run's end or averaged over its samples. */
export interface LessonMetric {
  field: LessonField;
  at: "end" | "mean";
  /** Column heading, without the unit. */
  label: string;
  /** Unit as shown ("" for a pure number). */
  unit: string;
  /** How the value is written: fixed decimals, exponential (significant digits - 1), or percent with decimals. */
  format: "fixed" | "exp" | "percent";
  digits: number;
}

export interface LessonScenario {
  id: string;
  /** Row heading in the table, and the name the steps use. */
  label: string;
  /** The coating part of the scenario (a preset and its overrides); the lesson's base gives the rest. */
  coating: Record<string, unknown> & { preset: string };
}

export interface LessonStep {
  title: string;
  /** What to set (the scenario this step loads, in words). */
  set?: string;
  /** What to watch in the field view and the charts. */
  watch?: string;
  /** The scenario "Show in the field view" loads, and the field layer it picks. */
  scenario?: string;
  layer?: FieldLayer;
  /** A question for the audience. */
  question?: string;
  /** The answer step: the table of the comparison run and the answer filled with its numbers. */
  answer?: boolean;
}

/** An expected direction: metric(a) is lower / higher than metric(b), by `factor` where given. */
export interface LessonTrend {
  metric: LessonField;
  a: string;
  dir: "lower" | "higher";
  b: string;
  factor?: number;
  text: string;
}

export interface Lesson {
  id: LessonId;
  title: string;
  /** The principle in one line. */
  principle: string;
  /** Everything the scenarios share (grid, current, electrolyte, duration, seed, samples). */
  base: Record<string, unknown>;
  /** The conditions in words, for the lesson's header. */
  conditions: string;
  scenarios: LessonScenario[];
  metrics: LessonMetric[];
  steps: LessonStep[];
  trends: LessonTrend[];
  /** The answer, filled with the run's numbers: `v(scenario, field)` is the table's value. */
  answer: (v: ValueOf) => string[];
}

export type ValueOf = (scenario: string, field: LessonField) => number;

/**
 * The lesson runs' grid: the model's converged cell size (DEFAULT_GRID.dx_um) over a cell 64 µm wide, room for
 * four nuclei on bare Zn (16 µm apart), and as tall.
 */
export const LESSON_GRID = { nx: 64 / DEFAULT_GRID.dx_um, ny: 64 / DEFAULT_GRID.dx_um, dx_um: DEFAULT_GRID.dx_um } as const;
/**
 * Lesson I's grid: as wide, twice as tall. The reservoir at the top stands for the bulk beyond the diffusion
 * layer, so the cell's height sets the limiting current, nF D c0 / ((1 - t+) L): 63 mA/cm² for 0.2 M over the 61 µm
 * of electrolyte of a 64 µm cell, 31 mA/cm² over 125 µm. Only the taller cell puts 50 mA/cm² past the limiting
 * current, the regime the lesson shows (docs/MODEL.md, "Morphology").
 */
export const LESSON_I_GRID = { ...LESSON_GRID, ny: 2 * LESSON_GRID.ny } as const;

const base = (extra: Record<string, unknown> = {}) => ({ grid: { ...LESSON_GRID }, duration_s: 600, samples: 20, seed: 1, ...extra });

const M = {
  uniformity: { field: "uniformity", at: "mean", label: "Uniformity, run mean", unit: "", format: "fixed", digits: 2 },
  /** Past the limiting current every surface runs out in the end; how long and how far it holds is the mean. */
  minCMean: { field: "min_surface_c_M", at: "mean", label: "Min surface Zn²⁺, run mean", unit: "M", format: "fixed", digits: 4 },
  height: { field: "max_height_um", at: "end", label: "Max height", unit: "µm", format: "fixed", digits: 1 },
  h2: { field: "h2_mmol_cm2", at: "end", label: "Cumulative H₂", unit: "mmol/cm²", format: "exp", digits: 2 },
  ce: { field: "ce", at: "end", label: "Coulombic efficiency", unit: "%", format: "percent", digits: 3 },
  cracked: { field: "cracked_fraction", at: "end", label: "Cracked share", unit: "%", format: "percent", digits: 0 },
} as const satisfies Record<string, LessonMetric>;

/**
 * The SPEEK-like ionomer of lesson III with its mechanics overridden, so only the mechanics differ. Its t+ is set to
 * the liquid's 0.4: SPEEK's own 0.85 levels the deposit by itself (principle I), leaving the mechanics no dendrites
 * to act on.
 */
const speek = (o: Record<string, number>) => ({ preset: "speek", t_plus: 0.4, ...o });
const ionomer = (t_plus: number) => ({ preset: "nafion", thickness_nm: 15_000, sigma_mS_cm: 10, t_plus, Gc_J_m2: 100_000 });

export const LESSONS: readonly Lesson[] = [
  {
    id: "I",
    title: "Fast, uniform Zn²⁺ transport",
    principle: "A layer that conducts Zn²⁺ well and carries the current by Zn²⁺ alone (t+ near 1) keeps the surface supplied and the plating even.",
    base: base({ current_mA_cm2: 50, electrolyte: { c0_M: 0.2 }, grid: { ...LESSON_I_GRID } }),
    conditions: "50 mA/cm², 0.2 M ZnSO4 (a dilute electrolyte past its limiting current), 600 s, a 64 µm wide, 128 µm tall cell",
    scenarios: [
      { id: "bare", label: "Bare Zn", coating: { preset: "bare" } },
      { id: "low", label: "Ionomer layer, t+ 0.4", coating: ionomer(0.4) },
      { id: "high", label: "Single-ion conductor, t+ 1.0", coating: ionomer(1) },
    ],
    metrics: [M.uniformity, M.minCMean, M.height],
    steps: [
      {
        title: "Bare Zn at a high current",
        set: "Bare Zn plated at 50 mA/cm² from 0.2 M ZnSO4.",
        watch: "The Zn²⁺ concentration layer: the electrolyte thins out over the metal, most in the crevices between the nuclei (the tips reach up into fresher electrolyte), and the nuclei race upward.",
        scenario: "bare", layer: "concentration",
      },
      {
        title: "A conductive layer that lets anions through",
        set: "A 15 µm ionomer layer conducting 10 mS/cm, but with t+ 0.4 (anions carry 60 % of the current, as in the liquid).",
        watch: "The Zn²⁺ concentration inside the layer, right above the metal.",
        scenario: "low", layer: "concentration",
      },
      {
        title: "The same layer as a single-ion conductor",
        set: "The same 15 µm, 10 mS/cm layer with t+ 1.0: only Zn²⁺ moves.",
        watch: "The Zn²⁺ concentration at the metal and the flatness of the deposit.",
        scenario: "high", layer: "concentration",
      },
      {
        title: "Question",
        question: "All three carry the same current. Which keeps Zn²⁺ at the metal and plates most evenly, and why does t+ matter and not only the conductivity?",
      },
      { title: "What the run shows", answer: true },
    ],
    trends: [
      // Not "more than bare Zn": bare Zn's surface is as empty (run means of 4e-5 M on the CPU, 2e-3 M on SwiftShader's
      // GPU, of a 0.2 M bulk), so the order of those two near-zero numbers is noise.
      { metric: "min_surface_c_M", a: "high", dir: "higher", b: "low", text: "t+ 1.0 keeps more Zn²⁺ at the surface than t+ 0.4 in the same layer" },
      { metric: "uniformity", a: "high", dir: "higher", b: "bare", text: "The single-ion conductor plates more evenly than bare Zn" },
      { metric: "max_height_um", a: "high", dir: "lower", b: "bare", text: "The single-ion conductor grows lower peaks than bare Zn" },
    ],
    answer: (v) => [
      `Past the limiting current every surface runs short (bulk 0.2 M): on average over the run the single-ion conductor (t+ 1.0) kept ` +
        `${fixedText(v("high", "min_surface_c_M"), 4)} M of Zn²⁺ at the metal, the t+ 0.4 layer ${fixedText(v("low", "min_surface_c_M"), 4)} M ` +
        `and bare Zn ${fixedText(v("bare", "min_surface_c_M"), 4)} M.`,
      `It plated more evenly: uniformity ${fixedText(v("high", "uniformity"), 2)} against ${fixedText(v("bare", "uniformity"), 2)} on bare Zn ` +
        `(1 = perfectly even), with peaks of ${fixedText(v("high", "max_height_um"), 1)} µm against ${fixedText(v("bare", "max_height_um"), 1)} µm.`,
      "Why: with t+ = 1 migration alone brings the Zn²⁺ the metal consumes, so no concentration gradient builds in the layer; " +
        "with t+ 0.4 diffusion must bring the rest, and the surface runs out of Zn²⁺ however well the layer conducts.",
    ],
  },
  {
    id: "II",
    title: "Suppressing hydrogen evolution",
    principle: "A layer whose surface binds hydrogen weakly (|ΔG_H*| far from 0) or keeps water off the metal cuts H₂ and raises the Coulombic efficiency.",
    base: base({ current_mA_cm2: 10 }),
    conditions: "10 mA/cm², 2 M ZnSO4, 600 s, a 64 × 64 µm cell",
    scenarios: [
      { id: "bare", label: "Bare Zn", coating: { preset: "bare" } },
      { id: "cof", label: "COF@Zn", coating: { preset: "cof" } },
      { id: "ptfe", label: "PTFE", coating: { preset: "ptfe" } },
    ],
    metrics: [M.h2, M.ce],
    steps: [
      {
        title: "Bare Zn",
        set: "Bare Zn at 10 mA/cm²: ΔG_H* 1.00 eV, water in direct contact with the metal.",
        watch: "The HER current layer and the cumulative H₂ chart.",
        scenario: "bare", layer: "her",
      },
      {
        title: "COF@Zn: hydrogen binds weakly",
        set: "A covalent organic framework on Zn: ΔG_H* 2.94 eV (cited), sub-nm pores that keep half the water away.",
        watch: "The HER current layer: its colour scale is logarithmic, so watch the numbers on the legend.",
        scenario: "cof", layer: "her",
      },
      {
        title: "PTFE: water kept off",
        set: "A hydrophobic PTFE coating: ΔG_H* 1.3 eV, water activity at the metal 0.3.",
        watch: "The HER current and the Coulombic efficiency chart.",
        scenario: "ptfe", layer: "her",
      },
      {
        title: "Question",
        question: "Which cuts hydrogen more: moving ΔG_H* away from zero, or keeping water off the metal? By how much, and what does it do to the Coulombic efficiency?",
      },
      { title: "What the run shows", answer: true },
    ],
    trends: [
      { metric: "h2_mmol_cm2", a: "cof", dir: "lower", b: "bare", factor: 1 / 30, text: "COF@Zn evolves at least 30 times less H₂ than bare Zn" },
      { metric: "h2_mmol_cm2", a: "ptfe", dir: "lower", b: "bare", factor: 1 / 2, text: "PTFE evolves less than half of bare Zn's H₂" },
      { metric: "h2_mmol_cm2", a: "cof", dir: "lower", b: "ptfe", text: "COF@Zn evolves less H₂ than PTFE" },
      { metric: "ce", a: "cof", dir: "higher", b: "bare", text: "COF@Zn has a higher Coulombic efficiency than bare Zn" },
      { metric: "ce", a: "ptfe", dir: "higher", b: "bare", text: "PTFE has a higher Coulombic efficiency than bare Zn" },
    ],
    answer: (v) => {
      const bare = v("bare", "h2_mmol_cm2"), cof = v("cof", "h2_mmol_cm2"), ptfe = v("ptfe", "h2_mmol_cm2");
      return [
        `COF@Zn evolved ${share(cof, bare)} of bare Zn's H₂: ${fmtExp(cof)} vs ${fmtExp(bare)} mmol/cm².`,
        `PTFE evolved ${share(ptfe, bare)}: ${fmtExp(ptfe)} mmol/cm².`,
        ptfeSplitLine(bare / ptfe),
        `Coulombic efficiency: bare Zn ${pct(v("bare", "ce"))} %, COF@Zn ${pct(v("cof", "ce"))} %, PTFE ${pct(v("ptfe", "ce"))} %.`,
        "Why: the HER exchange current falls steeply as |ΔG_H*| moves away from zero (the volcano relation), while less water " +
          "at the metal lowers it only in proportion; both leave more of the charge for zinc.",
      ];
    },
  },
  SHELF_LESSON,
  {
    id: "III",
    title: "Mechanical stability",
    principle: "A stiff layer presses dendrites flat, but only while it is intact: a brittle one cracks and opens hot spots; adaptive layers relax or heal instead.",
    base: base({ current_mA_cm2: 10 }),
    conditions: "the same SPEEK-like ionomer (5 µm, 2 mS/cm, t+ 0.4 like the liquid, so that only the mechanics level the deposit) with only its mechanics changed; 10 mA/cm², 2 M ZnSO4, 600 s, a 64 × 64 µm cell",
    scenarios: [
      { id: "soft", label: "Soft (0.1 GPa, tough)", coating: speek({ E_GPa: 0.1, Gc_J_m2: 100_000 }) },
      { id: "stiff", label: "Stiff (100 GPa, tough)", coating: speek({ E_GPa: 100, Gc_J_m2: 100_000 }) },
      { id: "brittle", label: "Stiff and brittle (100 GPa, 10 J/m²)", coating: speek({ E_GPa: 100, Gc_J_m2: 10 }) },
      { id: "visco", label: "Viscoelastic (brittle, relaxes in 3 s)", coating: speek({ E_GPa: 100, Gc_J_m2: 10, tau_s: 3 }) },
      { id: "healing", label: "Self-healing (brittle, heals at 0.05/s)", coating: speek({ E_GPa: 100, Gc_J_m2: 10, k_heal_1_s: 0.05 }) },
    ],
    metrics: [M.height, M.cracked],
    steps: [
      {
        title: "A soft layer",
        set: "The ionomer with a modulus of 0.1 GPa and a high fracture energy (it never cracks).",
        watch: "The deposit: the layer gives way and the tallest nuclei grow on.",
        scenario: "soft", layer: "deposit",
      },
      {
        title: "A stiff, tough layer",
        set: "The same layer at 100 GPa, still tough.",
        watch: "The deposit stays flat: the layer pushes back on every protrusion (Monroe-Newman).",
        scenario: "stiff", layer: "deposit",
      },
      {
        title: "A stiff, brittle layer",
        set: "100 GPa with a fracture energy of 10 J/m², like a ceramic film.",
        watch: "The coating integrity layer: columns crack where protrusions strain the layer, and expose the bare Zn below.",
        scenario: "brittle", layer: "integrity",
      },
      {
        title: "A viscoelastic layer",
        set: "The brittle layer, but its stress relaxes with a time constant of 3 s.",
        watch: "The coating integrity (does it crack?) and the max height chart (does it still hold the dendrites?).",
        scenario: "visco", layer: "integrity",
      },
      {
        title: "A self-healing layer",
        set: "The brittle layer, but cracks close again at 0.05 per second.",
        watch: "The coating integrity: cracks open, then close.",
        scenario: "healing", layer: "integrity",
      },
      {
        title: "Question",
        question: "Rank the five by the height of their tallest dendrite. What does a crack do, and which adaptive strategy keeps the benefit of stiffness?",
      },
      { title: "What the run shows", answer: true },
    ],
    trends: [
      { metric: "max_height_um", a: "stiff", dir: "lower", b: "soft", factor: 0.85, text: "The stiff layer grows peaks at least 15 % lower than the soft one" },
      { metric: "cracked_fraction", a: "brittle", dir: "higher", b: "stiff", text: "The brittle layer cracks, the tough one does not" },
      { metric: "cracked_fraction", a: "visco", dir: "lower", b: "brittle", text: "The viscoelastic layer cracks less than the brittle one" },
      { metric: "cracked_fraction", a: "healing", dir: "lower", b: "brittle", text: "The self-healing layer ends less cracked than the brittle one" },
    ],
    answer: (v) => {
      const h = (id: string) => `${fixedText(v(id, "max_height_um"), 1)} µm`;
      const c = (id: string) => `${fixedText(v(id, "cracked_fraction") * 100, 0)} %`;
      return [
        `Stiffness flattens: the 100 GPa layer held its peaks to ${h("stiff")}, the 0.1 GPa one let them reach ${h("soft")}.`,
        v("brittle", "max_height_um") > v("stiff", "max_height_um")
          ? `A brittle stiff layer cracked over ${c("brittle")} of its length, and the cracks became hot spots: ${h("brittle")} against the tough layer's ${h("stiff")}.`
          : `A brittle stiff layer cracked over ${c("brittle")} of its length, exposing bare Zn; its peaks (${h("brittle")}) stayed near the tough layer's (${h("stiff")}): a cracked column loses the layer's push, but also the layer's strong field at its tip.`,
        `The viscoelastic layer relaxed its stress and ended ${c("visco")} cracked, but with the stress went the push on the dendrites: ${h("visco")}.`,
        `The self-healing layer closed its cracks (${c("healing")} cracked at the end) and stayed stiff: ${h("healing")}.`,
      ];
    },
  },
  DEAD_ZINC_LESSON,
];

/**
 * Lesson II's split of PTFE's lower H₂, from the model's factors (lessonFactors.ts): its water activity alone gives
 * `water` times less, its larger |ΔG_H*| the rest.
 */
export function ptfeSplitLine(lower: number): string {
  const l = getLesson("II")!;
  const h = herSplit(lessonScenario(l, "ptfe"), lessonScenario(l, "bare"));
  const rest = lower / h.total;
  // What the run adds beyond the layer's exchange current: said only where it is more than a tenth either way.
  const run = Math.abs(Math.log(rest)) > Math.log(1.1)
    ? ` The run's H₂ is ${fmt(lower, 2)} times lower: a further ${fmt(rest, 2)} times come from the run itself (the metal's potential and the area the HER reaches differ between the two runs).`
    : "";
  return `Why PTFE: the model's HER exchange current under the layer is ${fmt(h.total, 2)} times lower than on bare Zn. Its water activity ` +
    `(${fmt(h.aw[0], 2)} at the metal against ${fmt(h.aw[1], 2)}) gives ${fmt(h.water, 2)} times of that, its larger |ΔG_H*| ` +
    `(${fixedText(h.dG_eV[0], 2)} eV against ${fixedText(h.dG_eV[1], 2)} eV) the other ${fmt(h.binding, 2)} times.${run}`;
}

export function getLesson(id: string): Lesson | undefined {
  return LESSONS.find((l) => l.id === id);
}

/** The validated scenario of one of a lesson's rows (throws ScenarioError if the definition is bad). */
export function lessonScenario(lesson: Lesson, scenarioId: string): Scenario {
  const row = lesson.scenarios.find((s) => s.id === scenarioId);
  if (!row) throw new Error(`lesson ${lesson.id} has no scenario ${JSON.stringify(scenarioId)}`);
  return parseScenario({ ...lesson.base, coating: row.coating });
}

/** The table's numbers of one run: one per metric, at the end or the mean over the samples. */
export function summarize(series: readonly SeriesRow[], metrics: readonly LessonMetric[]): number[] {
  if (series.length === 0) throw new Error("summarize: the run has no samples");
  const at = (r: SeriesRow, f: LessonField) => (r as Record<LessonField, number>)[f];
  return metrics.map((m) => (m.at === "end" ? at(series.at(-1)!, m.field) : series.reduce((a, r) => a + at(r, m.field), 0) / series.length));
}

/** values[row][metric] (rows as lesson.scenarios, metrics as lesson.metrics) as a lookup by ids. */
export function valueOf(lesson: Lesson, values: readonly (readonly number[] | null | undefined)[]): ValueOf {
  return (scenario, field) => {
    const i = lesson.scenarios.findIndex((s) => s.id === scenario);
    const k = lesson.metrics.findIndex((m) => m.field === field);
    const v = values[i]?.[k];
    if (i < 0 || k < 0 || v === undefined) throw new Error(`lesson ${lesson.id}: no value for ${scenario} / ${field}`);
    return v;
  };
}

export interface TrendResult { trend: LessonTrend; a: number; b: number; holds: boolean }

/** Whether each expected direction holds for these values (every row and metric must be present). */
export function checkTrends(lesson: Lesson, values: readonly (readonly number[] | null | undefined)[]): TrendResult[] {
  const v = valueOf(lesson, values);
  return lesson.trends.map((trend) => {
    const a = v(trend.a, trend.metric), b = v(trend.b, trend.metric);
    const ref = b * (trend.factor ?? 1);
    return { trend, a, b, holds: trend.dir === "lower" ? a < ref : a > ref };
  });
}

/** The answer's sentences, filled with the run's numbers. */
export function answerLines(lesson: Lesson, values: readonly (readonly number[] | null | undefined)[]): string[] {
  return lesson.answer(valueOf(lesson, values));
}

/** A metric's value as the table writes it (without the unit). */
export function formatMetric(m: LessonMetric, v: number): string {
  if (!Number.isFinite(v)) return "–";
  if (m.format === "exp") return fmtExp(v, m.digits);
  if (m.format === "percent") return fixedText(v * 100, m.digits);
  return fixedText(v, m.digits);
}

/** Column heading with its unit. */
export function metricHeading(m: LessonMetric): string {
  return m.unit ? `${m.label} (${m.unit})` : m.label;
}

/** A lesson's number in exponent form with `digits` significant digits (4.1e-4). */
const fmtExp = (v: number, digits = 2): string => (v === 0 ? "0" : expText(v, Math.max(0, digits - 1)));
const pct = (v: number) => fixedText(v * 100, 3);
/** "1/330" of a reference (or "3.2 times" where it is larger). */
function share(v: number, ref: number): string {
  if (!(v > 0) || !(ref > 0)) return "–";
  return v <= ref ? `1/${Math.round(ref / v)}` : `${fmt(v / ref, 2)} times`;
}
