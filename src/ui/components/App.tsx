import { useEffect, useMemo } from "react";
import { getPreset, PRESETS } from "../../model/presets.ts";
import { coatingValues, type Scenario } from "../../model/scenario.ts";
import { createCpuBackend } from "../sim/cpuBackend.ts";
import { createGpuBackend, gpuPlace, gpuWarmup } from "../sim/gpuBackend.ts";
import { PageSession } from "../sim/pageSession.ts";
import { restartReason } from "../sim/runRules.ts";
import type { FieldLayer } from "../sim/types.ts";
import { useCompare } from "../state/compareStore.ts";
import { pageActions, usePage } from "../state/pageStore.ts";
import { labelText } from "../text.ts";
import { Charts } from "./Charts.tsx";
import { TafelPanel } from "./TafelPanel.tsx";
import { FieldClipRecorder } from "./ClipRecorder.tsx";
import { ComparePanel } from "./ComparePanel.tsx";
import { Controls } from "./Controls.tsx";
import { ProtocolPicker } from "./ProtocolPicker.tsx";
import { DesignCard, PRINCIPLES } from "./DesignCard.tsx";
import { ExportBar } from "./ExportBar.tsx";
import { FieldView } from "./FieldView.tsx";
import { LessonsPanel } from "./LessonsPanel.tsx";
import { PresenterControls, ShortcutSheet } from "./PresenterControls.tsx";
import { PresetList } from "./PresetList.tsx";
import { RunBar } from "./RunBar.tsx";
import { SweepPanel } from "./sweep/SweepPanel.tsx";
import { useFraming } from "../state/framingStore.ts";

export function App() {
  const session = useMemo(() => {
    PageSession.load(window.location.search);
    return new PageSession({ gpu: createGpuBackend, cpu: createCpuBackend, gpuPlace, gpuWarmup });
  }, []);
  const scenario = usePage((s) => s.scenario);
  const layer = usePage((s) => s.layer);
  const speed = usePage((s) => s.speed);
  const history = usePage((s) => s.history);
  const cycles = usePage((s) => s.cycles);
  const status = usePage((s) => s.status);
  const notice = usePage((s) => s.notice);
  const banner = usePage((s) => s.banner);
  const error = usePage((s) => s.error);
  const comparing = useCompare((s) => s.open);
  const picks = useCompare((s) => s.picks);
  const preset = getPreset(scenario.coating.preset)!;
  const running = usePage((s) => s.running);
  const pending = running ? restartReason(running, scenario) : null;

  useEffect(() => session.mount(), [session]);
  // The address follows the state.
  const whole = useFraming((s) => s.whole);
  useEffect(() => session.syncAddress(), [session, scenario, layer, speed, comparing, picks, whole]);

  const restart = () => session.restart();
  /** A lesson step's "Show in the field view": its scenario into the run, as an uploaded scenario is. */
  const showLesson = (s: Scenario, l?: FieldLayer) => {
    session.loadScenario(s, l);
    revealRun();
  };
  const controller = session.run;

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
          {banner} <button type="button" onClick={() => pageActions.setBanner(null)} data-testid="banner-dismiss">Dismiss</button>
        </p>
      )}
      {notice && (
        <p className="notice" role="alert" data-testid="notice">
          {labelText(notice)} <button type="button" onClick={() => pageActions.setNotice(null)}>Dismiss</button>
        </p>
      )}
      {error && <p className="notice error" role="alert" data-testid="run-error">{error}</p>}
      <main className="layout">
        <div className="workspace">
          <section className="presets-pane" aria-labelledby="presets-heading">
            <h2 id="presets-heading">Coatings ({PRESETS.length})</h2>
            <p className="hint" id="presets-hint">Click a coating, or use the arrow keys in the list.</p>
            <PresetList presets={PRESETS} selectedId={preset.id} onSelect={(p) => session.choosePreset(p.id)} describedBy="presets-hint" />
          </section>
          <div className="centre-pane">
            {/* The run first, then the lessons: the field is in view on a laptop's screen as the page opens. */}
            <RunBar controller={controller} onScenario={(s) => session.editScenario(s)} onGrid={(s) => session.chooseGrid(s)} onRestart={restart} />
            <FieldView controller={controller} onLayer={(l) => session.setLayer(l)} />
            <LessonsPanel onShow={showLesson} />
            <ExportBar onLoad={(s) => session.restart(s)} runScenario={() => controller.runScenario()} />
            <FieldClipRecorder controller={controller} />
            <Charts history={history} running={status === "running"} cycles={cycles} protocol={running?.protocol} />
            <SweepPanel />
            <TafelPanel />
          </div>
          <section className="controls-pane" aria-labelledby="controls-heading">
            <h2 id="controls-heading">Coating and operation</h2>
            <p className="hint">
              Changes act on the running simulation at once; a new grid, seed, protocol or time step (the current density,
              duration and electrolyte set it) waits for a restart.
            </p>
            {pending && (
              <p className="pending-note" role="status" data-testid="pending-note">
                Not applied yet: {pending}.{" "}
                <button type="button" className="restart" onClick={restart}>Restart now</button>
              </p>
            )}
            <Controls scenario={scenario} onChange={(s) => session.editScenario(s)} />
            <ProtocolPicker scenario={scenario} onChange={(s) => session.editScenario(s)} />
          </section>
        </div>
        <ComparePanel session={session} />
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

