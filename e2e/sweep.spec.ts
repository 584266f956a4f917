/**
 * The in-app parameter sweep: a 1-axis sweep runs in the sweep worker, its CSV is the runner's CSV of the sweep
 * file the panel downloads (same numbers, same text), bad input is refused with the model's message, and Cancel
 * stops it after the current point. Small grids (32 x 32) and short runs keep it quick.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Download, type Page, type TestInfo } from "@playwright/test";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

test.describe.configure({ timeout: 180_000 });

/**
 * The runner's CSV against the app's: the same header, the same axis values and row count as text, and every
 * metric equal as text or within 1e-9 relative. Why not text alone: the app runs the same code (runCpu) in
 * Chromium's V8, the runner in Node's, and the two V8s round Math.exp, Math.log and x ** y differently in the last
 * bit for about one input in ten (Node 20 / V8 11.3 against Chromium 156), so a last digit can differ (seen:
 * 1e-15 relative; 1e-13 at most over hour-long runs). Where the engines agree, the texts are identical.
 */
function expectSameSweepCsv(runner: string, app: string, info: TestInfo) {
  if (runner === app) return;
  const a = runner.trimEnd().split("\n").map((l) => l.split(","));
  const b = app.trimEnd().split("\n").map((l) => l.split(","));
  expect(a[0]).toEqual(b[0]);
  expect(a.length).toBe(b.length);
  const axes = a[0]!.filter((h) => h.includes(".") || h === "current_mA_cm2" || h === "seed").length;
  let worst = 0;
  for (let i = 1; i < a.length; i++) {
    expect(a[i]!.slice(0, axes)).toEqual(b[i]!.slice(0, axes));
    expect(a[i]!.at(-1), `row ${i}: stopped`).toBe(b[i]!.at(-1));
    a[i]!.slice(axes, -1).forEach((t, k) => {
      const x = Number(t), y = Number(b[i]![axes + k]);
      const rel = x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
      worst = Math.max(worst, rel);
      expect(rel, `row ${i}, ${a[0]![axes + k]}: runner ${t}, app ${b[i]![axes + k]}`).toBeLessThan(1e-9);
    });
  }
  info.annotations.push({ type: "last-bit", description: `runner and app CSVs differ in the last digits only (max relative ${worst.toExponential(1)})` });
}

const panel = (page: Page) => page.getByTestId("sweep-panel");
const progressText = (page: Page) => page.getByTestId("sweep-progress-text");

async function setAxis(page: Page, opts: { param: string; from: string; to: string; steps: string; duration?: string }) {
  const p = panel(page);
  await p.getByLabel("Parameter", { exact: true }).selectOption(opts.param);
  await p.getByTestId("sweep-from-0").fill(opts.from);
  await p.getByTestId("sweep-to-0").fill(opts.to);
  await p.getByTestId("sweep-steps-0").fill(opts.steps);
  if (opts.duration) await p.getByLabel("Duration (s)").fill(opts.duration);
}

/**
 * Cancels the running sweep of `total` points while its first points run; returns the points done when it stopped.
 * Cancel goes as soon as it is enabled, not after a point is seen done: the points after the first take well under
 * a second each on 3 workers, so a sweep could end between two of the test's polls (it did once in CI, leaving
 * Cancel disabled). The points running when Cancel is pressed still end, so at least one row is kept.
 */
async function cancelWhileRunning(page: Page, total: number): Promise<number> {
  const p = panel(page);
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "running");
  await p.getByTestId("sweep-cancel").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "cancelled", { timeout: 120_000 });
  const done = Number((await progressText(page).textContent())!.split(" ")[0]);
  expect(done).toBeGreaterThan(0);
  expect(done).toBeLessThan(total);
  await expect(p.getByTestId("sweep-status")).toHaveText(`Cancelled after ${done} of ${total} points.`);
  return done;
}

