import { useEffect, useMemo, useRef } from "react";
import { getPreset, PRESETS } from "../model/presets.ts";
import type { Preset } from "../model/presetTypes.ts";
import { coatingValues, parseScenario, type Scenario } from "../model/scenario.ts";
import { Charts } from "./Charts.tsx";
import { ComparePanel } from "./ComparePanel.tsx";
import { useCompare } from "./compareStore.ts";
import { FieldClipRecorder } from "./ClipRecorder.tsx";
import { Controls } from "./Controls.tsx";
import { labelText } from "./text.ts";
import { DesignCard, PRINCIPLES } from "./DesignCard.tsx";
import { ExportBar } from "./ExportBar.tsx";
import { FieldView } from "./FieldView.tsx";
import { disposeLessons, moveLessonStep, useLessons } from "./lessonState.ts";
import { Lessons } from "./Lessons.tsx";
import { PresenterControls, ShortcutSheet } from "./Presenter.tsx";
import { setPresenter, shortcutFor, trackPointerFocus, usePresenter } from "./presenter.ts";
import { PresetList } from "./PresetList.tsx";
import { RunBar } from "./RunBar.tsx";
import { usePage } from "./store.ts";
import { SweepPanel } from "./SweepPanel.tsx";
import { createCpuBackend } from "./sim/cpuBackend.ts";
import { CompareController } from "./sim/compare.ts";
import { restartReason, RunController } from "./sim/controller.ts";
import { createGpuBackend } from "./sim/gpuBackend.ts";
import type { FieldLayer } from "./sim/types.ts";
import { isAddressNotice, searchToSetup, setupToSearch } from "./urlState.ts";

/** Reads the address once, before the first render, so the first frame already shows its state. */
function initialise(): void {
  const { setup, error } = searchToSetup(window.location.search);
  usePage.setState({ scenario: setup.scenario, running: setup.scenario, layer: setup.layer, speed: setup.speed, notice: error });
  if (setup.compare) useCompare.setState({ picks: setup.compare, open: true });
}

