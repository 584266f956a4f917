/**
 * The guided lessons and presenter mode in real Chromium. Each lesson is walked through its steps, one step's
 * scenario is loaded into the field view, and the answer step's table (the lesson's own comparison run in the
 * lesson worker) must show the direction the lesson teaches. Presenter mode: `p`, Space, number keys, `?` and
 * Escape, and axe with the mode on. Small grids (32 x 32) keep SwiftShader quick.
 */
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { checkTrends, formatMetric, LESSONS, type Lesson } from "../src/ui/lessonData.ts";
import { labelText } from "../src/ui/text.ts";

const SMALL = "nx=32&ny=32&dx_um=1";
// Each page load (and each restart) builds the engine's pipelines on SwiftShader (seconds each).
test.describe.configure({ timeout: 420_000 });

async function ready(page: Page) {
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("play")).toHaveText("Play");
}

/** The root element's font size (px): presenter mode's type size against the page's own. */
const rootFont = (page: Page) => page.locator("html").evaluate((e) => parseFloat(getComputedStyle(e).fontSize));

/** Nothing focused: the keys go to the page, as after a click on empty space. */
const blur = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

/** The answer table's numbers: values[row][metric], as lesson.scenarios and lesson.metrics order them. */
async function tableValues(page: Page, lesson: Lesson): Promise<number[][]> {
  const table = page.getByTestId("lesson-table");
  const out: number[][] = [];
  for (const s of lesson.scenarios) {
    const row: number[] = [];
    for (const m of lesson.metrics) {
      const cell = table.locator(`tr[data-scenario="${s.id}"] td[data-metric="${m.field}"]`);
      const raw = await cell.getAttribute("data-value");
      expect(raw, `${s.id} / ${m.field}`).not.toBe("");
      const v = Number(raw);
      expect(Number.isFinite(v)).toBe(true);
      // The cell shows the same number as its data-value.
      await expect(cell).toHaveText(formatMetric(m, v));
      row.push(v);
    }
    out.push(row);
  }
  return out;
}

