/**
 * Before any test: the browser the tests drive must have WebGPU with an adapter (Debian's Chromium gives one
 * through SwiftShader with the flags in playwright.config.ts). Without one, every GPU test would fail for a
 * reason that is the machine's, not the app's: stop here and say what is missing instead.
 */
import { chromium, type FullConfig } from "@playwright/test";

export default async function globalSetup(config: FullConfig): Promise<void> {
  const use = config.projects[0]!.use;
  const browser = await chromium.launch(use.launchOptions);
  try {
    const page = await browser.newPage();
    // navigator.gpu needs a secure context: a page of http://localhost is one (served here by the route, so no
    // server need be up yet).
    await page.route("http://localhost/", (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>WebGPU check</title>" }));
    await page.goto("http://localhost/");
    const found = await page.evaluate(async () => {
      if (!("gpu" in navigator)) return "navigator.gpu is missing (Chromium was started without WebGPU)";
      const adapter = await navigator.gpu.requestAdapter();
      return adapter ? "" : "navigator.gpu.requestAdapter() found no adapter (no Vulkan driver and no SwiftShader)";
    });
    if (found) {
      throw new Error(`the e2e tests need WebGPU in ${use.launchOptions?.executablePath ?? "Playwright's Chromium"}: ${found}. ` +
        "Install Debian's chromium (apt-get install -y chromium, which brings SwiftShader) or set CHROMIUM_PATH to a Chromium that has it.");
    }
  } finally {
    await browser.close();
  }
}
