import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

const card = (page: Page) => page.getByTestId("design-card");
const row = (page: Page, param: string) => card(page).locator(`tr[data-param="${param}"]`);
const option = (page: Page, id: string) => page.locator(`[role="option"][data-preset-id="${id}"]`);

test("shows the title, the three principles and all 26 presets, bare Zn first and selected", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/Zinc Interface Lab/);
  await expect(page.getByRole("heading", { level: 1, name: "Zinc Interface Lab" })).toBeVisible();
  const principles = page.getByRole("list", { name: /three design principles/ }).getByRole("listitem");
  await expect(principles).toHaveText([/Zn²⁺ transport/, /corrosion and hydrogen evolution/, /Mechanical stability/]);

  const list = page.getByRole("listbox", { name: /Coatings/ });
  await expect(list.getByRole("option")).toHaveCount(26);
  await expect(page.locator("[data-preset-id]").and(page.getByRole("option"))).toHaveCount(26);
  await expect(list.getByRole("option").first()).toHaveAttribute("data-preset-id", "bare");
  await expect(option(page, "bare")).toHaveAttribute("aria-selected", "true");
  await expect(card(page).getByRole("heading", { level: 2 })).toHaveText("Bare Zn");
});

test("clicking ZnF2 shows its cited ionic conductivity with its unit", { tag: "@fast" }, async ({ page }) => {
  await page.goto("/");
  await option(page, "znf2").click();
  await expect(option(page, "znf2")).toHaveAttribute("aria-selected", "true");
  await expect(card(page).getByRole("heading", { level: 2 })).toHaveText("ZnF₂");
  const sigma = row(page, "sigma_mS_cm");
  await expect(sigma.locator(".prop-value")).toHaveText(/^80\.2\s*mS\/cm$/);
  await expect(sigma.locator(".prop-source")).toContainText("cited");
  await expect(sigma.locator(".prop-source cite")).toContainText("Guo et al. 2022");
  // The address follows the selection, so the view can be shared.
  await expect(page).toHaveURL(/\?preset=znf2$/);
  // An estimate shows its reasoning when expanded.
  const thickness = row(page, "thickness_nm");
  await thickness.getByText("estimate").click();
  await expect(thickness.locator("details p")).toBeVisible();
  await expect(thickness.locator("details p")).toContainText("nm");
});

test("the list is keyboard operable: arrow keys reach COF and show dG_H* 2.94 eV", async ({ page }) => {
  await page.goto("/");
  const list = page.getByRole("listbox", { name: /Coatings/ });
  await list.focus();
  await expect(list).toBeFocused();
  await page.keyboard.press("End");
  await expect(option(page, "mxene")).toHaveAttribute("aria-selected", "true");
  await page.keyboard.press("Home");
  const cofIndex = await list.getByRole("option").evaluateAll((els) => els.findIndex((e) => e.getAttribute("data-preset-id") === "cof"));
  expect(cofIndex).toBeGreaterThan(0);
  for (let i = 0; i < cofIndex; i++) await page.keyboard.press("ArrowDown");
  await page.keyboard.press("Enter");
  await expect(option(page, "cof")).toHaveAttribute("aria-selected", "true");
  await expect(list).toHaveAttribute("aria-activedescendant", "preset-option-cof");
  const dG = row(page, "dG_H_eV");
  await expect(dG.locator(".prop-label")).toContainText("ΔG_H*");
  await expect(dG.locator(".prop-value")).toHaveText(/^2\.94\s*eV$/);
});

test("?preset=cuhcf preselects that coating", async ({ page }) => {
  await page.goto("/?preset=cuhcf");
  await expect(option(page, "cuhcf")).toHaveAttribute("aria-selected", "true");
  await expect(row(page, "sigma_mS_cm").locator(".prop-value")).toHaveText(/^7\.6\s*mS\/cm$/);
});

test("an unknown ?preset= shows a clear message and falls back to bare", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=nope");
  await expect(page.getByTestId("notice")).toContainText('preset "nope" is not one of the 26 coatings');
  await expect(page.getByTestId("notice")).toContainText("defaults of Bare Zn");
  await expect(option(page, "bare")).toHaveAttribute("aria-selected", "true");
  await expect(card(page).getByRole("heading", { level: 2 })).toHaveText("Bare Zn");
  // Choosing a preset clears the message.
  await option(page, "zns").click();
  await expect(page.getByTestId("notice")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("every number in the design card carries a unit, and design targets are marked", async ({ page }) => {
  await page.goto("/?preset=znf2");
  const values = card(page).locator(".prop-value");
  await expect(values).toHaveCount(15);
  for (const text of await values.allInnerTexts()) {
    // A number is followed by a unit (or the words "dimensionless"); a 0/1 switch reads yes or no.
    expect(text.trim()).toMatch(/^(yes|no|-?[\d.]+(e-?\d+)?\s+\S+.*)$/);
  }
  const targets = card(page).locator("[data-target]");
  await expect(targets).toHaveCount(4);
  await expect(targets.filter({ hasText: /^\W*Met/ })).toHaveCount(await card(page).locator('[data-met="true"]').count());
  await expect(card(page).locator('[data-target="sigma_mS_cm"]')).toHaveAttribute("data-met", "true");
});

test("the design card judges the targets on the values the controls set, and says which are set", async ({ page }) => {
  await page.goto("/?preset=znf2");
  await expect(card(page).locator('[data-target="sigma_mS_cm"]')).toHaveAttribute("data-met", "true");
  await expect(card(page).getByTestId("set-sigma_mS_cm")).toHaveCount(0);
  // The ionic conductivity below the review's 0.1 mS/cm, from the address as from its control.
  await page.goto("/?preset=znf2&c.sigma_mS_cm=0.01");
  await expect(card(page).locator('[data-target="sigma_mS_cm"]')).toHaveAttribute("data-met", "false");
  await expect(card(page).locator("#targets-title")).toContainText("(with your changes)");
  const row = card(page).locator('tr[data-param="sigma_mS_cm"]');
  await expect(row.locator(".prop-value")).toHaveText("0.01 mS/cm");
  await expect(card(page).getByTestId("set-sigma_mS_cm")).toContainText(/set by you \(preset: [\d.]+ mS\/cm\)/);
});

test("no serious or critical accessibility violations (axe)", async ({ page }) => {
  // The protocol picker with its step table, too.
  for (const url of ["/?nx=32&ny=32&dx_um=1", "/?preset=nope&nx=32&ny=32&dx_um=1", "/?nx=32&ny=32&dx_um=1&protocol=symmetric&protocol.current_mA_cm2=20&protocol.capacity_mAh_cm2=0.01&cycles=3"]) {
    await page.goto(url);
    await expect(card(page)).toBeVisible();
    // Open one estimate so its content is scanned too.
    await card(page).locator("details summary").first().click();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(bad, `axe on ${url}`).toEqual([]);
  }
});