for (const [n, lesson] of LESSONS.entries()) {
  // Lesson II is the inner loop's (npm run test:fast) one lesson: the quickest of the three.
  test(`lesson ${lesson.id} (${lesson.title}): the steps, a step in the field view, and the run's numbers show the trend`, { tag: lesson.id === "II" ? ["@fast"] : [] }, async ({ page }, info) => {
    const errors = watchErrors(page);
    await page.goto(`/?${SMALL}`);
    await ready(page);
    await page.getByTestId(`lesson-open-${lesson.id}`).click();
    await expect(page.getByTestId(`lesson-open-${lesson.id}`)).toHaveAttribute("aria-pressed", "true");
    const panel = page.getByTestId("lesson-panel");
    await expect(panel).toHaveAttribute("data-lesson", lesson.id);
    const step = page.getByTestId("lesson-step");
    // The first lesson is walked with the arrow keys, the others with the buttons.
    const byKeys = n === 0;
    let shown = false;
    for (const [i, s] of lesson.steps.entries()) {
      await expect(step).toHaveAttribute("data-step", String(i));
      await expect(step.locator("h4")).toContainText(`Step ${i + 1} of ${lesson.steps.length}:`);
      await expect(step.locator("h4")).toContainText(s.title);
      // As the page prints them: Zn²⁺, ZnSO₄, mA/cm² (src/ui/text.ts).
      if (s.set) await expect(step).toContainText(labelText(s.set));
      if (s.watch) await expect(step).toContainText(labelText(s.watch));
      if (s.question) await expect(page.getByTestId("lesson-question")).toContainText(labelText(s.question));
      if (s.scenario) {
        const show = page.getByTestId("lesson-show");
        await expect(show).toBeVisible();
        // Load the second scenario step into the field view: the preset, its overrides and the layer follow.
        if (!shown && s.scenario !== "bare") {
          shown = true;
          const row = lesson.scenarios.find((r) => r.id === s.scenario)!;
          await show.click();
          await ready(page);
          await expect(page.locator('[role="option"][aria-selected="true"]')).toHaveAttribute("data-preset-id", row.coating.preset);
          await expect(page).toHaveURL(new RegExp(`preset=${row.coating.preset}`));
          for (const [k, v] of Object.entries(row.coating)) if (k !== "preset") await expect(page).toHaveURL(new RegExp(`c\\.${k}=${v}(&|$)`));
          if (s.layer) await expect(page.locator(`input[name="field-layer"][value="${s.layer}"]`)).toBeChecked();
          await expect(page.getByTestId("sim-time")).toContainText("t = 0 s");
        }
      }
      if (i < lesson.steps.length - 1) {
        if (byKeys) {
          await blur(page);
          await page.keyboard.press("ArrowRight");
        } else {
          await page.getByTestId("lesson-next").click();
        }
      }
    }
    expect(shown).toBe(true);
    // The last step: ArrowRight does nothing more; ArrowLeft goes back and forth again.
    if (byKeys) {
      await page.keyboard.press("ArrowRight");
      await expect(step).toHaveAttribute("data-step", String(lesson.steps.length - 1));
      await page.keyboard.press("ArrowLeft");
      await expect(step).toHaveAttribute("data-step", String(lesson.steps.length - 2));
      await page.keyboard.press("ArrowRight");
    }
    const table = page.getByTestId("lesson-table");
    // The lessons run at the converged 0.5 µm cells (lesson I on 128 x 256 of them): up to minutes on SwiftShader's machine.
    await expect(table).toHaveAttribute("data-complete", "true", { timeout: 360_000 });
    await expect(page.getByTestId("lesson-run-status")).toHaveAttribute("data-state", "done");
    // Units in the column headings.
    for (const m of lesson.metrics) if (m.unit) await expect(table.locator("thead")).toContainText(`(${m.unit})`);
    const values = await tableValues(page, lesson);
    const trends = checkTrends(lesson, values);
    info.annotations.push({
      type: `lesson ${lesson.id}`,
      description: lesson.scenarios.map((s, i) => `${s.label}: ${lesson.metrics.map((m, k) => `${m.field} ${formatMetric(m, values[i]![k]!)}${m.unit ? " " + m.unit : ""}`).join(", ")}`).join("; "),
    });
    for (const t of trends) expect(t.holds, `${t.trend.text}: ${t.a} vs ${t.b}`).toBe(true);
    await expect(page.getByTestId("lesson-trends").locator('[data-holds="false"]')).toHaveCount(0);
    await expect(page.getByTestId("lesson-trends").locator('[data-holds="true"]')).toHaveCount(lesson.trends.length);
    // The answer is written with the table's numbers.
    const answer = page.getByTestId("lesson-answer");
    await expect(answer).toBeVisible();
    const firstTrend = lesson.trends[0]!;
    const k = lesson.metrics.findIndex((m) => m.field === firstTrend.metric);
    const a = lesson.scenarios.findIndex((s) => s.id === firstTrend.a);
    const shownA = formatMetric(lesson.metrics[k]!, values[a]![k]!);
    await expect(answer).toContainText(shownA);
    await expect(answer).not.toContainText("NaN");
    await info.attach(`lesson ${lesson.id} answer`, { body: await panel.screenshot(), contentType: "image/png" });
    expect(errors).toEqual([]);
  });
}

