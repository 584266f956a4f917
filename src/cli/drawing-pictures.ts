/**
 * `npm run pictures:drawing`: the README's pictures of the field's drawing, old and new side by side on the same
 * state (issue 26): docs/screenshots/drawing-field.png (one coating), drawing-comparison.png (four coatings, the
 * old drawing's row above the new) and drawing-clip.png (a 1920 x 1080 clip frame composed by the clip recorder).
 * src/ui/sim/drawingPictures.ts grows the runs and draws them in headless Chromium (Debian's, WebGPU through
 * SwiftShader, as the e2e tests use), loaded from Vite's dev server (its own port, 4177, so that it runs beside the
 * e2e tests' preview server). DRAWING_STEPS sets the steps grown (400).
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "@playwright/test";
import type { DrawingPictures } from "../ui/sim/drawingPictures.ts";

const PORT = 4177;
const url = `http://127.0.0.1:${PORT}`;
const OUT = "docs/screenshots";
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p));
const GPU_ARGS = ["--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-angle=swiftshader", "--disable-dev-shm-usage"];
const steps = Number(process.env.DRAWING_STEPS ?? 400);
if (!Number.isInteger(steps) || steps < 1 || steps > 100_000) {
  console.error(`DRAWING_STEPS must be a whole number of steps from 1 to 100000, got ${JSON.stringify(process.env.DRAWING_STEPS)}`);
  process.exit(2);
}

mkdirSync(OUT, { recursive: true });
const dev = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "ignore" });
const browser = await chromium.launch({ executablePath, args: GPU_ARGS });
try {
  for (let k = 0; k < 100; k++) {
    if (await fetch(url).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const page = await browser.newPage();
  page.on("pageerror", (e) => console.error(`page: ${e.message}`));
  // A page of the dev server that is not the app (the module's own source), so that no run shares the device. The
  // clip recorder's imports reach a React component, whose dev transform asks for React Refresh's preamble: stubbed.
  await page.goto(`${url}/src/ui/sim/drawingPictures.ts`);
  // (A string, not a function: tsx's transform would name the arrows with a helper the page lacks.)
  await page.evaluate("Object.assign(window, { $RefreshReg$: () => {}, $RefreshSig$: () => (t) => t, __vite_plugin_react_preamble_installed__: true })");
  page.setDefaultTimeout(0);
  const p = await page.evaluate(`import("/src/ui/sim/drawingPictures.ts").then((m) => m.drawingPictures({ steps: ${steps} }))`) as DrawingPictures;
  for (const [name, data] of [["field", p.field], ["comparison", p.comparison], ["clip", p.clip]] as const) {
    const file = `${OUT}/drawing-${name}.png`;
    const png = Buffer.from(data.replace(/^data:image\/png;base64,/, ""), "base64");
    writeFileSync(file, png);
    console.log(`${file}  ${Math.round(png.length / 1024)} KB`);
  }
  const win = p.window ? `window ${fmt(p.window.w)} x ${fmt(p.window.h)} cells` : "the whole cell";
  console.log(`${p.steps} steps (t = ${fmt(p.t_s)} s) on ${p.grid}, ${win}, ${p.adapter}`);
} finally {
  await browser.close();
  dev.kill();
}
process.exit(0);

function fmt(v: number): string {
  return String(Number(v.toPrecision(4)));
}
