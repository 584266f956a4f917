/**
 * The page's orchestration, without React: its run (RunController) and its comparison (CompareController), what a
 * control, a coating, a lesson step, an uploaded scenario or a key press does to them, one run playing at a time,
 * and the address that follows the state. The components call these and read the stores.
 */
import { getPreset, PRESETS } from "../../model/presets.ts";
import { parseScenario, type Scenario } from "../../model/scenario.ts";
import { compareActions, useCompare } from "../state/compareStore.ts";
import { pageActions, usePage } from "../state/pageStore.ts";
import { presenterActions } from "../state/presenterStore.ts";
import { isAddressNotice, searchToSetup, setupToSearch } from "../state/urlState.ts";
import { framingActions, useFraming } from "../state/framingStore.ts";
import { useLessons } from "../state/lessonStore.ts";
import { shortcutFor, trackPointerFocus } from "../shortcuts.ts";
import { CompareController } from "./compareController.ts";
import { disposeLessons, moveLessonStep } from "./lessonRuns.ts";
import { RunController } from "./runController.ts";
import type { BackendFactories } from "./runRules.ts";
import type { FieldLayer } from "./types.ts";

export class PageSession {
  readonly run: RunController;
  readonly compare: CompareController;

  constructor(factories: BackendFactories) {
    this.run = new RunController(factories);
    this.compare = new CompareController(factories);
  }

  /** Reads the address into the stores, once, before the first render, so the first frame already shows its state. */
  static load(search: string): void {
    const { setup, error, gridAsked } = searchToSetup(search);
    pageActions.load(setup, error, gridAsked);
    if (setup.compare) compareActions.openWith(setup.compare);
    framingActions.setWhole(setup.whole === true);
  }

  /**
   * Starts the run and listens for the keyboard shortcuts; returns the function that stops everything (the page,
   * or React's StrictMode, unmounting).
   */
  mount(): () => void {
    void this.run.start(usePage.getState().scenario);
    // One run plays at a time: the main run's Play (button or Space) pauses the comparison, as starting that pauses it.
    const unsubscribe = usePage.subscribe((s, prev) => {
      if (s.status === "running" && prev.status !== "running") this.compare.pause();
    });
    const onKey = (e: KeyboardEvent) => { if (this.shortcut(e)) e.preventDefault(); };
    window.addEventListener("keydown", onKey);
    const untrack = trackPointerFocus();
    return () => {
      untrack();
      window.removeEventListener("keydown", onKey);
      unsubscribe();
      disposeLessons();
      this.run.destroy();
      this.compare.destroy();
    };
  }

  /** The key press's shortcut (shortcuts.ts says which key means what), done; false where it means none. */
  private shortcut(e: KeyboardEvent): boolean {
    const sc = shortcutFor(e, useLessons.getState().open !== null);
    if (!sc) return false;
    if (sc.kind === "presenter") presenterActions.setPresenter();
    else if (sc.kind === "sheet") presenterActions.openSheet();
    else if (sc.kind === "play") this.run.toggle();
    else if (sc.kind === "step") moveLessonStep(sc.delta);
    else if (PRESETS[sc.index]) this.choosePreset(PRESETS[sc.index]!.id);
    return true;
  }

  /** A control changed the scenario: a uniform write when the physics allows, else a pending restart. */
  editScenario(s: Scenario): void {
    pageActions.clearAddressNotice();
    const was = usePage.getState().scenario.grid;
    if (s.grid.nx !== was.nx || s.grid.ny !== was.ny || s.grid.dx_um !== was.dx_um) pageActions.setGridAsked(true);
    pageActions.setScenario(s);
    this.run.apply(s);
  }

  /** A grid chosen in the run bar: the run starts again on it, as asked on every adapter. */
  chooseGrid(s: Scenario): void {
    pageActions.clearAddressNotice();
    pageActions.setGridAsked(true);
    this.restart(s);
  }

  /** Starts the run again with `s` (the page's scenario unless given), playing on where it played. */
  restart(s: Scenario = usePage.getState().scenario): void {
    const wasRunning = usePage.getState().status === "running";
    pageActions.setScenario(s);
    void this.run.start(s, wasRunning);
  }

  /** A coating from the list: its own values (the preset without the previous overrides); operation and grid stay. */
  choosePreset(id: string): void {
    pageActions.clearAddressNotice();
    this.restart(parseScenario({ ...usePage.getState().scenario, coating: { preset: id } }));
  }

  /**
   * A lesson step's scenario, and the layer to watch it on: loaded paused at t = 0, whether a run played or not, so
   * that the lecturer's next Space (the README's "then press Space") plays it rather than pausing it.
   */
  loadScenario(s: Scenario, layer?: FieldLayer): void {
    pageActions.clearAddressNotice();
    pageActions.setGridAsked(true);
    pageActions.setScenario(s);
    void this.run.start(s, false);
    if (layer) this.setLayer(layer);
  }

  setLayer(layer: FieldLayer): void {
    pageActions.setLayer(layer);
    void this.run.redraw();
  }

  /** Starts the comparison of the picked coatings with the page's scenario; the main run pauses. */
  startComparison(): void {
    this.run.pause();
    void this.compare.start(usePage.getState().scenario, useCompare.getState().picks);
  }

  /** The comparison's Play or Pause; its Play pauses the main run. */
  toggleComparison(): void {
    if (useCompare.getState().status !== "running") this.run.pause();
    this.compare.toggle();
  }

  /** The comparison's panel opened or closed: a closed panel runs nothing nobody sees. */
  setComparisonOpen(open: boolean): void {
    compareActions.setOpen(open);
    pageActions.clearAddressNotice(); // a bad compare= in the address is mended by the panel
    if (!open) this.compare.pause();
  }

  /** The address follows the state (replaceState: no history entry per slider move), and the title the coating. */
  syncAddress(): void {
    const { scenario, layer, speed, notice } = usePage.getState();
    const { open, picks } = useCompare.getState();
    const whole = useFraming.getState().whole;
    const search = setupToSearch({ scenario, layer, speed, ...(open ? { compare: picks } : {}), whole });
    if (window.location.search !== search && !isAddressNotice(notice)) window.history.replaceState(null, "", search);
    document.title = `${getPreset(scenario.coating.preset)?.name ?? scenario.coating.preset} · Zinc Interface Lab`;
  }
}
