/**
 * `npm run sim -- --merge PART_*.csv --out RESULTS.csv`: the parts of a sharded sweep (`--shard K/N`) joined into the
 * sweep's CSV, byte for byte what the sweep run on one machine writes (src/model/sweepPart.ts's mergeParts).
 * Exit status: 0 merged; 1 points missing (listed by index; nothing written); 2 parts that do not go together (two
 * sweeps, a point twice, a broken part) or bad flags, one line.
 */
import { MergeError, mergeParts } from "../model/sweepPart.ts";
import { distinct, readText, RefusedError, UsageError, writable, type Flags } from "./args.ts";
import { writeWhole } from "./atomicWrite.ts";

const ALONE = ["scenario", "preset", "sweep", "csv", "checkpoint", "checkpoint-every", "resume", "jobs", "threads", "protocol", "shard", "shards", "cycles-csv", "polarization-csv"] as const;

export function mergeCommand(values: Flags & { parts: string[] }): number {
  const other = ALONE.find((f) => values[f] !== undefined);
  if (other) throw new UsageError(`--merge takes only part files and --out RESULTS.csv, not --${other}`);
  if (!values.out) throw new UsageError("--out RESULTS.csv is required (where the merged sweep CSV goes)");
  distinct(Object.fromEntries([...values.parts.map((p, i) => [`merge (file ${i + 1})`, p]), ["out", values.out]]));
  writable({ out: values.out });
  const parts = values.parts.map((name) => ({ name, text: readText(name, "part") }));
  let csv: string;
  try {
    csv = mergeParts(parts);
  } catch (e) {
    if (!(e instanceof MergeError)) throw e;
    if (e.missing) {
      process.stderr.write(`sim: --merge: ${e.message}; nothing was written\n`);
      return 1;
    }
    throw new RefusedError(`--merge: ${e.message}; nothing was written`);
  }
  writeWhole(values.out, csv);
  process.stderr.write(`sim: merged ${parts.length} part${parts.length === 1 ? "" : "s"}: ${csv.split("\n").length - 2} points in ${values.out}\n`);
  return 0;
}
