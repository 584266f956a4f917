/**
 * The playground in real Chromium (WebGPU through SwiftShader): run, charts, controls acting on the running
 * simulation, the address as state, exports and uploads, bad input, and the CPU fallback without WebGPU.
 * Small grids (32 x 32) keep SwiftShader quick.
 */
import AxeBuilder from "@axe-core/playwright";
import { chromium, expect, test, type Page } from "@playwright/test";
import { readFileSync } from "node:fs";
import { SERIES_FIELDS } from "../src/model/metrics.ts";
import { DEFAULT_GRID } from "../src/model/scenario.ts";
import { SMALL_DEFAULT_CELLS } from "../src/ui/sim/runRules.ts";
import { fmt } from "../src/ui/text.ts";
import { decodePng, metalShare } from "./png.ts";

const SMALL = "nx=32&ny=32&dx_um=1";
// Each page load builds the engine's pipelines on SwiftShader (seconds each).
test.describe.configure({ timeout: 180_000 });
const option = (page: Page, id: string) => page.locator(`[role="option"][data-preset-id="${id}"]`);
const param = (page: Page, key: string) => page.locator(`.controls [data-param="${key}"]`);
const points = async (page: Page) => Number(await page.getByTestId("chart-uniformity").getAttribute("data-points"));
const simTime = async (page: Page) => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.e+-]/g, ""));

async function ready(page: Page) {
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("play")).toHaveText("Play");
}

/** The HER current the HER chart reports (its text alternative), in mA/cm2. */
async function her(page: Page): Promise<number> {
  const text = await page.getByTestId("chart-her").locator(".visually-hidden").textContent();
  const m = /HER ([\d.e+-]+) mA/.exec(text ?? "");
  if (!m) throw new Error(`no HER value in "${text}"`);
  return Number(m[1]);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

test("load, choose a preset, run: the charts gain points and the time advances", { tag: "@fast" }, async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto(`/?${SMALL}`);
  await ready(page);
  // Before Play: only the starting state (t = 0) is charted.
  expect(await points(page)).toBeLessThanOrEqual(1);
  await option(page, "cof").click();
  await ready(page);
  // The controls take the coating's values.
  await expect(param(page, "dG_H_eV").locator("input[type=text]")).toHaveValue("2.94");
  await expect(page.getByTestId("design-card").getByRole("heading", { level: 2 })).toHaveText("COF@Zn");
  await page.getByTestId("play").click();
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(4);
  const t1 = await simTime(page);
  await expect.poll(() => simTime(page), { timeout: 30_000 }).toBeGreaterThan(t1);
  await expect(page.getByTestId("run-status")).toContainText("steps/s");
  for (const key of ["uniformity", "height", "her", "ce", "voltage", "surface-c"]) {
    await expect(page.getByTestId(`chart-${key}`).locator(".recharts-line-curve").first()).toBeVisible();
  }
  await info.attach("playground running", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Play");
  expect(errors).toEqual([]);
});

test("a control acts on the running simulation: raising dG_H* cuts the HER current", { tag: "@fast" }, async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?${SMALL}&speed=2`);
  await ready(page);
  await page.getByTestId("play").click();
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(3);
  const before = await her(page);
  const box = param(page, "dG_H_eV").locator("input[type=text]");
  await box.fill("2");
  await box.press("Enter");
  await expect(page).toHaveURL(/c\.dG_H_eV=2/);
  const n = await points(page);
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(n + 3);
  const after = await her(page);
  // The volcano relation: |dG_H*| from 1 to 2 eV lowers the exchange current about a hundredfold.
  expect(after).toBeLessThan(before / 5);
  // The run went on: no restart, the time kept growing.
  await expect(page.getByTestId("restart")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("with a new seed waiting for a restart, other controls still act on the run; a current that changes the time step waits too", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?${SMALL}&speed=2`);
  await ready(page);
  await page.getByTestId("play").click();
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(3);
  const seed = page.getByLabel("Seed");
  await seed.fill("2");
  await seed.press("Enter");
  await expect(page.getByTestId("restart")).toHaveText("Restart to apply the new seed");
  const before = await her(page);
  const box = param(page, "dG_H_eV").locator("input[type=text]");
  await box.fill("2");
  await box.press("Enter");
  const n = await points(page);
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(n + 3);
  expect(await her(page)).toBeLessThan(before / 5);
  // A current that changes the time step: it waits, named, and the run's time goes on from where it was.
  const time = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  const t0 = await time();
  const current = param(page, "current_mA_cm2").locator("input[type=text]");
  await current.fill("50");
  await current.press("Enter");
  // Both waiting changes are named, in the run bar and beside the controls (where the user made the change).
  await expect(page.getByTestId("restart")).toHaveText("Restart to apply the new seed and the new time step (set by the current density, duration and electrolyte)");
  await expect(page.getByTestId("pending-note")).toContainText("Not applied yet: the new seed and the new time step");
  await expect.poll(time, { timeout: 60_000 }).toBeGreaterThan(t0 + 10);
  expect(await page.getByTestId("run-status").textContent()).toMatch(/of 1200 s/);
  await seed.fill("1");
  await seed.press("Enter");
  await expect(page.getByTestId("restart")).toHaveText(/^Restart to apply the new time step/);
  expect(errors).toEqual([]);
});

