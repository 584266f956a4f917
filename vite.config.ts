import { defineConfig, type Plugin } from "vitest/config";
import react from "@vitejs/plugin-react";

/**
 * The built app's Content-Security-Policy: scripts, workers, styles and data from the app's own origin only; no
 * eval, no inline script. Blob URLs serve the downloads. Only in builds: the dev server's hot reload needs an
 * inline preamble.
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join("; ");

function contentSecurityPolicy(): Plugin {
  return {
    name: "zil-csp",
    apply: "build",
    transformIndexHtml: () => [{ tag: "meta", attrs: { "http-equiv": "Content-Security-Policy", content: CSP }, injectTo: "head-prepend" }],
  };
}

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  build: {
    target: "es2022",
    sourcemap: true,
    rollupOptions: { input: { main: "index.html", gpuCheck: "src/engine/gpu-check.html" } },
  },
  preview: { headers: { "Content-Security-Policy": CSP } },
  test: {
    include: ["tests/**/*.test.ts"],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
  },
});