test("presenter mode: p toggles it, Space plays and pauses, 2 picks the second coating, ? opens the shortcut sheet", { tag: "@fast" }, async ({ page }) => {
  const errors = watchErrors(page);
  // A projector of 1080 lines: the type a quarter larger (a shorter screen gives the field the room: the test below).
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`/?${SMALL}`);
  await ready(page);
  const html = page.locator("html");
  const normalFont = await rootFont(page);

  await page.keyboard.press("p");
  await expect(html).toHaveClass(/(^|\s)presenter(\s|$)/);
  await expect(page.getByTestId("presenter-toggle")).toHaveAttribute("aria-pressed", "true");
  expect(await rootFont(page)).toBeGreaterThanOrEqual(normalFont * 1.25);
  await expect(page.getByTestId("sweep-panel")).toBeHidden();
  await expect(page.getByRole("region", { name: "Design card" })).toBeHidden();
  await page.keyboard.press("p");
  await expect(html).not.toHaveClass(/(^|\s)presenter(\s|$)/);
  await expect(page.getByTestId("sweep-panel")).toBeVisible();
  expect(await rootFont(page)).toBe(normalFont);

  // Space: play, then pause.
  const play = page.getByTestId("play");
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Pause");
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Play");
  // After a click on a button, a layer or a coating, Space still plays: it does not press that button again.
  await page.getByTestId("presenter-toggle").click();
  await expect(html).toHaveClass(/(^|\s)presenter(\s|$)/);
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Pause");
  await expect(html).toHaveClass(/(^|\s)presenter(\s|$)/);
  await page.getByRole("radio", { name: "Potential" }).click();
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Play");
  await expect(page.getByRole("radio", { name: "Potential" })).toBeChecked();
  await page.getByTestId("presenter-toggle").click();
  await expect(html).not.toHaveClass(/(^|\s)presenter(\s|$)/);
  await page.locator('[role="option"][data-preset-id="cof"]').click();
  await ready(page);
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Pause");
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Play");
  await expect(page.locator('[role="option"][aria-selected="true"]')).toHaveAttribute("data-preset-id", "cof");

  // Typing in a field is not a shortcut.
  const seed = page.locator(".run-bar .seed input");
  await seed.focus();
  await page.keyboard.press("p");
  await expect(html).not.toHaveClass(/(^|\s)presenter(\s|$)/);
  await blur(page);

  // 2: the second coating of the list.
  const second = await page.locator('[role="option"]').nth(1).getAttribute("data-preset-id");
  await page.keyboard.press("2");
  await expect(page.locator('[role="option"][aria-selected="true"]')).toHaveAttribute("data-preset-id", second!);
  await ready(page);

  // ?: the sheet, a labelled modal dialog; Escape closes it and focus comes back.
  await page.keyboard.press("?");
  const sheet = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(sheet).toBeVisible();
  await expect(sheet.getByRole("heading", { name: "Keyboard shortcuts" })).toBeVisible();
  await expect(sheet).toContainText("Play or pause the run");
  await expect(page.getByTestId("shortcuts-close")).toBeFocused();
  // While it is open, shortcuts are off (Space would otherwise toggle the run).
  await page.keyboard.press("p");
  await expect(html).not.toHaveClass(/(^|\s)presenter(\s|$)/);
  await page.keyboard.press("Escape");
  await expect(sheet).toBeHidden();
  // The button opens it too.
  await page.getByTestId("shortcuts-open").click();
  await expect(sheet).toBeVisible();
  await page.getByTestId("shortcuts-close").click();
  await expect(sheet).toBeHidden();
  await expect(page.getByTestId("shortcuts-open")).toBeFocused();
  expect(errors).toEqual([]);
});

test("Show in the field view while a run plays, then Space: the shown step plays (Space does not pause it)", { tag: "@fast" }, async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto(`/?${SMALL}`);
  await ready(page);
  const play = page.getByTestId("play");
  await play.click();
  await expect(play).toHaveText("Pause");
  const lesson = LESSONS[1]!;
  await page.getByTestId(`lesson-open-${lesson.id}`).click();
  await page.getByTestId("lesson-show").click();
  // The step's scenario, loaded at t = 0 and ready to play.
  await expect(page.locator('[role="option"][aria-selected="true"]')).toHaveAttribute("data-preset-id", lesson.scenarios[0]!.coating.preset);
  await expect(page.getByTestId("sim-time")).toContainText("t = 0 s");
  await expect(play).toBeEnabled({ timeout: 90_000 });
  // The README's next move: Space. The shown run plays, and keeps playing.
  await page.keyboard.press("Space");
  await expect(play).toHaveText("Pause");
  const seconds = async () => Number((await page.getByTestId("sim-time").textContent())!.replace(/[^\d.]/g, ""));
  await expect.poll(seconds, { timeout: 60_000 }).toBeGreaterThan(0);
  await page.waitForTimeout(1500);
  await expect(play).toHaveText("Pause");
  expect(errors).toEqual([]);
});

