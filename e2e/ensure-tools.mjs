// Installs what the tests need from Debian where it is missing, in one apt-get: chromium (the e2e tests drive it:
// `npx playwright install` cannot download browsers on these machines), and slurm-wlm with munge (tests/cluster/slurm.test.ts
// runs a sweep on a real single-node Slurm, started in a temporary folder; no service is enabled or started here).
// Plain Node, no dependencies, so it runs before `npm ci`.
import { execSync } from "node:child_process";
import { existsSync } from "node:fs";

const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Each package, with the file that shows it is there. */
const wanted = [
  { pkg: "chromium", file: chromium },
  { pkg: "slurm-wlm", file: "/usr/sbin/slurmctld" },
  { pkg: "slurm-wlm", file: "/usr/sbin/slurmd" },
  { pkg: "slurm-wlm", file: "/usr/bin/sbatch" },
  { pkg: "munge", file: "/usr/sbin/munged" },
];
const missing = [...new Set(wanted.filter((w) => !existsSync(w.file)).map((w) => w.pkg))];
for (const w of wanted) if (existsSync(w.file)) console.log(`${w.pkg}: ${w.file}`);
if (missing.length === 0) process.exit(0);
if (process.getuid?.() === 0) {
  console.log(`not found: installing Debian's ${missing.join(", ")} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execSync("apt-get update", { stdio: "inherit", env });
  execSync(`apt-get install -y ${missing.join(" ")}`, { stdio: "inherit", env });
} else {
  console.error(`not found: ${missing.join(", ")}: install them (sudo apt-get install -y ${missing.join(" ")})${missing.includes("chromium") ? `; for chromium at another path than ${chromium}, set CHROMIUM_PATH` : ""}`);
  process.exit(1);
}
