/**
 * The field renderer (src/ui/sim/fieldRenderer.ts) draws below the cell: a 64 x 64 field with a deposit, drawn into
 * a 1024 px canvas (the device pixel ratio times the field's CSS width), shows no staircase along the metal's
 * outline (e2e/outline.ts counts flat steps and walls a cell long: the cell-per-square drawing it replaced gave
 * 24 and 23 on this run), on the GPU path and on the CPU worker's, and neither does the PNG export.
 */
import { chromium, expect, test, type Page, type TestInfo } from "@playwright/test";
import { readFileSync } from "node:fs";
import { crop, growDeposit, staircase } from "./outline.ts";
import { decodePng, type Image } from "./png.ts";

// The field's canvas is 478 CSS px wide at 1920 x 1080: this ratio makes it 1024 device px.
const VIEW = { viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1024 / 478 };
test.use(VIEW);
test.describe.configure({ timeout: 300_000 });

/** The field canvas's own pixels (getImageData), as an image. */
async function canvasImage(page: Page): Promise<Image> {
  const { width, height, data } = await page.getByTestId("field-canvas").evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    return { width: c.width, height: c.height, data: Array.from(d) };
  });
  return { width, height, channels: 4, data: Uint8Array.from(data) };
}

/** At most 3 steps and 3 walls a cell long along the outline of `img` (a picture of 64 cells across), which has a deposit. */
function expectSmooth(img: Image, what: string, info: TestInfo): void {
  const cellPx = img.width / 64;
  const s = staircase(img, cellPx);
  info.annotations.push({ type: what, description: `${img.width} px, ${cellPx} px a cell: ${JSON.stringify(s)}` });
  expect(s.bottom - s.top, `${what}: the deposit's outline spans more than a cell`).toBeGreaterThan(cellPx);
  expect(s.flat, `${what}: flat steps a cell wide on the outline's top`).toBeLessThanOrEqual(3);
  expect(s.walls, `${what}: walls a cell tall on the outline`).toBeLessThanOrEqual(3);
}

test("a 64 x 64 field with a deposit, drawn into 1024 px, has a smooth outline: no staircase in the canvas or the PNG", async ({ page }, info) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await growDeposit(page);
  await expect(page.getByTestId("field-size")).not.toContainText("CPU reference solver");
  const img = await canvasImage(page);
  expect(img.width).toBe(1024);
  expectSmooth(img, "GPU path, canvas", info);
  await info.attach("field", { body: await page.locator(".field-viewport").screenshot(), contentType: "image/png" });
  // The PNG export draws the same frame again at its own size (640 px wide for 64 cells).
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
  const png = decodePng(readFileSync((await download.path())!));
  expect(png.width).toBe(640 + 40);
  expectSmooth(crop(png, 20, 50, 640, 640), "PNG export", info);
  expect(errors).toEqual([]);
});

test("on the CPU worker's path (no WebGPU) the same renderer draws the same smooth outline", async ({}, info) => {
  const browser = await chromium.launch({ executablePath: test.info().project.use.launchOptions?.executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL, ...VIEW });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await growDeposit(page);
    await expect(page.getByTestId("field-size")).toContainText("CPU reference solver");
    const img = await canvasImage(page);
    expect(img.width).toBe(1024);
    expectSmooth(img, "CPU worker path, canvas", info);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});