test("the grid control offers sizes in µm and cells; a grid from the address that is not a choice shows as itself; a choice restarts on it", async ({ page }) => {
  const errors = watchErrors(page);
  const dx = DEFAULT_GRID.dx_um;
  const um = (n: number) => fmt(n * dx, 4);
  await page.goto("/?nx=32&ny=64");
  await ready(page);
  const grid = page.getByTestId("grid");
  const cells = page.getByTestId("grid-dx");
  await expect(grid.locator("option:checked")).toHaveText(`${um(32)} × ${um(64)} µm · 32 × 64 cells`);
  // Every size gives its µm and its cells; every cell size its µm, the default marked.
  for (const text of await grid.locator("option").allTextContents()) expect(text).toMatch(/^[\d.]+ × [\d.]+ µm · \d+ × \d+ cells/);
  for (const text of await cells.locator("option").allTextContents()) expect(text).toMatch(/^[\d.]+ µm cells/);
  await expect(cells.locator("option:checked")).toHaveText(`${fmt(dx, 4)} µm cells (converged)`);
  // A quarter of the default width: a restart on that grid at once (no pending restart), the address and the field following.
  const n = DEFAULT_GRID.nx / 4;
  await grid.selectOption(String(n * dx));
  await expect(page).toHaveURL(new RegExp(`nx=${n}&ny=${n}|ny=${n}&nx=${n}`));
  await expect(grid.locator("option:checked")).toHaveText(`${um(n)} × ${um(n)} µm · ${n} × ${n} cells`);
  await ready(page);
  await expect(page.getByTestId("field-size")).toContainText(`${um(n)} µm × ${um(n)} µm, ${n} × ${n} cells`);
  await expect(page.getByTestId("restart")).toHaveCount(0);
  // Finer cells over the same width: twice the cells a side.
  await cells.selectOption(String(dx / 2));
  await expect(page).toHaveURL(/dx_um=/);
  await ready(page);
  await expect(page.getByTestId("field-size")).toContainText(`${um(n)} µm × ${um(n)} µm, ${2 * n} × ${2 * n} cells`);
  await expect(grid.locator("option:checked")).toHaveText(`${um(n)} × ${um(n)} µm · ${2 * n} × ${2 * n} cells`);
  expect(errors).toEqual([]);
});

