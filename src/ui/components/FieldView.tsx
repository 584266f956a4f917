/**
 * The field view: the backend colours the field (on the GPU, or in the CPU worker) and the run controller
 * draws each frame straight onto this canvas. Here: the layer choice, the legend in physical units, the scale
 * bar in µm, the simulated time, zoom and pan (wheel, drag, buttons, keys) and the value under the cursor.
 */
import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent, type WheelEvent } from "react";
import { pageActions, usePage } from "../state/pageStore.ts";
import { framingActions, useFraming } from "../state/framingStore.ts";
import type { RunController } from "../sim/runController.ts";
import { FIELD_LAYERS, type CellValues, type ColourScale, type FieldLayer } from "../sim/types.ts";
import { cssRgb, layerKey, legendScale, legendStops, legendTick, potentialText, scaleBarUm } from "../legend.ts";
import { fixedText, fmt, labelText, unitSuffix } from "../text.ts";
import { FRONT_MARGIN_UM } from "../sim/framing.ts";

export const LAYER_NAMES: Record<FieldLayer, string> = {
  deposit: "Deposit",
  concentration: "Zn²⁺ concentration",
  potential: "Potential",
  integrity: "Coating integrity",
  her: "HER current",
  ph: "pH",
  byproduct: "By-product film",
};

/**
 * The read-out of one cell, each value in the unit its layer's legend uses: the metal fraction, Zn²⁺ (M), φ (mV within 0.1 V, else V), the
 * cell's HER current per electrode area (mA/cm²) and, where the run has a coating, its column's integrity (1 intact); with
 * the pH field the cell's pH, and with the by-product its film (µm).
 */
export function hoverText(i: number, j: number, dxUm: number, v: CellValues): string {
  const parts = [
    // The metal fraction with two decimals: the diffuse interface's tail (1e-20) is not news.
    `metal ${fixedText(v.metal, 2)}`, `Zn²⁺ ${fmt(v.c_M)} M`, `φ ${potentialText(v.phi_V)}`, `HER ${fmt(v.her_mA_cm2)} mA/cm²`,
    ...(v.integrity === null ? [] : [`coating integrity ${fixedText(v.integrity, 2)}`]),
    ...(v.pH === null ? [] : [`pH ${fixedText(v.pH, 2)}`]),
    ...(v.film_um === null ? [] : [`film ${fmt(v.film_um)} µm`]),
  ];
  return `x = ${fmt((i + 0.5) * dxUm)} µm, y = ${fmt((j + 0.5) * dxUm)} µm: ${parts.join(", ")}`;
}

