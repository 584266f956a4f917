/**
 * Side-by-side comparison: three coatings with the page's seed, grid and current step in lock-step (every pane at
 * the same step whenever the page is sampled), the overlaid charts carry one line per coating, the panes' own
 * numbers show the coatings apart (COF@Zn evolves far less H2 than bare Zn), and a clip of the comparison view
 * decodes back with every pane side by side.
 */
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { decodeInPage, demux } from "./video.ts";
import { clipSize } from "../src/ui/sim/recordClip.ts";

/** Every pane's step, read in one go (the store updates all panes together). */
const paneSteps = (page: Page) =>
  page.$$eval("[data-testid=compare-pane]", (els) => els.map((e) => Number(e.getAttribute("data-step"))));

/** A number after `label` in a pane's read-out. */
async function readout(page: Page, k: number, label: RegExp): Promise<number> {
  const text = (await page.getByTestId(`compare-readout-${k}`).textContent()) ?? "";
  const m = label.exec(text);
  if (!m) throw new Error(`no ${label} in "${text}"`);
  return Number(m[1]);
}

test("comparison panes step in lock-step, overlay their charts, and record as one clip", { tag: "@fast" }, async ({ page }, info) => {
  test.setTimeout(420_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/?nx=32&ny=32&dx_um=1&seed=7&current_mA_cm2=20");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  const panel = page.getByTestId("compare");
  await panel.locator("summary").click();
  await page.getByTestId("compare-pick-0").selectOption("bare");
  await page.getByTestId("compare-pick-1").selectOption("cof");
  await page.getByTestId("compare-pick-2").selectOption("znf2");
  await page.getByTestId("compare-speed").selectOption("2");
  await page.getByTestId("compare-start").click();
  const play = page.getByTestId("compare-play");
  await expect(play).toBeEnabled({ timeout: 120_000 });
  await expect(page.getByTestId("compare-pane")).toHaveCount(3);
  // The shared operation is the page's: seed 7, 20 mA/cm2, 32 x 32.
  await expect(page.getByTestId("compare-shared")).toContainText("20 mA/cm²");
  await expect(page.getByTestId("compare-shared")).toContainText("32 × 32 cells, seed 7");
  expect(await paneSteps(page)).toEqual([0, 0, 0]);

  await play.click();
  await expect(play).toHaveText("Pause");
  const seen: number[][] = [];
  for (let k = 0; k < 8; k++) {
    await page.waitForTimeout(1500);
    const steps = await paneSteps(page);
    seen.push(steps);
    expect(new Set(steps).size, `panes at steps ${steps.join(", ")}`).toBe(1);
  }
  await expect.poll(async () => (await paneSteps(page))[0], { timeout: 120_000 }).toBeGreaterThanOrEqual(12);
  await play.click();
  await expect(play).toHaveText("Play");
  // The frame in flight when Pause was pressed still lands: wait until the steps stand still.
  let stopped = await paneSteps(page);
  await expect.poll(async () => {
    const prev = stopped;
    await page.waitForTimeout(1000);
    stopped = await paneSteps(page);
    return stopped.join(",") === prev.join(",");
  }, { timeout: 30_000 }).toBe(true);
  expect(new Set(stopped).size).toBe(1);
  expect(seen.at(-1)![0]!).toBeGreaterThan(seen[0]![0]!);
  // A single step moves every pane by one.
  await page.getByTestId("compare-step").click();
  await expect.poll(async () => (await paneSteps(page)).join(",")).toBe(stopped.map((s) => s + 1).join(","));
  await expect(page.getByTestId("compare-time")).toContainText(`step ${stopped[0]! + 1} of`);

  // The overlaid charts: one line per coating, points growing with the run.
  const charts = page.locator("section.compare-charts");
  await expect(charts).toHaveAttribute("data-lines", "3");
  const h2 = page.getByTestId("chart-compare-h2");
  expect(Number(await h2.getAttribute("data-points"))).toBeGreaterThan(3);
  await expect(h2.locator(".recharts-line")).toHaveCount(3);
  await expect(h2.locator(".recharts-legend-item")).toHaveCount(3);
  // Principle II side by side: COF@Zn (dG_H* 2.94 eV) evolves far less H2 than bare Zn in the same run.
  const h2Bare = await readout(page, 0, /H₂ ([\d.e+-]+) mmol/);
  const h2Cof = await readout(page, 1, /H₂ ([\d.e+-]+) mmol/);
  expect(h2Bare).toBeGreaterThan(0);
  expect(h2Bare / h2Cof).toBeGreaterThan(10);
  await expect(page.getByTestId("compare-legend")).toContainText("M");
  await info.attach("comparison", { body: await panel.screenshot(), contentType: "image/png" });

  // A clip of the comparison view: three panes side by side, 6 frames, 1 step each.
  const rec = page.getByTestId("compare-clip-recorder");
  await rec.locator("summary").click();
  await page.getByTestId("compare-clip-seconds").fill("1");
  await page.getByTestId("compare-clip-fps").selectOption("12");
  await page.getByTestId("compare-clip-height").selectOption("240");
  await page.getByTestId("compare-clip-steps").fill("1");
  await page.getByTestId("compare-clip-format").selectOption("webm");
  const record = page.getByTestId("compare-clip-record");
  await expect(record).toBeEnabled({ timeout: 30_000 });
  const before = (await paneSteps(page))[0]!;
  const [download] = await Promise.all([page.waitForEvent("download", { timeout: 240_000 }), record.click()]);
  expect(download.suggestedFilename()).toMatch(/^zinc-compare-bare-vs-cof-vs-znf2-32x32-seed7-t\d+-\d+s-12fps\.webm$/);
  const path = info.outputPath(download.suggestedFilename());
  await download.saveAs(path);
  await expect(page.getByTestId("compare-clip-message")).toContainText("12 frames");
  // Frame 0 is the state on screen; each further frame one step of every pane.
  expect(await paneSteps(page)).toEqual([before + 11, before + 11, before + 11]);
  const d = await demux(new Uint8Array(readFileSync(path)));
  expect(d.codec).toBe("vp9");
  // Three square panes, each as wide as its field's height between the captions.
  expect(d.width).toBe(3 * clipSize(32, 32, 240, 1, 2).width);
  expect(d.height).toBe(240);
  expect(d.packets.length).toBe(12);
  const decoded = await decodeInPage(page, d, true);
  expect(decoded.frames).toBe(12);
  expect(decoded.width).toBe(d.width);
  expect(decoded.diff).toBeGreaterThan(0);
  // Every pane draws its metal (silver) where its own field is: renderField keeps the pane's place for the shaded
  // metal too (drawn at the canvas's origin instead, panes 2 and 3 showed only their outline over electrolyte).
  const last = Uint8Array.from(decoded.last!), paneW = d.width / 3;
  const silver = [0, 1, 2].map((k) => {
    let n = 0;
    for (let y = 0; y < d.height; y++) {
      for (let x = k * paneW + 2; x < (k + 1) * paneW - 2; x++) {
        const o = (y * d.width + x) * 4;
        if (last[o]! > 150 && last[o + 1]! > 150 && last[o + 2]! > 150) n++;
      }
    }
    return n;
  });
  info.annotations.push({ type: "silver pixels a pane", description: silver.join(", ") });
  expect(silver[0]).toBeGreaterThan(0.1 * paneW * d.height);
  for (const n of silver.slice(1)) expect(n).toBeGreaterThan(0.5 * silver[0]!);
  await info.attach("comparison clip", { path, contentType: "video/webm" });
  // Recording a playing comparison pauses it for the clip, and it plays on, still in lock-step, once the clip is saved.
  await expect(play).toHaveText("Play");
  await play.click();
  await expect(play).toHaveText("Pause");
  await Promise.all([page.waitForEvent("download", { timeout: 240_000 }), record.click()]);
  await expect(play).toHaveText("Pause");
  const after = (await paneSteps(page))[0]!;
  await expect.poll(async () => (await paneSteps(page))[0]!, { timeout: 30_000 }).toBeGreaterThan(after);
  await play.click();
  await expect(play).toHaveText("Play");
  await expect.poll(async () => new Set(await paneSteps(page)).size, { timeout: 30_000 }).toBe(1);
  // One run plays at a time: the main run's Play pauses the comparison, and the comparison's Play pauses the main run.
  await play.click();
  await expect(play).toHaveText("Pause");
  await page.getByTestId("play").click();
  await expect(page.getByTestId("play")).toHaveText("Pause");
  await expect(play).toHaveText("Play");
  await play.click();
  await expect(play).toHaveText("Pause");
  await expect(page.getByTestId("play")).toHaveText("Play");
  // Closing the panel pauses the comparison (nothing runs that nobody sees).
  await panel.locator(":scope > summary").click();
  await panel.locator(":scope > summary").click();
  await expect(play).toHaveText("Play");
  // A coating picked after the start waits for a restart, and the panel says which coatings still run.
  await page.getByTestId("compare-pick-1").selectOption("zns");
  await expect(page.getByTestId("compare-pending")).toContainText("still run Bare Zn, COF@Zn, ZnF₂: Restart comparison");
  await page.getByTestId("compare-pick-1").selectOption("cof");
  await expect(page.getByTestId("compare-pending")).toHaveCount(0);
  await expect(page.getByTestId("compare-error")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the address opens a comparison; a lost GPU device mid-comparison: every pane resumes from the common checkpoint, still in lock-step", async ({ page }) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The address opens the comparison with its coatings (a link a lecturer can share).
  await page.goto("/?nx=32&ny=32&dx_um=1&compare=bare,zns");
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await expect(page.getByTestId("compare")).toHaveAttribute("open", "");
  await expect(page.getByTestId("compare-pick-0")).toHaveValue("bare");
  await expect(page.getByTestId("compare-pick-1")).toHaveValue("zns");
  await expect(page.getByTestId("compare-pick-2")).toHaveCount(0);
  await page.getByTestId("compare-add").click();
  await expect.poll(() => new URL(page.url()).searchParams.get("compare")).toMatch(/^bare,zns,[\w-]+$/);
  await page.getByRole("button", { name: "Remove pane 3" }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get("compare")).toBe("bare,zns");
  await page.getByTestId("compare-speed").selectOption("2");
  await page.getByTestId("compare-start").click();
  const play = page.getByTestId("compare-play");
  await expect(play).toBeEnabled({ timeout: 120_000 });
  await play.click();
  // At least one checkpoint (every 3 s of wall time) before the loss.
  await page.waitForTimeout(8000);
  await expect.poll(async () => (await paneSteps(page))[0], { timeout: 60_000 }).toBeGreaterThanOrEqual(6);
  const lostAt = await page.evaluate(() => (window as unknown as { zil: { loseGpuDevice: () => number } }).zil.loseGpuDevice());
  const note = page.getByTestId("compare-note");
  await expect(note).toContainText("every pane resumed from their checkpoint at t =", { timeout: 120_000 });
  const resumedAt = Number(/t = ([\d.]+) s/.exec((await note.textContent())!)![1]);
  expect(resumedAt).toBeGreaterThan(0);
  expect(resumedAt).toBeLessThanOrEqual(lostAt + 1e-9);
  await expect(play).toHaveText("Pause", { timeout: 15_000 });
  const shownTime = async () => Number(/t = ([\d.]+) s/.exec((await page.getByTestId("compare-time").textContent()) ?? "")?.[1] ?? NaN);
  await expect.poll(shownTime, { timeout: 120_000 }).toBeGreaterThan(lostAt + 4);
  for (let k = 0; k < 3; k++) {
    const steps = await paneSteps(page);
    expect(new Set(steps).size, `panes at steps ${steps.join(", ")}`).toBe(1);
    await page.waitForTimeout(1000);
  }
  await expect(page.getByTestId("compare-error")).toHaveCount(0);
  expect(errors).toEqual([]);
});