test("on a software adapter the default grid runs as a smaller piece at the same cell size, and the banner says so; an asked grid runs as asked", async ({ page }) => {
  const { nx, ny, dx_um } = DEFAULT_GRID;
  await page.goto("/");
  await ready(page);
  const grid = page.getByTestId("grid");
  await expect(grid.locator("option:checked")).toHaveText(`${fmt(nx * dx_um, 4)} × ${fmt(ny * dx_um, 4)} µm · ${nx} × ${ny} cells`);
  test.skip(nx * ny <= SMALL_DEFAULT_CELLS, "the default grid is no larger than the software adapter's piece");
  // This Chromium's WebGPU is SwiftShader (a software adapter).
  const banner = page.getByTestId("banner");
  await expect(banner).toContainText("This WebGPU adapter is a software one");
  await expect(banner).toContainText(`µm asked, same ${dx_um} µm cells)`);
  const piece = /on a smaller (\d+) × (\d+) grid/.exec((await banner.textContent())!)!;
  expect(Number(piece[1]) * Number(piece[2])).toBeLessThanOrEqual(SMALL_DEFAULT_CELLS);
  await expect(page.getByTestId("field-size")).toContainText(`, ${piece[1]} × ${piece[2]} cells`);
  // The address keeps the default (it names no grid), so a link opens the full grid on a hardware adapter.
  expect(page.url()).not.toMatch(/nx=|ny=|dx_um=/);
  // The same grid asked for in the address runs as asked, and the banner is not shown.
  await page.goto(`/?nx=${nx}&ny=${ny}&dx_um=${dx_um}`);
  await ready(page);
  await expect(page.getByTestId("field-size")).toContainText(`, ${nx} × ${ny} cells`);
  await expect(banner).toHaveCount(0);
});

test("out-of-range typed input gets a message beside the control and changes nothing", async ({ page }) => {
  await page.goto(`/?${SMALL}`);
  await ready(page);
  const field = param(page, "t_plus");
  const box = field.locator("input[type=text]");
  await box.fill("1.5");
  await box.press("Enter");
  await expect(field.locator(".param-error")).toContainText("out of range");
  await expect(field.locator(".param-error")).toContainText("0.1 to 1");
  await expect(page).not.toHaveURL(/t_plus/);
  await box.fill("abc");
  await box.press("Enter");
  await expect(field.locator(".param-error")).toContainText("not a number");
  await box.fill("0.8");
  await box.press("Enter");
  await expect(field.locator(".param-error")).toHaveCount(0);
  await expect(page).toHaveURL(/c\.t_plus=0\.8/);
  // A value typed with more digits reads back as the run has it (the box once showed 0.1235).
  await box.fill("0.123456");
  await box.press("Enter");
  await expect(page).toHaveURL(/c\.t_plus=0\.123456/);
  await expect(box).toHaveValue("0.123456");
  // The seed takes decimal numbers only, as the controls do: "0x10" is not read as 16.
  const seed = page.getByLabel("Seed");
  await seed.fill("0x10");
  await seed.press("Enter");
  await expect(page.locator(".run-bar")).toContainText('"0x10" is not a number');
  await expect(page).not.toHaveURL(/seed=16/);
});

test("the address holds the whole state and survives a reload", { tag: "@fast" }, async ({ page }) => {
  await page.goto(`/?${SMALL}`);
  await ready(page);
  await option(page, "zns").click();
  await ready(page);
  const box = param(page, "t_plus").locator("input[type=text]");
  await box.fill("0.9");
  await box.press("Enter");
  await page.getByRole("radio", { name: "Potential" }).check();
  await page.getByRole("toolbar", { name: "Run control" }).getByLabel("Speed").selectOption("5");
  await expect(page).toHaveURL(/preset=zns/);
  await expect(page).toHaveURL(/c\.t_plus=0\.9/);
  await expect(page).toHaveURL(/layer=potential/);
  await expect(page).toHaveURL(/speed=5/);
  await expect(page).toHaveURL(/nx=32/);
  await page.reload();
  await ready(page);
  await expect(option(page, "zns")).toHaveAttribute("aria-selected", "true");
  await expect(param(page, "t_plus").locator("input[type=text]")).toHaveValue("0.9");
  await expect(page.getByRole("radio", { name: "Potential" })).toBeChecked();
  await expect(page.getByRole("toolbar", { name: "Run control" }).getByLabel("Speed")).toHaveValue("5");
  await expect(page.getByTestId("legend")).toContainText("V");
  // Copy link puts that address on the clipboard and says so.
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByTestId("copy-link").click();
  await expect(page.getByTestId("copy-link-status")).toContainText("Link copied");
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(page.url());
});