/** Opens a 32 x 32 page on ZnF2, a coating whose t+ matters (bare Zn has no layer); the sweep takes it as its base. Returns the page's errors. */
async function openOnZnf2(page: Page): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  await page.locator('[role="option"][data-preset-id="znf2"]').click();
  await expect(page).toHaveURL(/preset=znf2/);
  return errors;
}

/** Runs the runner on the sweep file the panel downloaded; its CSV must be the app's (expectSameSweepCsv). */
function expectRunnerCsv(sweepFile: string, appCsv: string, info: TestInfo): void {
  const out = join(dirname(sweepFile), "runner.csv");
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/sim.ts", "--sweep", sweepFile, "--out", out], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  expectSameSweepCsv(readFileSync(out, "utf8"), appCsv, info);
}

async function save(download: Download, dir: string): Promise<string> {
  const file = join(dir, download.suggestedFilename());
  await download.saveAs(file);
  return file;
}

test("a sweep of t+ in the app gives the runner's CSV of the downloaded sweep file", { tag: "@fast" }, async ({ page }, info) => {
  const errors = await openOnZnf2(page);
  const p = panel(page);
  await expect(p.getByRole("heading", { name: "Parameter sweep" })).toBeVisible();
  await expect(p.getByTestId("sweep-note")).toContainText("(znf2)");
  // Every input and select of the panel has a label.
  for (const el of await p.locator("input, select").all()) {
    expect(await el.evaluate((e) => (e as HTMLInputElement).labels?.length || e.getAttribute("aria-label"))).toBeTruthy();
  }
  await setAxis(page, { param: "coating.t_plus", from: "0.3", to: "0.9", steps: "3", duration: "30" });
  await expect(p.getByTestId("sweep-grid")).toHaveValue("32");
  await expect(p.getByTestId("sweep-overrides")).toContainText("grid 32 × 32");
  await expect(p.getByTestId("sweep-overrides")).toContainText("duration 30 s");
  await expect(p.getByTestId("sweep-error")).toHaveCount(0);
  await p.getByTestId("sweep-start").click();
  await expect(progressText(page)).toHaveText("3 of 3 points", { timeout: 120_000 });
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done");
  await expect(p.getByTestId("sweep-progress")).toHaveJSProperty("value", 3);
  await expect(p.getByTestId("sweep-table").locator("tr[data-point]")).toHaveCount(3);
  // One line (a flat one has an empty box, so count it rather than ask for visibility).
  await expect(p.getByTestId("sweep-chart").locator(".recharts-line-curve")).toHaveCount(1);
  await info.attach("sweep done", { body: await p.screenshot(), contentType: "image/png" });
  // The panel with its results has no serious accessibility violation.
  const axe = await new AxeBuilder({ page }).include("[data-testid=sweep-panel]").analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  const dir = mkdtempSync(join(tmpdir(), "zil-sweep-"));
  const [csvDl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-csv").click()]);
  expect(csvDl.suggestedFilename()).toBe("zinc-sweep-coating.t_plus.csv");
  const appCsv = readFileSync(await save(csvDl, dir), "utf8");
  const [jsonDl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-json").click()]);
  const sweepFile = await save(jsonDl, dir);
  const sweep = JSON.parse(readFileSync(sweepFile, "utf8"));
  expect(sweep.base.coating.preset).toBe("znf2");
  expect(sweep.base.grid).toMatchObject({ nx: 32, ny: 32 });
  expect(sweep.base.duration_s).toBe(30);
  expect(sweep.axes).toEqual([{ param: "coating.t_plus", from: 0.3, to: 0.9, steps: 3, scale: "linear" }]);

  const lines = appCsv.trimEnd().split("\n");
  expect(lines).toHaveLength(4);
  expect(lines[0]!.startsWith("coating.t_plus,")).toBe(true);
  expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(["0.3", "0.6", "0.9"]);
  // t+ changes the outcome under ZnF2 (the rows are not one run three times).
  expect(new Set(lines.slice(1).map((l) => l.split(",").slice(1).join(","))).size).toBe(3);
  // The table shows each row as the CSV has it (the last column, stopped, empty: every point ran to its end).
  const rows = await p.getByTestId("sweep-table").locator("tr[data-point]").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.getAttribute("data-value")).join(",")));
  expect(rows).toEqual(lines.slice(1));
  // ... and shows it with at most four significant digits (three in exponent form), within rounding of the exact value.
  const cells = await p.getByTestId("sweep-table").locator("tr[data-point] td:not(:last-child)").evaluateAll((tds) =>
    tds.map((td) => [td.textContent ?? "", Number(td.getAttribute("data-value"))] as const));
  for (const [text, exact] of cells) {
    expect(text.replace(/e.*$/, "").replace(/[-.]/g, "").replace(/^0+/, "").length, text).toBeLessThanOrEqual(4);
    expect(Math.abs(Number(text) - exact), text).toBeLessThanOrEqual(5e-3 * Math.abs(exact) + 1e-12);
  }

  expectRunnerCsv(sweepFile, appCsv, info);
  expect(errors).toEqual([]);
});

