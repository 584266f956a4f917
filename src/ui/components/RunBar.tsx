/** Run control: play/pause, step, reset, speed, seed and grid; the simulated time and the step rate. */
import { useEffect, useState } from "react";
import { parseScenario, ScenarioError, type Scenario } from "../../model/scenario.ts";
import { pageActions, usePage } from "../state/pageStore.ts";
import type { RunController } from "../sim/runController.ts";
import { restartReason } from "../sim/runRules.ts";
import { SPEEDS } from "../state/urlState.ts";
import { fmt } from "../text.ts";
import { DECIMAL } from "./Controls.tsx";

const GRIDS = [32, 64, 128, 256] as const;

interface Props {
  controller: RunController;
  onScenario: (s: Scenario) => void;
  onRestart: () => void;
}

export function RunBar({ controller, onScenario, onRestart }: Props) {
  const status = usePage((s) => s.status);
  const scenario = usePage((s) => s.scenario);
  const running = usePage((s) => s.running);
  const speed = usePage((s) => s.speed);
  const t = usePage((s) => s.t_s);
  const step = usePage((s) => s.step);
  const steps = usePage((s) => s.steps);
  const sps = usePage((s) => s.stepsPerSecond);
  const fps = usePage((s) => s.framesPerSecond);
  const [seedText, setSeedText] = useState(String(scenario.seed));
  const [seedError, setSeedError] = useState<string | null>(null);
  useEffect(() => setSeedText(String(scenario.seed)), [scenario.seed]);

  const pending = running ? restartReason(running, scenario) : null;
  const gridKey = scenario.grid.nx === scenario.grid.ny ? `${scenario.grid.nx}` : `${scenario.grid.nx}x${scenario.grid.ny}`;
  const busy = status === "starting";
  const setGrid = (n: number) => onScenario(parseScenario({ ...scenario, grid: { ...scenario.grid, nx: n, ny: n } }));
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
        <select value={gridKey} onChange={(e) => setGrid(Number(e.target.value))} data-testid="grid">
          {/* A grid from the address or a scenario file that is not one of the square choices shows as itself. */}
          {!GRIDS.some((n) => `${n}` === gridKey) && <option value={gridKey} disabled>{scenario.grid.nx} × {scenario.grid.ny} cells</option>}
          {GRIDS.map((n) => <option key={n} value={`${n}`}>{n} × {n} cells</option>)}
        </select>
      </label>
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
    </div>
  );
}