test("a broken or tampered address: each bad part named, left at its default, the rest applied; never a crash", async ({ page }) => {
  const errors = watchErrors(page);
  for (const [search, expected, fallback] of [
    ["?preset=cof&c.t_plus=7", /t_plus = 7 is out of range/, "keep the defaults of COF"],
    ["?preset=nope", /preset "nope" is not one of the 26 coatings/, "shows the defaults of"],
    ["?preset=bare&nx=33", /power of two/, "keep the defaults"],
    ["?preset=bare&dx_um=4", /dx_um = 4.* too coarse/, "keep the defaults"],
    ["?preset=bare&speed=abc", /speed/, "keep the defaults"],
    ["?preset=bare&hack=%3Cscript%3E", /"hack" is not a setting/, "keep the defaults"],
  ] as const) {
    await page.goto(`/${search}`);
    await expect(page.getByTestId("notice")).toContainText(expected);
    await expect(page.getByTestId("notice")).toContainText(fallback);
    await ready(page);
  }
  // One stale value in a shared link: the coating, the current and the view still open; the bad value stays at COF's.
  await page.goto("/?preset=cof&c.t_plus=7&current_mA_cm2=5&layer=potential");
  await expect(page.getByTestId("notice")).toContainText("the rest of the address is applied");
  await expect(option(page, "cof")).toHaveAttribute("aria-selected", "true");
  await expect(param(page, "t_plus").locator("input[type=text]")).not.toHaveValue("7");
  await expect(param(page, "current_mA_cm2").locator("input[type=text]")).toHaveValue("5");
  await expect(page.getByRole("radio", { name: "Potential" })).toBeChecked();
  // The address is left as it was given while the message shows, so the user can still read and mend it.
  expect(page.url()).toContain("c.t_plus=7");
  expect(errors).toEqual([]);
});

/**
 * Issue 26, item 6: the address's message goes once its bad value is mended with the control that holds it (a
 * speed, a layer, the field's framing, a coating value), and the address then follows the page again.
 */
test("the address's message goes once the bad value is mended with its control, and the address follows again", async ({ page }) => {
  const errors = watchErrors(page);
  const notice = page.getByTestId("notice");
  const cases: { search: string; named: RegExp; mend: () => Promise<void>; now: RegExp }[] = [
    { search: "speed=abc", named: /speed = "abc" is not a number/, mend: () => page.locator(".run-bar select").first().selectOption("2").then(() => undefined), now: /speed=2/ },
    { search: "layer=bogus", named: /layer "bogus" is not one of/, mend: () => page.getByRole("radio", { name: "Potential" }).check(), now: /layer=potential/ },
    { search: "view=sideways", named: /view "sideways" is not whole or front/, mend: () => page.getByTestId("whole-cell").check(), now: /view=whole/ },
    {
      search: "preset=cof&c.t_plus=7", named: /t_plus = 7 is out of range/,
      mend: async () => { const box = param(page, "t_plus").locator("input[type=text]"); await box.fill("0.8"); await box.press("Enter"); },
      now: /c\.t_plus=0\.8/,
    },
  ];
  for (const c of cases) {
    await page.goto(`/?${SMALL}&${c.search}`);
    await expect(notice).toContainText(c.named);
    await ready(page);
    // Left as given while the message shows, so it can be read and mended.
    expect(decodeURIComponent(page.url())).toContain(c.search);
    await c.mend();
    await expect(notice, `${c.search}: the message goes once mended`).toHaveCount(0);
    await expect(page).toHaveURL(c.now);
    expect(decodeURIComponent(page.url())).not.toContain(c.search);
  }
  expect(errors).toEqual([]);
});

