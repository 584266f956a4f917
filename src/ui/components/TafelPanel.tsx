/**
 * The coating's polarization curve, as the coating papers measure it (docs/MODEL.md, "Linear sweep and Tafel"): a
 * planar electrode of the page's coating and electrolyte swept from -150 to +150 mV vs Zn at 1 mV/s, log|i| against
 * E with the HER's own Tafel line, and the fit's E_corr and i_corr. The sweep runs in a Web Worker on the CPU
 * reference solver (sim/tafelCore.ts, the runner's `--protocol tafel`); its numbers are the runner's.
 */
import { useEffect, useId, useMemo, useRef, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis } from "recharts";
import type { PolarizationPoint, TafelFit } from "../../model/tafel.ts";
import { usePage } from "../state/pageStore.ts";
import type { TafelReply } from "../sim/tafelCore.ts";
import { fmt, tickText } from "../text.ts";
import { chartSize, ChartCard, COLOR, niceTicks, yAxis } from "./Charts.tsx";
import { usePresenter } from "../state/presenterStore.ts";

type Result = { points: PolarizationPoint[]; fit: TafelFit | null; message: string | null; coating: string };

/** log10 of |i| (A/m2) in mA/cm2; null at i = 0. */
const logMa = (i: number) => (i === 0 ? null : Math.log10(Math.abs(i) * 0.1));

export function TafelPanel() {
  const scenario = usePage((s) => s.scenario);
  const presenter = usePresenter((s) => s.on);
  const size = chartSize(presenter);
  const id = useId();
  const [state, setState] = useState<{ status: "idle" | "running" | "error"; message?: string }>({ status: "idle" });
  const [result, setResult] = useState<Result | null>(null);
  const worker = useRef<Worker | null>(null);
  useEffect(() => () => worker.current?.terminate(), []);

  const run = () => {
    worker.current?.terminate();
    const w = new Worker(new URL("../sim/tafelWorker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    const coating = scenario.coating.preset;
    setState({ status: "running" });
    w.onmessage = (e: MessageEvent<TafelReply>) => {
      const r = e.data;
      if (r.type === "done") {
        setResult({ points: r.points, fit: r.fit, message: r.message, coating });
        setState({ status: "idle" });
      } else setState({ status: "error", message: r.message });
      w.terminate();
      worker.current = null;
    };
    w.onerror = (e) => setState({ status: "error", message: e.message || "the sweep's worker failed" });
    w.postMessage({ type: "run", scenario });
  };

  const data = useMemo(() => {
    if (!result) return [];
    const f = result.fit;
    return result.points.map((p) => ({
      E_mV: p.E_V * 1000,
      log_i: logMa(p.i_A_m2),
      // The HER's Tafel line through (E_corr, i_corr), within the sweep.
      log_her: f ? Math.log10(f.i_corr_A_m2 * 0.1) - ((p.E_V - f.E_corr_V) * 1000) / f.her_slope_mV_dec : null,
    }));
  }, [result]);
  const fit = result?.fit;
  const summary = fit
    ? `E_corr ${fmt(fit.E_corr_V * 1000)} mV vs Zn, i_corr ${fmt(fit.i_corr_A_m2 * 100)} µA/cm² (the HER's Tafel line at E_corr, ${fmt(fit.her_slope_mV_dec)} mV/decade)`
    : result?.message ?? "";

  return (
    <section className="sweep-panel tafel-panel" aria-labelledby={`${id}-heading`} data-testid="tafel-panel">
      <h2 id={`${id}-heading`}>Polarization curve (Tafel)</h2>
      <p className="hint">
        A planar electrode of this coating ({scenario.coating.preset}) and electrolyte, 60 s at rest, then swept from
        −150 to +150 mV vs Zn at 1 mV/s, as the coating papers measure corrosion: log|i| against E, and the fit's
        corrosion potential and current (<code>npm run sim -- --protocol tafel</code> gives the same).
      </p>
      <p>
        <button type="button" data-testid="tafel-run" onClick={run} disabled={state.status === "running"}>
          {state.status === "running" ? "Sweeping…" : "Sweep this coating"}
        </button>{" "}
        <span role="status" data-testid="tafel-status">
          {state.status === "error" ? `The sweep failed: ${state.message}` : result ? `${result.coating}: ${summary}` : ""}
        </span>
      </p>
      {result && (
        <ChartCard testKey="tafel" title={`Tafel plot, ${result.coating}`} points={data.length} size={size} latest={summary}>
          <LineChart data={data} margin={{ top: 6, right: 8, bottom: 14, left: 4 }} accessibilityLayer={false}>
            <CartesianGrid stroke="#d3dae3" strokeDasharray="3 3" />
            <XAxis dataKey="E_mV" type="number" domain={[-150, 150]} ticks={[-150, -100, -50, 0, 50, 100, 150]} tickFormatter={tickText}
              tick={{ fontSize: size.font }} height={18 + 1.1 * size.font}
              label={{ value: "E vs Zn (mV)", position: "insideBottom", offset: -8, fontSize: size.font }} />
            {yAxis("log₁₀ |i| (mA/cm²)", size, { ticks: niceTicks(data, ["log_i"]) })}
            {fit && <ReferenceLine x={fit.E_corr_V * 1000} stroke={COLOR.vermillion} strokeDasharray="4 3" label={{ value: "E_corr", fontSize: size.font, position: "top" }} />}
            <Line dataKey="log_i" name="Total current" type="linear" stroke={COLOR.blue} strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line dataKey="log_her" name="HER Tafel line" type="linear" stroke={COLOR.purple} strokeWidth={2} strokeDasharray="6 3" dot={false} isAnimationActive={false} />
            <Tooltip formatter={(v: unknown) => (typeof v === "number" ? fmt(v) : String(v ?? ""))} labelFormatter={(e) => `E = ${fmt(Number(e))} mV`} isAnimationActive={false} />
            <Legend verticalAlign="top" iconType="plainline" wrapperStyle={{ fontSize: size.font + 1 }} />
          </LineChart>
        </ChartCard>
      )}
    </section>
  );
}
