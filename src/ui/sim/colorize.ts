/**
 * The CPU twin of shaders/render_field.wgsl: colours the field view, one pixel per cell, into RGBA8 with the top
 * row of the image the reservoir side (j = ny - 1). Same ramp, colours, smoothstep and pack4x8unorm rounding as
 * the shader; the shader's constants and inputs are f32, so they are rounded to f32 here too (the arithmetic is
 * f64, which can move a channel by one step only where a value sits on a rounding tie). No DOM, no GPU.
 */
import { ZHS_MOLAR_VOLUME, ZHS_POROSITY } from "../../reference/byproduct.ts";
import { hydroxideOf } from "../../model/water.ts";

/**
 * The fields the colouring reads: row j * nx + i, j = 0 at the electrode; `integrity` per column; `her` each
 * cell's HER volume current (A/m3, the GPU's react.z * S[S_EH]; CpuSolver.herCurrent), needed by layer 4 only.
 */
export interface ColorizeFields {
  nx: number;
  ny: number;
  xi: ArrayLike<number>;
  c: ArrayLike<number>;
  phi: ArrayLike<number>;
  integrity: ArrayLike<number>;
  her?: ArrayLike<number>;
  /**
   * The dead-zinc mask (1 where a cell is cut off from the substrate: reference/connectivity.ts DeadZinc.dead; the
   * GPU's xi buffer's third field): the deposit layer draws that metal in DEAD_ZINC_RGB. None: no cell is dead.
   */
  dead?: ArrayLike<number>;
  /**
   * The by-product per cell (mol/m3: reference/byproduct.ts ByProduct.m; the GPU's c buffer's fourth field): the
   * deposit layer draws it in FILM_RGB, the by-product layer (6) on its own ramp. None: the run forms none.
   */
  film?: ArrayLike<number>;
  /**
   * The alkalinity [OH-] - [H+] per cell (mol/m3: reference/alkalinity.ts AlkalinityField.w; on the GPU the
   * reservoir's w0 plus the c buffer's third field), from which the pH layer (5) takes the pH. None: no pH field.
   */
  w?: ArrayLike<number>;
  /** Each column's coating strain (reference/columns.ts strainOf, kept in strainPrev; the GPU's cols slot 3). */
  strain?: ArrayLike<number>;
  /**
   * Each column's deposit top in cells from the bottom, where xi crosses 0.5 (reference/diagnostics.ts columnTops;
   * 0 where a column holds no metal; the GPU's cols slot 5, of the last step's column pass): the coating band is
   * draped over them (bandSpan). Needed where the view has a band.
   */
  tops?: ArrayLike<number>;
}

/**
 * What to show: `band` the coating band, band[1] - band[0] cells thick ([0, 0] for none; the shader's bandLo and
 * bandHi), draped over the deposit's tops (ColorizeFields.tops: bandSpan); `layer` 0 deposit,
 * 1 concentration (lo..hi in M), 2 potential (lo..hi in V), 3 coating integrity, 4 HER current (lo..hi in
 * mA/cm2, over decades), 5 pH (lo..hi in pH), 6 by-product film (lo..hi in um of film in a cell: its fill times
 * `dx_um`, the cell size in um; over decades);
 * `c0_M` the bulk concentration (M); `herScale` (layer 4 only) 0.1 dx with dx the cell size in m: turns a volume
 * current (A/m3) into mA/cm2 of electrode area; `strainRef` the coating strain the deposit layer draws its band
 * palest at (crackStrain: the strain that would crack it unrelaxed; 0 or none: the band unshaded).
 */
export interface ColorizeView {
  band: [number, number];
  layer: number;
  lo: number;
  hi: number;
  c0_M: number;
  herScale?: number;
  dx_um?: number;
  strainRef?: number;
  /**
   * As the shader's alphaXi: RGB the electrolyte's colour alone (no metal mixed in) and alpha the metal fraction
   * xi, for sim/fieldRenderer.ts; otherwise each pixel is the cell's colour with its metal, opaque.
   */
  alphaXi?: boolean;
}