test("CSV and PNG downloads hold the series and the field with its legend", { tag: "@fast" }, async ({ page }) => {
  await page.goto(`/?${SMALL}&speed=2`);
  await ready(page);
  await page.getByTestId("play").click();
  await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(5);
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Play");
  const n = await points(page);

  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  expect(csv.suggestedFilename()).toMatch(/^zinc-bare-32x32-seed1-t\d+s\.csv$/);
  const lines = readFileSync((await csv.path())!, "utf8").trim().split("\n");
  expect(lines[0]).toBe(SERIES_FIELDS.join(","));
  expect(lines.length - 1).toBe(n);
  const rows = lines.slice(1).map((l) => l.split(",").map(Number));
  for (const r of rows) {
    expect(r).toHaveLength(SERIES_FIELDS.length);
    expect(r.every(Number.isFinite)).toBe(true);
  }
  // Time grows down the file; H2 accumulates.
  for (let k = 1; k < rows.length; k++) {
    expect(rows[k]![0]!).toBeGreaterThan(rows[k - 1]![0]!);
    expect(rows[k]![6]!).toBeGreaterThanOrEqual(rows[k - 1]![6]!);
  }

  const [png] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
  expect(png.suggestedFilename()).toMatch(/\.png$/);
  const img = decodePng(readFileSync((await png.path())!));
  // 32 cells at 20 px each plus margins; the legend strip under the field.
  expect(img.width).toBe(32 * 20 + 40);
  expect(img.height).toBe(32 * 20 + 150);
  expect(metalShare(img)).toBeGreaterThan(0.02);
  const pixel = (x: number, y: number) => Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x) * img.channels + 3));
  const legendRow = 32 * 20 + 68;
  const left = pixel(170, legendRow), right = pixel(img.width - 40, legendRow);
  expect(left).not.toEqual(right); // a colour ramp, not blank
  expect(pixel(5, 5)).toEqual([255, 255, 255]);
});

test("at 20 steps a frame the charts and the CSV still hold every one of the scenario's samples, as the runner's", async ({ page }) => {
  // 300 s in 30 samples of 10 s (the time step 2 s: 5 steps a sample), run to the end at 20 steps a frame.
  await page.goto(`/?${SMALL}&speed=20&duration_s=300&samples=30`);
  await ready(page);
  await page.getByTestId("play").click();
  await expect(page.getByTestId("run-status")).toContainText("done", { timeout: 120_000 });
  await expect.poll(() => points(page)).toBe(30);
  const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const lines = readFileSync((await csv.path())!, "utf8").trim().split("\n");
  const t = lines.slice(1).map((l) => Number(l.split(",")[0]));
  expect(t).toEqual(Array.from({ length: 30 }, (_, k) => 10 * (k + 1)));
  // The finished run goes on when its duration is raised by whole samples: no restart, the series continues to 600 s.
  await expect(page.getByTestId("play")).toBeDisabled();
  const duration = param(page, "duration_s");
  await expect(duration).toContainText("a sample every 10 s");
  await duration.locator("input[type=text]").fill("600");
  await duration.locator("input[type=text]").press("Enter");
  await expect(page).toHaveURL(/duration_s=600/);
  await expect(page).toHaveURL(/samples=60/);
  await expect(page.getByTestId("restart")).toHaveCount(0);
  await expect(page.getByTestId("play")).toBeEnabled();
  await page.getByTestId("play").click();
  await expect(page.getByTestId("run-status")).toContainText("done", { timeout: 120_000 });
  await expect.poll(() => points(page)).toBe(60);
  const [more] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
  const t2 = readFileSync((await more.path())!, "utf8").trim().split("\n").slice(1).map((l) => Number(l.split(",")[0]));
  expect(t2).toEqual(Array.from({ length: 60 }, (_, k) => 10 * (k + 1)));
});

