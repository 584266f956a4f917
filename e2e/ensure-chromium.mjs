// Installs Debian's chromium where it is missing (the e2e tests drive it: `npx playwright install` cannot
// download browsers on these machines). Plain Node, no dependencies, so it runs before `npm ci`.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (existsSync(path)) {
  console.log(`chromium: ${path}`);
} else if (process.getuid?.() === 0) {
  console.log("chromium not found: installing Debian's chromium (apt-get)");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execSync("apt-get update", { stdio: "inherit", env });
  execSync("apt-get install -y chromium", { stdio: "inherit", env });
} else {
  console.error(`chromium not found at ${path}: install it (sudo apt-get install -y chromium) or set CHROMIUM_PATH`);
  process.exit(1);
}
