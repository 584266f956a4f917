import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

// `npx playwright install` cannot download browsers here: use Debian's chromium, which gives WebGPU through
// SwiftShader. Where it is missing, Playwright falls back to its own browser (if one is installed).
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const executablePath = existsSync(chromium) ? chromium : undefined;

// ZIL_E2E_PORT moves the preview server (several checkouts on one machine each serve their own build).
const port = Number(process.env.ZIL_E2E_PORT ?? 4173);

export default defineConfig({
  testDir: "e2e",
  // Checks that the browser has WebGPU before any test runs, and says what is missing if not.
  globalSetup: "./e2e/global-setup.ts",
  fullyParallel: false,
  // Two spec files at a time: on a 2-core machine a test mostly waits (polls, timers, frames), so one worker used
  // half a core on average and the suite took ~16 minutes; each file's tests still run in order.
  workers: 2,
  retries: 0,
  // Every page load builds the engine's pipelines on SwiftShader, which takes seconds on a loaded CI machine.
  timeout: 120_000,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["html", { open: "never" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 720 },
    screenshot: "on",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--enable-unsafe-webgpu",
        "--enable-features=Vulkan",
        "--use-angle=swiftshader",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});
