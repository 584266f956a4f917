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
    rollupOptions: { input: { main: "index.html" } },
  },
  preview: { headers: { "Content-Security-Policy": CSP } },
  test: {
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: "forks",
    // Three projects by folder: `cpu` (tests/*.test.ts: the physics on the CPU reference, the model, the runner, the
    // app's logic), `cluster` (tests/cluster/: a sweep on a real single-node Slurm, ~2 min, mostly the jobs' own
    // work) and `gpu` (tests/gpu/: the WGSL engine in Node, through Dawn on a GPU driver or SwiftShader).
    // `npm run test:fast` runs cpu and the gpu tests tagged `fast`; `npm test` runs all three whole.
    projects: [
      // cpu first, two files at a time (on a 2-core machine ~70 s instead of ~130: each file is one thread); then gpu,
      // one file at a time (each starts its own SwiftShader devices in child processes; not measured two at a time).
      { extends: true, test: { name: "cpu", include: ["tests/*.test.ts"], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      // cluster beside cpu: its file waits on Slurm's jobs most of the time.
      { extends: true, test: { name: "cluster", include: ["tests/cluster/**/*.test.ts"], maxWorkers: 1, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: "gpu", include: ["tests/gpu/**/*.test.ts"], maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
    tags: [{ name: "fast", description: "the GPU tests of the inner loop (npm run test:fast): the one GPU-vs-CPU batch" }],
  },
});
