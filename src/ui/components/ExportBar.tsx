/** Sharing and export: CSV of the series, PNG of the field with its legend, scenario JSON down- and upload. */
import { useRef, useState } from "react";
import { seriesToCsv } from "../../model/csv.ts";
import { cyclesToCsv } from "../../model/cycleLog.ts";
import { getPreset } from "../../model/presets.ts";
import { appRefusal, parseScenarioJson, ScenarioError, type Scenario } from "../../model/scenario.ts";
import { usePage } from "../state/pageStore.ts";
import { LAYER_NAMES } from "./FieldView.tsx";
import { drawnOn, renderField, shownWidthUm } from "../sim/fieldRenderer.ts";
import { fmt } from "../text.ts";
import { legendScale, legendStops, legendTick, scaleBarUm } from "../legend.ts";
import { labelText, unitSuffix } from "../text.ts";

/** Saves a blob under `name` (the link's object URL is released after a while, once the download has it). */
export function download(name: string, blob: Blob): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 30_000);
}

const stem = (s: Scenario, t: number) => `zinc-${s.coating.preset}-${s.grid.nx}x${s.grid.ny}-seed${s.seed}-t${Math.round(t)}s`;

/**
 * The field canvas drawn larger, with its title, time, scale bar and colour legend, as a PNG; `lines` the
 * current-line overlay over it (drawn where the potential layer shows).
 */
