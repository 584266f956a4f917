/**
 * `npm run bench:page`: frames and coupled steps per second of the built page while it runs, in headless
 * Chromium (Debian's, as the e2e tests use), at the app's default grid (64 x 64) and at 128 x 128, on WebGPU
 * and on the CPU worker fallback (Chromium started without WebGPU). Here WebGPU is SwiftShader, a software
 * rasteriser: a correctness tool, not a speed measure; a machine with a GPU gives the real figures.
 * Then the drawing's time a frame at 128 x 128 and 512 x 512 cells into a 1024 px canvas, beside one simulation
 * step's (src/ui/sim/benchDraw.ts, loaded from Vite's dev server): drawing must never slow a run.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import type { DrawBench } from "../ui/sim/benchDraw.ts";

const PORT = 4174;
const base = `http://127.0.0.1:${PORT}`;
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p));
const GPU_ARGS = ["--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-angle=swiftshader", "--disable-dev-shm-usage"];
const CPU_ARGS = ["--no-sandbox", "--disable-dev-shm-usage"];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);

async function measure(args: string[], grid: number, note = ""): Promise<string> {
  const browser = await chromium.launch({ executablePath, args });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/?nx=${grid}&ny=${grid}`);
    await page.getByTestId("play").waitFor();
    await page.waitForFunction(() => !(document.querySelector("[data-testid=play]") as HTMLButtonElement).disabled, null, { timeout: 180_000 });
    const where = (await page.getByTestId("field-size").textContent())?.replace(/^.*cells, on /, "").replace(/\.$/, "") ?? "?";
    const cells = (await page.getByTestId("field-size").textContent())?.match(/(\d+) × (\d+) cells/)?.slice(1, 3).join(" x ") ?? "?";
    await page.getByTestId("play").click();
    // The bar shows the rates only while the run plays: read them every second, keeping the last reading (a fast
    // backend can reach the scenario's end inside the window).
    let sps = "-", fps = "-", ended = "";
    const t0 = Date.now();
    while (Date.now() - t0 < SECONDS * 1000) {
      await page.waitForTimeout(1000);
      const status = (await page.getByTestId("run-status").textContent()) ?? "";
      const s = status.match(/([\d.e+]+) steps\/s/)?.[1], f = status.match(/([\d.e+]+) frames\/s/)?.[1];
      if (s && f) [sps, fps] = [s, f];
      else if (sps !== "-") {
        ended = ` (the run reached its end after ${Math.round((Date.now() - t0) / 1000)} s; the rates are the last while it ran)`;
        break;
      }
    }
    return `${`${grid}^2 asked, ${cells} run`.padEnd(26)} ${fps.padStart(10)} ${sps.padStart(10)}   ${where}${note}${ended}`;
  } finally {
    await browser.close();
  }
}

const DEV_PORT = 4175;
const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 1)} ms`;

/** The drawing's time a frame against a step's, at each grid (benchDraw.ts in the page, on its WebGPU device). */
async function drawing(grids: number[]): Promise<string[]> {
  const dev = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "--host", "127.0.0.1", "--port", String(DEV_PORT), "--strictPort"], { stdio: "ignore" });
  const browser = await chromium.launch({ executablePath, args: GPU_ARGS });
  try {
    const url = `http://127.0.0.1:${DEV_PORT}`;
    for (let k = 0; k < 100; k++) {
      if (await fetch(url).then((r) => r.ok, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const page = await browser.newPage();
    // A page of the dev server that is not the app (the module's own source), so that no run shares the device.
    await page.goto(`${url}/src/ui/sim/benchDraw.ts`);
    const lines: string[] = [];
    for (const n of grids) {
      const b = await page.evaluate(`import("/src/ui/sim/benchDraw.ts").then((m) => m.benchDraw(${n}))`) as DrawBench;
      const draw = b.colourMs + b.canvasMs;
      lines.push(`${`${n} x ${n}`.padEnd(10)} ${ms(b.stepMs).padStart(10)} ${ms(b.colourMs).padStart(12)} ${ms(b.canvasMs).padStart(12)} ${ms(draw).padStart(10)} ${(draw / b.stepMs).toFixed(2).padStart(8)} ${ms(b.cpuColourMs).padStart(12)}   ${b.adapter}, median of ${b.frames} frames`);
    }
    return lines;
  } finally {
    await browser.close();
    dev.kill();
  }
}

if (process.env.BENCH_DRAW_ONLY) {
  console.log("Drawing a frame into a 1024 x 1024 px canvas against a simulation step (medians)");
  console.log("grid             step   GPU colour  canvas draw  draw sum  / step   CPU colour");
  for (const l of await drawing((process.env.BENCH_DRAW_GRIDS ?? "128,512").split(",").map(Number))) console.log(l);
  process.exit(0);
}

const server = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "preview", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "ignore" });
try {
  for (let k = 0; k < 50; k++) {
    if (await fetch(base).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  console.log(`Page benchmark (built app, headless Chromium, 1 step per frame, ${SECONDS} s each)`);
  console.log("grid                        frames/s    steps/s   backend");
  for (const grid of [64, 128]) console.log(await measure(GPU_ARGS, grid));
  for (const grid of [64, 128, 256]) console.log(await measure(CPU_ARGS, grid, " (no WebGPU: CPU worker, at most 128 x 128 cells)"));
} finally {
  server.kill();
}
console.log("\nDrawing a frame into a 1024 x 1024 px canvas against a simulation step (medians; BENCH_DRAW_ONLY=1 for this part alone)");
console.log("grid             step   GPU colour  canvas draw  draw sum  / step   CPU colour");
for (const l of await drawing([128, 512])) console.log(l);
process.exit(0);
