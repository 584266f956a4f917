/** The built app runs under a strict Content-Security-Policy: no eval, no inline script, nothing it violates. */
import { expect, test } from "@playwright/test";

test("the built app sets a strict CSP, runs under it, and eval and inline script are refused", async ({ page }) => {
  test.setTimeout(180_000);
  const violations: string[] = [];
  await page.exposeFunction("reportViolation", (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) =>
      (window as unknown as { reportViolation: (v: string) => void }).reportViolation(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto("/?nx=32&ny=32&dx_um=1");
  const header = response!.headers()["content-security-policy"] ?? "";
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  for (const csp of [header, meta!]) {
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-eval");
    expect(csp).not.toContain("unsafe-inline");
  }
  // The page works under it: the engine starts, a run charts points, a download works.
  await expect(page.getByTestId("play")).toBeEnabled({ timeout: 90_000 });
  await page.getByTestId("play").click();
  await expect.poll(async () => Number(await page.getByTestId("chart-uniformity").getAttribute("data-points")), { timeout: 60_000 }).toBeGreaterThan(3);
  await page.getByTestId("play").click();
  await Promise.all([page.waitForEvent("download"), page.getByTestId("export-png").click()]);
  // What the policy forbids is refused.
  // A string timer is compiled by the page itself when it fires (DevTools' own evaluation is exempt from CSP).
  const evalRan = await page.evaluate(async () => {
    (window.setTimeout as unknown as (code: string, ms: number) => number)("window.__evalRan = true", 0);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { __evalRan?: boolean }).__evalRan === true;
  });
  expect(evalRan).toBe(false);
  const inline = await page.evaluate(async () => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.body.append(s);
    await new Promise((r) => setTimeout(r, 100));
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(inline).toBe(false);
  // Only the two deliberate attempts were reported.
  expect(violations.filter((v) => !/^script-src(-elem)? (eval|inline)$/.test(v))).toEqual([]);
});
