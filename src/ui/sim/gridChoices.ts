/**
 * The run bar's grid choices, without React: the cell's size in µm (square, at the cell size that runs) and the cell
 * size (at the width that runs), each with its cells, built around the app's default grid (APP_GRID: the model's
 * DEFAULT_GRID) so that every size is a power of two of cells. Only grids the schema takes are offered; a cell size
 * it refuses (too coarse for 2d) is listed, not offered, with the schema's reason.
 */
import { parseScenario, ScenarioError, type Scenario } from "../../model/scenario.ts";
import { APP_GRID } from "../state/urlState.ts";
import { fmt } from "../text.ts";

/** The most cells a side the run bar offers (1024 x 1024 is ~1 M cells). */
export const MAX_GRID_SIDE = 1024;
/** From this many cells on, a choice is marked as large (slow on most adapters). */
export const LARGE_GRID_CELLS = 512 * 512;

export interface GridChoice {
  /** The select's value. */
  value: string;
  label: string;
  /** The scenario on this grid, or null where it is not offered (`why`). */
  scenario: Scenario | null;
  why?: string;
}

const isPow2 = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** The default cell's width (µm): APP_GRID's. */
export const defaultWidthUm = (): number => APP_GRID.nx * APP_GRID.dx_um;

/** The widths offered (µm): a quarter, a half, one and two of the default cell's. */
export const gridWidthsUm = (): number[] => [0.25, 0.5, 1, 2].map((k) => k * defaultWidthUm());

/** The cell sizes offered (µm): twice, once, a half and a quarter of the default's. */
export const cellSizesUm = (): number[] => [2, 1, 0.5, 0.25].map((k) => k * APP_GRID.dx_um);

/** `nx × ny` cells as µm and cells: "64 × 64 µm · 128 × 128 cells". */
export function gridText(nx: number, ny: number, dx_um: number): string {
  return `${fmt(nx * dx_um, 4)} × ${fmt(ny * dx_um, 4)} µm · ${nx} × ${ny} cells`;
}

/** The schema's reason without the field and value it names: "grid.dx_um = 2 um is too coarse for 2d mode: …" → "too coarse for 2d mode: …". */
function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/^[\w.]+ (= \S+( um)? )?(is |must be )?/, "").replace(/\bum\b/g, "µm");
}

/** The first words of a reason, for an option's label: up to its first colon or semicolon. */
const short = (why: string) => why.replace(/[:;].*$/, "").replace(/ for 2d mode$/, "");

/** `s` on nx x ny cells of dx_um, or why not: a side not a power of two, fewer than 16 or more than MAX_GRID_SIDE cells, or the schema's refusal. */
function onCells(s: Scenario, nx: number, ny: number, dx_um: number): { scenario: Scenario | null; why?: string } {
  const min = s.mode === "2d" ? 16 : 1;
  for (const n of s.mode === "2d" ? [nx, ny] : [ny]) {
    if (!isPow2(n) || n < min) return { scenario: null, why: `fewer than ${min} cells a side` };
    if (n > MAX_GRID_SIDE) return { scenario: null, why: `more than ${MAX_GRID_SIDE} cells a side` };
  }
  try {
    return { scenario: parseScenario({ ...s, grid: { nx, ny, dx_um } }) };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return { scenario: null, why: reason(e) };
  }
}

const large = (nx: number, ny: number) => (nx * ny >= LARGE_GRID_CELLS ? " (large: slow)" : "");

/**
 * The sizes offered at `s`'s cell size: square cells of gridWidthsUm, the ones the schema takes; in 1d the column's
 * height (its width stays one cell).
 */
export function sizeChoices(s: Scenario): GridChoice[] {
  const { dx_um } = s.grid;
  return gridWidthsUm().flatMap((w): GridChoice[] => {
    const n = w / dx_um;
    const nx = s.mode === "2d" ? n : s.grid.nx;
    const { scenario } = onCells(s, nx, n, dx_um);
    return scenario ? [{ value: String(w), label: gridText(nx, n, dx_um) + large(nx, n), scenario }] : [];
  });
}

/**
 * The cell sizes at `s`'s size in µm (its cells refined or coarsened by powers of two): the default marked, those
 * the schema refuses listed with its reason (scenario null), those with too few or too many cells left out.
 */
export function cellChoices(s: Scenario): GridChoice[] {
  const { nx, ny, dx_um } = s.grid;
  return cellSizesUm().flatMap((d): GridChoice[] => {
    const k = dx_um / d;
    const [mx, my] = [s.mode === "2d" ? nx * k : nx, ny * k];
    const { scenario, why } = onCells(s, mx, my, d);
    // The cells' count is the size select's (gridText); here only the cell size, short enough for a projector's run bar.
    const mark = d === APP_GRID.dx_um ? " (converged)" : "";
    if (scenario) return [{ value: String(d), label: `${fmt(d, 4)} µm cells${mark}${large(mx, my)}`, scenario }];
    // Refused by the schema (not a count of cells out of range): listed, with why.
    if (why && !/cells a side/.test(why)) return [{ value: String(d), label: `${fmt(d, 4)} µm cells: ${short(why)}`, scenario: null, why }];
    return [];
  });
}

/** The select's value for `s`'s grid among `choices`, or null where it is none of them (it then shows as itself). */
export function chosen(s: Scenario, choices: readonly GridChoice[]): string | null {
  const g = s.grid;
  const c = choices.find((c) => c.scenario && c.scenario.grid.nx === g.nx && c.scenario.grid.ny === g.ny && c.scenario.grid.dx_um === g.dx_um);
  return c ? c.value : null;
}
