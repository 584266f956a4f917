/**
 * Plating, stripping and cycling on the CPU reference (docs/MODEL.md, "Protocols", "Stripping and dead zinc"):
 * charge and zinc balance over cycles, a planar strip, all plated zinc back from copper, dead zinc, the Zn||Cu
 * cut-off, the planar hysteresis against Ohm plus Butler-Volmer, and a resumed run.
 */
import { describe, expect, it } from "vitest";
import { MODEL_CONSTANTS } from "../src/model/coefficients.ts";
import { F_NRT, ZN_SITE_DENSITY } from "../src/model/constants.ts";
import { MAH_CM2, protocolPreset, type ProtocolStep } from "../src/model/protocol.ts";
import { ProtocolClock } from "../src/model/protocolClock.ts";
import { runProtocolCpu, type ProtocolRunState } from "../src/reference/protocolRun.ts";
import { createCpuSolver } from "../src/reference/run.ts";
import { NF } from "../src/reference/numerics.ts";
import type { CpuSolver } from "../src/reference/solver.ts";
import { scenario } from "./helpers.ts";
import { foilRows, foilStopReason } from "../src/model/runStop.ts";

/** A layer that makes hydrogen evolution negligible (|dG_H*| far from 0, little water at the metal). */
const noHer = { preset: "bare", dG_H_eV: 3.5, water_activity: 0.01 };
const small2d = { grid: { nx: 32, ny: 32, dx_um: 0.5 } };

/** The solver's metal above copper's own, per electrode area (C/m2): live and dead. */
function metal(sv: CpuSolver): { live: number; dead: number } {
  const dead = sv.deadZinc?.any ? sv.deadZinc.dead : null;
  let live = 0, gone = 0;
  for (let P = 0; P < sv.xi.length; P++) {
    const m = sv.xi[P]! - (sv.xiFloor ? sv.xiFloor[P]! : 0);
    if (dead?.[P]) gone += m; else live += m;
  }
  const k = (NF * ZN_SITE_DENSITY * sv.co.dx * sv.co.dx) / (sv.nx * sv.co.dx);
  return { live: live * k, dead: gone * k };
}

describe("protocol clock", () => {
  it("meets a capacity limit exactly: the last time step of a step passes only what is left", () => {
    const s = scenario({ ...small2d, ...protocolPreset("symmetric", { current_mA_cm2: 3, capacity_mAh_cm2: 0.01, cycles: 2, duration_s: 1 }) });
    const clock = new ProtocolClock(s);
    const dt = 0.7;
    const passed = [0, 0, 0, 0];
    while (!clock.done) {
      const k = clock.state.k;
      const i = clock.current(dt);
      passed[k]! += Math.abs(i) * dt;
      clock.advance(dt, i, 0);
    }
    for (const q of passed) expect(Math.abs(q / (0.01 * MAH_CM2) - 1)).toBeLessThan(1e-12);
  });

  it("ends a strip step at its voltage limit and a plate step at its own (reached from above)", () => {
    const protocol: ProtocolStep[] = [
      { step: "plate", current_mA_cm2: 1, until: { time_s: 100, voltage_V: -0.2 } },
      { step: "strip", current_mA_cm2: 1, until: { time_s: 100, voltage_V: 0.3 } },
    ];
    const clock = new ProtocolClock(scenario({ ...small2d, protocol }));
    expect(clock.advance(1, 10, -0.1)).toBeNull();
    expect(clock.advance(1, 10, -0.25)?.why).toBe("voltage");
    expect(clock.advance(1, -10, 0.2)).toBeNull();
    expect(clock.advance(1, -10, 0.31)?.why).toBe("voltage");
    expect(clock.done).toBe(true);
  });
});