export async function fieldPng(field: HTMLCanvasElement, s: Scenario, lines: HTMLCanvasElement | null = null): Promise<Blob> {
  const { layer, scale: scale0, t_s } = usePage.getState();
  // The field drawn again by the field renderer at the picture's own size (about 640 px wide, the field's aspect).
  const shown = drawnOn(field);
  const nx = shown?.nx ?? field.width, ny = shown?.ny ?? field.height;
  const W = Math.max(2, Math.round(Math.max(640, nx) / 2) * 2), H = Math.max(2, Math.round((W * ny) / nx));
  const out = document.createElement("canvas");
  out.width = W + 40;
  out.height = H + 150;
  const g = out.getContext("2d")!;
  g.fillStyle = "#ffffff";
  g.fillRect(0, 0, out.width, out.height);
  if (shown) renderField(g, shown, 20, 50, W, H);
  else g.drawImage(field, 20, 50, W, H);
  if (lines && layer === "potential" && lines.width > 0 && lines.height > 0) {
    g.imageSmoothingEnabled = true;
    g.drawImage(lines, 20, 50, W, H);
  }
  g.fillStyle = "#14202e";
  g.font = "bold 18px sans-serif";
  g.fillText(`${getPreset(s.coating.preset)?.name ?? s.coating.preset} · ${LAYER_NAMES[layer]} · t = ${fmt(t_s, 4)} s`, 20, 32);
  // The width shown (the front window, or the whole cell), as the field view frames it.
  const widthUm = shownWidthUm(field, s.grid.nx * s.grid.dx_um);
  const bar = scaleBarUm(widthUm);
  g.fillRect(20, H + 62, (W * bar) / widthUm, 6);
  g.font = "15px sans-serif";
  g.fillText(`${fmt(bar)} µm`, 20, H + 88);
  if (scale0?.off) {
    g.fillStyle = "#14202e";
    g.fillText(`${scale0.off}.`, 160, H + 72);
  } else if (scale0) {
    const scale = legendScale(scale0);
    const x0 = 160, w = W - 140;
    const grad = g.createLinearGradient(x0, 0, x0 + w, 0);
    legendStops(layer).forEach((c, k, all) => grad.addColorStop(k / (all.length - 1), c));
    g.fillStyle = grad;
    g.fillRect(x0, H + 60, w, 16);
    g.fillStyle = "#14202e";
    g.fillText(legendTick(scale.lo, scale), x0, H + 96);
    const hi = legendTick(scale.hi, scale);
    g.fillText(hi, x0 + w - g.measureText(hi).width, H + 96);
    g.fillText(`${labelText(scale.label)}${unitSuffix(scale.unit)}`, x0, H + 122);
  }
  return new Promise((resolve, reject) => out.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas gave no PNG"))), "image/png"));
}

/**
 * `runScenario`: the scenario as it runs (on the backend's grid, which the CPU fallback may make smaller): what the
 * CSV and the PNG are of, and named after. The scenario file is the page's own, to run again anywhere.
 */
export function ExportBar({ onLoad, runScenario }: { onLoad: (s: Scenario) => void; runScenario: () => Scenario }) {
  const file = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const scenario = usePage((s) => s.scenario);

  /** The address to the clipboard, and a word that it is there (or, where the browser refuses, the link to copy by hand). */
  const copyLink = async () => {
    const link = window.location.href;
    try {
      if (!navigator.clipboard) throw new Error("this page has no clipboard access (it needs https or localhost)");
      await navigator.clipboard.writeText(link);
      setMessage(null);
      setCopied("Link copied: it opens this coating, these settings and this view.");
      window.setTimeout(() => setCopied(null), 4000);
    } catch (e) {
      setCopied(null);
      setMessage(`The link could not be copied (${e instanceof Error ? e.message : String(e)}); copy it from here: ${link}`);
    }
  };

  const csv = () => {
    const { history, t_s } = usePage.getState();
    download(`${stem(runScenario(), t_s)}.csv`, new Blob([seriesToCsv(history)], { type: "text/csv" }));
  };
  // A protocol run's per-cycle table, as the runner's --cycles-csv writes it.
  const cycles = usePage((st) => st.cycles);
  const cyclesCsv = () => {
    const { cycles: rows, t_s } = usePage.getState();
    download(`${stem(runScenario(), t_s)}.cycles.csv`, new Blob([cyclesToCsv(rows)], { type: "text/csv" }));
  };
  const png = async () => {
    const c = document.querySelector<HTMLCanvasElement>("[data-testid=field-canvas]");
    if (!c) return;
    const lines = document.querySelector<HTMLCanvasElement>("[data-testid=field-lines]");
    try {
      const s = runScenario();
      download(`${stem(s, usePage.getState().t_s)}.png`, await fieldPng(c, s, lines));
    } catch (e) {
      setMessage(`The PNG could not be made: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const json = () => download(`${stem(scenario, 0).replace(/-t0s$/, "")}.scenario.json`, new Blob([JSON.stringify(scenario, null, 2) + "\n"], { type: "application/json" }));
  const upload = async (f: File | undefined) => {
    if (!f) return;
    try {
      if (f.size > 1_000_000) throw new ScenarioError(`the file is ${Math.round(f.size / 1000)} kB; a scenario is a small JSON file`);
      const s = parseScenarioJson(await f.text());
      const refusal = appRefusal(s, "the app");
      if (refusal) throw new ScenarioError(refusal);
      setMessage(null);
      onLoad(s);
    } catch (e) {
      const why = e instanceof ScenarioError ? e.message : e instanceof Error ? e.message : String(e);
      // Beside the control that was used (the page's notice bar is far above it once the page is scrolled).
      setMessage(`The file "${f.name}" was not loaded: ${why}. Nothing changed.`);
    } finally {
      if (file.current) file.current.value = "";
    }
  };

  return (
    <div className="export-bar" role="group" aria-label="Share and export">
      <button type="button" onClick={csv} data-testid="export-csv">Download CSV</button>
      {cycles.length > 0 && <button type="button" onClick={cyclesCsv} data-testid="export-cycles-csv">Download cycles CSV</button>}
      <button type="button" onClick={() => void png()} data-testid="export-png">Download PNG</button>
      <button type="button" onClick={json} data-testid="export-json">Download scenario</button>
      <label className="upload">
        Load scenario…
        <input ref={file} type="file" accept="application/json,.json" data-testid="upload" onChange={(e) => void upload(e.target.files?.[0])} />
      </label>
      <button type="button" onClick={() => void copyLink()} data-testid="copy-link">Copy link</button>
      <span className="copied" role="status" data-testid="copy-link-status">{copied}</span>
      {message && (
        <p className="notice error export-message" role="alert" data-testid="export-message">
          {labelText(message)} <button type="button" onClick={() => setMessage(null)}>Dismiss</button>
        </p>
      )}
    </div>
  );
}
