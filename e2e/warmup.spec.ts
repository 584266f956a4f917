/**
 * Issue 26, item 4: the warm-up that chooses the grid runs on a hardware adapter only. Here WebGPU is SwiftShader,
 * a software adapter: the default grid keeps today's choice (its 64 x 64 piece, as before) with no warm-up, and the
 * run bar says why. The choice itself is tested in tests/warmup.test.ts (given step times, which grid).
 */
import { expect, test } from "@playwright/test";

test("on a software adapter the default grid keeps today's smaller piece, no warm-up, and the run bar says why", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  const why = page.getByTestId("grid-why");
  await expect(why).toContainText("No warm-up on a software adapter");
  await expect(why).toContainText("the default grid runs smaller, 32 × 32 µm · 64 × 64 cells");
  console.log(await why.textContent());
  await expect(page.getByTestId("field-size")).toContainText("64 × 64 cells");
  // A grid asked in the run bar runs as asked: the words go. In presenter mode they give the field their room.
  await page.getByTestId("presenter-toggle").click();
  await expect(why).toBeHidden();
  await page.getByTestId("presenter-toggle").click();
  await expect(why).toBeVisible();
  await page.getByTestId("grid").selectOption("16"); // 16 µm wide: 32 x 32 cells of 0.5 µm
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("field-size")).toContainText("32 × 32 cells");
  await expect(why).toHaveCount(0);
  expect(errors).toEqual([]);
});
