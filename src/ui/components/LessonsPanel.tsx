/**
 * The guided lessons, one per principle: pick one, walk its steps (what to set, what to watch, a question for the
 * audience), load any step's scenario into the field view, and on the last step read the answer from the
 * lesson's own comparison run (its scenarios on the CPU reference solver in a Web Worker, started when the lesson
 * opens). The definitions are in lessonData.ts, the state in state/lessonStore.ts and the worker in sim/lessonRuns.ts. No physics here.
 */
import { useRef } from "react";
import type { Scenario } from "../../model/scenario.ts";
import { LAYER_NAMES } from "./FieldView.tsx";
import { labelText } from "../text.ts";
import { useLessons, type LessonRun } from "../state/lessonStore.ts";
import { ensureLessonRun, moveLessonStep, openLesson } from "../sim/lessonRuns.ts";
import {
  answerLines, checkTrends, formatMetric, getLesson, LESSONS, lessonScenario, metricHeading, type Lesson,
} from "../lessonData.ts";
import type { FieldLayer } from "../sim/types.ts";

interface Props {
  /** Loads a scenario into the page's run (as choosing a preset does) and shows the given layer. */
  onShow: (s: Scenario, layer?: FieldLayer) => void;
}

export function LessonsPanel({ onShow }: Props) {
  const open = useLessons((s) => s.open);
  const lesson = open ? getLesson(open)! : null;
  return (
    <section className="lessons" aria-labelledby="lessons-heading" data-testid="lessons">
      <div className="lessons-head">
        <h2 id="lessons-heading">Lessons</h2>
        <div className="lesson-picker" role="group" aria-label="Open a lesson">
          {LESSONS.map((l) => (
            <button
              key={l.id} type="button" className={`lesson-pick principle-${l.id}`} aria-pressed={open === l.id}
              onClick={() => openLesson(l.id)} data-testid={`lesson-open-${l.id}`}
            >
              <span className="numeral" aria-hidden="true">{l.id}</span>
              <span className="visually-hidden">Lesson {l.id}: </span>{l.title}
            </button>
          ))}
        </div>
      </div>
      {lesson ? (
        <LessonPanel lesson={lesson} onShow={onShow} />
      ) : (
        <p className="hint lessons-hint">
          A guided experiment per design principle: set, watch, ask, and answer with the numbers a run gives.
        </p>
      )}
    </section>
  );
}

