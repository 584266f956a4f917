/**
 * Issue 26, item 6: the lessons' words say what the model does. Lesson II's answer splits PTFE's lower H₂ into its
 * water activity and its larger |ΔG_H*| with the numbers of the model's own HER factor (coefficients.ts
 * herCoatFactor = volcano x water activity x corrosion shift), not numbers written into the text; lesson I's Watch
 * line says the electrolyte thins most in the crevices, as the concentration picture shows. No run: fast.
 */
import { describe, expect, it } from "vitest";
import { coefficients } from "../src/model/coefficients.ts";
import { answerLines, getLesson, lessonScenario } from "../src/ui/lessonData.ts";
import { fixedText, fmt } from "../src/ui/text.ts";

describe("lesson texts from the model's factors", () => {
  it("lesson II: PTFE's lower HER split into water activity and |ΔG_H*|, each the model's factor", () => {
    const l = getLesson("II")!;
    const ptfe = lessonScenario(l, "ptfe"), bare = lessonScenario(l, "bare");
    const f = (s: typeof ptfe) => coefficients(s).herCoatFactor;
    const total = f(bare) / f(ptfe);
    // The water activity's share: PTFE's factor with bare Zn's water activity (1), over its own; the rest is |ΔG_H*|'s.
    const water = f({ ...ptfe, coating: Object.assign({}, ptfe.coating, { water_activity: 1 }) }) / f(ptfe);
    expect(water).toBeCloseTo(1 / 0.3, 6); // PTFE's a_w is 0.3 (presets.ts)
    expect(total / water).toBeGreaterThan(1.5); // and its |ΔG_H*| (1.3 eV against 1.00 eV) gives more than a half again
    // A run whose H₂ is 11 times lower than bare Zn's: the table's values (h2, ce) for bare, cof and ptfe.
    const values = [[1.1e-3, 0.98], [1e-5, 0.999], [1e-4, 0.99]];
    const line = answerLines(l, values).find((s) => s.startsWith("Why PTFE"))!;
    console.log(line);
    expect(line).toContain(`${fmt(total, 2)} times lower than on bare Zn`);
    expect(line).toContain(`(0.3 at the metal against 1) gives ${fmt(water, 2)} times`);
    expect(line).toContain(`(${fixedText(1.3, 2)} eV against 1.00 eV) the other ${fmt(total / water, 2)} times`);
    expect(line).toContain(`H₂ is 11 times lower: a further ${fmt(11 / total, 2)} times come from the run itself`);
    // The older answer credited all of it to keeping water off the metal.
    expect(answerLines(l, values).join(" ")).not.toMatch(/by keeping water off the metal, evolved/);
  });

  it("lesson I: the Watch line of bare Zn says the electrolyte thins most in the crevices, not at the tips", () => {
    const watch = getLesson("I")!.steps[0]!.watch!;
    expect(watch).toMatch(/most in the crevices/);
    expect(watch).not.toMatch(/most at the tips/);
  });
});
