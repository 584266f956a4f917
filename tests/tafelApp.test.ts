/**
 * The app's Tafel sweep (src/ui/sim/tafelCore.ts): the runner's tafel protocol on the page's coating; its fit puts
 * TiO2's corrosion current below bare Zn's by the ratio of their HER factors (water activity x volcano x the
 * corrosion-potential shift's exp(-a_H F dE / RT)): the fast Zn2+/Zn couple pins E_corr, so i_corr is HER's there.
 * A broken request is answered with a message.
 */
import { describe, expect, it } from "vitest";
import { coefficients } from "../src/model/coefficients.ts";
import { parseScenario } from "../src/model/scenario.ts";
import { runTafel, tafelScenario } from "../src/ui/sim/tafelCore.ts";

const page = (preset: string) => parseScenario({ coating: { preset }, ph_field: true, byproduct: true });

describe("the app's Tafel sweep", () => {
  it("sweeps a planar cell of the page's coating and fits TiO2's i_corr at bare Zn's times the ratio of their HER factors", () => {
    const s = tafelScenario(page("tio2"));
    expect(s.mode).toBe("1d");
    expect(s.ph_field).toBeUndefined();
    expect(s.protocol?.map((st) => st.step)).toEqual(["rest", "sweep"]);
    const bare = runTafel(page("bare")), tio2 = runTafel(page("tio2"));
    if (bare.type !== "done" || tio2.type !== "done") throw new Error("the sweep failed");
    expect(bare.points.length).toBeGreaterThan(250);
    const ratio = tio2.fit!.i_corr_A_m2 / bare.fit!.i_corr_A_m2;
    const want = coefficients(tafelScenario(page("tio2"))).herCoatFactor / coefficients(tafelScenario(page("bare"))).herCoatFactor;
    console.log(`app Tafel: bare i_corr ${(bare.fit!.i_corr_A_m2 * 100).toFixed(3)} uA/cm2, TiO2 ${(tio2.fit!.i_corr_A_m2 * 100).toFixed(3)}; ratio ${ratio.toFixed(4)} (model ${want.toFixed(4)})`);
    expect(Math.abs(ratio / want - 1)).toBeLessThan(0.02);
  });

  it("answers a scenario it cannot run with an error message, not a throw", () => {
    const r = runTafel({ ...page("bare"), coating: { preset: "no-such" } } as never);
    expect(r.type).toBe("error");
  });
});