test("bad input shows the model's message beside the inputs and does not start", async ({ page }) => {
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  await setAxis(page, { param: "coating.t_plus", from: "0.3", to: "1.5", steps: "3", duration: "30" });
  const error = p.getByTestId("sweep-error");
  await expect(error).toContainText('First parameter, "To": coating.t_plus = 1.5 is out of range: allowed 0.1 to 1');
  await expect(p.getByTestId("sweep-to-0")).toHaveAttribute("aria-invalid", "true");
  await p.getByTestId("sweep-start").click();
  await expect(error).toContainText("not started");
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "idle");
  await expect(progressText(page)).toHaveText("0 of 0 points");
  await expect(p.getByTestId("sweep-csv")).toBeDisabled();
  // Too many points and a non-number are refused too; a good value clears the message.
  await p.getByTestId("sweep-to-0").fill("0.9");
  await p.getByTestId("sweep-steps-0").fill("25");
  await expect(error).toContainText('First parameter, "Steps" = 25 is out of range: a whole number from 2 to 20');
  await p.getByTestId("sweep-steps-0").fill("3");
  await p.getByLabel("Duration (s)").fill("abc");
  await expect(error).toContainText('Duration (s) must be a number, got "abc"');
  await p.getByLabel("Duration (s)").fill("30");
  await expect(error).toHaveCount(0);
  await expect(progressText(page)).toHaveText("0 of 3 points");
});

test("a coating property swept on bare Zn is flagged before it runs (every row would be the same); gone on a coated preset", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?preset=bare&nx=32&ny=32&dx_um=1");
  const p = panel(page);
  const warning = p.getByTestId("sweep-no-effect");
  // The case: bare Zn, t+ from 0.3 to 1.
  await setAxis(page, { param: "coating.t_plus", from: "0.3", to: "1", steps: "3", duration: "30" });
  await expect(warning).toBeVisible();
  await expect(warning).toContainText("Zn²⁺ transference number is a property of the coating layer, and this scenario has none (coating thickness 0 nm): every row will be the same.");
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "idle");
  // A property that acts on the bare metal (its H adsorption energy), or the current: no warning.
  await setAxis(page, { param: "coating.dG_H_eV", from: "0.5", to: "2", steps: "3" });
  await expect(warning).toHaveCount(0);
  await setAxis(page, { param: "coating.E_GPa", from: "1", to: "50", steps: "3" });
  await expect(warning).toContainText("Young's modulus (GPa) is a property of the coating layer");
  // With a layer (ZnF2), the same sweep acts: no warning.
  await page.locator('[role="option"][data-preset-id="znf2"]').click();
  await expect(page).toHaveURL(/preset=znf2/);
  await expect(warning).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("Cancel stops the sweep after the current point; Continue finishes it", async ({ page }) => {
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  await setAxis(page, { param: "coating.t_plus", from: "0.1", to: "1", steps: "20", duration: "1200" });
  await p.getByTestId("sweep-start").click();
  await expect(p.getByTestId("sweep-start")).toBeDisabled();
  const done = await cancelWhileRunning(page, 20);
  await page.waitForTimeout(3000);
  await expect(progressText(page)).toHaveText(`${done} of 20 points`);
  await expect(p.getByTestId("sweep-table").locator("tr[data-point]")).toHaveCount(done);
  await expect(p.getByTestId("sweep-start")).toBeEnabled();
  // The CSV keeps the points done, as an interrupted runner sweep does.
  const [dl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-csv").click()]);
  const text = readFileSync((await dl.path())!, "utf8");
  expect(text.trimEnd().split("\n")).toHaveLength(done + 1);
  // Continue goes on from the next point, keeping the rows done.
  const first = await p.getByTestId("sweep-table").locator("tr[data-point]").first().textContent();
  await p.getByTestId("sweep-continue").click();
  await expect(p.getByTestId("sweep-continue")).toHaveCount(0);
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 300_000 });
  await expect(p.getByTestId("sweep-table").locator("tr[data-point]")).toHaveCount(20);
  await expect(p.getByTestId("sweep-table").locator("tr[data-point]").first()).toHaveText(first!);
});