test("axe finds no serious violation with presenter mode on, a lesson open at its answer and the sheet open", async ({ page }) => {
  await page.goto(`/?${SMALL}`);
  await ready(page);
  await page.getByTestId("presenter-toggle").click();
  await expect(page.locator("html")).toHaveClass(/(^|\s)presenter(\s|$)/);
  const lesson = LESSONS[1]!;
  await page.getByTestId(`lesson-open-${lesson.id}`).click();
  for (let i = 1; i < lesson.steps.length; i++) await page.getByTestId("lesson-next").click();
  // "Next step" disabled itself at the last step: the focus went to "Previous step", not to the page.
  await expect(page.getByTestId("lesson-prev")).toBeFocused();
  await expect(page.getByTestId("lesson-table")).toHaveAttribute("data-complete", "true", { timeout: 300_000 });
  // The lesson's numbers in presenter type: its cells as large as the body text, its headings at least 0.9 of it.
  const font = (selector: string) => page.getByTestId("lesson-table").locator(selector).first().evaluate((e) => parseFloat(getComputedStyle(e).fontSize));
  const root = await rootFont(page);
  expect(await font("tbody td")).toBeGreaterThanOrEqual(root);
  expect(await font("thead th")).toBeGreaterThanOrEqual(0.9 * root - 0.01);
  const serious = async () => {
    const results = await new AxeBuilder({ page }).analyze();
    return results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  };
  expect(await serious()).toEqual([]);
  await page.getByTestId("shortcuts-open").click();
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  expect(await serious()).toEqual([]);
  // Closing the lesson gives the focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await page.getByTestId("lesson-close").click();
  await expect(page.getByTestId(`lesson-open-${lesson.id}`)).toBeFocused();
});

test("presenter mode on a projector's screen: the run bar, the whole field and (on a short screen) the first sliders show above the fold; at 1080 lines the field takes 70 % of the height", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(`/?${SMALL}`);
  await ready(page);
  const html = page.locator("html");
  const normalFont = await rootFont(page);
  await page.getByTestId("presenter-toggle").click();
  await expect(html).toHaveClass(/(^|\s)presenter(\s|$)/);
  // A few samples, so that the charts draw their axes.
  await page.getByTestId("play").click();
  await expect(page.locator(".chart-plot text.recharts-cartesian-axis-tick-value").first()).toBeAttached({ timeout: 60_000 });
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Play");
  for (const [width, height] of [[1280, 720], [1366, 768], [1280, 800], [1280, 1024], [1920, 1080]] as const) {
    const at = `at ${width} x ${height}`;
    await page.setViewportSize({ width, height });
    await page.evaluate(() => window.scrollTo(0, 0));
    const field = await page.locator(".field-viewport").boundingBox();
    const play = await page.getByTestId("play").boundingBox();
    expect(field, at).not.toBeNull();
    expect(field!.y + field!.height, `the field's bottom ${at}`).toBeLessThanOrEqual(height);
    expect(field!.width, `the field's size ${at}`).toBeGreaterThanOrEqual(0.45 * height);
    expect(play!.y + play!.height, `Play ${at}`).toBeLessThanOrEqual(field!.y);
    if (height >= 1000) {
      // A room reads it from the back: the field takes at least 70 % of the screen's height, its time and scale
      // labels at least 28 px, the charts' ticks at least 20 px.
      expect(field!.height / height, `the field's height ${at}`).toBeGreaterThanOrEqual(0.7);
      for (const label of [".overlay-time", ".bar-label"]) {
        expect(await page.locator(`.field-viewport ${label}`).evaluate((e) => parseFloat(getComputedStyle(e).fontSize)), `${label} ${at}`).toBeGreaterThanOrEqual(28);
      }
      const tick = page.locator(".chart-plot text.recharts-cartesian-axis-tick-value").first();
      expect(Number(await tick.getAttribute("font-size")), `chart ticks ${at}`).toBeGreaterThanOrEqual(20);
    }
    // Larger type than the page's own, a quarter larger where the screen has the height for it.
    expect(await rootFont(page), `type ${at}`).toBeGreaterThanOrEqual(normalFont * (height > 900 ? 1.25 : 1.1));
    if (height <= 900) {
      // The sliders beside the field: move one and watch the field, without scrolling.
      const slider = await page.locator(".controls-pane input[type=range]").first().boundingBox();
      expect(slider, at).not.toBeNull();
      expect(slider!.x, `the first slider's box ${at}`).toBeGreaterThan(field!.x + field!.width);
      expect(slider!.y + slider!.height, `the first slider's box ${at}`).toBeLessThanOrEqual(height);
    }
    await expect(page.getByTestId("lesson-open-I")).toBeAttached();
  }
});