export type Rgb = [number, number, number];
const f32 = Math.fround;
/**
 * The film's colour weight per mol/m3 of by-product: its cover, V_ZHS / (1 - porosity) (reference/byproduct.ts
 * filmCover), times 4: full colour from a quarter of a cell covered, as a film thinner than a cell would otherwise
 * not show (render_field.wgsl FILM_SHOW). In f32.
 */
const ZHS_COVER = Math.fround((4 * ZHS_MOLAR_VOLUME) / (1 - ZHS_POROSITY));
/** The share of a cell's volume one mol/m3 of by-product fills, V_ZHS / (1 - porosity) (render_field.wgsl ZHS_FILL). */
const ZHS_FILL = Math.fround(ZHS_MOLAR_VOLUME / (1 - ZHS_POROSITY));
/** log10(2), in f32 as the shader has it (WGSL has no log10). */
const LOG10_2 = Math.fround(Math.LOG10E * Math.LN2);
const rgb = (r: number, g: number, b: number): Rgb => [f32(r), f32(g), f32(b)];

const METAL = rgb(0.86, 0.88, 0.92);
const METAL_DIM = rgb(0.45, 0.46, 0.50);
const RAMP_0 = rgb(0.27, 0.00, 0.33);
const RAMP_1 = rgb(0.13, 0.57, 0.55);
const RAMP_2 = rgb(0.99, 0.91, 0.14);
const PHI_LO = rgb(0.10, 0.20, 0.65);
const PHI_HI = rgb(0.97, 0.97, 0.97);
// Integrity: dark orange (cracked) to pale blue (intact), not red to green: the pair stays apart for red-green colour
// blindness and in greyscale (relative luminance 0.11 and 0.61, rising all the way; tests/colorize.test.ts).
const CRACKED = rgb(0.60, 0.25, 0.05);
const INTACT = rgb(0.60, 0.82, 0.97);
const LIQUID_DARK = rgb(0.12, 0.14, 0.20);
const DEPLETED = rgb(0.05, 0.10, 0.35);
const BULK = rgb(0.10, 0.55, 0.60);
// The coating band on the deposit layer: the electrolyte mixed half with amber-yellow, olive over bulk electrolyte
// and lighter than it (relative luminance 0.36 against 0.21), so the band shows in greyscale too.
const AMBER = rgb(1.0, 0.80, 0.0);
const AMBER_MIX = f32(0.5);
// Where the band's column has cracked (integrity k < 1, the model's per column) the band is drawn as a dark gap: the
// electrolyte mixed 3/4 with LIQUID_DARK, reached at k = 0 (the olive band's colour mixed towards it by 1 - k).
const CRACK_MIX = f32(0.75);
// A stretched band (its column's deposit standing above the mean: reference/columns.ts strainOf) is drawn lighter, the
// intact band mixed towards pale cream by up to STRETCH_MIX, reached at the view's strainRef (the cracking strain).
const STRETCHED = rgb(1.0, 0.97, 0.80);
const STRETCH_MIX = f32(0.6);
// The pH ramp: dark indigo (acid) through crimson to light amber (alkaline), luminance rising all the way, apart
// from the viridis-like ramp of the Zn2+ and HER layers.
const PH_0 = rgb(0.10, 0.05, 0.30);
const PH_1 = rgb(0.78, 0.22, 0.38);
const PH_2 = rgb(0.99, 0.85, 0.45);
// The by-product ramp: near-black (no film) to the film's lilac (a cell filled).
const FILM_NONE = rgb(0.10, 0.10, 0.13);

/** WGSL clamp(x, lo, hi) = min(max(x, lo), hi). */
const clamp = (x: number, lo: number, hi: number) => Math.min(Math.max(x, lo), hi);

/** WGSL smoothstep(low, high, x): t = clamp((x - low) / (high - low), 0, 1); t * t * (3 - 2 t). */
export function smoothstep(low: number, high: number, x: number): number {
  const t = clamp((x - low) / (high - low), 0, 1);
  return t * t * (3 - 2 * t);
}

