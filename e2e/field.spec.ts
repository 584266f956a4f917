/** The first page draws the live field with WebGPU, and the deposit visibly grows in the canvas's pixels. */
import { expect, test } from "@playwright/test";
import { decodePng, metalShare } from "./png.ts";

test("the field view draws the running preset and the Zn deposit grows", async ({ page }) => {
  test.setTimeout(480_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare");
  const canvas = page.getByTestId("field-canvas");
  await expect(canvas).toBeVisible();
  const time = page.getByTestId("field-time");
  await expect(time).toHaveText(/^\d+ s$/, { timeout: 60_000 });
  const seconds = async () => Number((await time.textContent())!.replace(" s", ""));
  const t1 = await seconds();
  const early = metalShare(decodePng(await canvas.screenshot()));
  // Bare Zn at 10 mA/cm2 deposits ~0.3 um per minute (a 1 um row every ~3.5 min): wait for 240 s of simulated time.
  await expect.poll(seconds, { timeout: 400_000, intervals: [5000] }).toBeGreaterThan(t1 + 240);
  const late = metalShare(decodePng(await canvas.screenshot()));
  expect(early).toBeGreaterThan(0.02); // the substrate and nuclei are drawn
  expect(late).toBeGreaterThan(early + 0.005);
  expect(errors).toEqual([]);
});
