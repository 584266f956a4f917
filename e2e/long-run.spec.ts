/**
 * Long runs (issue 6): a run left playing in the page for ZIL_LONG_RUN_MIN minutes (default 20) keeps its memory
 * flat and its charts bounded. Every ~30 s the test forces a garbage collection and samples, through the DevTools
 * protocol, the page's JS heap (and DOM nodes / listeners), the GPU buffers alive on the device (the page's
 * `zil.gpuMemory()` ledger, src/engine/bufferLedger.ts, which counts every createBuffer until its destroy(),
 * readback staging buffers included), the charts' points and the step reached.
 *
 * After a warm-up (the first 2 minutes, or half of a shorter run: pipelines built, caches and JIT settled, the chart
 * history a few hundred rows; on a slow machine it reaches its cap only later, and its heap swing up to the cap is
 * within the bound below) it asserts:
 *  - the GC'd JS heap's floor grows from warm-up to the end by less than HEAP_GROWTH_MAX_MB (floors: the lowest
 *    sample of the first two minutes after warm-up, and of the last two and a half minutes, each sample the
 *    lowest of a few readings, so that readings caught in a transient state do not decide it: a leak raises
 *    every reading, a transient only some; see READINGS);
 *  - the steady GPU level (fewest buffers seen in each window, i.e. no readback in flight) is exactly the same
 *    number of buffers and bytes in every window, and the most ever alive at once stays bounded;
 *  - every chart keeps at most HISTORY_CAP points, the simulation keeps stepping, the run neither stops nor errs.
 * The samples go into a JSON attachment and a table on stdout. Run it alone, e.g.
 *   ZIL_LONG_RUN_MIN=3 npx playwright test e2e/long-run.spec.ts --output=/tmp/pw-long
 */
import { expect, test, type CDPSession, type Page } from "@playwright/test";
import { HISTORY_CAP } from "../src/ui/store.ts";
import type { GpuMemory } from "../src/engine/bufferLedger.ts";

const MINUTES = Number(process.env.ZIL_LONG_RUN_MIN ?? 20);
/**
 * The page: the smallest grid and speed 1 give the most frames per minute on SwiftShader (each frame reads the
 * metrics, the image and, every 3 s, a checkpoint back), so per-frame leaks show soonest and the chart history
 * (one row per two frames) reaches HISTORY_CAP and is thinned within the run. The simulated duration is long
 * enough that the run cannot finish inside the test (its step count scales with it; dt is the same).
 */
const QUERY = process.env.ZIL_LONG_RUN_QUERY ?? "nx=16&ny=16&speed=1&duration_s=1000000";
const RUN_MS = MINUTES * 60_000;
const SAMPLE_MS = 30_000;
const WARMUP_MS = Math.min(120_000, RUN_MS / 2);
/**
 * Heap growth allowed after warm-up. Measured (8-minute run, 16 x 16, SwiftShader on a loaded 2-core machine,
 * ~2.5 frames/s): the GC'd heap is ~13.4 MB at Play, ~17.5 MB at 2 minutes, then follows the chart history
 * (18.1 MB just after a thinning to ~200 rows, 18.8 MB at ~360 rows), i.e. a legitimate swing of ~1 MB, plus a
 * transient state (+4 to 5 MB, see READINGS, kept out of the floors). 3 MB is about three times
 * the legitimate swing; over the 18 minutes after warm-up (~2,700 frames at that rate, more on a faster machine)
 * it fails for anything leaking about 1 KB or more per frame (one frame's pixels, a checkpoint, a chart row's
 * rendering), and any steady leak of ~170 KB per minute.
 */
const HEAP_GROWTH_MAX_MB = 3;
/**
 * Each sample is the lowest of READINGS forced-GC readings, READING_GAP_MS apart. The page alternates between two states a forced GC cannot merge: measured at 16 x 16 on a 2-core machine at 20 to
 * 30 frames/s, readings 5 s apart, about a third of them sit 4 to 5 MB higher, with 72 more event listeners and
 * 80 to 160 more DOM nodes that are not in the document (detached nodes still referenced; which component holds
 * them was not pinned down), and the next reading or the one after is back down. A CI run at ~20
 * frames/s caught that state in its last three 30-s samples (growth 4.6 MB against 1.3 MB in the runs around
 * it). Several readings a sample and floors over several samples keep that transient out of the floors, while
 * a leak, which raises every reading, still shows in full.
 */
const READINGS = 4;
const READING_GAP_MS = 2_500;
/** How many of the last samples (and of the first after warm-up) the floors are taken over (2.5 minutes). */
const FLOOR_SAMPLES = 5;
/** Chart, DOM node and listener counts: with the history capped, these are fixed after warm-up, up to a little noise. */
const DOM_NODES_GROWTH_MAX = 500;
const LISTENERS_GROWTH_MAX = 100;