test("on a 4-core computer three workers run the points side by side: Cancel keeps the rows without a gap, Continue ends at the runner's CSV", async ({ page }, info) => {
  // This machine's core count as the page sees it (CI has 2, which gives one worker, as the tests above run).
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, "hardwareConcurrency", { get: () => 4 }));
  const errors = await openOnZnf2(page);
  const p = panel(page);
  // 4800 s a point (a second or two each here): at 1200 s the 12 points once all ended in 5.3 s, before the
  // Cancel pressed as the sweep ran took effect on a loaded machine, so nothing was left to cancel.
  await setAxis(page, { param: "coating.t_plus", from: "0.1", to: "1", steps: "12", duration: "4800" });
  await p.getByTestId("sweep-start").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-workers", "3");
  await expect(p.getByTestId("sweep-status")).toContainText("Running 3 points at a time");
  const done = await cancelWhileRunning(page, 12);
  // The rows are the first `done` points, in order, none missing (checked against the whole sweep's below).
  const firstColumn = () => p.getByTestId("sweep-table").locator("tr[data-point] td:first-child").allTextContents();
  const partial = await firstColumn();
  expect(partial).toHaveLength(done);
  await p.getByTestId("sweep-continue").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 300_000 });
  const axis = (await firstColumn()).map(Number);
  expect(axis).toHaveLength(12);
  expect(axis[0]).toBe(0.1);
  expect(axis[11]).toBe(1);
  axis.slice(1).forEach((v, i) => expect(v).toBeGreaterThan(axis[i]!));
  expect(partial.map(Number)).toEqual(axis.slice(0, done));

  const dir = mkdtempSync(join(tmpdir(), "zil-sweep-"));
  const [csvDl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-csv").click()]);
  const appCsv = readFileSync(await save(csvDl, dir), "utf8");
  const [jsonDl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-json").click()]);
  const sweepFile = await save(jsonDl, dir);
  expectRunnerCsv(sweepFile, appCsv, info);
  expect(errors).toEqual([]);
});