test("a scenario file downloads, loads back, and a bad file changes nothing", async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?${SMALL}&preset=zns`);
  await ready(page);
  const [json] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-json").click()]);
  const text = readFileSync((await json.path())!, "utf8");
  const scenario = JSON.parse(text);
  expect(scenario.coating.preset).toBe("zns");
  expect(scenario.grid).toEqual({ nx: 32, ny: 32, dx_um: 1 });

  const upload = page.getByTestId("upload");
  await upload.setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from("{ not json") });
  // The message shows beside the control, where the user is (the page's notice bar is far above once scrolled).
  const message = page.getByTestId("export-message");
  await expect(message).toContainText('"broken.json" was not loaded');
  await expect(message).toContainText("Nothing changed");
  const bar = await page.locator(".export-bar").boundingBox();
  const box = await message.boundingBox();
  expect(box!.y).toBeGreaterThanOrEqual(bar!.y);
  expect(box!.y + box!.height).toBeLessThanOrEqual(bar!.y + bar!.height + 1);
  await expect(option(page, "zns")).toHaveAttribute("aria-selected", "true");
  await upload.setInputFiles({ name: "range.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...scenario, coating: { preset: "cof", t_plus: 3 } })) });
  await expect(message).toContainText("t_plus = 3 is out of range");
  await expect(option(page, "zns")).toHaveAttribute("aria-selected", "true");
  // A cycling protocol of the file's own steps loads and runs: the picker shows them as the loaded scenario's steps.
  const cycling = { ...scenario, protocol: [{ step: "plate", until: { capacity_mAh_cm2: 0.1 } }, { step: "strip", until: { capacity_mAh_cm2: 0.1 } }], cycles: 2 };
  await upload.setInputFiles({ name: "cycles.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(cycling)) });
  await expect(message).toHaveCount(0);
  await expect(page.getByTestId("protocol-select")).toHaveValue("custom");
  await expect(page.getByTestId("protocol-steps").locator("tbody tr")).toHaveCount(2);
  await expect(page.getByTestId("protocol-steps")).toContainText("0.1 mAh/cm²");
  await expect(option(page, "zns")).toHaveAttribute("aria-selected", "true");

  // The same file as the runner reads, edited, loads and restarts the run.
  await upload.setInputFiles({ name: "cof.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify({ ...scenario, coating: { preset: "cof" } })) });
  await expect(option(page, "cof")).toHaveAttribute("aria-selected", "true");
  await expect(page.getByTestId("protocol-select")).toHaveValue("none");
  await expect(message).toHaveCount(0);
  await expect(page.getByTestId("notice")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("keyboard alone runs the app, and axe finds no serious violation", async ({ page }) => {
  await page.goto(`/?${SMALL}`);
  await ready(page);
  const play = page.getByTestId("play");
  await play.focus();
  await page.keyboard.press("Enter");
  await expect(play).toHaveText("Pause");
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Play");
  // A slider moves with the arrow keys and the typed box follows.
  const slider = param(page, "t_plus").getByRole("slider");
  await slider.focus();
  const before = await param(page, "t_plus").locator("input[type=text]").inputValue();
  for (let k = 0; k < 50; k++) await page.keyboard.press("ArrowRight");
  await expect(param(page, "t_plus").locator("input[type=text]")).not.toHaveValue(before);
  // Every control has an accessible name.
  for (const el of await page.locator(".controls input").all()) {
    expect(await el.evaluate((e) => (e as HTMLInputElement).labels?.length || e.getAttribute("aria-label"))).toBeTruthy();
  }
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  expect(bad).toEqual([]);
});

test("without WebGPU the CPU worker runs the model, at the asked grid up to 128 x 128 cells, and a banner says so", { tag: "@fast" }, async ({}, info) => {
  // A Chromium started without WebGPU (no --enable-unsafe-webgpu): no adapter.
  const browser = await chromium.launch({ executablePath: test.info().project.use.launchOptions?.executablePath, args: ["--no-sandbox", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ baseURL: test.info().project.use.baseURL });
    const errors = watchErrors(page);
    // The app's default grid, not asked for, runs as a smaller piece of at most SMALL_DEFAULT_CELLS, at the same cell size.
    const { nx, ny, dx_um } = DEFAULT_GRID;
    await page.goto("/");
    await expect(page.getByTestId("banner")).toContainText("WebGPU is not available");
    if (nx * ny > SMALL_DEFAULT_CELLS) await expect(page.getByTestId("banner")).toContainText(`µm of the ${fmt(nx * dx_um, 4)} × ${fmt(ny * dx_um, 4)} µm asked, same ${dx_um} µm cells`);
    else await expect(page.getByTestId("banner")).toContainText(`on the same ${nx} × ${ny} grid`);
    await ready(page);
    const [, fx, fy] = /(\d+) × (\d+) cells/.exec((await page.getByTestId("field-size").textContent())!)!;
    expect(Number(fx) * Number(fy)).toBeLessThanOrEqual(SMALL_DEFAULT_CELLS);
    // 256 x 128 cells is twice the CPU's most: its longer side halved, the cells kept at their size.
    await page.goto("/?nx=256&ny=128");
    await expect(page.getByTestId("banner")).toContainText(`on a smaller 128 × 128 grid (${fmt(128 * dx_um, 4)} × ${fmt(128 * dx_um, 4)} µm of the ${fmt(256 * dx_um, 4)} × ${fmt(128 * dx_um, 4)} µm asked, same ${dx_um} µm cells)`);
    await ready(page);
    // A restart on the page keeps saying why WebGPU is missing (the adapter's own reason, not "failed earlier").
    const why = await page.getByTestId("banner").textContent();
    await page.getByTestId("reset").click();
    await ready(page);
    await expect(page.getByTestId("banner")).toHaveText(why!);
    await page.getByTestId("play").click();
    await expect.poll(() => points(page), { timeout: 60_000 }).toBeGreaterThan(5);
    await expect(page.getByTestId("field-size")).toContainText(`${fmt(128 * dx_um)} µm × ${fmt(128 * dx_um)} µm, 128 × 128 cells`);
    await expect(page.getByTestId("field-size")).toContainText("CPU reference solver");
    // The field view draws the CPU worker's frames.
    const canvas = page.getByTestId("field-canvas");
    expect(metalShare(decodePng(await canvas.screenshot()))).toBeGreaterThan(0.02);
    await info.attach("CPU fallback", { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
    // The exports are of the grid that runs (their scale bars from its width), and named after it.
    const [png] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
    expect(png.suggestedFilename()).toMatch(/^zinc-bare-128x128-seed1-t\d+s\.png$/);
    const [csv] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    expect(csv.suggestedFilename()).toMatch(/^zinc-bare-128x128-seed1-t\d+s\.csv$/);
    // A comparison of this page's scenario falls back the same way, and its panel says what runs.
    await page.getByTestId("play").click();
    await page.getByTestId("compare").locator("summary").click();
    await page.getByTestId("compare-pick-0").selectOption("bare");
    await page.getByTestId("compare-pick-1").selectOption("cof");
    await page.getByTestId("compare-start").click();
    await expect(page.getByTestId("compare-play")).toBeEnabled({ timeout: 120_000 });
    await expect(page.getByTestId("compare-note")).toContainText("on a smaller 128 × 128 grid");
    await expect(page.getByTestId("compare-shared")).toContainText("128 × 128 cells");
    await expect(page.getByTestId("compare-shared")).toContainText(`Each pane is ${fmt(128 * dx_um)} µm wide`);
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
  }
});

test("a dendrite that reaches the top of the cell stops the run with why, the charts kept and finite", async ({ page }) => {
  test.setTimeout(180_000);
  const errors = watchErrors(page);
  // 100 mA/cm2 from a dilute, poorly conducting electrolyte (every value in range): dendrites cross the 29 um
  // above the substrate in about two minutes of plating.
  await page.goto("/?nx=32&ny=32&dx_um=1&current_mA_cm2=100&e.c0_M=0.05&e.sigma_mS_cm=1&duration_s=300&speed=20");
  await ready(page);
  await page.getByTestId("play").click();
  const stop = page.getByTestId("run-error");
  await expect(stop).toContainText("The run stopped: at t = ", { timeout: 150_000 });
  await expect(stop).toContainText("the deposit reached the top of the simulated cell");
  await expect(stop).toContainText("short-circuit a real cell");
  expect(await points(page)).toBeGreaterThan(5);
  // Nothing on the page reads NaN or Infinity.
  const text = (await page.locator("main").textContent()) ?? "";
  expect(text).not.toMatch(/NaN|Infinity/);
  expect(errors).toEqual([]);
});