test.describe.configure({ timeout: RUN_MS + 300_000 });

interface Sample {
  /** Wall time since Play, s. */
  wall_s: number;
  step: number;
  steps: number;
  t_s: number;
  status: string;
  framesPerSecond: number;
  heapUsedMB: number;
  heapTotalMB: number;
  domNodes: number;
  listeners: number;
  workers: number;
  gpu: GpuMemory;
  /** data-points of each chart. */
  points: Record<string, number>;
}

const MB = 1024 * 1024;

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = await cdp.send("Performance.getMetrics");
  return metrics.find((m) => m.name === name)?.value ?? NaN;
}

/** The GPU ledger; with `reset` its min/max window starts again. */
async function gpuMemory(page: Page, reset: boolean): Promise<GpuMemory> {
  const m = await page.evaluate((r) => (window as unknown as { zil?: { gpuMemory?: (r: boolean) => GpuMemory | null } }).zil?.gpuMemory?.(r) ?? null, reset);
  if (!m) throw new Error("the page has no zil.gpuMemory() ledger (is the GPU backend running?)");
  return m;
}

async function sample(page: Page, cdp: CDPSession, startedAt: number): Promise<Sample> {
  // The lowest of READINGS GC'd readings READING_GAP_MS apart (see READINGS).
  let heap = { usedSize: Infinity, totalSize: Infinity }, domNodes = Infinity, listeners = Infinity;
  for (let k = 0; k < READINGS; k++) {
    if (k) await page.waitForTimeout(READING_GAP_MS);
    await cdp.send("HeapProfiler.collectGarbage");
    const h = await cdp.send("Runtime.getHeapUsage");
    if (h.usedSize < heap.usedSize) heap = h;
    domNodes = Math.min(domNodes, await metric(cdp, "Nodes"));
    listeners = Math.min(listeners, await metric(cdp, "JSEventListeners"));
  }
  const gpu = await gpuMemory(page, true);
  const status = (await page.getByTestId("run-status").textContent()) ?? "";
  const m = /step (\d+) of (\d+)/.exec(status);
  const t = /t = ([\d.e+-]+) s/.exec(status);
  const fps = /([\d.e+-]+) frames\/s/.exec(status);
  const points: Record<string, number> = {};
  for (const card of await page.locator('[data-testid^="chart-"][data-points]').all()) {
    points[(await card.getAttribute("data-testid"))!.slice(6)] = Number(await card.getAttribute("data-points"));
  }
  return {
    wall_s: Math.round((Date.now() - startedAt) / 1000),
    step: m ? Number(m[1]) : NaN,
    steps: m ? Number(m[2]) : NaN,
    t_s: t ? Number(t[1]) : NaN,
    framesPerSecond: fps ? Number(fps[1]) : NaN,
    status: status.includes("done") ? "done" : status.includes("steps/s") ? "running" : "other",
    heapUsedMB: heap.usedSize / MB,
    heapTotalMB: heap.totalSize / MB,
    domNodes,
    listeners,
    workers: page.workers().length,
    gpu,
    points,
  };
}

function table(samples: Sample[]): string {
  const head = "wall_s   step    fps   heapMB  totalMB  nodes  listen  gpuBufs(min..max)  gpuBytes(min..max)     points(max)";
  const rows = samples.map((s) => [
    String(s.wall_s).padStart(6),
    String(s.step).padStart(9),
    s.framesPerSecond.toFixed(2).padStart(6),
    s.heapUsedMB.toFixed(2).padStart(8),
    s.heapTotalMB.toFixed(2).padStart(8),
    String(s.domNodes).padStart(6),
    String(s.listeners).padStart(7),
    `${s.gpu.minBuffers}..${s.gpu.maxBuffers}`.padStart(18),
    `${s.gpu.minBytes}..${s.gpu.maxBytes}`.padStart(20),
    String(Math.max(0, ...Object.values(s.points))).padStart(14),
  ].join(" "));
  return [head, ...rows].join("\n");
}