test("a point whose dendrite crosses the cell is recorded at its last sample and named; the sweep goes on", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  // Bare Zn for 600 s: at 100 mA/cm2 a dendrite reaches the top of the 32 x 32 cell; at 10 it does not.
  await setAxis(page, { param: "current_mA_cm2", from: "100", to: "10", steps: "2", duration: "600" });
  await p.getByTestId("sweep-start").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 120_000 });
  await expect(p.getByTestId("sweep-table").locator("tr[data-point]")).toHaveCount(2);
  await expect(p.getByTestId("sweep-stopped").locator("li")).toHaveCount(1);
  await expect(p.getByTestId("sweep-stopped")).toContainText(/Point 1 \(100\): the run stopped at t = [\d.]+ s: the deposit reached the top of the simulated cell/);
  await expect(p.getByTestId("sweep-table").locator('tr[data-point="0"]')).toHaveAttribute("data-stopped", "true");
  await expect(p.getByTestId("sweep-table").locator('tr[data-point="1"]')).not.toHaveAttribute("data-stopped", /.*/);
  // Its stopped column says how, as the CSV's does; the other's is empty.
  const stoppedCells = p.getByTestId("sweep-table").locator("tr[data-point] td:last-child");
  await expect(stoppedCells.nth(0)).toHaveText("dendrite across the cell");
  await expect(stoppedCells.nth(0)).toHaveAttribute("data-value", "dendrite");
  await expect(stoppedCells.nth(1)).toHaveAttribute("data-value", "");
  const [dl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-csv").click()]);
  const csv = readFileSync((await dl.path())!, "utf8").trim().split("\n");
  expect(csv.map((l) => l.split(",").at(-1))).toEqual(["stopped", "dendrite", ""]);
  expect(errors).toEqual([]);
});

test("two axes: one row per point, first axis outer, and one line per value of the second axis", async ({ page }, info) => {
  // Four CPU runs in the worker beside the page's own GPU run: on a loaded 2-core machine this took over 2 minutes once.
  test.setTimeout(360_000);
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  await setAxis(page, { param: "coating.E_GPa", from: "1", to: "100", steps: "2", duration: "20" });
  await expect(p.getByTestId("sweep-scale-0")).toHaveValue("log");
  await p.getByLabel("Second parameter").selectOption("current_mA_cm2");
  await p.getByTestId("sweep-from-1").fill("5");
  await p.getByTestId("sweep-to-1").fill("20");
  await p.getByTestId("sweep-steps-1").fill("2");
  await p.getByTestId("sweep-scale-1").selectOption("linear");
  await p.getByTestId("sweep-metric").selectOption("max_height_um");
  await p.getByTestId("sweep-start").click();
  await expect(progressText(page)).toHaveText("4 of 4 points", { timeout: 300_000 });
  await expect(p.getByTestId("sweep-table").locator("thead th code")).toHaveText(["coating.E_GPa", "current_mA_cm2", "voltage_V", "uniformity",
    "roughness_um", "max_height_um", "her_mA_cm2", "h2_mmol_cm2", "ce", "min_surface_c_M", "cracked_fraction", "stopped"]);
  const axes = await p.getByTestId("sweep-table").locator("tr[data-point]").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].slice(0, 2).map((td) => td.textContent).join(" ")));
  expect(axes).toEqual(["1 5", "1 20", "100 5", "100 20"]);
  await expect(p.getByTestId("sweep-chart").locator(".recharts-line")).toHaveCount(2);
  await expect(p.getByTestId("sweep-chart")).toContainText("current_mA_cm2 = 20");
  await expect(p.getByTestId("sweep-chart")).toContainText("Max height (µm)");
  await info.attach("two axes", { body: await p.screenshot(), contentType: "image/png" });
  const [dl] = await Promise.all([page.waitForEvent("download"), p.getByTestId("sweep-csv").click()]);
  expect(dl.suggestedFilename()).toBe("zinc-sweep-coating.E_GPa-current_mA_cm2.csv");
});

