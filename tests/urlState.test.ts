/** The page's address: the whole state round-trips, and a broken address gives one message and the defaults. */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { APP_GRID, searchToSetup, setupToSearch } from "../src/ui/urlState.ts";

describe("the address", () => {
  it("round-trips a coating override, operation, layer, speed and the comparison's coatings", () => {
    const scenario = parseScenario({ coating: { preset: "cof", t_plus: 0.9 }, current_mA_cm2: 20, seed: 7, grid: APP_GRID });
    const search = setupToSearch({ scenario, layer: "her", speed: 5, compare: ["bare", "cof", "ptfe"] });
    expect(search).toContain("compare=bare%2Ccof%2Cptfe");
    const { setup, error } = searchToSetup(search);
    expect(error).toBeNull();
    expect(setup.scenario).toEqual(scenario);
    expect(setup.layer).toBe("her");
    expect(setup.speed).toBe(5);
    expect(setup.compare).toEqual(["bare", "cof", "ptfe"]);
    // Without a comparison the address has no compare key and the setup none.
    const plain = searchToSetup(setupToSearch({ scenario, layer: "deposit", speed: 1 }));
    expect(plain.setup.compare).toBeUndefined();
  });

  it("round-trips the samples and the mode (a lesson's 20 samples, an uploaded 1d scenario), so a shared link runs the same", () => {
    for (const scenario of [
      parseScenario({ coating: { preset: "zns" }, samples: 20, duration_s: 600, grid: { nx: 32, ny: 32, dx_um: 1 } }),
      parseScenario({ coating: { preset: "bare" }, mode: "1d", grid: { nx: 1, ny: 32, dx_um: 4 } }),
    ]) {
      const { setup, error } = searchToSetup(setupToSearch({ scenario, layer: "deposit", speed: 1 }));
      expect(error).toBeNull();
      expect(setup.scenario).toEqual(scenario);
    }
  });

  it.each([
    ["?mode=3d", /mode "3d" is not 1d or 2d/],
    ["?samples=0", /samples/],
    ["?compare=bare", /compare lists 1 coating; it takes 2 to 4/],
    ["?compare=bare,cof,znf2,zns,mmt", /compare lists 5 coatings; it takes 2 to 4/],
    ["?compare=bare,unobtainium", /compare: "unobtainium" is not one of the 26 coatings/],
    ["?compare=", /compare: "" is not one of the 26 coatings/],
  ])("%s gives a clear message and the defaults, without a comparison", (search, why) => {
    const { setup, error } = searchToSetup(search);
    expect(error).toMatch(why);
    expect(error).toMatch(/^The address could not be used/);
    expect(setup.compare).toBeUndefined();
    expect(setup.scenario.coating.preset).toBe("bare");
  });
});
