/** The charts' axes (round ticks from the data, tick labels with the digits they need) and the field legend's unit. */
import { describe, expect, it } from "vitest";
import { niceTicks } from "../src/ui/components/Charts.tsx";
import { tickText } from "../src/ui/text.ts";
import { legendScale, legendTick } from "../src/ui/legend.ts";

describe("chart axes", () => {
  it("put round ticks (1, 2, 2.5 or 5 times a power of ten) just around the data and what must show", () => {
    expect(niceTicks([{ h: 0.8 }, { h: 4.4 }], ["h"], [0])).toEqual([0, 2, 4, 6]);
    expect(niceTicks([{ ce: 98.99 }, { ce: 98.63 }], ["ce"])).toEqual([98.6, 98.7, 98.8, 98.9, 99]);
    expect(niceTicks([{ t: 10 }, { t: 300 }], ["t"], [0])).toEqual([0, 100, 200, 300]);
    expect(niceTicks([{ u: 0.3 }], ["u"], [0, 1])).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(niceTicks([{ v: -52 }, { v: -33 }], ["v"])).toEqual([-55, -50, -45, -40, -35, -30]);
    // A flat line gets a little room either side; rows without the key, or not finite, are left out.
    expect(niceTicks([{ c: 2 }, { c: 2 }, { other: 5 }, { c: NaN }], ["c"])).toEqual([1.9, 1.95, 2, 2.05, 2.1]);
    expect(niceTicks([], ["c"], [0])).toBeUndefined();
  });

  it("label a tick with as many digits as it has (98.85 is not 98.9), exponents for tiny or huge values", () => {
    expect(tickText(98.85)).toBe("98.85");
    expect(tickText(0.1 + 0.2)).toBe("0.3");
    expect(tickText(5e-5)).toBe("5e-5");
    expect(tickText(2.5e6)).toBe("2.5e6");
    expect(tickText(0)).toBe("0");
    expect(tickText(NaN)).toBe("–");
  });
});

describe("the field legend's unit", () => {
  it("shows a potential within 0.1 V in millivolts at both ends and in its caption, and leaves other scales alone", () => {
    const phi = { lo: -1.43e-3, hi: 0, unit: "V", label: "Electrolyte potential" };
    const shown = legendScale(phi);
    expect(shown.unit).toBe("mV");
    expect(shown.lo).toBeCloseTo(-1.43, 12);
    expect(legendTick(shown.lo, shown)).toBe("-1.43 mV");
    expect(legendTick(phi.lo, phi)).toBe("-0.00143 V"); // what it would show in volts
    expect(legendScale({ ...phi, lo: -0.25 })).toEqual({ ...phi, lo: -0.25 });
    const c = { lo: 0, hi: 2e-3, unit: "M", label: "Zn2+" };
    expect(legendScale(c)).toBe(c);
  });
});
