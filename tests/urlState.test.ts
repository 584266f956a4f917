/** The page's address: the whole state round-trips; a broken part of it is named in one message and left at its default, and the rest applies. */
import { describe, expect, it } from "vitest";
import { parseScenario } from "../src/model/scenario.ts";
import { protocolPreset } from "../src/model/protocol.ts";
import { APP_GRID, searchToSetup, setupToSearch } from "../src/ui/state/urlState.ts";

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

  it("round-trips the pH and by-product layers (layer=ph, layer=byproduct), with the pH field or without it", () => {
    for (const layer of ["ph", "byproduct"] as const) {
      for (const extra of [{}, { ph_field: true }, { ph_field: true, byproduct: true }]) {
        const scenario = parseScenario({ coating: { preset: "bare" }, grid: APP_GRID, ...extra });
        const search = setupToSearch({ scenario, layer, speed: 1 });
        expect(search).toContain(`layer=${layer}`);
        const { setup, error } = searchToSetup(search);
        expect(error).toBeNull();
        expect(setup.layer).toBe(layer);
        expect(setup.scenario).toEqual(scenario);
      }
    }
    expect(searchToSetup("?preset=bare&ph=byproduct&layer=byproduct").setup).toMatchObject({ layer: "byproduct", scenario: { ph_field: true, byproduct: true } });
    const bad = searchToSetup("?layer=alkalinity");
    expect(bad.error).toContain('layer "alkalinity" is not one of deposit, concentration, potential, integrity, her, ph, byproduct');
    expect(bad.setup.layer).toBe("deposit");
  });

  it("round-trips the whole-cell view (view=whole); the front is the default and writes nothing; a bad view is named", () => {
    const scenario = parseScenario({ coating: { preset: "bare" }, grid: APP_GRID });
    const search = setupToSearch({ scenario, layer: "deposit", speed: 1, whole: true });
    expect(search).toContain("view=whole");
    expect(searchToSetup(search).setup.whole).toBe(true);
    expect(setupToSearch({ scenario, layer: "deposit", speed: 1 })).not.toContain("view");
    expect(searchToSetup("?view=front").setup.whole).toBeUndefined();
    const bad = searchToSetup("?view=sideways");
    expect(bad.error).toContain('view "sideways" is not whole or front');
    expect(bad.setup.whole).toBeUndefined();
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

  it("keeps every valid part of an address with bad ones, and names each bad one", () => {
    const { setup, error } = searchToSetup("?preset=cof&c.t_plus=7&current_mA_cm2=5&e.c0_M=abc&layer=her&speed=3&hack=1&c.E_GPa=20");
    expect(setup.scenario.coating.preset).toBe("cof");
    expect(setup.scenario.coating.t_plus).toBeUndefined();
    expect(setup.scenario.coating.E_GPa).toBe(20);
    expect(setup.scenario.current_mA_cm2).toBe(5);
    expect(setup.scenario.electrolyte.c0_M).toBe(parseScenario({ coating: { preset: "cof" } }).electrolyte.c0_M);
    expect(setup.layer).toBe("her");
    expect(setup.speed).toBe(1);
    expect(error).toMatch(/^Part of the address could not be used/);
    for (const why of [/t_plus = 7 is out of range/, /e\.c0_M = "abc" is not a number/, /speed = 3 is not one of/, /"hack" is not a setting/]) expect(error).toMatch(why);
    expect(error).toMatch(/keep the defaults of COF/);
    // An unknown preset falls back to bare Zn, and the rest still applies.
    const other = searchToSetup("?preset=nope&seed=9&nx=32&ny=32");
    expect(other.setup.scenario.coating.preset).toBe("bare");
    expect(other.setup.scenario.seed).toBe(9);
    expect(other.setup.scenario.grid).toEqual({ ...APP_GRID, nx: 32, ny: 32 });
    expect(other.error).toMatch(/preset "nope" is not one of the 26 coatings/);
  });

  it("checks the grid's keys together, and leaves out the last part where only the combination fails", () => {
    // A 1d grid of one column is valid only as a whole (2d needs 16 columns).
    const line = searchToSetup("?mode=1d&nx=1&ny=32&dx_um=4");
    expect(line.error).toBeNull();
    expect(line.setup.scenario.grid).toEqual({ nx: 1, ny: 32, dx_um: 4 });
    const badGrid = searchToSetup("?nx=1&ny=32&seed=4");
    expect(badGrid.setup.scenario.grid).toEqual({ ...APP_GRID, ny: 32 });
    expect(badGrid.setup.scenario.seed).toBe(4);
    expect(badGrid.error).toMatch(/at least 16 in 2d mode/);
    // Each alone is fine; together the layer would drop 1 V: the last of them (the current) is left out.
    const both = searchToSetup("?c.thickness_nm=1000&c.sigma_mS_cm=0.01&current_mA_cm2=100");
    expect(both.setup.scenario.coating).toEqual({ preset: "bare", thickness_nm: 1000, sigma_mS_cm: 0.01 });
    expect(both.setup.scenario.current_mA_cm2).toBe(10);
    expect(both.error).toMatch(/ohmic drop .* \(current_mA_cm2 left out\)/);
    // A bad grid size leaves the good one: 33 is no power of two, 32 is.
    const odd = searchToSetup("?nx=33&ny=32");
    expect(odd.setup.scenario.grid).toEqual({ ...APP_GRID, ny: 32 });
    expect(odd.error).toMatch(/nx = 33 must be a power of two/);
    // A key given twice is named, and its last valid value applies.
    const twice = searchToSetup("?c.t_plus=0.9&c.t_plus=0.2");
    expect(twice.setup.scenario.coating.t_plus).toBe(0.2);
    expect(twice.error).toMatch(/c\.t_plus is given 2 times/);
    expect(searchToSetup("?c.t_plus=0.9&c.t_plus=7").setup.scenario.coating.t_plus).toBe(0.9);
  });

  it("round-trips the pH field and the by-product (ph=on, ph=byproduct), and names a bad value", () => {
    for (const extra of [{ ph_field: true }, { ph_field: true, byproduct: true }]) {
      const scenario = parseScenario({ coating: { preset: "bare" }, grid: APP_GRID, ...extra });
      const search = setupToSearch({ scenario, layer: "deposit", speed: 1 });
      expect(search).toContain(extra.byproduct ? "ph=byproduct" : "ph=on");
      const back = searchToSetup(search);
      expect(back.error).toBeNull();
      expect(back.setup.scenario).toEqual(scenario);
    }
    const bad = searchToSetup("?preset=bare&ph=maybe");
    expect(bad.error).toContain('ph "maybe" is not on or byproduct');
    expect(bad.setup.scenario.ph_field).toBeUndefined();
  });

  it("round-trips a protocol: a preset with its numbers, rest, a file's own steps on copper", () => {
    const base = { coating: { preset: "zns" }, grid: { nx: 32, ny: 32, dx_um: 0.5 } };
    const scenarios = [
      parseScenario({ ...base, ...protocolPreset("symmetric", { current_mA_cm2: 20, capacity_mAh_cm2: 0.01, cycles: 4, duration_s: 1 }) }),
      parseScenario({ ...base, ...protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 2, duration_s: 1 }) }),
      parseScenario({ ...base, ...protocolPreset("rest", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 1, duration_s: 900 }) }),
      parseScenario({ ...base, substrate: "cu", cycles: 2, protocol: [
        { step: "plate", current_mA_cm2: 5, until: { time_s: 30 } }, { step: "rest", until: { time_s: 10 } }, { step: "strip", until: { voltage_V: 0.3, capacity_mAh_cm2: 1 } },
      ] }),
    ];
    const names = ["protocol=symmetric", "protocol=zn-cu-ce", "protocol=rest", "protocol=steps"];
    scenarios.forEach((scenario, k) => {
      const search = setupToSearch({ scenario, layer: "deposit", speed: 1 });
      expect(search).toContain(names[k]);
      expect(search).not.toContain("duration_s=");
      const { setup, error } = searchToSetup(search);
      expect(error).toBeNull();
      expect(setup.scenario).toEqual(scenario);
    });
    expect(setupToSearch({ scenario: scenarios[0]!, layer: "deposit", speed: 1 })).toContain("protocol.capacity_mAh_cm2=0.01");
    // No protocol: nothing about one in the address.
    expect(setupToSearch({ scenario: parseScenario(base), layer: "deposit", speed: 1 })).not.toContain("protocol");
  });

  it("names a broken protocol in the address with the schema's words and plates at one current, keeping the rest", () => {
    const cases: [string, string][] = [
      ["protocol=symmetric&protocol.capacity_mAh_cm2=500", "capacity_mAh_cm2 = 500 is out of range: allowed 0.001 to 100 mAh/cm2"],
      ["protocol=symmetric&protocol.current_mA_cm2=fast", 'protocol.current_mA_cm2 = "fast" is not a number'],
      ["protocol=spin", 'protocol "spin" is not one of symmetric, zn-cu-ce, rest, steps'],
      ["protocol=steps&protocol.steps=%5Bplate", "protocol.steps is not a JSON list of steps"],
      ["protocol=steps&protocol.steps=%5B%7B%22step%22%3A%22plate%22%2C%22until%22%3A%7B%7D%7D%5D", "needs time_s or capacity_mAh_cm2"],
      ["cycles=3", "cycles is given without a protocol"],
      // The runner's Tafel sweep (potential control) is not the app's, by name or as steps.
      ["protocol=tafel", 'protocol "tafel" is not one of symmetric, zn-cu-ce, rest, steps'],
      [`protocol=steps&protocol.steps=${encodeURIComponent(JSON.stringify([{ step: "sweep", from_V: -0.1, to_V: 0.1, rate_mV_s: 1, until: {} }]))}`, "the app does not run a sweep step"],
    ];
    for (const [q, words] of cases) {
      const { setup, error } = searchToSetup(`?preset=cof&seed=5&${q}`);
      expect(error, q).toContain(words);
      expect(setup.scenario.protocol, q).toBeUndefined();
      expect(setup.scenario.coating.preset).toBe("cof");
      expect(setup.scenario.seed).toBe(5);
    }
  });
});