test("a reload mid-sweep loses no point: Resume finishes it, to the rows of the same sweep never interrupted", async ({ page }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  const rows = () => p.getByTestId("sweep-table").locator("tr[data-point]").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.getAttribute("data-value")).join(",")));
  // A few seconds a point, so the reload lands between the first point and the last.
  const axis = { param: "coating.t_plus", from: "0.2", to: "1", steps: "5", duration: "5000" };
  await setAxis(page, axis);
  await p.getByTestId("sweep-start").click();
  await expect(progressText(page)).toHaveText(/^[1-4] of 5 points$/, { timeout: 180_000 });
  const before = Number((await progressText(page).textContent())!.split(" ")[0]);
  await page.reload();

  const saved = p.getByTestId("sweep-saved");
  await expect(saved).toContainText(/An unfinished sweep from an earlier visit: [1-4] of 5 points done/);
  await expect(saved).toContainText("grid 32 × 32 cells, 5000 s");
  const kept = Number((await saved.textContent())!.match(/([1-4]) of 5 points done/)![1]);
  expect(kept).toBeGreaterThanOrEqual(before);
  // Mark point 1's roughness in storage (a value still valid): the resumed table must show it, which it would not if
  // the panel ran the sweep again from the start instead of from the stored rows.
  await page.evaluate(() => {
    const keys = Object.keys(localStorage).filter((k) => k.startsWith("zil.sweep.v2."));
    if (keys.length !== 1) throw new Error(`one stored sweep expected, found ${keys.length}`);
    const v = JSON.parse(localStorage.getItem(keys[0]!)!);
    v.rows[0].roughness_um = 123.456;
    localStorage.setItem(keys[0]!, JSON.stringify(v));
  });
  await page.reload();
  await expect(saved).toContainText(`${kept} of 5 points done`);
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "idle");
  await p.getByTestId("sweep-resume").click();
  await expect(saved).toHaveCount(0);
  await expect(p.getByTestId("sweep-status")).toBeFocused();
  // The note names what the resumed sweep runs on (its stored 5000 s), not the form's duration after the reload.
  await expect(p.getByTestId("sweep-overrides")).toContainText("grid 32 × 32 cells");
  await expect(p.getByTestId("sweep-overrides")).toContainText("duration 5000 s (page: ");
  // The resumed sweep starts at the points kept (a fast point may already be done by the time this reads it).
  await expect(progressText(page)).toHaveText(new RegExp(`^[${kept}-5] of 5 points$`));
  expect(await p.getByTestId("sweep-table").locator("tr[data-point]").count()).toBeGreaterThanOrEqual(kept);
  await expect(progressText(page)).toHaveText("5 of 5 points", { timeout: 300_000 });
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done");
  const resumed = await rows();
  expect(resumed).toHaveLength(5);
  expect(resumed[0]!.split(",")[3]).toBe("123.456");

  // The same sweep from the start, never interrupted: the same rows (point 1's but for the mark).
  await setAxis(page, axis);
  await p.getByTestId("sweep-start").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 300_000 });
  const whole = await rows();
  expect(resumed.slice(1)).toEqual(whole.slice(1));
  const unmark = (row: string) => row.split(",").filter((_, k) => k !== 3);
  expect(unmark(resumed[0]!)).toEqual(unmark(whole[0]!));
  expect(whole[0]!.split(",")[3]).not.toBe("123.456");
  // A finished sweep leaves nothing to resume.
  await page.reload();
  await expect(p.getByRole("heading", { name: "Parameter sweep" })).toBeVisible();
  await expect(p).toHaveAttribute("data-stored", "read");
  await expect(saved).toHaveCount(0);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("zil.sweep.")))).toEqual([]);
  expect(errors).toEqual([]);
});

