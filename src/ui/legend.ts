/** CSS colour stops of each layer's legend bar, sampled from the colouring itself (sim/colorize.ts). */
import { bandRgb, crackRgb, DEAD_ZINC_RGB, FILM_RGB, layerColour, metalRgb, stretchedRgb, type Rgb } from "./sim/colorize.ts";
import { layerIndex, type ColourScale, type FieldLayer } from "./sim/types.ts";
import { fmt, unitText } from "./text.ts";

export function legendStops(layer: FieldLayer, n = 9): string[] {
  return Array.from({ length: n }, (_, k) => {
    const [r, g, b] = layerColour(layerIndex(layer), k / (n - 1)).map((v) => Math.round(255 * v));
    return `rgb(${r} ${g} ${b})`;
  });
}

/** One solid colour of a layer's legend: what it marks, the colour's word, and the colour drawn (floats, 0 to 1). */
export interface KeyEntry { what: string; word: string; rgb: Rgb; testId: string }

/**
 * The solid colours a layer draws besides its scale, each with a swatch of the very colour drawn (sim/colorize.ts)
 * and its word (tests/colorize.test.ts checks each word against its colour's hue and lightness). `deadZinc`: the
 * run marks dead zinc (a protocol run's frames carry the mask), shown on the deposit layer; `film`: the run forms the
 * by-product (byproduct), drawn on the deposit layer too.
 */
export function layerKey(layer: FieldLayer, opts: { deadZinc?: boolean; film?: boolean } = {}): KeyEntry[] {
  const i = layerIndex(layer);
  const bright = layer === "deposit" || layer === "integrity";
  // The pH and by-product layers' liquid is their scale; where the run has no such field, it is drawn dark.
  const entries: KeyEntry[] = [{ what: "Zn metal, lit from above", word: bright ? "silver" : "grey", rgb: metalRgb(i), testId: "key-metal" }];
  if (layer === "deposit") {
    entries.push({ what: "coating band", word: "olive", rgb: bandRgb(), testId: "key-band" });
    entries.push({ what: "stretched coating (lighter the more it stretches, palest at its cracking strain)", word: "pale olive", rgb: stretchedRgb(), testId: "key-stretched" });
    entries.push({ what: "cracked coating (a gap in the band)", word: "dark", rgb: crackRgb(), testId: "key-crack" });
  }
  if (opts.deadZinc && layer === "deposit") entries.push({ what: "dead zinc (cut off from the electrode)", word: "tan", rgb: DEAD_ZINC_RGB, testId: "key-dead-zinc" });
  if (opts.film && layer === "deposit") entries.push({ what: "by-product film, Zn₄(OH)₆SO₄", word: "lilac", rgb: FILM_RGB, testId: "key-film" });
  return entries;
}

/** A colour as CSS rgb(). */
export const cssRgb = (c: Rgb): string => `rgb(${c.map((v) => Math.round(255 * v)).join(" ")})`;

const SUPERSCRIPT: Record<string, string> = { "-": "⁻", "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹" };

/** A power of ten as text, e.g. 1e-6 -> "10⁻⁶" (the nearest power where `v` is not one exactly). */
export function powerOfTen(v: number): string {
  const e = Math.round(Math.log10(v));
  if (e === 0) return "1";
  return `10${String(e).replace(/[-0-9]/g, (ch) => SUPERSCRIPT[ch]!)}`;
}

/** Whether a potential of this size (V) reads in millivolts: within 0.1 V (the legend's ends, the hover's phi). */
export const inMillivolts = (v_V: number): boolean => Math.abs(v_V) < 0.1;

/** A potential as text in its unit: millivolts within 0.1 V, else volts. */
export const potentialText = (v_V: number): string =>
  inMillivolts(v_V) ? `${fmt(v_V * 1e3)} mV` : `${fmt(v_V)} V`;

/**
 * The scale as its legend shows it: a potential whose ends are both within 0.1 V in millivolts (-1.43 mV, not
 * -1.43e-3 V); any other unchanged. Its caption and both ends use the one unit.
 */
export function legendScale(scale: ColourScale): ColourScale {
  if (scale.unit !== "V" || !inMillivolts(Math.max(Math.abs(scale.lo), Math.abs(scale.hi)))) return scale;
  return { ...scale, lo: scale.lo * 1e3, hi: scale.hi * 1e3, unit: "mV" };
}

/** The text of one end of a legend: a power of ten on a log scale, else the value as `fmt` writes it; with its unit. */
export function legendTick(v: number, scale: ColourScale): string {
  const text = scale.log && v > 0 ? powerOfTen(v) : fmt(v);
  if (scale.unit === "pH") return `pH ${text}`;
  return unitText(scale.unit) ? `${text} ${unitText(scale.unit)}` : text;
}

/** A round length for the scale bar: about a quarter of the field's width. */
export function scaleBarUm(widthUm: number): number {
  const target = widthUm / 4;
  const p = Math.pow(10, Math.floor(Math.log10(target)));
  return [5, 2, 1].map((m) => m * p).find((v) => v <= target) ?? p;
}