describe("stripping", () => {
  it("a planar (1d) strip of q dissolves exactly q", () => {
    const q = 0.02;
    const s = scenario({ mode: "1d", grid: { nx: 1, ny: 64, dx_um: 4 }, coating: noHer, protocol: [{ step: "strip", current_mA_cm2: 2, until: { capacity_mAh_cm2: q } }] });
    const { solver } = runProtocolCpu(s);
    // depositChange is in c0 x cell volumes: back to C/m2 of Zn.
    const co = solver.co;
    const zn = (solver.depositChange * 2 * 96485.33212 * co.c0 * co.dx * co.dx) / (solver.nx * co.dx);
    expect(Math.abs(-zn / (q * MAH_CM2) - 1)).toBeLessThan(1e-6);
  });

  it("over 5 cycles, the zinc plated minus the zinc stripped is the change of live plus dead metal (1e-3), and the applied charge is zinc plus hydrogen", () => {
    const s = scenario({ ...small2d, ...protocolPreset("symmetric", { current_mA_cm2: 20, capacity_mAh_cm2: 0.05, cycles: 5, duration_s: 1 }) });
    const sv = createCpuSolver(s);
    const m0 = metal(sv);
    const clock = new ProtocolClock(s);
    let zn = 0, applied = 0, her = 0;
    while (!clock.done) {
      const i = clock.current(sv.co.dt);
      sv.iApp = i;
      sv.advance();
      zn += sv.lastIZn * sv.co.dt;
      her += sv.lastIH * sv.co.dt;
      applied += i * sv.co.dt;
      clock.advance(sv.co.dt, i, sv.u / sv.co.fNRT);
    }
    const m1 = metal(sv);
    const plated = 5 * 0.05 * MAH_CM2;
    expect(Math.abs(zn - (m1.live + m1.dead - m0.live - m0.dead)) / plated).toBeLessThan(1e-3);
    expect(Math.abs(applied - (zn + her)) / plated).toBeLessThan(1e-3);
    expect(Math.abs(applied) / plated).toBeLessThan(1e-9); // plated and stripped the same charge
  });

  it("all the zinc plated on copper comes back when nothing is lost (no hydrogen): CE 99.9 % or more, the strip ending at its cut-off", () => {
    const p = protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 2, duration_s: 1 });
    // A strip allowed twice the plated charge: only the cut-off can end it.
    p.protocol[1]!.until.capacity_mAh_cm2 = 0.06;
    const r = runProtocolCpu(scenario({ ...small2d, coating: noHer, ...p }));
    expect(r.cycles).toHaveLength(2);
    for (const c of r.cycles) {
      expect(c.strip_cutoff).toBe(1);
      expect(c.ce).toBeGreaterThanOrEqual(0.999);
      expect(c.ce).toBeLessThanOrEqual(1.001);
    }
    // Copper never strips.
    const sv = r.solver;
    for (let P = 0; P < sv.xi.length; P++) expect(sv.xi[P]!).toBeGreaterThanOrEqual(sv.xiFloor![P]! - 1e-7);
  });

  it("a Zn||Cu cycle with hydrogen ends at the cut-off once its zinc is gone, having stripped less than it plated", () => {
    const r = runProtocolCpu(scenario({ ...small2d, ...protocolPreset("zn-cu-ce", { current_mA_cm2: 2, capacity_mAh_cm2: 0.03, cycles: 1, duration_s: 1 }) }));
    const c = r.cycles[0]!;
    expect(c.strip_cutoff).toBe(1);
    expect(c.stripped_mAh_cm2).toBeLessThan(c.plated_mAh_cm2);
    expect(c.ce).toBeGreaterThan(0.5);
    expect(c.ce).toBeLessThan(1);
    // What is left is under a thousandth of what was plated (plus any dead zinc).
    const m = metal(r.solver);
    expect(m.live / (0.03 * MAH_CM2)).toBeLessThan(1e-3);
  });
});

