/**
 * The in-app sweeps kept in the browser's storage while they run, so that a reload, a closed tab or a crashed page
 * loses none of their points: each sweep (as the runner's sweep file has it) and the rows done, under a key of its
 * own, so that sweeps run in several tabs at once never overwrite or clear each other's. Read back through the
 * model's own validation (parseSweep) and checked row by row; anything else is discarded with the reason.
 *
 * Which stored sweeps a page offers to resume: those that no live page holds. A page holds the sweep it runs by a
 * Web Lock named after it (navigator.locks), which the browser releases when that page closes or crashes. A reload
 * releases the old page's locks a moment after the new page starts, so the sweeps this tab stored (the tab's id
 * lives in sessionStorage, which a reload keeps) are waited for, up to OWN_WAIT_MS; a duplicate of a tab that runs a
 * sweep (its sessionStorage copied) then still does not offer that sweep. A browser without Web Locks (an insecure
 * origin) offers every stored sweep.
 */
import { seriesRowOf, type SeriesRow } from "../../model/metrics.ts";
import { parseSweep, sweepFile, sweepPoints, type Sweep } from "../../model/sweep.ts";

const PREFIX = "zil.sweep.v2.";
/** The one key of the first version (one sweep for all tabs): still read, so a sweep stored by it is not lost. */
const LEGACY_KEY = "zil.sweep.v1";
const TAB_KEY = "zil.sweep.tab";
/** How long a page waits for the locks of its own tab's sweeps, which a reload's old page may hold a moment. */
const OWN_WAIT_MS = 2000;

export interface SavedSweep {
  sweep: Sweep;
  /** rows[i]: point i's row; fewer than the sweep's points. */
  rows: SeriesRow[];
}

/** A stored sweep and the id it is stored and locked under. */
export interface StoredSweep extends SavedSweep {
  id: string;
}

/** Storage may be missing or full (private windows, quotas): the sweep runs on, only unsaved. */
function storage(kind: "localStorage" | "sessionStorage"): Storage | null {
  try {
    return globalThis[kind] ?? null;
  } catch {
    return null;
  }
}

const keyOf = (id: string) => (id === "v1" ? LEGACY_KEY : PREFIX + id);
const lockOf = (id: string) => `zil.sweep.${id}`;

function randomId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/** This tab's id (kept across reloads of the tab), which the sweeps it stores carry. */
function tabId(): string {
  const s = storage("sessionStorage");
  try {
    const known = s?.getItem(TAB_KEY);
    if (known) return known;
    const id = randomId();
    s?.setItem(TAB_KEY, id);
    return id;
  } catch {
    return "";
  }
}

/** A new id for a sweep about to start. */
export const newSweepId = randomId;

export function saveSweep(id: string, s: SavedSweep): void {
  try {
    storage("localStorage")?.setItem(keyOf(id), JSON.stringify({ sweep: sweepFile(s.sweep), rows: s.rows, tab: tabId(), savedAt: Date.now() }));
  } catch {
    // full or refused: nothing to do
  }
}

export function clearSweep(id: string): void {
  try {
    storage("localStorage")?.removeItem(keyOf(id));
  } catch {
    // refused: nothing to do
  }
}

/**
 * Holds the sweep `id` for as long as this page runs it (see the header): call the returned function to let go.
 * Without Web Locks, nothing is held.
 */
export function holdSweep(id: string): () => void {
  const locks = globalThis.navigator?.locks;
  if (!locks) return () => {};
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  locks.request(lockOf(id), () => held).catch(() => {});
  return release;
}

/** The names of the sweeps' locks that live pages hold now (none without Web Locks). */
async function heldLocks(): Promise<Set<string>> {
  try {
    const q = await globalThis.navigator?.locks?.query();
    return new Set((q?.held ?? []).map((l) => l.name ?? ""));
  } catch {
    return new Set();
  }
}

export interface LoadedSweeps {
  /** The sweeps to offer, newest first. */
  offered: StoredSweep[];
  /** Why each stored sweep that could not be read was discarded. */
  errors: string[];
}

/** The unfinished sweeps that earlier visits stored and no live page holds; the unreadable ones are discarded. */
export async function loadSweeps(): Promise<LoadedSweeps> {
  const local = storage("localStorage");
  if (!local) return { offered: [], errors: [] };
  let held = await heldLocks();
  const me = tabId();
  const found: (StoredSweep & { savedAt: number; mine: boolean })[] = [];
  const errors: string[] = [];
  let keys: string[];
  try {
    keys = Array.from({ length: local.length }, (_, k) => local.key(k) ?? "").filter((k) => k === LEGACY_KEY || k.startsWith(PREFIX));
  } catch {
    return { offered: [], errors: [] };
  }
  for (const key of keys) {
    const id = key === LEGACY_KEY ? "v1" : key.slice(PREFIX.length);
    let text: string | null;
    try {
      text = local.getItem(key);
    } catch {
      continue;
    }
    if (text === null) continue;
    const r = readSweep(text);
    if ("error" in r) {
      clearSweep(id);
      errors.push(r.error);
      continue;
    }
    found.push({ id, sweep: r.sweep, rows: r.rows, savedAt: r.savedAt, mine: r.tab === me });
  }
  for (let waited = 0; waited < OWN_WAIT_MS && found.some((s) => s.mine && held.has(lockOf(s.id))); waited += 250) {
    await new Promise((r) => setTimeout(r, 250));
    held = await heldLocks();
  }
  const offered = found.filter((s) => !held.has(lockOf(s.id))).sort((a, b) => b.savedAt - a.savedAt);
  return { offered: offered.map(({ id, sweep, rows }) => ({ id, sweep, rows })), errors };
}

function readSweep(text: string): (SavedSweep & { tab: string | null; savedAt: number }) | { error: string } {
  try {
    const raw = JSON.parse(text) as { sweep?: unknown; rows?: unknown; tab?: unknown; savedAt?: unknown };
    const sweep = parseSweep(raw.sweep);
    const total = sweepPoints(sweep).length;
    if (!Array.isArray(raw.rows)) return { error: "its rows are not a list" };
    if (raw.rows.length === 0 || raw.rows.length >= total) return { error: `it holds ${raw.rows.length} of ${total} points, nothing to resume` };
    const rows = raw.rows.map((r: unknown, i: number) => seriesRowOf(r, `row ${i + 1}`));
    const tab = typeof raw.tab === "string" ? raw.tab : null;
    const savedAt = typeof raw.savedAt === "number" && Number.isFinite(raw.savedAt) ? raw.savedAt : 0;
    return { sweep, rows, tab, savedAt };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