/** WGSL mix(a, b, t) = a * (1 - t) + b * t, per component. */
function mix(a: Rgb, b: Rgb, t: number): Rgb {
  const s = 1 - t;
  return [a[0] * s + b[0] * t, a[1] * s + b[1] * t, a[2] * s + b[2] * t];
}

/** The viridis-like ramp of the shader (dark blue -> teal -> yellow) for t in [0, 1]. */
export function ramp(t: number): Rgb {
  const x = clamp(t, 0, 1);
  const a = mix(RAMP_0, RAMP_1, smoothstep(0, f32(0.55), x));
  return mix(a, RAMP_2, smoothstep(f32(0.55), 1, x));
}

/** The pH layer's ramp (render_field.wgsl phRamp) for t in [0, 1]. */
function phRamp(x: number): Rgb {
  const a = mix(PH_0, PH_1, smoothstep(0, f32(0.5), x));
  return mix(a, PH_2, smoothstep(f32(0.5), 1, x));
}

/**
 * The liquid colour of a layer (no metal, outside the coating band; the band's colour on the integrity layer) at
 * t in [0, 1] of its scale, as floats in [0, 1]: for legends. Layer 0 deposit (t = c / c0), 1 concentration,
 * 2 potential, 3 integrity (t = the column's integrity), 4 HER (t over the decades of lo..hi), 5 pH, 6 by-product
 * (t over the decades of lo..hi).
 */
export function layerColour(layer: number, t: number): Rgb {
  const x = clamp(t, 0, 1);
  if (layer === 1 || layer === 4) return ramp(x);
  if (layer === 2) return mix(PHI_LO, PHI_HI, x);
  if (layer === 3) return mix(CRACKED, INTACT, x);
  if (layer === 5) return phRamp(x);
  if (layer === 6) return mix(FILM_NONE, FILM_RGB, x);
  return mix(DEPLETED, BULK, x);
}

/** The pH of alkalinity w (mol/m3) as the shader computes it: model/water.ts's [OH-] of w in f32, log10 x = log2 x log10 2. */
export function pHOfF32(w: number): number {
  return 14 + Math.log2(hydroxideOf(f32(w)) / 1000) * LOG10_2;
}

/**
 * Dead zinc (metal cut off from the electrode) on the deposit layer: a warm light grey-brown, apart from the silver
 * live metal in hue and from the electrolyte's colours in lightness (render_field.wgsl DEAD_ZINC; legend.ts layerKey).
 */
export const DEAD_ZINC_RGB: Rgb = rgb(0.72, 0.62, 0.50);

/**
 * The by-product film (Zn4(OH)6SO4, a white salt) on the deposit layer: lilac, apart from the silver metal, the olive
 * band and the tan dead zinc (render_field.wgsl FILM), mixed into the electrolyte by the share of the cell it covers
 * (times 4: ZHS_COVER).
 */
export const FILM_RGB: Rgb = rgb(0.80, 0.66, 0.90);

/** The coating band's colour on the deposit layer over bulk electrolyte (c = 1): the legend's swatch. */
export const bandRgb = (): Rgb => mix(BULK, AMBER, AMBER_MIX);

/** The band stretched to the view's strainRef (its palest) over bulk electrolyte: the legend's swatch. */
export const stretchedRgb = (): Rgb => mix(bandRgb(), STRETCHED, STRETCH_MIX);

/** A cracked column's gap in the band on the deposit layer over bulk electrolyte: the legend's swatch. */
export const crackRgb = (): Rgb => mix(BULK, LIQUID_DARK, CRACK_MIX);

/**
 * The deposit layer's colour in the coating band over electrolyte `liquid`, in a column of integrity `k` stretched
 * `st` of the way to the view's strainRef (0 to 1): olive where intact (k = 1), lighter as it stretches, a dark gap
 * where cracked through (k = 0), between them in between (render_field.wgsl bandTint).
 */
