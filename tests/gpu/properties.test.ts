/**
 * The property suite of tests/properties.test.ts (which says what it checks and why) on the gpu backend: the same
 * arbitrary, fc.sample'd, in ONE child process (tests/gpu/batch.ts, on the GPU driver or SwiftShader), then the
 * same checks on each series and checkpoint.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SeriesRow } from "../../src/model/metrics.ts";
import { coefficients } from "../../src/model/coefficients.ts";
import type { Scenario } from "../../src/model/scenario.ts";
import { checkpointFromJson } from "../../src/reference/checkpointJson.ts";
import { checkSeries, checkState, FC_SEED, FIELDS, GPU_MAX_STEPS, GPU_RUNS, label, MASS_TOL, note, prepare, rawScenario, report, tally } from "../propertyChecks.ts";

describe("property: the gpu backend over the whole valid parameter space", () => {
  it(`${GPU_RUNS} random scenarios in one batch: finite, metrics in range, Zn balance within ${MASS_TOL}`, () => {
    const t = tally();
    const scenarios: Scenario[] = [];
    for (const raw of fc.sample(rawScenario, { seed: FC_SEED + 1, numRuns: 4 * GPU_RUNS })) {
      const s = prepare(raw, GPU_MAX_STEPS);
      if (!s) t.skipped++;
      else if (scenarios.length < GPU_RUNS) scenarios.push(s);
    }
    expect(scenarios.length, "valid gpu scenarios").toBe(GPU_RUNS);

    const dir = mkdtempSync(join(tmpdir(), "zil-props-"));
    const jobs = scenarios.map((scenario, k) => ({ scenario, out: join(dir, `r${k}.json`), checkpoint: join(dir, `c${k}.json`) }));
    const jobFile = join(dir, "jobs.json");
    writeFileSync(jobFile, JSON.stringify(jobs));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ["--import", "tsx", resolve("tests/gpu/batch.ts"), jobFile], { encoding: "utf8", cwd: resolve(".") });
    console.log(`gpu property batch: ${jobs.length} runs in ${((performance.now() - t0) / 1000).toFixed(1)} s\n${r.stderr.trim()}`);
    // A run that dies in the batch (e.g. the engine throws) is named by the last job the child finished.
    expect(r.status, `gpu batch failed (${r.status}): ${r.stderr.slice(-1500)}`).toBe(0);

    jobs.forEach((job, k) => {
      const s = scenarios[k]!;
      const what = `gpu run ${k} ${label(s)}`;
      const out = JSON.parse(readFileSync(job.out, "utf8")) as { series: SeriesRow[]; steps: number; adapter: string };
      expect(out.adapter, what).toBeTruthy();
      expect(out.steps, `${what}: steps`).toBe(coefficients(s).steps);
      // JSON writes NaN and Infinity as null: name the field before checkpointFromJson refuses the file.
      const rawCp = JSON.parse(readFileSync(job.checkpoint, "utf8")) as Record<string, unknown>;
      for (const f of FIELDS) {
        const a = rawCp[f] as unknown[];
        const bad = a.findIndex((v) => typeof v !== "number" || !Number.isFinite(v));
        expect(bad, `${what}: checkpoint ${f}[${bad}] = ${a[bad]} not finite`).toBe(-1);
      }
      checkSeries(what, s, out.series);
      note(t, what, checkState(what, s, checkpointFromJson(readFileSync(job.checkpoint, "utf8"))));
      t.ran++;
    });
    report("gpu", t, performance.now() - t0);
  }, 600_000);
});