test("a saved sweep that cannot be read is discarded with the reason, and the panel works on", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1");
  const p = panel(page);
  const saved = p.getByTestId("sweep-saved");
  const discarded = p.getByTestId("sweep-saved-errors");
  // The page reads (and discards) what is stored once, at start: a value stored before that read would be read and
  // removed by this page, not by the reloaded one (a fresh-clone CI run saw the first case's message missing so).
  await expect(p).toHaveAttribute("data-stored", "read");
  // Stored under the first storage version's key (one sweep for all tabs), which is still read.
  const cases: [string, RegExp][] = [
    ["{broken", /could not be read and was discarded: .*JSON/],
    [JSON.stringify({ sweep: { base: {}, axes: [{ param: "coating.t_plus", from: 0.3, to: 1.5, steps: 3 }] }, rows: [] }), /discarded: axes\[0\]\.to: coating\.t_plus = 1\.5 is out of range/],
  ];
  for (const [text, message] of cases) {
    await page.evaluate((t) => localStorage.setItem("zil.sweep.v1", t), text);
    await page.reload();
    await expect(discarded).toContainText(message);
    await expect(saved).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem("zil.sweep.v1"))).toBeNull();
  }
  await p.getByTestId("sweep-saved-dismiss").click();
  await expect(discarded).toHaveCount(0);
  await expect(p.getByTestId("sweep-status")).toBeFocused();
  // A good stored sweep, discarded: gone from the panel and from storage.
  const row = { t_s: 20, voltage_V: -0.05, uniformity: 0.8, roughness_um: 0.1, max_height_um: 1, her_mA_cm2: 0.03, h2_mmol_cm2: 1e-6, ce: 0.99, min_surface_c_M: 1.9, cracked_fraction: 0 };
  const good = { sweep: { base: { grid: { nx: 32, ny: 32, dx_um: 1 }, duration_s: 20, coating: { preset: "znf2" } }, axes: [{ param: "coating.t_plus", from: 0.3, to: 0.9, steps: 3 }] }, rows: [row] };
  await page.evaluate((t) => localStorage.setItem("zil.sweep.v1", t), JSON.stringify(good));
  await page.reload();
  await expect(saved).toContainText("1 of 3 points done");
  await p.getByTestId("sweep-discard").click();
  await expect(saved).toHaveCount(0);
  await expect(p.getByTestId("sweep-status")).toBeFocused();
  expect(await page.evaluate(() => localStorage.getItem("zil.sweep.v1"))).toBeNull();
  await setAxis(page, { param: "coating.t_plus", from: "0.3", to: "0.9", steps: "2", duration: "20" });
  await p.getByTestId("sweep-start").click();
  await expect(p.getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 120_000 });
  await expect(saved).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("sweeps in two tabs keep their own points: a tab neither offers nor clears the other's, and a closed tab's sweep is resumed in the other", async ({ context }) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  const [a, b] = [await context.newPage(), await context.newPage()];
  for (const page of [a, b]) page.on("pageerror", (e) => errors.push(e.message));
  const storedKeys = (page: Page) => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("zil.sweep.")).sort());
  // Tab A: a slow sweep (a few seconds a point, 10 points: B's whole sweep fits in what is left of it), stored from
  // its first point on.
  await a.goto("/?nx=32&ny=32&dx_um=1");
  await setAxis(a, { param: "coating.t_plus", from: "0.1", to: "1", steps: "10", duration: "5000" });
  await panel(a).getByTestId("sweep-start").click();
  await expect(progressText(a)).toHaveText(/^[1-2] of 10 points$/, { timeout: 180_000 });
  const aKeys = await storedKeys(a);
  expect(aKeys).toHaveLength(1);
  // Tab B (same storage, its own session) does not offer A's sweep while A runs it: A holds it.
  await b.goto("/?nx=32&ny=32&dx_um=1");
  await expect(panel(b)).toHaveAttribute("data-stored", "read");
  await expect(panel(b).getByTestId("sweep-saved")).toHaveCount(0);
  // B runs a sweep of its own to the end: that clears B's points only.
  await setAxis(b, { param: "coating.t_plus", from: "0.3", to: "0.9", steps: "2", duration: "20" });
  await panel(b).getByTestId("sweep-start").click();
  await expect(panel(b).getByTestId("sweep-status")).toHaveAttribute("data-state", "done", { timeout: 120_000 });
  expect(await storedKeys(b)).toEqual(aKeys);
  // A is closed mid-sweep (as a crash would end it): B, reloaded, offers A's sweep with the points A stored.
  await expect(progressText(a)).toHaveText(/^[1-9] of 10 points$/);
  await a.close();
  // The browser lets go of a closed page's lock by itself, a moment after the close.
  const offer = panel(b).getByTestId("sweep-saved");
  await expect(async () => {
    await b.reload();
    await expect(panel(b)).toHaveAttribute("data-stored", "read");
    await expect(offer).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: 60_000 }); // a reload takes seconds on a loaded 2-core machine (15 s ran out there once)
  const kept = (JSON.parse((await b.evaluate((k) => localStorage.getItem(k), aKeys[0]!))!) as { rows: unknown[] }).rows.length;
  expect(kept).toBeGreaterThanOrEqual(1);
  await expect(offer).toContainText(`${kept} of 10 points done`);
  await expect(offer).toContainText("grid 32 × 32 cells, 5000 s");
  await panel(b).getByTestId("sweep-resume").click();
  await expect(progressText(b)).toHaveText("10 of 10 points", { timeout: 300_000 });
  await expect(panel(b).getByTestId("sweep-status")).toHaveAttribute("data-state", "done");
  await expect(panel(b).getByTestId("sweep-table").locator("tr[data-point]")).toHaveCount(10);
  expect(await storedKeys(b)).toEqual([]);
  expect(errors).toEqual([]);
});

