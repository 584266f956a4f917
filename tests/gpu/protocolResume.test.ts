/**
 * `npm run sim -- --backend gpu --protocol ... --checkpoint STATE.json [--resume]` (src/cli/singleRun.ts,
 * src/engine/protocol-gpu.ts): a GPU protocol run killed mid-cycle (its device destroyed after a sample, through the
 * test-only preload tests/gpu/rehearse-gpu-loss.ts) keeps its state, and the same command with --resume gives the
 * whole run's series and cycle table. Tiny grid: SwiftShader compiles the pipelines once per process (~15 s).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ProtocolRow } from "../../src/model/metrics.ts";
import { protocolStateFromJson } from "../../src/reference/protocolStateJson.ts";

const dir = mkdtempSync(join(tmpdir(), "zil-gpu-protocol-"));
const SIM = ["--import", "tsx", "--import", fileURLToPath(new URL("./rehearse-gpu-loss.ts", import.meta.url)), "src/cli/sim.ts"];

describe("runner --backend gpu --protocol with --checkpoint and --resume", () => {
  it("a run killed mid-cycle and resumed gives the whole run's series and cycle table", () => {
    // 2 symmetric cycles of 0.03 mAh/cm2 at 10 mA/cm2 (51 steps of 0.216 s a half-cycle), a sample every 8 steps.
    const file = join(dir, "s.json");
    writeFileSync(file, JSON.stringify({ coating: { preset: "zns" }, grid: { nx: 32, ny: 32, dx_um: 0.5 }, samples: 24 }));
    const state = join(dir, "state.json");
    const run = (tag: string, extra: string[], loss?: string) => {
      const out = join(dir, `${tag}.json`), cycles = join(dir, `${tag}-cycles.csv`);
      const args = [...SIM, "--scenario", file, "--protocol", "symmetric", "--current-mA-cm2", "10", "--capacity-mAh-cm2", "0.03", "--cycles", "2"];
      const r = spawnSync(process.execPath, [...args, "--backend", "gpu", "--out", out, "--cycles-csv", cycles, ...extra], {
        encoding: "utf8", env: { ...process.env, ...(loss ? { ZIL_REHEARSE_GPU_LOSS: loss } : {}) },
      });
      return { r, out, cycles };
    };
    const whole = run("whole", []);
    expect(whole.r.status, whole.r.stderr.slice(-600)).toBe(0);
    // Killed after sample 9, in cycle 1's strip: the state saved after every sample holds 8 or 9 of them.
    const killed = run("killed", ["--checkpoint", state, "--checkpoint-every", "0"], "9");
    expect(killed.r.status, killed.r.stderr.slice(-600)).not.toBe(0);
    expect(killed.r.stderr).toMatch(/the same command with --resume continues from them/);
    const saved = protocolStateFromJson(readFileSync(state, "utf8")).state;
    expect(saved.series.length).toBeGreaterThanOrEqual(8);
    expect([saved.series.at(-1)!.cycle, saved.series.at(-1)!.step]).toEqual([1, 2]);
    expect(saved.log.rows).toHaveLength(0);
    const resumed = run("resumed", ["--checkpoint", state, "--resume"]);
    expect(resumed.r.status, resumed.r.stderr.slice(-600)).toBe(0);
    expect(resumed.r.stderr).toContain(`: t = ${saved.series.at(-1)!.t_s.toFixed(1)} s, cycle 1, 0 cycle(s) done`);
    const a = JSON.parse(readFileSync(whole.out, "utf8")) as { series: ProtocolRow[]; steps: number };
    const b = JSON.parse(readFileSync(resumed.out, "utf8")) as { series: ProtocolRow[]; steps: number; resumed_at_sample: number };
    expect(b.resumed_at_sample).toBe(saved.series.length);
    expect(b.series.slice(0, saved.series.length)).toEqual(saved.series);
    expect(b.series).toEqual(a.series);
    expect(b.steps).toBe(a.steps);
    expect(readFileSync(resumed.cycles, "utf8")).toBe(readFileSync(whole.cycles, "utf8"));
    expect(readFileSync(whole.cycles, "utf8").trim().split("\n")).toHaveLength(3);
    // The state saved at the end is the whole run's.
    expect(protocolStateFromJson(readFileSync(state, "utf8")).state.series).toEqual(a.series);
  }, 600_000);
});
