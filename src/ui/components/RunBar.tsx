/** Run control: play/pause, step, reset, speed, seed and grid; the simulated time and the step rate. */
import { useEffect, useState } from "react";
import { parseScenario, ScenarioError, type Scenario } from "../../model/scenario.ts";
import { pageActions, usePage } from "../state/pageStore.ts";
import type { RunController } from "../sim/runController.ts";
import { cellChoices, chosen, gridText, sizeChoices, type GridChoice } from "../sim/gridChoices.ts";
import { restartReason } from "../sim/runRules.ts";
import { SPEEDS } from "../state/urlState.ts";
import { fmt } from "../text.ts";
import { DECIMAL } from "./Controls.tsx";

/** The value of a select's option for a grid that is none of its choices (it shows as itself). */
const OWN = "own";

interface Props {
  controller: RunController;
  onScenario: (s: Scenario) => void;
  /** A grid chosen: the run starts again on it. */
  onGrid: (s: Scenario) => void;
  onRestart: () => void;
}

export function RunBar({ controller, onScenario, onGrid, onRestart }: Props) {
  const status = usePage((s) => s.status);
  const scenario = usePage((s) => s.scenario);
  const running = usePage((s) => s.running);
  const speed = usePage((s) => s.speed);
  const t = usePage((s) => s.t_s);
  const step = usePage((s) => s.step);
  const steps = usePage((s) => s.steps);
  const sps = usePage((s) => s.stepsPerSecond);
  const fps = usePage((s) => s.framesPerSecond);
  const gridWhy = usePage((s) => s.gridWhy);
  const [seedText, setSeedText] = useState(String(scenario.seed));
  const [seedError, setSeedError] = useState<string | null>(null);
  useEffect(() => setSeedText(String(scenario.seed)), [scenario.seed]);
  const [gridError, setGridError] = useState<string | null>(null);

  const pending = running ? restartReason(running, scenario) : null;
  const busy = status === "starting";
  const { nx, ny, dx_um } = scenario.grid;
  const sizes = sizeChoices(scenario);
  const cells = cellChoices(scenario);
  const size = chosen(scenario, sizes) ?? OWN;
  const cell = chosen(scenario, cells) ?? OWN;
  // A grid the schema refuses gets its message beside the control, and the run goes on as it was.
  const setGrid = (choices: readonly GridChoice[], value: string) => {
    try {
      const c = choices.find((c) => c.value === value);
      if (!c) return;
      if (!c.scenario) throw new ScenarioError(`the grid ${c.label.replace(/:.*/, "")} is refused: ${c.why}`);
      onGrid(parseScenario(c.scenario));
      setGridError(null);
    } catch (e) {
      setGridError(`${e instanceof Error ? e.message : String(e)}. Nothing changed.`);
    }
  };
  const commitSeed = () => {
    try {
      // Decimal numbers only, as the controls take them ("0x10" is not 16 here either).
      const v = DECIMAL.test(seedText.trim()) ? Number(seedText) : NaN;
      if (!Number.isFinite(v)) throw new ScenarioError(`"${seedText}" is not a number`);
      onScenario(parseScenario({ ...scenario, seed: v }));
      setSeedError(null);
    } catch (e) {
      setSeedError(`${e instanceof Error ? e.message : String(e)}. Nothing changed.`);
    }
  };

  return (
    <div className="run-bar" role="toolbar" aria-label="Run control" tabIndex={-1}>
      <button type="button" className="primary" onClick={() => controller.toggle()} disabled={busy || status === "done" || status === "error"} aria-pressed={status === "running"} data-testid="play">
        {status === "running" ? "Pause" : "Play"}
      </button>
      <button type="button" onClick={() => void controller.stepOnce()} disabled={busy || status !== "paused"}>Step</button>
      <button type="button" onClick={onRestart} disabled={busy} data-testid="reset">Reset</button>
      <label>
        Speed
        <select value={speed} onChange={(e) => pageActions.setSpeed(Number(e.target.value))}>
          {SPEEDS.map((v) => <option key={v} value={v}>{v} step{v > 1 ? "s" : ""}/frame</option>)}
        </select>
      </label>
      <label>
        Grid
        <select value={size} onChange={(e) => setGrid(sizes, e.target.value)} data-testid="grid" aria-invalid={gridError ? true : undefined}>
          {/* A grid from the address or a scenario file that is not one of the choices shows as itself. */}
          {size === OWN && <option value={OWN} disabled>{gridText(nx, ny, dx_um)}</option>}
          {sizes.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
        </select>
      </label>
      <label>
        Cells
        <select value={cell} onChange={(e) => setGrid(cells, e.target.value)} data-testid="grid-dx" aria-invalid={gridError ? true : undefined}>
          {cell === OWN && <option value={OWN} disabled>{fmt(dx_um, 4)} µm cells</option>}
          {cells.map((c) => <option key={c.value} value={c.value} disabled={!c.scenario} title={c.why}>{c.label}</option>)}
        </select>
      </label>
      {gridError && <span className="param-error" role="alert" data-testid="grid-error">{gridError}</span>}
      <label className="seed">
        Seed
        <input type="text" inputMode="numeric" value={seedText} aria-invalid={seedError ? true : undefined}
          onChange={(e) => setSeedText(e.target.value)} onBlur={commitSeed} onKeyDown={(e) => { if (e.key === "Enter") commitSeed(); }} />
      </label>
      {seedError && <span className="param-error" role="alert">{seedError}</span>}
      {pending && (
        <button type="button" className="restart" onClick={onRestart} data-testid="restart">Restart to apply {pending}</button>
      )}
      <p className="run-status" data-testid="run-status" aria-live="polite" aria-atomic="true">
        <span data-testid="sim-time">t = {fmt(t, 4)} s</span> of {fmt((running ?? scenario).duration_s, 4)} s{steps > 0 && <> · step {step} of {steps}</>}
        {status === "running" && <> · {fmt(sps, 3)} steps/s · {fmt(fps, 3)} frames/s</>}
        {status === "done" && <> · done. Raise the duration to go on from here (by a whole number of samples), or Reset to start again.</>}
        {status === "starting" && <> · starting…</>}
      </p>
      {gridWhy && <p className="hint grid-why" data-testid="grid-why">{gridWhy}</p>}
    </div>
  );
}
