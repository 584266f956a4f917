/**
 * A sweep split into shards (for a cluster: a Slurm array task or a Kubernetes Indexed Job's pod each) and the
 * parts they write, merged back into the sweep's CSV. Pure TypeScript (no Node APIs): the hashes are the caller's.
 *
 * Shard K of N holds the points whose index i (0-based, first axis outer) has i mod N = K. Its part file is the
 * sweep's CSV with a first line saying what wrote it and a `point` column in front:
 *
 *   # zil-sweep-part shard=1/4 points=12 sweep=<sha256 of the validated sweep> code=<hash of the code> node=v20.19.0 backend=cpu
 *   point,coating.t_plus,...,stopped
 *   1,0.36,...,
 *
 * The merge takes the rows after the `point` column, so the merged CSV is the one-machine sweep's, byte for byte.
 */
import { ScenarioError } from "./scenario.ts";
import { sweepCsvDone, sweepCsvHeader, sweepCsvLine, type Sweep, type SweepPoint } from "./sweep.ts";
import type { SeriesRow } from "./metrics.ts";

export interface Shard {
  /** Which shard, from 0. */
  k: number;
  /** Shards in all, from 1. */
  n: number;
}

/** What wrote a part: its first line. */
export interface PartMeta {
  shard: Shard;
  /** The whole sweep's points. */
  points: number;
  /** Hash of the validated sweep (what its file says, defaults filled in). */
  sweep: string;
  /** Hash of the code that ran it (src/, shaders/, package-lock.json). */
  code: string;
  /** The Node.js that ran it (its Math may round otherwise in another). */
  node: string;
  backend: string;
}

const TAG = "# zil-sweep-part";
const POINT_COLUMN = "point";
const FIELDS = ["shard", "points", "sweep", "code", "node", "backend"] as const;
type Field = (typeof FIELDS)[number];

/** The points of shard K of N: index mod N = K, in the points' order. */
export function shardPoints<P extends Pick<SweepPoint, "index">>(points: readonly P[], shard: Shard): P[] {
  return points.filter((p) => p.index % shard.n === shard.k);
}

export const shardText = (s: Shard) => `${s.k}/${s.n}`;

/** The part's first line. */
export function partMetaLine(m: PartMeta): string {
  const v: Record<Field, string> = { shard: shardText(m.shard), points: String(m.points), sweep: m.sweep, code: m.code, node: m.node, backend: m.backend };
  return [TAG, ...FIELDS.map((f) => `${f}=${v[f]}`)].join(" ");
}

/** A part's first line read back, as text fields, or a line of why it is not one. */
function readMetaLine(line: string): Record<Field, string> | string {
  if (!line.startsWith(TAG + " ")) return `its first line is not a sweep part's (${JSON.stringify(line.slice(0, 40))}; a part starts "${TAG} shard=K/N ..."): is it a file written by --shard?`;
  const got = new Map(line.slice(TAG.length + 1).split(" ").map((kv) => [kv.slice(0, kv.indexOf("=")), kv.slice(kv.indexOf("=") + 1)] as const));
  const out = {} as Record<Field, string>;
  for (const f of FIELDS) {
    const v = got.get(f);
    if (!v) return `its first line has no ${f}=`;
    out[f] = v;
  }
  if (!/^\d+\/[1-9]\d*$/.test(out.shard) || !/^[1-9]\d*$/.test(out.points)) return `its first line's shard=${out.shard} points=${out.points} are not K/N and a count`;
  return out;
}

/** The part's header: its first line, then the CSV header with `point` in front. */
export function partHeader(sweep: Pick<Sweep, "axes" | "metrics">, meta: PartMeta): string {
  return `${partMetaLine(meta)}\n${POINT_COLUMN},${sweepCsvHeader(sweep)}`;
}

/** A point's line in a part: its index, then its line in the sweep's CSV. */
export function partLine(sweep: Sweep, point: SweepPoint, series: readonly SeriesRow[]): string {
  return `${point.index},${sweepCsvLine(sweep, point, series)}`;
}

/** The index of a part's line and its sweep CSV line, or null where it does not start with a whole number. */
function splitLine(line: string): { index: number; rest: string } | null {
  const comma = line.indexOf(",");
  const cell = line.slice(0, comma);
  return comma > 0 && /^(0|[1-9]\d*)$/.test(cell) ? { index: Number(cell), rest: line.slice(comma + 1) } : null;
}

/**
 * --resume of a shard: the lines done in `text`, the part an interrupted run of this same shard wrote. Throws a
 * ScenarioError naming the first thing that shows it is not: another first line (sweep, code, shard...), rows out
 * of the shard's order, or what sweepCsvDone refuses.
 */
