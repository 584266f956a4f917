/**
 * The controls, grouped by the review's three principles (I ion transport, II side reactions, III mechanics),
 * then operation and grid. Each shows its unit and range, takes a typed value or a slider move (keyboard too),
 * and rejects out-of-range input with a message beside it, changing nothing. No physics here: the model's
 * parameter schema and scenario validation decide what is allowed.
 */
import { useEffect, useId, useState } from "react";
import { COATING_PARAMS, ELECTROLYTE_PARAMS, OPERATION_PARAMS, type ParamSpec } from "../../model/params.ts";
import { coatingValues, parseScenario, ScenarioError, withDuration, type Scenario } from "../../model/scenario.ts";
import { boxText, fmt, labelText, unitText } from "../text.ts";

const SLIDER_STEPS = 1000;

/** A decimal number as typed: digits, an optional point and fraction, an optional exponent. */
export const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function toSlider(p: ParamSpec, v: number): number {
  if (p.log && p.min > 0) return Math.round((SLIDER_STEPS * Math.log(v / p.min)) / Math.log(p.max / p.min));
  return Math.round((SLIDER_STEPS * (v - p.min)) / (p.max - p.min));
}

function fromSlider(p: ParamSpec, pos: number): number {
  const t = pos / SLIDER_STEPS;
  const v = p.log && p.min > 0 ? p.min * Math.pow(p.max / p.min, t) : p.min + t * (p.max - p.min);
  if (p.integer) return Math.round(v);
  return Number(v.toPrecision(3));
}

interface FieldProps {
  spec: ParamSpec;
  value: number;
  /** Applies a value; returns an error message when the model rejects it. */
  onCommit: (v: number) => string | null;
  note?: string;
}

/** One numeric control: a slider and a typed box, with the unit, the range and a message for bad input. */
export function ParamField({ spec, value, onCommit, note }: FieldProps) {
  const id = useId();
  const [text, setText] = useState(boxText(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setText(boxText(value)); setError(null); }, [value]);
  const unit = unitText(spec.unit);
  // A switch (unit 0/1) reads "0 (no) or 1 (yes)", not "0 to 1 0/1".
  const range = spec.unit === "0/1" ? "0 (no) or 1 (yes)" : `${fmt(spec.min)} to ${fmt(spec.max)}${unit ? ` ${unit}` : ""}`;

  const commitText = () => {
    const t = text.trim();
    // Decimal numbers only: Number() would also take "0x1", "0b1" and "Infinity"; 1e309 is a number out of range.
    const v = DECIMAL.test(t) ? Number(t) : NaN;
    if (Number.isNaN(v)) { setError(`"${t}" is not a number; allowed ${range}.`); return; }
    if (v < spec.min || v > spec.max) { setError(`${fmt(v)} is out of range: allowed ${range}. Nothing changed.`); return; }
    if (spec.integer && !Number.isInteger(v)) { setError(`${v} must be a whole number.`); return; }
    const msg = onCommit(v);
    setError(msg);
  };

  return (
    <div className={`param${error ? " param-invalid" : ""}`} data-param={spec.key}>
      <label htmlFor={`${id}-n`} className="param-label" title={labelText(spec.meaning)}>
        {labelText(spec.label)}{unit && <span className="param-unit"> ({unit})</span>}
      </label>
      <div className="param-inputs">
        <input
          type="range"
          min={0}
          max={SLIDER_STEPS}
          step={1}
          value={toSlider(spec, Math.min(spec.max, Math.max(spec.min, value)))}
          aria-label={`${labelText(spec.label)} slider`}
          aria-valuetext={`${fmt(value)}${unit ? ` ${unit}` : ""}`}
          aria-describedby={`${id}-r`}
          onChange={(e) => setError(onCommit(fromSlider(spec, Number(e.target.value))))}
        />
        <input
          id={`${id}-n`}
          className="param-number"
          type="text"
          inputMode="decimal"
          value={text}
          aria-invalid={error ? true : undefined}
          aria-describedby={`${id}-r${error ? ` ${id}-e` : ""}`}
          onChange={(e) => setText(e.target.value)}
          onBlur={commitText}
          onKeyDown={(e) => { if (e.key === "Enter") commitText(); }}
        />
      </div>
      <span id={`${id}-r`} className="param-range">{range}{note ? ` · ${note}` : ""}</span>
      {error && <span id={`${id}-e`} className="param-error" role="alert">{labelText(error)}</span>}
    </div>
  );
}

