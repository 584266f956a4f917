/**
 * The app's Tafel sweep of a coating (docs/MODEL.md, "Linear sweep and Tafel"): the runner's `--protocol tafel` on
 * the page's coating and electrolyte, a planar (1d) electrode 60 s at rest, then -150 to +150 mV vs Zn at 1 mV/s, on
 * the CPU reference solver (a fraction of a second: 1d), its polarization curve and the fit's E_corr and i_corr.
 * sim/tafelWorker.ts runs it off the page's thread. No DOM, no React.
 */
import { protocolPreset } from "../../model/protocol.ts";
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import { fitTafel, type PolarizationPoint, type TafelFit } from "../../model/tafel.ts";
import { runProtocolCpu } from "../../reference/protocolRun.ts";

export type TafelRequest = { type: "run"; scenario: Scenario };
export type TafelReply =
  | { type: "done"; points: PolarizationPoint[]; fit: TafelFit | null; message: string | null }
  | { type: "error"; message: string };

/** The sweep's scenario: the coating and electrolyte of `s` (without its pH field), on the runner's planar cell. */
export function tafelScenario(s: Scenario): Scenario {
  const { pH: _p, ...electrolyte } = s.electrolyte;
  const tafel = protocolPreset("tafel", { current_mA_cm2: 1, capacity_mAh_cm2: 1, cycles: 1, duration_s: 1 });
  return parseScenario({ coating: s.coating, electrolyte, seed: s.seed, grid: { nx: 1, ny: 128, dx_um: 0.5 }, ...tafel });
}

/** Runs the sweep of `s`'s coating: its curve and fit (null, with why, where the curve cannot be fitted). */
export function runTafel(s: Scenario): TafelReply {
  try {
    const { polarization } = runProtocolCpu(tafelScenario(s));
    try {
      return { type: "done", points: polarization, fit: fitTafel(polarization), message: null };
    } catch (e) {
      return { type: "done", points: polarization, fit: null, message: `The curve could not be fitted: ${(e as Error).message}` };
    }
  } catch (e) {
    return { type: "error", message: e instanceof Error ? e.message : String(e) };
  }
}
