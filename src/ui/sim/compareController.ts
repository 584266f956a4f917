/**
 * The side-by-side comparison: two to four panes of the shared lifecycle (lockstepRun.ts) with different coatings and
 * the same seed, grid, operation and electrolyte, stepped in lock-step, each drawn on its own canvas, with the
 * comparison's store (state/compareStore.ts). A lost GPU device resumes every pane from their common checkpoint on a
 * new device, or on the CPU workers where none comes, as the page's run does. No React.
 */
import { getPreset } from "../../model/presets.ts";
import type { SeriesRow } from "../../model/metrics.ts";
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import { COMPARE_MAX, COMPARE_MIN, compareActions, useCompare } from "../state/compareStore.ts";
import { timeText } from "../text.ts";
import { message } from "./frameLoop.ts";
import { LockstepRun, type RunWords } from "./lockstepRun.ts";
import { usePage } from "../state/pageStore.ts";
import { fallbackGridText, type BackendFactories, type RunPlace } from "./runRules.ts";
import type { FieldLayer } from "./types.ts";

/** The panes' scenarios: `base` with each coating's own values (operation, electrolyte, grid and seed shared). */
export function compareScenarios(base: Scenario, presets: readonly string[]): Scenario[] {
  if (presets.length < COMPARE_MIN || presets.length > COMPARE_MAX) throw new Error(`pick ${COMPARE_MIN} to ${COMPARE_MAX} coatings to compare (${presets.length} picked)`);
  return presets.map((id) => {
    if (!getPreset(id)) throw new Error(`unknown coating "${id}"`);
    return parseScenario({ ...base, coating: { preset: id } });
  });
}

export class CompareController extends LockstepRun {
  protected readonly words: RunWords = {
    whose: "their", resuming: "Resuming every pane", resumed: "every pane resumed", inWorkers: "Web Workers", workers: "the CPU workers", later: "",
    stopped: (why) => `The comparison stopped: ${why}. Start it again; the picks are kept.`,
    neither: (gpu, cpu) => `Neither WebGPU (${gpu}) nor the CPU workers (${cpu}) could start the comparison.`,
  };

  constructor(factories: BackendFactories) {
    super(factories, compareActions, "compare");
  }

  /** Builds one backend per coating (all on the GPU, or all in CPU workers) and shows their first frames. */
  async start(base: Scenario, presets: readonly string[], play = false): Promise<void> {
    let scenarios: Scenario[];
    try {
      scenarios = compareScenarios(base, presets);
    } catch (e) {
      this.halt();
      compareActions.runFailed(`The comparison cannot start: ${message(e)}.`);
      return;
    }
    compareActions.runStarting(scenarios);
    await this.startPanes(scenarios, play);
  }

  /** Another layer on every pane (while playing, the next frame shows it). */
  async setLayer(layer: FieldLayer): Promise<void> {
    compareActions.setLayer(layer);
    await this.redraw();
  }

  /** The pane canvases with their current frame's time and latest metrics (for the clip's captions). */
  paneViews(): { canvas: HTMLCanvasElement | null; overlay: HTMLCanvasElement | null; t_s: number; latest: SeriesRow | null }[] {
    const st = useCompare.getState();
    return this.panes.map((p, k) => ({ canvas: p.canvas, overlay: p.overlay, t_s: p.frame?.t_s ?? 0, latest: st.panes[k]?.history.at(-1) ?? null }));
  }

  /** Stops and frees every pane (the picks and the store's last state stay). */
  stop(): void {
    this.halt();
    compareActions.runStopped();
  }

  // ---- the lifecycle's store and words ----
  protected speed(): number { return useCompare.getState().speed; }
  protected layer(): FieldLayer { return useCompare.getState().layer; }
  protected status(): string { return useCompare.getState().status; }
  protected runningScenarios(): readonly Scenario[] { return useCompare.getState().scenarios; }

  protected publish(): void {
    const updates = this.takeUpdates();
    compareActions.runProgress(updates, updates[0]?.frame.scale ?? null);
  }

  protected stopText(k: number, row: SeriesRow, stop: string): string {
    return `the ${useCompare.getState().panes[k]?.name ?? "pane"} run stopped at t = ${timeText(row.t_s)} s: ${stop}`;
  }

  protected note(text: string): void {
    compareActions.setNote(text);
  }

  /** The page's grid: the panes run it as the page's run does (a smaller piece of the default one on a slow adapter). */
  protected override gridAsked(): boolean {
    return usePage.getState().gridAsked;
  }

  protected override onAdapter(asked: readonly Scenario[], run: readonly Scenario[], _place: RunPlace, label: string): void {
    if (run[0] === asked[0]) return;
    // The panel's grid, widths and clip captions then describe what runs.
    compareActions.runScenarios([...run]);
    compareActions.setNote(`This WebGPU adapter is a software one (${label}), slow, so the panes run the default grid ${fallbackGridText(asked[0]!, run[0]!)}.`);
  }

  protected fellBack(asked: readonly Scenario[], small: readonly Scenario[], gpuError: string): void {
    // The panel's grid, widths and clip captions then describe what runs.
    compareActions.runScenarios([...small]);
    compareActions.setNote(`WebGPU is not available here (${gpuError}): the panes run the CPU reference solver in Web Workers ${fallbackGridText(asked[0]!, small[0]!)}.`);
  }
}