const GROUPS = [
  { id: "I", title: "I. Fast, uniform ion flux", keys: ["sigma_mS_cm", "t_plus", "thickness_nm", "channel_anisotropy", "eta_nuc_mV", "anisotropy_6fold", "electronic", "ferro_gain"] },
  { id: "II", title: "II. Suppress corrosion and hydrogen evolution", keys: ["dG_H_eV", "water_activity", "dEcorr_mV"] },
  { id: "III", title: "III. Mechanical stability", keys: ["E_GPa", "Gc_J_m2", "tau_s", "k_heal_1_s"] },
] as const;

interface Props {
  scenario: Scenario;
  onChange: (s: Scenario) => void;
}

/** Builds the next scenario through the model's validation; returns the message when it is refused. */
function tryScenario(make: () => Scenario, onChange: (s: Scenario) => void): string | null {
  try {
    onChange(make());
    return null;
  } catch (e) {
    return e instanceof ScenarioError ? `${e.message}. Nothing changed.` : String(e);
  }
}

/** The pH field and the by-product (docs/MODEL.md "pH", "By-product"): off, the pH alone, or with Zn4(OH)6SO4. */
function PhChoice({ scenario, onChange }: Props) {
  const value = !scenario.ph_field ? "off" : scenario.byproduct ? "byproduct" : "ph";
  const [error, setError] = useState<string | null>(null);
  // Through the model's validation, as every control: a refusal shows its message and changes nothing.
  const pick = (v: string) => setError(tryScenario(() => {
    const { ph_field: _f, byproduct: _b, ...rest } = scenario;
    const { pH: _p, ...electrolyte } = rest.electrolyte;
    return parseScenario({ ...rest, electrolyte: v === "off" ? electrolyte : rest.electrolyte, ...(v === "off" ? {} : { ph_field: true }), ...(v === "byproduct" ? { byproduct: true } : {}) });
  }, onChange));
  return (
    <label className="param-field">
      <span className="param-label">Local pH and by-product</span>
      <select data-testid="ph-choice" value={value} onChange={(e) => pick(e.target.value)}>
        <option value="off">Off</option>
        <option value="ph">Track the pH (HER's OH⁻)</option>
        <option value="byproduct">pH and Zn₄(OH)₆SO₄ film</option>
      </select>
      {error && <span className="param-error" role="alert">{labelText(error)}</span>}
    </label>
  );
}

export function Controls({ scenario, onChange }: Props) {
  const values = coatingValues(scenario);
  const setCoating = (key: string, v: number) => tryScenario(() => parseScenario({ ...scenario, coating: { ...scenario.coating, [key]: v } }), onChange);
  const setElectrolyte = (key: string, v: number) => tryScenario(() => parseScenario({ ...scenario, electrolyte: { ...scenario.electrolyte, [key]: v } }), onChange);
  const setTop = (key: string, v: number) => tryScenario(() => parseScenario({ ...scenario, [key]: v }), onChange);
  // The duration keeps the time between samples where it can, so a run goes on to a longer one (withDuration).
  const setDuration = (v: number) => tryScenario(() => withDuration(scenario, v), onChange);
  const interval = scenario.duration_s / scenario.samples;
  const spec = (k: string) => COATING_PARAMS.find((p) => p.key === k)!;
  const op = (k: string) => OPERATION_PARAMS.find((p) => p.key === k)!;
  const el = (k: string) => ELECTROLYTE_PARAMS.find((p) => p.key === k)!;

  return (
    <div className="controls">
      {GROUPS.map((g) => (
        <fieldset key={g.id} className={`control-group principle-${g.id}`}>
          <legend>{g.title}</legend>
          {g.keys.map((k) => (
            <ParamField key={k} spec={spec(k)} value={values[k as keyof typeof values]} onCommit={(v) => setCoating(k, v)} />
          ))}
          {g.id === "II" && <PhChoice scenario={scenario} onChange={onChange} />}
        </fieldset>
      ))}
      <fieldset className="control-group">
        <legend>Operation and electrolyte</legend>
        {!scenario.protocol && <ParamField spec={op("current_mA_cm2")} value={scenario.current_mA_cm2} onCommit={(v) => setTop("current_mA_cm2", v)} />}
        <ParamField spec={el("c0_M")} value={scenario.electrolyte.c0_M} onCommit={(v) => setElectrolyte("c0_M", v)} />
        {scenario.protocol
          ? <p className="param-range" data-testid="protocol-sets-current">The current density and the duration are the protocol's (below): up to {fmt(scenario.current_mA_cm2)} mA/cm², at most {fmt(scenario.duration_s)} s.</p>
          : <ParamField spec={op("duration_s")} value={scenario.duration_s} onCommit={setDuration}
            note={`a sample every ${fmt(interval)} s; a multiple of it extends or shortens the run without a restart`} />}
      </fieldset>
    </div>
  );
}