export function partDone(sweep: Sweep, points: readonly SweepPoint[], meta: PartMeta, text: string): string[] {
  const [first = "", header = "", ...lines] = text.replace(/\r?\n$/, "").split(/\r?\n/);
  const got = readMetaLine(first);
  if (typeof got === "string") throw new ScenarioError(got);
  const want = readMetaLine(partMetaLine(meta)) as Record<Field, string>;
  const differs = FIELDS.find((f) => got[f] !== want[f]);
  if (differs) throw new ScenarioError(`it was written for another ${differs === "code" ? "version of the code" : differs} (${differs}=${got[differs]} there, ${want[differs]} here)`);
  if (!header.startsWith(`${POINT_COLUMN},`)) throw new ScenarioError(`its second line does not start with the ${POINT_COLUMN} column`);
  if (lines.length > points.length) throw new ScenarioError(`it has ${lines.length} rows; shard ${shardText(meta.shard)} has ${points.length} points`);
  const rest = lines.map((line, i) => {
    const s = splitLine(line);
    if (s?.index !== points[i]!.index) throw new ScenarioError(`row ${i + 1} (line ${i + 3}) is point ${s ? s.index : "(none)"}; shard ${shardText(meta.shard)}'s row ${i + 1} is point ${points[i]!.index}`);
    return s.rest;
  });
  sweepCsvDone(sweep, points, [header.slice(POINT_COLUMN.length + 1), ...rest].join("\n"), 3);
  return lines;
}

/** A merge refused: `missing` (exit 1: points no part holds), else the parts do not go together or one is broken (exit 2). */
export class MergeError extends Error {
  constructor(message: string, readonly missing = false) {
    super(message);
  }
}

/** Up to 20 numbers, then how many more. */
const listed = (xs: readonly number[]) => (xs.length > 20 ? `${xs.slice(0, 20).join(", ")} and ${xs.length - 20} more` : xs.join(", "));

/**
 * Parts (their names and texts) merged into the sweep's CSV, its rows in the points' order: what the sweep run
 * on one machine writes. Throws a MergeError of one line where a part is not one, the parts are of different
 * sweeps (or code, Node, backend), a point is in two parts (or twice in one), or points are missing (listed by index).
 */
export function mergeParts(parts: readonly { name: string; text: string }[]): string {
  if (parts.length === 0) throw new MergeError("no part files given");
  let first: { name: string; meta: Record<Field, string>; header: string } | undefined;
  const rows = new Map<number, { line: string; name: string }>();
  let cells = 0;
  for (const { name, text } of parts) {
    const [line0 = "", header = "", ...lines] = text.replace(/\r?\n$/, "").split(/\r?\n/);
    const meta = readMetaLine(line0);
    if (typeof meta === "string") throw new MergeError(`${name}: ${meta}`);
    if (!header.startsWith(`${POINT_COLUMN},`)) throw new MergeError(`${name}: its second line does not start with the ${POINT_COLUMN} column`);
    if (!first) {
      first = { name, meta, header };
      cells = header.split(",").length;
    }
    for (const f of ["sweep", "points", "code", "node", "backend"] as const) {
      if (meta[f] !== first.meta[f]) {
        const what = { sweep: "two different sweeps", points: "two different sweeps", code: "two different versions of the code", node: "two different Node.js versions", backend: "two different backends" }[f];
        throw new MergeError(`the parts are of ${what}: ${f}=${first.meta[f]} in ${first.name}, ${f}=${meta[f]} in ${name}; merge the parts of one sweep, run by one checkout`);
      }
    }
    if (header !== first.header) throw new MergeError(`${name}: its columns are not those of ${first.name}`);
    const total = Number(meta.points);
    lines.forEach((line, i) => {
      const s = splitLine(line);
      const where = `${name} line ${i + 3}`;
      if (!s || s.index >= total) throw new MergeError(`${where}: ${JSON.stringify(line.slice(0, 20))} does not start with a point index from 0 to ${total - 1}`);
      if (line.split(",").length !== cells) throw new MergeError(`${where}: point ${s.index} has ${line.split(",").length} values; the header names ${cells}`);
      const had = rows.get(s.index);
      if (had) throw new MergeError(`point ${s.index} is given twice: in ${had.name} and ${had.name === name ? "again in it" : `in ${name}`} (${where}); merge each shard's part once`);
      rows.set(s.index, { line: s.rest, name });
    });
  }
  const total = Number(first!.meta.points);
  const missing = [...Array(total).keys()].filter((i) => !rows.has(i));
  if (missing.length) {
    const n = Number(first!.meta.shard.split("/")[1]);
    const shards = [...new Set(missing.map((i) => i % n))].sort((a, b) => a - b);
    throw new MergeError(
      `${missing.length} of the ${total} points are in no part: index ${listed(missing)} (0-based, as the point column); they are shard ${shards.map((k) => `${k}/${n}`).join(", ")}'s: run ${shards.length > 1 ? "them" : "it"} (--resume continues a part) and merge again`,
      true,
    );
  }
  const rowsInOrder = [...Array(total).keys()].map((i) => rows.get(i)!.line);
  return [first!.header.slice(POINT_COLUMN.length + 1), ...rowsInOrder].join("\n") + "\n";
}