function bandTint(liquid: Rgb, k: number, st: number): Rgb {
  const intact = mix(mix(liquid, AMBER, AMBER_MIX), STRETCHED, STRETCH_MIX * st);
  const x = clamp(k, 0, 1);
  return x < 1 ? mix(mix(liquid, LIQUID_DARK, CRACK_MIX), intact, x) : intact;
}

/**
 * The coating band's span in column i, [bottom, top) in cells from the bottom (cell j in it where its centre j + 0.5
 * is at or above the bottom, tinted by the share of it below the top: the edge runs smooth, not in steps), for a
 * band `thick` cells thick over the deposit's `tops` (periodic in x): the band is draped over the deposit as the model
 * has it (the coating covers the whole metal surface, valleys too, strained where the deposit stands above the
 * mean). Its top is the deposit's surface dilated by a disc of radius `thick`: the highest over the columns d away
 * (|d| <= thick) of their top plus sqrt(thick^2 - d^2), so the skin is `thick` cells thick on a flat top, on slopes
 * measured square to them, and across a protrusion's side walls (the liquid columns beside a wall carry it up to the
 * wall's top: a steep wall is covered). Its bottom is one cell below the lowest of the column's and its two
 * neighbours' tops: that cell lies in the metal (hidden under it in opaque pictures), so the page's colours,
 * interpolated between cell centres (fieldRenderer.ts), show the band right up to the xi = 0.5 outline, along walls
 * too. In f32, as render_field.wgsl bandSpan.
 */
export function bandSpan(tops: ArrayLike<number>, i: number, thick: number, nx = tops.length): [number, number] {
  const top = (d: number) => f32(tops[(((i + d) % nx) + nx) % nx]!);
  const t = f32(thick);
  let hi = f32(top(0) + t);
  for (let d = 1; d <= Math.floor(t); d++) {
    const h = f32(Math.sqrt(f32(f32(t * t) - d * d)));
    hi = Math.max(hi, f32(Math.max(top(-d), top(d)) + h));
  }
  return [f32(Math.min(top(-1), top(0), top(1)) - 1), hi];
}

/** `band` over `under` where the band covers the share w of the cell: `band` itself where it covers all of it. */
const partly = (under: Rgb, band: Rgb, w: number): Rgb => (w < 1 ? mix(under, band, w) : band);

/** The metal's colour on a layer: silver on the deposit and integrity layers, grey (dimmed) on the scalar ones. */
export const metalRgb = (layer: number): Rgb => (layer === 0 || layer === 3 ? METAL : METAL_DIM);

/** One channel as pack4x8unorm stores it: floor(0.5 + 255 * clamp(v, 0, 1)). */
export const unorm8 = (v: number): number => Math.floor(0.5 + 255 * clamp(v, 0, 1));

