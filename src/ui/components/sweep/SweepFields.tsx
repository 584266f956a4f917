/** The sweep form's fields: a parameter's select (grouped as the controls are) and an axis's range, points and spacing. */
import { useId } from "react";
import { SWEEP_PARAM_SPECS, SWEEP_PARAMS } from "../../../model/sweep.ts";
import { unitText } from "../../text.ts";
import { APP_MAX_STEPS, APP_MIN_STEPS, GROUPS, paramText, type AxisForm } from "./sweepForm.ts";

export function AxisFields(props: {
  k: number; axis: AxisForm; invalid: string | null; errorId: string; onChange: (a: AxisForm) => void;
}) {
  const { k, axis, invalid, errorId, onChange } = props;
  const id = useId();
  const spec = SWEEP_PARAM_SPECS.get(axis.param)!;
  const unit = unitText(spec.unit) ? ` ${unitText(spec.unit)}` : "";
  const field = (key: "from" | "to" | "steps", label: string, extra: string) => {
    const bad = invalid === `${k}.${key}`;
    return (
      <div className="sweep-field">
        <label htmlFor={`${id}-${key}`}>{label}{extra && <span className="param-unit"> {extra}</span>}</label>
        <input
          id={`${id}-${key}`} type="text" inputMode="decimal" value={axis[key]} data-testid={`sweep-${key}-${k}`}
          aria-invalid={bad || undefined} aria-describedby={bad ? errorId : undefined}
          onChange={(e) => onChange({ ...axis, [key]: e.target.value })}
        />
      </div>
    );
  };
  return (
    <div className="sweep-axis-fields" data-testid={`sweep-axis-${k}`}>
      {field("from", "From", unit ? `(${unit.trim()})` : "")}
      {field("to", "To", unit ? `(${unit.trim()})` : "")}
      {field("steps", "Points", `(${APP_MIN_STEPS} to ${APP_MAX_STEPS})`)}
      <div className="sweep-field">
        <label htmlFor={`${id}-scale`}>Spacing</label>
        <select
          id={`${id}-scale`} value={axis.scale} data-testid={`sweep-scale-${k}`}
          aria-invalid={invalid === `${k}.scale` || undefined} aria-describedby={invalid === `${k}.scale` ? errorId : undefined}
          onChange={(e) => onChange({ ...axis, scale: e.target.value as AxisForm["scale"] })}
        >
          <option value="linear">linear</option>
          <option value="log">log</option>
        </select>
      </div>
      <p className="sweep-range">Allowed {String(spec.min)} to {String(spec.max)}{unit}</p>
    </div>
  );
}

export function ParamSelect(props: { id: string; value: string; exclude?: string; none?: boolean; testId: string; onChange: (p: string) => void }) {
  return (
    <select id={props.id} value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
      {props.none && <option value="">none (one axis)</option>}
      {GROUPS.map((g) => (
        <optgroup key={g.label} label={g.label}>
          {SWEEP_PARAMS.filter((p) => g.test(p) && p !== props.exclude).map((p) => (
            <option key={p} value={p}>{paramText(p)}: {p}</option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}
