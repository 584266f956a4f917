/**
 * The app's protocol pieces without a browser: the picker's choice to and from a scenario (the schema's messages for
 * bad values), a new protocol waits for a restart and a live edit keeps the running one, and the potential chart's
 * plate / strip / rest bands from the samples' steps.
 */
import { describe, expect, it } from "vitest";
import type { SeriesRow } from "../src/model/metrics.ts";
import { parseScenario, ScenarioError } from "../src/model/scenario.ts";
import { CHOICE_DEFAULTS, protocolChoiceOf, withProtocolChoice } from "../src/ui/protocolChoice.ts";
import { liveScenario, restartReason } from "../src/ui/sim/runRules.ts";
import { stepBands, stepCaption } from "../src/ui/stepBands.ts";
import { captionTitle } from "../src/ui/sim/recordClip.ts";

const base = parseScenario({ coating: { preset: "bare" }, grid: { nx: 32, ny: 32, dx_um: 1 } });

describe("the protocol picker", () => {
  it("turns a preset and its numbers into the scenario and reads them back; none plates as before", () => {
    const sym = withProtocolChoice(base, { id: "symmetric", current_mA_cm2: 20, capacity_mAh_cm2: 0.01, cycles: 3, duration_s: 600 });
    expect(sym.protocol).toHaveLength(2);
    expect(sym.protocol![1]).toEqual({ step: "strip", current_mA_cm2: 20, until: { capacity_mAh_cm2: 0.01, voltage_V: 0.5 } });
    expect(protocolChoiceOf(sym)).toMatchObject({ id: "symmetric", current_mA_cm2: 20, capacity_mAh_cm2: 0.01, cycles: 3 });
    const cu = withProtocolChoice(sym, { ...protocolChoiceOf(sym), id: "zn-cu-ce" });
    expect(cu.substrate).toBe("cu");
    expect(protocolChoiceOf(cu).id).toBe("zn-cu-ce");
    const rest = withProtocolChoice(base, { ...CHOICE_DEFAULTS, id: "rest", duration_s: 900 });
    expect(protocolChoiceOf(rest)).toMatchObject({ id: "rest", duration_s: 900 });
    const none = withProtocolChoice(sym, { ...CHOICE_DEFAULTS, id: "none" });
    // Plating at the protocol's current, for the default duration.
    expect(none).toEqual(parseScenario({ ...base, current_mA_cm2: 20 }));
    expect(protocolChoiceOf(none).id).toBe("none");
    // A file's own steps are no preset's: "custom", kept as they are.
    const own = parseScenario({ ...base, protocol: [{ step: "plate", until: { time_s: 30 } }, { step: "rest", until: { time_s: 10 } }] });
    expect(protocolChoiceOf(own).id).toBe("custom");
    expect(withProtocolChoice(own, protocolChoiceOf(own))).toBe(own);
  });

  it("refuses a bad value with the schema's message (step, field, value, range), never a crash", () => {
    const sym = { id: "symmetric" as const, current_mA_cm2: 1, capacity_mAh_cm2: 0.05, cycles: 3, duration_s: 600 };
    const cases: [Partial<typeof sym>, string][] = [
      [{ capacity_mAh_cm2: 500 }, "protocol.0.until.capacity_mAh_cm2 = 500 is out of range: allowed 0.001 to 100 mAh/cm2 (step capacity limit)"],
      [{ current_mA_cm2: 0 }, "protocol.0.current_mA_cm2 = 0 is out of range: allowed 0.1 to 100 mA/cm2 (step current)"],
      [{ cycles: 2.5 }, "cycles must be a whole number (cycles)"],
      [{ capacity_mAh_cm2: "lots" as unknown as number }, 'must be a number (step capacity limit, mAh/cm2), got "lots"'],
    ];
    for (const [bad, words] of cases) {
      let err: unknown;
      try { withProtocolChoice(base, { ...sym, ...bad }); } catch (e) { err = e; }
      expect(err, JSON.stringify(bad)).toBeInstanceOf(ScenarioError);
      expect((err as Error).message).toContain(words);
    }
  });

  it("a new protocol waits for a restart; a live edit keeps the running protocol", () => {
    const sym = withProtocolChoice(base, { id: "symmetric", current_mA_cm2: 20, capacity_mAh_cm2: 0.01, cycles: 3, duration_s: 600 });
    expect(restartReason(base, sym)).toBe("the new protocol");
    const more = withProtocolChoice(sym, { ...protocolChoiceOf(sym), cycles: 4 });
    expect(restartReason(sym, more)).toBe("the new protocol");
    const edited = parseScenario({ ...more, coating: { preset: "bare", dG_H_eV: 1 } });
    const live = liveScenario(sym, edited)!;
    expect(live.cycles).toBe(3);
    expect(live.protocol).toEqual(sym.protocol);
    expect(live.coating.dG_H_eV).toBe(1);
    expect(restartReason(sym, live)).toBeNull();
  });
});

describe("the potential chart's step bands", () => {
  const protocol = [
    { step: "plate" as const, until: { time_s: 2 } }, { step: "rest" as const, until: { time_s: 1 } }, { step: "strip" as const, until: { time_s: 2 } },
  ];
  const row = (t_s: number, cycle: number, step: number) => ({ t_s, cycle, step }) as unknown as SeriesRow;

  it("bands each step from the samples' steps: the time up to a sample is the step of the sample before it", () => {
    // Samples every second; a sample's step is where the clock stands after it.
    const rows = [row(1, 1, 1), row(2, 1, 2), row(3, 1, 3), row(4, 1, 3), row(5, 2, 1), row(6, 2, 1), row(7, 2, 2)];
    expect(stepBands(rows, protocol)).toEqual([
      { kind: "plate", x1: 0, x2: 2 }, { kind: "rest", x1: 2, x2: 3 }, { kind: "strip", x1: 3, x2: 5 }, { kind: "plate", x1: 5, x2: 7 },
    ]);
    // Plating only (rows without steps) or no protocol: no bands.
    expect(stepBands([{ t_s: 1 } as SeriesRow], protocol)).toEqual([]);
    expect(stepBands(rows, undefined)).toEqual([]);
  });

  it("a clip's caption names where the run stands: the cycle and the step of the latest sample; nothing without a protocol", () => {
    const c = (r: SeriesRow | null, p = protocol) => captionTitle({ coating: "Bare Zn", layer: "deposit", t_s: 0, widthUm: 1, latest: r, metrics: [], legend: null, stage: stepCaption(r, p) });
    expect(c(row(3, 1, 3))).toBe("Bare Zn · deposit · cycle 1, stripping");
    expect(c(row(7, 2, 2))).toBe("Bare Zn · deposit · cycle 2, rest");
    expect(c(row(5, 2, 1))).toBe("Bare Zn · deposit · cycle 2, plating");
    expect(c({ t_s: 1 } as SeriesRow)).toBe("Bare Zn · deposit");
    expect(c(row(3, 1, 3), [])).toBe("Bare Zn · deposit");
    expect(c(null)).toBe("Bare Zn · deposit");
  });
});
