import { useEffect, useRef, useState } from "react";
import type { PresetId } from "../model/presetTypes.ts";
import { parseScenario } from "../model/scenario.ts";
import { startLive, type LiveStatus } from "./liveRun.ts";

/** Preview grid: small enough to step live on any WebGPU adapter (software ones included). */
const PREVIEW = { nx: 64, ny: 64, dx_um: 1 };

/** The live field of the chosen coating: deposit and Zn2+ concentration, drawn by the engine on the GPU. */
export function FieldView({ presetId }: { presetId: PresetId }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [status, setStatus] = useState<LiveStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    setStatus(null);
    setError(null);
    if (!canvas.current) return;
    const s = parseScenario({ grid: PREVIEW, coating: { preset: presetId } });
    return startLive(canvas.current, s, setStatus, setError);
  }, [presetId]);

  const row = status?.row;
  const widthUm = PREVIEW.nx * PREVIEW.dx_um;
  return (
    <section className="field-view" aria-labelledby="field-heading">
      <h2 id="field-heading">Live growth</h2>
      {error ? (
        <p className="notice" role="status" data-testid="field-error">
          The live view needs WebGPU, which is not available here ({error}). The coating data below still applies.
        </p>
      ) : (
        <div className="field-wrap">
          <canvas
            ref={canvas}
            width={256}
            height={256}
            data-testid="field-canvas"
            aria-label="Live field: Zn deposit in silver, electrolyte coloured by its Zn2+ concentration, coating band in amber"
          />
          <div className="field-side">
            <dl className="field-readout" aria-live="off">
              <dt>Simulated time</dt><dd data-testid="field-time">{row ? `${row.t_s.toFixed(0)} s` : "starting"}</dd>
              <dt>Max height</dt><dd>{row ? `${row.max_height_um.toFixed(2)} µm` : "-"}</dd>
              <dt>Roughness</dt><dd>{row ? `${row.roughness_um.toFixed(2)} µm` : "-"}</dd>
              <dt>Coulombic efficiency</dt><dd>{row ? `${(100 * row.ce).toFixed(2)} %` : "-"}</dd>
            </dl>
            <ul className="legend" aria-label="Legend">
              <li><span className="swatch metal" aria-hidden="true" />Zn metal</li>
              <li><span className="swatch bulk" aria-hidden="true" />Zn2+ at bulk 2 M</li>
              <li><span className="swatch depleted" aria-hidden="true" />Zn2+ depleted (0 M)</li>
              <li><span className="swatch band" aria-hidden="true" />Coating band</li>
            </ul>
            <p className="scale">Field {widthUm} µm × {PREVIEW.ny * PREVIEW.dx_um} µm (preview grid {PREVIEW.nx} × {PREVIEW.ny} cells), 10 mA/cm2{status ? `, on ${status.adapter}` : ""}.</p>
          </div>
        </div>
      )}
    </section>
  );
}