test(`a ${MINUTES}-minute run keeps the heap and GPU buffers flat and the charts bounded`, async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`/?${QUERY}`);
  const play = page.getByTestId("play");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Performance.enable");

  const samples: Sample[] = [];
  const startedAt = Date.now();
  await gpuMemory(page, true);
  await play.click();
  await expect(play).toHaveText("Pause");
  samples.push(await sample(page, cdp, startedAt));
  try {
    for (let k = 1; k * SAMPLE_MS <= RUN_MS; k++) {
      await page.waitForTimeout(Math.max(0, startedAt + k * SAMPLE_MS - Date.now()));
      const s = await sample(page, cdp, startedAt);
      samples.push(s);
      console.log(`long-run ${s.wall_s}s step ${s.step} heap ${s.heapUsedMB.toFixed(2)} MB gpu ${s.gpu.minBuffers}..${s.gpu.maxBuffers} bufs ${s.gpu.minBytes}..${s.gpu.maxBytes} B`);
      // Stop early (with the reason in the attachment) if the run ended or failed.
      if (s.status !== "running" || errors.length) break;
    }
  } finally {
    await info.attach("long-run samples", { body: JSON.stringify({ minutes: MINUTES, warmup_s: WARMUP_MS / 1000, samples }, null, 2), contentType: "application/json" });
    console.log(table(samples));
  }

  expect(errors).toEqual([]);
  await expect(page.getByTestId("run-error")).toHaveCount(0);
  const last = samples[samples.length - 1]!;
  expect(last.wall_s * 1000, "the run played for the whole duration").toBeGreaterThanOrEqual(RUN_MS - SAMPLE_MS);
  expect(last.status).toBe("running");
  const warm = samples.find((s) => s.wall_s * 1000 >= WARMUP_MS)!;
  const after = samples.slice(samples.indexOf(warm));
  expect(after.length).toBeGreaterThanOrEqual(2);

  // Time keeps advancing: every sample's step is past the previous one.
  for (let k = 1; k < samples.length; k++) expect(samples[k]!.step, `step at ${samples[k]!.wall_s} s`).toBeGreaterThan(samples[k - 1]!.step);
  // The charts stay bounded, and (once warm) hold a real history.
  for (const s of samples) for (const [chart, n] of Object.entries(s.points)) expect(n, `${chart} points at ${s.wall_s} s`).toBeLessThanOrEqual(HISTORY_CAP);
  for (const s of after) expect(Object.keys(s.points).length).toBeGreaterThan(0);
  for (const s of after) for (const n of Object.values(s.points)) expect(n).toBeGreaterThan(10);
  // Whether the history reached the cap and was thinned (its points dropped) within the run: on a slow machine a
  // short run may not get there, which leaves the cap itself untested (noted, not failed).
  const thinned = samples.some((s, k) => k > 0 && (s.points["uniformity"] ?? 0) < (samples[k - 1]!.points["uniformity"] ?? 0));
  const note = thinned ? "the chart history reached its cap and was thinned" : `the chart history never reached its cap (${HISTORY_CAP}) in this run`;
  info.annotations.push({ type: "history", description: note });
  console.log(`long-run: ${note}`);

  // GPU buffers: the steady level (no readback in flight) is exactly constant after warm-up, the peak bounded by
  // the readbacks of one frame and one checkpoint, and nothing is created without being destroyed.
  for (const s of after) {
    expect({ buffers: s.gpu.minBuffers, bytes: s.gpu.minBytes }, `steady GPU level at ${s.wall_s} s`)
      .toEqual({ buffers: warm.gpu.minBuffers, bytes: warm.gpu.minBytes });
    expect(s.gpu.maxBuffers - s.gpu.minBuffers, `buffers in flight at ${s.wall_s} s`).toBeLessThanOrEqual(16);
    expect(s.gpu.created - s.gpu.destroyed).toBe(s.gpu.buffers);
  }
  // Readbacks really were counted (staging buffers created and destroyed all along).
  expect(last.gpu.destroyed).toBeGreaterThan(warm.gpu.destroyed);

  // The JS heap (after a forced GC) stays flat after warm-up.
  // Floors (see the top): the first samples after warm-up (up to two minutes on) and the last ones.
  const early = after.filter((s) => s.wall_s - warm.wall_s <= 120).slice(0, FLOOR_SAMPLES);
  const late = after.slice(-FLOOR_SAMPLES);
  const floor = (xs: Sample[], key: "heapUsedMB" | "domNodes" | "listeners") => Math.min(...xs.map((s) => s[key]));
  const growthMB = floor(late, "heapUsedMB") - floor(early, "heapUsedMB");
  console.log(`long-run heap (MB, GC'd): start ${samples[0]!.heapUsedMB.toFixed(2)}, warm-up ${warm.heapUsedMB.toFixed(2)} ` +
    `(floor ${floor(early, "heapUsedMB").toFixed(2)}), end ${last.heapUsedMB.toFixed(2)} (floor ${floor(late, "heapUsedMB").toFixed(2)}), ` +
    `growth ${growthMB.toFixed(2)} MB (bound ${HEAP_GROWTH_MAX_MB}); GPU ${warm.gpu.minBuffers} buffers, ${warm.gpu.minBytes} bytes steady`);
  expect(growthMB, "JS heap floor growth after warm-up (MB)").toBeLessThan(HEAP_GROWTH_MAX_MB);
  expect(floor(late, "domNodes") - floor(early, "domNodes"), "DOM node growth after warm-up").toBeLessThan(DOM_NODES_GROWTH_MAX);
  expect(floor(late, "listeners") - floor(early, "listeners"), "event listener growth after warm-up").toBeLessThan(LISTENERS_GROWTH_MAX);
});