export function App() {
  const controller = useMemo(() => {
    initialise();
    return new RunController({ gpu: createGpuBackend, cpu: createCpuBackend });
  }, []);
  const compare = useMemo(() => new CompareController({ gpu: createGpuBackend, cpu: createCpuBackend }), []);
  const scenario = usePage((s) => s.scenario);
  const layer = usePage((s) => s.layer);
  const speed = usePage((s) => s.speed);
  const history = usePage((s) => s.history);
  const status = usePage((s) => s.status);
  const notice = usePage((s) => s.notice);
  const banner = usePage((s) => s.banner);
  const error = usePage((s) => s.error);
  const comparing = useCompare((s) => s.open);
  const picks = useCompare((s) => s.picks);
  const preset = getPreset(scenario.coating.preset)!;
  const running = usePage((s) => s.running);
  const pending = running ? restartReason(running, scenario) : null;

  useEffect(() => {
    void controller.start(usePage.getState().scenario);
    // One run plays at a time: the main run's Play (button or Space) pauses the comparison, as starting that pauses it.
    const unsubscribe = usePage.subscribe((s, prev) => {
      if (s.status === "running" && prev.status !== "running") compare.pause();
    });
    return () => {
      unsubscribe();
      controller.destroy();
      compare.destroy();
    };
  }, [controller, compare]);

  // The address follows the state (replaceState: no history entry per slider move).
  useEffect(() => {
    const search = setupToSearch({ scenario, layer, speed, ...(comparing ? { compare: picks } : {}) });
    if (window.location.search !== search && !isAddressNotice(usePage.getState().notice)) {
      window.history.replaceState(null, "", search);
    }
    document.title = `${preset.name} · Zinc Interface Lab`;
  }, [scenario, layer, speed, comparing, picks, preset.name]);

  /** A control changed the scenario: a uniform write when the physics allows, else a pending restart. */
  const onScenario = (s: Scenario) => {
    clearAddressNotice();
    usePage.setState({ scenario: s });
    controller.apply(s);
  };
  const restart = (s: Scenario = usePage.getState().scenario) => {
    const wasRunning = usePage.getState().status === "running";
    usePage.setState({ scenario: s });
    void controller.start(s, wasRunning);
  };
  const choose = (p: Preset) => {
    clearAddressNotice();
    const s = usePage.getState().scenario;
    // The coating's own values: the preset without the previous overrides; operation and grid stay.
    restart(parseScenario({ ...s, coating: { preset: p.id } }));
  };
  const onLayer = (l: FieldLayer) => {
    usePage.setState({ layer: l });
    void controller.redraw();
  };
  /** A lesson step's "Show in the field view": its scenario into the run, as an uploaded scenario is. */
  const showLesson = (s: Scenario, l?: FieldLayer) => {
    clearAddressNotice();
    restart(s);
    if (l) onLayer(l);
    revealRun();
  };

  // Keyboard shortcuts (presenter.ts says which key means what; none while typing in a field).
  const chooseRef = useRef(choose);
  chooseRef.current = choose;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const sc = shortcutFor(e, useLessons.getState().open !== null);
      if (!sc) return;
      if (sc.kind === "presenter") setPresenter();
      else if (sc.kind === "sheet") usePresenter.setState({ sheet: true });
      else if (sc.kind === "play") controller.toggle();
      else if (sc.kind === "step") moveLessonStep(sc.delta);
      else if (PRESETS[sc.index]) chooseRef.current(PRESETS[sc.index]!);
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    const untrack = trackPointerFocus();
    return () => {
      untrack();
      window.removeEventListener("keydown", onKey);
      disposeLessons();
    };
  }, [controller]);

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <img src="/favicon.svg" alt="" width={40} height={40} />
          <h1>Zinc Interface Lab</h1>
        </div>
        <p className="purpose">
          See how an artificial interface layer on a zinc-metal anode shapes zinc plating, dendrites and hydrogen
          evolution, following the review's three design principles.
        </p>
        <PresenterControls />
        <ol className="principles" aria-label="The review's three design principles">
          {PRINCIPLES.map((p) => (
            <li key={p.id} className={`principle principle-${p.id}`}>
              <span className="numeral" aria-hidden="true">{p.id}</span>
              <span className="visually-hidden">Principle {p.id}: </span>
              {p.title}
            </li>
          ))}
        </ol>
      </header>
      {banner && (
        <p className="banner" role="status" data-testid="banner">
          {banner} <button type="button" onClick={() => usePage.setState({ banner: null })} data-testid="banner-dismiss">Dismiss</button>
        </p>
      )}
      {notice && (
        <p className="notice" role="alert" data-testid="notice">
          {labelText(notice)} <button type="button" onClick={() => usePage.setState({ notice: null })}>Dismiss</button>
        </p>
      )}
      {error && <p className="notice error" role="alert" data-testid="run-error">{error}</p>}
      <main className="layout">
        <div className="workspace">
          <section className="presets-pane" aria-labelledby="presets-heading">
            <h2 id="presets-heading">Coatings ({PRESETS.length})</h2>
            <p className="hint" id="presets-hint">Click a coating, or use the arrow keys in the list.</p>
            <PresetList presets={PRESETS} selectedId={preset.id} onSelect={choose} describedBy="presets-hint" />
          </section>
          <div className="centre-pane">
            {/* The run first, then the lessons: the field is in view on a laptop's screen as the page opens. */}
            <RunBar controller={controller} onScenario={onScenario} onRestart={() => restart()} />
            <FieldView controller={controller} onLayer={onLayer} />
            <Lessons onShow={showLesson} />
            <ExportBar onLoad={(s) => restart(s)} runScenario={() => controller.runScenario()} />
            <FieldClipRecorder controller={controller} />
            <Charts history={history} running={status === "running"} />
            <SweepPanel />
          </div>
          <section className="controls-pane" aria-labelledby="controls-heading">
            <h2 id="controls-heading">Coating and operation</h2>
            <p className="hint">
              Changes act on the running simulation at once; a new grid, seed or time step (the current density, duration
              and channel anisotropy set it) waits for a restart.
            </p>
            {pending && (
              <p className="pending-note" role="status" data-testid="pending-note">
                Not applied yet: {pending}.{" "}
                <button type="button" className="restart" onClick={() => restart()}>Restart now</button>
              </p>
            )}
            <Controls scenario={scenario} onChange={onScenario} />
          </section>
        </div>
        <ComparePanel compare={compare} onStart={() => controller.pause()} />
        <div className="card-pane" tabIndex={0} role="region" aria-label="Design card">
          <DesignCard preset={preset} current={coatingValues(scenario)} />
          <footer className="app-footer">
            <p>
              Numbers marked as cited come from Guo, Fan, Wu, Li, Zhang (2022), "Guiding Principles for the Design of
              Artificial Interface Layer for Zinc Metal Anode". Every other number is an estimate, with its reasoning.
            </p>
          </footer>
        </div>
      </main>
      <ShortcutSheet />
    </div>
  );
}

/**
 * A lesson's "Show in the field view": the run bar and the field scroll into view (in presenter mode the lesson sits
 * below them), and focus goes to the run bar, so that Space then plays the run instead of pressing the lesson's
 * button again.
 */
function revealRun(): void {
  const bar = document.querySelector<HTMLElement>(".run-bar");
  if (!bar) return;
  bar.scrollIntoView({ block: "start" });
  bar.focus({ preventScroll: true });
}

/** Once the user acts, an old message about the address no longer applies. */
function clearAddressNotice(): void {
  if (isAddressNotice(usePage.getState().notice)) usePage.setState({ notice: null });
}
