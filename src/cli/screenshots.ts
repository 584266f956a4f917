/**
 * `npm run screenshots`: the README's pictures, taken from the built app in headless Chromium (Debian's, WebGPU
 * through SwiftShader, as the e2e tests use) into docs/screenshots/: the playground running a coating, the
 * side-by-side comparison of three coatings, and presenter mode with a lesson open. Small grids, so it takes a
 * few minutes on a machine without a GPU.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Page } from "@playwright/test";

const PORT = 4175;
const base = `http://127.0.0.1:${PORT}`;
const OUT = "docs/screenshots";
const executablePath = [process.env.CHROMIUM_PATH, "/usr/bin/chromium"].find((p): p is string => !!p && existsSync(p));
const ARGS = ["--no-sandbox", "--enable-unsafe-webgpu", "--enable-features=Vulkan", "--use-angle=swiftshader", "--disable-dev-shm-usage"];

async function ready(page: Page): Promise<void> {
  await page.waitForFunction(() => !(document.querySelector("[data-testid=play]") as HTMLButtonElement | null)?.disabled, null, { timeout: 180_000 });
}

async function playground(page: Page): Promise<void> {
  await page.goto(`${base}/?preset=bare&nx=32&ny=32&speed=5&current_mA_cm2=20&layer=potential`);
  await ready(page);
  await page.getByTestId("play").click();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=sim-time]")?.textContent?.replace(/[^\d.]/g, "")) > 300, null, { timeout: 600_000 });
  await page.getByTestId("play").click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/playground.png` });
  console.log(`${OUT}/playground.png`);
}

async function comparison(page: Page): Promise<void> {
  await page.goto(`${base}/?nx=32&ny=32&current_mA_cm2=20`);
  await ready(page);
  const panel = page.getByTestId("compare");
  await panel.locator("summary").click();
  const picks = ["bare", "cof", "znf2", "zns"];
  await page.getByTestId("compare-add").click();
  for (const [k, id] of picks.entries()) await page.getByTestId(`compare-pick-${k}`).selectOption(id);
  await page.getByTestId("compare-speed").selectOption("5");
  await page.getByTestId("compare-start").click();
  await page.waitForFunction(() => !(document.querySelector("[data-testid=compare-play]") as HTMLButtonElement | null)?.disabled, null, { timeout: 180_000 });
  await page.getByTestId("compare-play").click();
  await page.waitForFunction(() => Number(document.querySelector("[data-testid=compare-pane]")?.getAttribute("data-step")) >= 40, null, { timeout: 600_000 });
  await page.getByTestId("compare-play").click();
  await page.waitForTimeout(1500);
  await panel.screenshot({ path: `${OUT}/comparison.png` });
  console.log(`${OUT}/comparison.png`);
}

async function presenter(page: Page): Promise<void> {
  await page.goto(`${base}/?preset=cof&nx=32&ny=32`);
  await ready(page);
  await page.getByTestId("presenter-toggle").click();
  await page.getByTestId("lesson-open-II").click();
  await page.keyboard.press("ArrowRight");
  // The step's "Show in the field view": its scenario runs, the run bar and the field scroll up, the lesson below.
  await page.getByTestId("lesson-show").click();
  await ready(page);
  await page.keyboard.press("Space");
  await page.waitForTimeout(6000);
  await page.keyboard.press("Space");
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${OUT}/presenter.png` });
  console.log(`${OUT}/presenter.png`);
}

mkdirSync(OUT, { recursive: true });
const server = spawn(process.execPath, ["node_modules/vite/bin/vite.js", "preview", "--host", "127.0.0.1", "--port", String(PORT), "--strictPort"], { stdio: "ignore" });
const browser = await chromium.launch({ executablePath, args: ARGS });
try {
  for (let k = 0; k < 50; k++) {
    if (await fetch(base).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const only = process.argv.slice(2);
  const shots = { playground, comparison, presenter };
  for (const [name, take] of Object.entries(shots)) {
    if (only.length && !only.includes(name)) continue;
    const viewport = name === "presenter" ? { width: 1920, height: 1080 } : { width: 1400, height: name === "playground" ? 1500 : 900 };
    const page = await browser.newPage({ viewport });
    await take(page);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
process.exit(0);