describe("dead zinc", () => {
  it("an island cut off from the substrate is never stripped, and is counted as dead zinc", () => {
    const s = scenario({ ...small2d, coating: { preset: "bare" } });
    const sv = createCpuSolver(s);
    const { nx, ny } = sv;
    // A disc of metal, radius 2.5 cells, high above the deposit (rows 22-27 of 32), with a diffuse edge.
    const cx = 16, cy = 25, r = 2.5;
    const without = sv.xi.reduce((a, v) => a + v, 0);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const d = Math.hypot(i + 0.5 - cx, j + 0.5 - cy) - r;
        sv.xi[j * nx + i] = Math.max(sv.xi[j * nx + i]!, 1 / (1 + Math.exp(d / sv.co.ell)));
      }
    }
    // The island and its diffuse edge: the cells within 2 cells of its rim (all nearer it than the deposit).
    const near: number[] = [];
    for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) if (Math.hypot(i + 0.5 - cx, j + 0.5 - cy) <= r + 2) near.push(j * nx + i);
    const added = sv.xi.reduce((a, v) => a + v, 0) - without;
    const keep = sv.xi.slice();
    sv.iApp = -50; // stripping at 5 mA/cm2
    for (let k = 0; k < 20; k++) sv.advance();
    expect(sv.deadZinc!.any).toBe(true);
    // Frozen, cell for cell.
    for (const P of near) expect(sv.xi[P]).toBe(keep[P]);
    const k = (NF * ZN_SITE_DENSITY * sv.co.dx * sv.co.dx) / (nx * sv.co.dx);
    expect(Math.abs(sv.deadZincCharge() / (added * k) - 1)).toBeLessThan(0.02);
    // The connected deposit did strip.
    expect(sv.lastIZn).toBeLessThan(0);
  });
});

describe("the zinc foil", () => {
  it("a column stripped to under 2 l of metal stops a run on zinc, with the thickness to give; copper never does", () => {
    const s = scenario({ ...small2d });
    const sv = createCpuSolver(s);
    expect(foilStopReason(sv.xi, sv.co)).toBeNull();
    // Column 5 keeps one cell of metal (0.5 um, under 2 l = 1.2 um).
    const xi = sv.xi.slice();
    for (let j = 1; j < sv.ny; j++) xi[j * sv.nx + 5] = 0;
    expect(foilStopReason(xi, sv.co)).toBe("the zinc foil is stripped through at x = 2.8 um (under 1.2 um of metal left there): give the scenario a thicker substrate_um (now 3.0 um)");
    const cu = createCpuSolver(scenario({ ...small2d, substrate: "cu" }));
    expect(foilStopReason(xi, cu.co)).toBeNull();
    // The lowest foilRows rows alone (what the GPU reads back with each batch) give the same answers; copper needs none.
    const rows = foilRows(sv.co);
    expect(rows).toBe(3);
    expect(foilStopReason(sv.xi.slice(0, rows * sv.nx), sv.co)).toBeNull();
    expect(foilStopReason(xi.slice(0, rows * sv.nx), sv.co)).toBe(foilStopReason(xi, sv.co));
    expect(foilRows(cu.co)).toBe(0);
  });
});

describe("hysteresis", () => {
  it("a planar symmetric cell's hysteresis is 2 (i R + asinh(i / 2 i0) / (alpha n F / RT)) within 5 %", () => {
    const iMa = 1, ny = 64, dxUm = 4, sigma_mS_cm = 50;
    const s = scenario({
      mode: "1d", grid: { nx: 1, ny, dx_um: dxUm }, electrolyte: { sigma_mS_cm }, coating: noHer,
      ...protocolPreset("symmetric", { current_mA_cm2: iMa, capacity_mAh_cm2: 0.01, cycles: 1, duration_s: 1 }),
    });
    const { cycles } = runProtocolCpu(s);
    const i = iMa * 10, R = (ny * dxUm * 1e-6) / (sigma_mS_cm * 0.1);
    const K = MODEL_CONSTANTS;
    const eta = Math.asinh(i / (2 * K.i0_A_m2)) / (K.alpha * F_NRT);
    const expected = 2 * (i * R + eta) * 1e3;
    expect(Math.abs(cycles[0]!.hysteresis_mV / expected - 1)).toBeLessThan(0.05);
  });
});

describe("resume", () => {
  it("a run continued from a state taken mid-cycle gives the same series and cycles", () => {
    const s = scenario({ ...small2d, samples: 24, ...protocolPreset("symmetric", { current_mA_cm2: 10, capacity_mAh_cm2: 0.03, cycles: 2, duration_s: 1 }) });
    let mid: ProtocolRunState | null = null;
    const whole = runProtocolCpu(s, { save: (take) => { const st = take(); if (st.series.length === 9) mid = st; } });
    expect(mid).not.toBeNull();
    expect(mid!.series.at(-1)!.step).toBe(2); // in the strip step of cycle 1
    const resumed = runProtocolCpu(s, { resume: structuredClone(mid!) });
    expect(resumed.series).toEqual(whole.series);
    expect(resumed.cycles).toEqual(whole.cycles);
  });
});