function LessonPanel({ lesson, onShow }: { lesson: Lesson; onShow: Props["onShow"] }) {
  const stepIndex = useLessons((s) => s.step);
  // A button that its own press disables hands the focus on (to the other one), so a keyboard user is not dropped to the page.
  const prev = useRef<HTMLButtonElement>(null);
  const next = useRef<HTMLButtonElement>(null);
  const run = useLessons((s) => s.runs[lesson.id]);
  const step = lesson.steps[stepIndex]!;
  const n = lesson.steps.length;
  const done = run?.values.filter(Boolean).length ?? 0;
  const total = lesson.scenarios.length;
  const scenarioRow = step.scenario ? lesson.scenarios.find((s) => s.id === step.scenario) : undefined;
  const statusText =
    !run || run.status === "idle" ? `Comparison run: ${done} of ${total} scenarios done (paused).`
    : run.status === "running" ? `Comparison run on the CPU: ${done} of ${total} scenarios done…`
    : run.status === "done" ? `Comparison run: all ${total} scenarios done.`
    : `The comparison run failed: ${run.message}`;

  return (
    <div className={`lesson-panel principle-${lesson.id}`} data-testid="lesson-panel" data-lesson={lesson.id}>
      <h3 className="lesson-title">Lesson {lesson.id}: {lesson.title}</h3>
      <p className="lesson-principle">{lesson.principle}</p>
      <p className="hint">All runs: {labelText(lesson.conditions)}.</p>
      <p className="visually-hidden" aria-live="polite">Step {stepIndex + 1} of {n}: {step.title}</p>
      <div className="lesson-step" data-testid="lesson-step" data-step={stepIndex}>
        <h4>
          <span className="lesson-step-count">Step {stepIndex + 1} of {n}:</span> {step.title}
        </h4>
        {step.set && <p><strong>Set:</strong> {labelText(step.set)}</p>}
        {step.watch && <p><strong>Watch:</strong> {labelText(step.watch)}</p>}
        {step.question && <p className="lesson-question" data-testid="lesson-question"><strong>Ask the audience:</strong> {labelText(step.question)}</p>}
        {scenarioRow && (
          <button
            type="button" data-testid="lesson-show"
            onClick={() => onShow(lessonScenario(lesson, scenarioRow.id), step.layer)}
          >
            Show in the field view: {scenarioRow.label}{step.layer ? ` (${LAYER_NAMES[step.layer]})` : ""}
          </button>
        )}
        {step.answer && <LessonResults lesson={lesson} run={run} />}
      </div>
      <div className="lesson-nav">
        <button type="button" ref={prev} data-testid="lesson-prev" disabled={stepIndex === 0}
          onClick={() => { moveLessonStep(-1); if (stepIndex === 1) next.current?.focus(); }}>
          ← Previous step
        </button>
        <button type="button" className="primary" ref={next} data-testid="lesson-next" disabled={stepIndex === n - 1}
          onClick={() => { moveLessonStep(1); if (stepIndex === n - 2) prev.current?.focus(); }}>
          Next step →
        </button>
        <button type="button" data-testid="lesson-close"
          onClick={() => { openLesson(null); document.querySelector<HTMLButtonElement>(`[data-testid="lesson-open-${lesson.id}"]`)?.focus(); }}>
          Close lesson
        </button>
        <p className="lesson-run-status" role="status" data-testid="lesson-run-status" data-state={run?.status ?? "idle"}>
          {statusText}
          {run?.status === "error" && <> <button type="button" onClick={() => ensureLessonRun(lesson.id)}>Try again</button></>}
        </p>
      </div>
    </div>
  );
}

function LessonResults({ lesson, run }: { lesson: Lesson; run: LessonRun | undefined }) {
  const values = run?.values ?? lesson.scenarios.map(() => null);
  const complete = values.every(Boolean);
  const trends = complete ? checkTrends(lesson, values) : null;
  return (
    <div className="lesson-results">
      <div className="lesson-table-wrap" role="region" aria-label={`Lesson ${lesson.id} results`} tabIndex={0}>
        <table className="lesson-table" data-testid="lesson-table" data-lesson={lesson.id} data-complete={complete}>
          <caption>The run's numbers (CPU reference solver): each run's last sample, or its mean where marked</caption>
          <thead>
            <tr>
              <th scope="col">Scenario</th>
              {lesson.metrics.map((m) => <th key={m.field} scope="col">{metricHeading(m)}</th>)}
            </tr>
          </thead>
          <tbody>
            {lesson.scenarios.map((s, i) => (
              <tr key={s.id} data-scenario={s.id}>
                <th scope="row">{s.label}</th>
                {lesson.metrics.map((m, k) => {
                  const v = values[i]?.[k];
                  return (
                    <td key={m.field} data-metric={m.field} data-value={v ?? ""}>
                      {v === undefined ? <span className="lesson-pending">{run?.status === "running" ? "running…" : "–"}</span> : formatMetric(m, v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {complete && trends ? (
        <>
          <ul className="lesson-answer" data-testid="lesson-answer">
            {answerLines(lesson, values).map((line) => <li key={line}>{labelText(line)}</li>)}
          </ul>
          <ul className="lesson-trends" aria-label="The principle's expected directions, checked against this run" data-testid="lesson-trends">
            {trends.map((t) => (
              <li key={t.trend.text} className={t.holds ? "holds" : "fails"} data-holds={t.holds}>
                <span className="mark" aria-hidden="true">{t.holds ? "✓" : "✗"}</span> {t.trend.text}
                <span className="visually-hidden">{t.holds ? ": the run shows it" : ": the run does not show it"}</span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="hint">The answer appears when all {lesson.scenarios.length} runs are done.</p>
      )}
    </div>
  );
}
