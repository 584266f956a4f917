/** The page draws the live field with WebGPU, and the deposit visibly grows in the canvas's pixels. */
import { expect, test } from "@playwright/test";
import { decodePng, metalShare } from "./png.ts";

test("the field view draws the running preset and the Zn deposit grows", async ({ page }, info) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=32&ny=32&speed=5");
  const canvas = page.getByTestId("field-canvas");
  await expect(canvas).toBeVisible();
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  const time = page.getByTestId("sim-time");
  const seconds = async () => Number((await time.textContent())!.replace(/[^\d.]/g, ""));
  const early = metalShare(decodePng(await canvas.screenshot()));
  await page.getByTestId("play").click();
  // Bare Zn at 10 mA/cm2 deposits ~0.3 um per minute (a 1 um row every ~3.5 min): wait for 400 s of simulated time.
  await expect.poll(seconds, { timeout: 240_000, intervals: [2000] }).toBeGreaterThan(400);
  await page.getByTestId("play").click();
  const late = metalShare(decodePng(await canvas.screenshot()));
  expect(early).toBeGreaterThan(0.02); // the substrate and nuclei are drawn
  expect(late).toBeGreaterThan(early + 0.01);
  // The other layers draw too, with a legend in physical units.
  for (const [name, unit] of [["Zn²⁺ concentration", "M"], ["Potential", "V"], ["Coating integrity", ""]] as const) {
    await page.getByRole("radio", { name }).check();
    await expect(page.getByTestId("legend")).toContainText(unit);
    await info.attach(`layer ${name}`, { body: await page.getByRole("region").first().screenshot().catch(() => page.screenshot()), contentType: "image/png" });
  }
  expect(errors).toEqual([]);
});