/** Issue 26, item 6: at 1366 x 768 the results table fits its column: no horizontal scrolling, nothing cut off. */
test("the results table fits its column at 1366 x 768: no horizontal overflow", async ({ page }, info) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const errors = await openOnZnf2(page);
  const p = panel(page);
  await setAxis(page, { param: "coating.t_plus", from: "0.3", to: "0.9", steps: "2", duration: "20" });
  await p.getByTestId("sweep-start").click();
  await expect(progressText(page)).toHaveText("2 of 2 points", { timeout: 150_000 });
  const table = p.getByTestId("sweep-table");
  await expect(table.locator("tr[data-point]")).toHaveCount(2);
  const m = await table.evaluate((t) => {
    const wrap = t.parentElement!, panelBox = t.closest("[data-testid=sweep-panel]")!.getBoundingClientRect();
    // The cells shown (a header kept for screen readers only is 1 px, out of sight).
    const cells = [...t.querySelectorAll("th, td")].map((c) => c.getBoundingClientRect()).filter((r) => r.width > 2 && r.height > 2);
    return {
      wrapScroll: wrap.scrollWidth, wrapClient: wrap.clientWidth, tableWidth: t.getBoundingClientRect().width,
      panelLeft: panelBox.left, panelRight: panelBox.right,
      cellsLeft: Math.min(...cells.map((c) => c.left)), cellsRight: Math.max(...cells.map((c) => c.right)),
      docScroll: document.documentElement.scrollWidth, docClient: document.documentElement.clientWidth,
      columns: t.querySelectorAll("thead th").length,
    };
  });
  console.log(`sweep table at 1366 x 768: ${m.columns} columns, table ${m.tableWidth.toFixed(0)} px, its box ${m.wrapClient} px (scroll width ${m.wrapScroll}); cells ${m.cellsLeft.toFixed(0)} to ${m.cellsRight.toFixed(0)} in the panel ${m.panelLeft.toFixed(0)} to ${m.panelRight.toFixed(0)}; page ${m.docScroll} / ${m.docClient}`);
  await info.attach("sweep table at 1366 x 768", { body: await p.screenshot(), contentType: "image/png" });
  expect(m.columns).toBe(11);
  expect(m.wrapScroll, "the table's box scrolls sideways").toBeLessThanOrEqual(m.wrapClient);
  expect(m.cellsRight).toBeLessThanOrEqual(m.panelRight + 0.5);
  expect(m.cellsLeft).toBeGreaterThanOrEqual(m.panelLeft - 0.5);
  expect(m.docScroll, "the page scrolls sideways").toBeLessThanOrEqual(m.docClient);
  expect(errors).toEqual([]);
});