export function FieldView({ controller, onLayer }: { controller: RunController; onLayer: (l: FieldLayer) => void }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const lines = useRef<HTMLCanvasElement>(null);
  const layer = usePage((s) => s.layer);
  const scale = usePage((s) => s.scale);
  const t = usePage((s) => s.t_s);
  const running = usePage((s) => s.running);
  const backend = usePage((s) => s.backend);
  const hover = usePage((s) => s.hover);
  const preparing = usePage((s) => s.status === "starting");
  const [zoom, setZoom] = useState(1);
  const [pan, setPan] = useState({ x: 0, y: 0 });
  const drag = useRef<{ x: number; y: number; px: number; py: number } | null>(null);
  const viewport = useRef<HTMLDivElement>(null);
  /**
   * A pan kept inside the cell: the field, scaled by `z` about its centre, always covers the viewport, so panning
   * stops at the cell's edges (at most (z - 1) / 2 of the viewport's size either way).
   */
  const clampPan = (p: { x: number; y: number }, z: number) => {
    const w = viewport.current?.clientWidth ?? 0, h = viewport.current?.clientHeight ?? 0;
    const mx = ((z - 1) * w) / 2, my = ((z - 1) * h) / 2;
    return { x: Math.min(mx, Math.max(-mx, p.x)), y: Math.min(my, Math.max(-my, p.y)) };
  };
  const lastProbe = useRef(0);

  useEffect(() => {
    controller.setField(canvas.current, lines.current);
    return () => controller.setField(null, null);
  }, [controller]);

  const grid = controller.grid ?? { nx: running?.grid.nx ?? 64, ny: running?.grid.ny ?? 64 };
  // The backend's grid (the CPU fallback's may be smaller than the one asked) keeps the asked cell size.
  const dxUm = running ? running.grid.dx_um : 1;
  const widthUm = grid.nx * dxUm, heightUm = grid.ny * dxUm;
  // The window shown (the front, sim/framing.ts), or the whole cell: the scale bar, the hover and the labels use it.
  const whole = useFraming((s) => s.whole);
  const win = useFraming((s) => s.windows.page) ?? { x0: 0, r0: 0, w: grid.nx, h: grid.ny };
  const shownW = win.w * dxUm, shownH = win.h * dxUm;
  const framed = win.w < grid.nx || win.h < grid.ny;

  const zoomBy = (f: number) => {
    const z = Math.min(8, Math.max(1, zoom * f));
    setZoom(z);
    setPan((p) => clampPan(p, z));
  };
  const onWheel = (e: WheelEvent) => { zoomBy(e.deltaY < 0 ? 1.25 : 0.8); };
  const onPointerDown = (e: PointerEvent) => { drag.current = { x: e.clientX, y: e.clientY, px: pan.x, py: pan.y }; };
  const onPointerUp = () => { drag.current = null; };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    if (drag.current && zoom > 1) {
      setPan(clampPan({ x: drag.current.px + (e.clientX - drag.current.x), y: drag.current.py + (e.clientY - drag.current.y) }, zoom));
      return;
    }
    const now = performance.now();
    if (now - lastProbe.current < 100) return;
    lastProbe.current = now;
    const r = e.currentTarget.getBoundingClientRect();
    const i = Math.floor(win.x0 + ((e.clientX - r.left) / r.width) * win.w);
    const j = grid.ny - 1 - Math.floor(win.r0 + ((e.clientY - r.top) / r.height) * win.h);
    if (i >= 0 && i < grid.nx && j >= 0 && j < grid.ny) void controller.probe(i, j);
  };
  const onKey = (e: KeyboardEvent) => {
    const step = 20;
    const moves: Record<string, [number, number]> = { ArrowLeft: [step, 0], ArrowRight: [-step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (e.key === "+" || e.key === "=") zoomBy(1.25);
    else if (e.key === "-") zoomBy(0.8);
    else if (e.key === "0") { setZoom(1); setPan({ x: 0, y: 0 }); }
    else if (moves[e.key] && zoom > 1) setPan((p) => clampPan({ x: p.x + moves[e.key]![0], y: p.y + moves[e.key]![1] }, zoom));
    else return;
    e.preventDefault();
  };

  return (
    <section className="field-view" aria-labelledby="field-heading">
      <div className="field-head">
        <h2 id="field-heading">Field</h2>
        <div role="radiogroup" aria-label="Field layer" className="layer-picker">
          {FIELD_LAYERS.map((l) => (
            <label key={l} className={l === layer ? "active" : ""}>
              <input type="radio" name="field-layer" value={l} checked={l === layer} onChange={() => onLayer(l)} />
              {LAYER_NAMES[l]}
            </label>
          ))}
        </div>
      </div>
      <div className="field-stage">
        <div
          ref={viewport}
          className="field-viewport"
          tabIndex={0}
          role="group"
          aria-label="Field view: + and - zoom, arrow keys pan when zoomed, 0 resets"
          onKeyDown={onKey}
        >
          <canvas
            ref={canvas}
            data-testid="field-canvas"
            role="img"
            aria-label={`${LAYER_NAMES[layer]} field, ${fmt(shownW, 3)} µm wide and ${fmt(shownH, 3)} µm high shown, electrode at the bottom`}
            data-shown-um={`${shownW} ${shownH}`}
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
            onWheel={onWheel}
            onPointerDown={onPointerDown}
            onPointerUp={onPointerUp}
            onPointerLeave={onPointerUp}
            onPointerMove={onPointerMove}
          />
          <canvas
            ref={lines}
            className="field-lines"
            data-testid="field-lines"
            aria-hidden="true"
            style={{ transform: `translate(${pan.x}px, ${pan.y}px) scale(${zoom})` }}
          />
          <FieldOverlay t_s={t} widthUm={shownW} zoom={zoom} digits={4} />
          {scale?.off && !preparing && (
            <p className="field-preparing" role="note" data-testid="field-off">{scale.off}.</p>
          )}
          {preparing && (
            <p className="field-preparing" role="status" data-testid="field-preparing">
              Preparing the run: building the solver for this device (a few seconds on a software adapter)…
            </p>
          )}
        </div>
        <div className="field-side">
          <div className="zoom-buttons" role="group" aria-label="Zoom">
            <button type="button" onClick={() => zoomBy(1.25)} aria-label="Zoom in">+</button>
            <button type="button" onClick={() => zoomBy(0.8)} aria-label="Zoom out">−</button>
            <button type="button" onClick={() => { setZoom(1); setPan({ x: 0, y: 0 }); }}>Fit</button>
            <span className="zoom-level">{Math.round(zoom * 100)} %</span>
            <label className="whole-cell">
              <input type="checkbox" data-testid="whole-cell" checked={whole} onChange={(e) => { framingActions.setWhole(e.target.checked); pageActions.clearAddressNotice(); }} />
              Whole cell
            </label>
          </div>
          {scale && <LayerLegend layer={layer} scale={scale} deadZinc={!!running?.protocol} film={!!running?.byproduct} />}
          <p className="hover-readout" data-testid="hover-readout" aria-live="off">
            {hover
              ? hoverText(hover.i, hover.j, dxUm, hover.values)
              : "Hover over the field to read the values under the cursor."}
          </p>
          <p className="field-size" data-testid="field-size">
            {fmt(widthUm)} µm × {fmt(heightUm)} µm, {grid.nx} × {grid.ny} cells{backend ? `, on ${backend.label}` : ""}.
          </p>
          <p className="field-frame" data-testid="field-frame">
            {framed
              ? `Following the front: the bottom ${fmt(shownH, 3)} µm (the deposit and ${fmt(FRONT_MARGIN_UM)} µm of electrolyte above it), ${fmt(shownW, 3)} µm wide.`
              : whole ? "Showing the whole cell." : "Showing the whole cell: the front is near its top."}
          </p>
        </div>
      </div>
    </section>
  );
}

/** The colour legend of a layer in its unit, with what the colours and lines mean. */
export function LayerLegend({ layer, scale: asRun, testId = "legend", deadZinc = false, film = false }: { layer: FieldLayer; scale: ColourScale; testId?: string; deadZinc?: boolean; film?: boolean }) {
  const scale = legendScale(asRun);
  return (
    <figure className="legend" data-testid={testId}>
      <figcaption>{labelText(scale.label)}{unitSuffix(scale.unit)}</figcaption>
      {scale.off ? <p className="legend-note" data-testid={`${testId}-off`}>{scale.off}.</p> : (
        <>
          <div className="legend-bar" style={{ background: `linear-gradient(to right, ${legendStops(layer).join(", ")})` }} />
          <div className="legend-ticks">
            <span>{legendTick(scale.lo, scale)}</span>
            <span>{legendTick(scale.hi, scale)}</span>
          </div>
        </>
      )}
      <ul className="legend-key">
        {layerKey(layer, { deadZinc, film }).map((e) => (
          <li key={e.testId} data-testid={e.testId}>
            <span className="swatch" style={{ background: cssRgb(e.rgb) }} aria-hidden="true" /> {e.what}: {e.word}
          </li>
        ))}
      </ul>
      {layer === "her" && <p className="legend-note">Dark: no HER (below the scale).</p>}
      {layer === "potential" && <p className="legend-note">White lines: ionic current, reservoir to metal.</p>}
      {layer === "ph" && !scale.off && <p className="legend-note">Below pH 7 acidic, above it alkaline; HER's OH⁻ raises the pH at the metal.</p>}
      {layer === "byproduct" && !scale.off && <p className="legend-note">Near-black: no film (under {legendTick(scale.lo, scale)}). A cell filled holds the cell size of film.</p>}
    </figure>
  );
}

/**
 * The simulated time and a scale bar in µm over a field canvas that fills its stage's width (`widthUm` across it
 * at zoom 1). At zoom z the stage shows widthUm / z: the bar's length is a round part of that, and its width in
 * the stage's own units (cqw: the stage is a size container) is that length's share of the zoomed field.
 */
export function FieldOverlay({ t_s, widthUm, zoom = 1, digits = 3 }: { t_s: number; widthUm: number; zoom?: number; digits?: number }) {
  const bar = widthUm > 0 ? scaleBarUm(widthUm / zoom) : 0;
  return (
    <div className="field-overlay" aria-hidden="true">
      <span className="overlay-time">t = {fmt(t_s, digits)} s</span>
      {bar > 0 && (
        <span className="overlay-bar">
          <span className="bar" data-testid="scale-bar" data-um={bar} style={{ width: `${(100 * bar * zoom) / widthUm}cqw` }} />
          <span className="bar-label">{fmt(bar)} µm</span>
        </span>
      )}
    </div>
  );
}