/** Colours all nx * ny cells into `out` (RGBA, at least nx * ny * 4 bytes), the reservoir row first. */
export function colorize(out: Uint8ClampedArray, f: ColorizeFields, view: ColorizeView): void {
  const { nx, ny, xi, c, phi, integrity } = f;
  const n = nx * ny;
  if (out.length < n * 4) throw new Error(`colorize: the pixel buffer holds ${out.length} bytes, ${n * 4} needed for ${nx}x${ny}`);
  if (xi.length < n || c.length < n || phi.length < n) throw new Error(`colorize: the fields hold fewer than ${nx}x${ny} cells`);
  if (integrity.length < nx) throw new Error(`colorize: integrity holds ${integrity.length} columns, ${nx} needed`);
  const her = f.her;
  if (view.layer === 4 && (!her || her.length < n)) throw new Error(`colorize: the HER layer needs the HER current of all ${nx}x${ny} cells`);
  if (view.layer === 4 && view.herScale === undefined) throw new Error("colorize: the HER layer needs herScale (0.1 dx)");
  const thick = f32(f32(view.band[1]) - f32(view.band[0]));
  const tops = f.tops;
  if (thick > 0 && (!tops || tops.length < nx)) throw new Error(`colorize: the coating band needs the deposit's top in each of the ${nx} columns`);
  // Each column's band, [bottom, top) in cells (bandSpan), none where the view has no band.
  const spans = new Float64Array(2 * nx);
  for (let i = 0; i < nx && thick > 0; i++) spans.set(bandSpan(tops!, i, thick, nx), 2 * i);
  const lo = f32(view.lo), hi = f32(view.hi), c0 = f32(view.c0_M);
  const herScale = f32(view.herScale ?? 0);
  const strainRef = f32(view.strainRef ?? 0);
  const dxUm = f32(view.dx_um ?? 0);
  if (view.layer === 6 && !(dxUm > 0)) throw new Error("colorize: the by-product layer needs dx_um (the cell size in um)");
  const { w, film, strain } = f;
  if (w && w.length < n) throw new Error(`colorize: w holds fewer than ${nx}x${ny} cells`);
  if (film && film.length < n) throw new Error(`colorize: film holds fewer than ${nx}x${ny} cells`);
  if (strainRef > 0 && (!strain || strain.length < nx)) throw new Error(`colorize: the band's shading needs the strain of all ${nx} columns`);
  const logLo = Math.log2(lo), logSpan = Math.max(1e-12, Math.log2(hi) - Math.log2(lo));
  const layer = view.layer;
  const alphaXi = view.alphaXi === true;
  const span = Math.max(1e-12, hi - lo);
  const lowMetal = f32(0.3), highMetal = f32(0.7);
  for (let j = 0; j < ny; j++) {
    const y = j + 0.5;
    const row = (ny - 1 - j) * nx;
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      // The share of the cell the band covers: its top edge cuts the cell (partly tinted: a smooth edge); its bottom,
      // in the metal, is a hard one.
      const inBand = thick > 0 && y >= spans[2 * i]! ? clamp(f32(spans[2 * i + 1]! - j), 0, 1) : 0;
      const metal = smoothstep(lowMetal, highMetal, clamp(xi[k]!, 0, 1));
      let liquid: Rgb;
      if (layer === 1) liquid = layerColour(1, (c[k]! * c0 - lo) / span);
      else if (layer === 2) liquid = layerColour(2, (phi[k]! - lo) / span);
      else if (layer === 3) liquid = inBand > 0 ? partly(LIQUID_DARK, layerColour(3, integrity[i]!), inBand) : LIQUID_DARK;
      else if (layer === 4) {
        const v = f32(her![k]!) * herScale; // mA/cm2
        liquid = v >= lo ? layerColour(4, (Math.log2(v) - logLo) / logSpan) : LIQUID_DARK;
      } else if (layer === 5) {
        liquid = w ? layerColour(5, (pHOfF32(w[k]!) - lo) / span) : LIQUID_DARK;
      } else if (layer === 6) {
        // um of film in the cell; below lo (none): the ramp's dark end.
        const v = film ? f32(f32(film[k]!) * ZHS_FILL) * dxUm : 0;
        liquid = !film ? LIQUID_DARK : v >= lo ? layerColour(6, (Math.log2(v) - logLo) / logSpan) : FILM_NONE;
      } else {
        liquid = layerColour(0, c[k]!);
        if (inBand > 0) liquid = partly(liquid, bandTint(liquid, f32(integrity[i]!), strainRef > 0 ? clamp(f32(strain![i]!) / strainRef, 0, 1) : 0), inBand);
        if (film) liquid = mix(liquid, FILM_RGB, Math.min(1, f32(f32(film[k]!) * ZHS_COVER)));
      }
      const solid = layer === 0 && f.dead && f.dead[k]! > 0.5 ? DEAD_ZINC_RGB : metalRgb(layer);
      const col = alphaXi ? liquid : mix(liquid, solid, metal);
      const p = (row + i) * 4;
      out[p] = unorm8(col[0]);
      out[p + 1] = unorm8(col[1]);
      out[p + 2] = unorm8(col[2]);
      out[p + 3] = alphaXi ? unorm8(clamp(xi[k]!, 0, 1)) : 255;
    }
  }
}
