/**
 * The outline's box-counting dimension (src/model/boxCounting.ts) on shapes whose dimension is known: a flat and a
 * slanted interface (1), a Koch curve (log 4 / log 3 = 1.262) and a random half-filled plane (2).
 */
import { describe, expect, it } from "vitest";
import { countBoxes, fitLine, outlineCells, outlineDimension } from "../src/model/boxCounting.ts";

type Pt = [number, number];

/** A field with xi = 1 (metal) where `metal(x, y)` holds at the cell's centre (x, y in cells), smoothed or not. */
function field(nx: number, ny: number, metal: (x: number, y: number) => boolean): Float32Array {
  const xi = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) xi[j * nx + i] = metal(i + 0.5, j + 0.5) ? 1 : 0;
  return xi;
}

/** A deposit of height h(x) cells as a diffuse interface (a tanh profile 0.6 cells wide, as the model's). */
function profile(nx: number, ny: number, h: (x: number) => number): Float32Array {
  const xi = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) xi[j * nx + i] = 0.5 * (1 - Math.tanh((j + 0.5 - h(i + 0.5)) / 1.2));
  return xi;
}

/** The Koch curve of `level` from a to b (its points, a included, b not). */
function koch(a: Pt, b: Pt, level: number, out: Pt[] = []): Pt[] {
  if (level === 0) {
    out.push(a);
    return out;
  }
  const [ax, ay] = a, [bx, by] = b;
  const dx = (bx - ax) / 3, dy = (by - ay) / 3;
  const p1: Pt = [ax + dx, ay + dy], p3: Pt = [ax + 2 * dx, ay + 2 * dy];
  // The peak: the middle third turned by +60 degrees (upwards for a curve running in +x).
  const c = Math.cos(Math.PI / 3), s = Math.sin(Math.PI / 3);
  const p2: Pt = [p1[0] + c * dx - s * dy, p1[1] + s * dx + c * dy];
  koch(a, p1, level - 1, out);
  koch(p1, p2, level - 1, out);
  koch(p2, p3, level - 1, out);
  koch(p3, b, level - 1, out);
  return out;
}

/** Metal below a closed polygon's top boundary: scanline fill (even-odd rule) of the polygon `poly`. */
function fillPolygon(nx: number, ny: number, poly: Pt[]): Float32Array {
  const xi = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    const y = j + 0.5;
    const xs: number[] = [];
    for (let k = 0; k < poly.length; k++) {
      const [x0, y0] = poly[k]!, [x1, y1] = poly[(k + 1) % poly.length]!;
      if (y0 <= y === y1 <= y) continue;
      xs.push(x0 + ((y - y0) * (x1 - x0)) / (y1 - y0));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      for (let i = Math.max(0, Math.ceil(xs[k]! - 0.5)); i < nx && i + 0.5 <= xs[k + 1]!; i++) xi[j * nx + i] = 1;
    }
  }
  return xi;
}

/** A Koch-curve deposit spanning the periodic width, its base at y0: the curve, then down and back along the bottom. */
function kochField(n: number, level: number, y0: number): Float32Array {
  const curve = koch([0, y0], [n, y0], level);
  return fillPolygon(n, n, [...curve, [n, y0], [n, 0], [0, 0]]);
}

/** A seeded generator (mulberry32) so the random set is the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("outline box-counting dimension", () => {
  it("is 1 for a flat interface, and ignores the domain's bottom edge", () => {
    const n = 256;
    const r = outlineDimension(profile(n, n, () => 40.3), n, n, 1e-6);
    expect(r.dimension).toBeGreaterThan(0.95);
    expect(r.dimension).toBeLessThan(1.05);
    // One cell per column on the contour: the flat bottom (substrate against the domain's edge) adds none.
    expect(r.boxes[0]).toEqual({ size_um: 1, count: n });
    expect(r.boxes.map((b) => b.size_um)).toEqual([1, 2, 4, 8, 16, 32, 64]);
  });

  it("is 1 for a straight slanted interface (periodic: one step back at the seam)", () => {
    const n = 512;
    const r = outlineDimension(profile(n, n, (x) => 50 + 0.4 * x), n, n, 0.5e-6);
    expect(r.dimension).toBeGreaterThan(0.95);
    expect(r.dimension).toBeLessThan(1.05);
    expect(r.r2).toBeGreaterThan(0.99);
    expect(r.boxes[1]!.size_um).toBe(1); // 2 cells of 0.5 um
  });

  // Measured 1.211 (r2 0.998; level 5 on 512^2: 1.203): grid-aligned dyadic boxes read a triadic curve a little
  // low, and its segments of 1.4 cells flatten the finest scale.
  it("is log 4 / log 3 for a Koch-curve outline on 1024 x 1024 cells", () => {
    const n = 1024;
    const r = outlineDimension(kochField(n, 6, 200), n, n, 1e-6);
    expect(r.dimension).toBeGreaterThan(Math.log(4) / Math.log(3) - 0.08);
    expect(r.dimension).toBeLessThan(Math.log(4) / Math.log(3) + 0.08);
  });

  it("is ~2 for a random half-filled plane, whose outline fills it", () => {
    const n = 256, random = rng(7);
    const r = outlineDimension(field(n, n, () => random() < 0.5), n, n, 1e-6);
    expect(r.dimension).toBeGreaterThan(1.8);
    expect(r.dimension).toBeLessThan(2.05);
  });

  it("gives NaN where there is no outline or too few sizes, and refuses a field of the wrong size", () => {
    expect(outlineDimension(new Float32Array(64 * 64), 64, 64, 1e-6).dimension).toBeNaN();
    expect(outlineDimension(profile(8, 8, () => 3), 8, 8, 1e-6).dimension).toBeNaN(); // only s = 2 is fitted
    expect(() => outlineDimension(new Float32Array(10), 4, 4, 1e-6)).toThrow(/16/);
  });

  it("marks the cell holding the crossing, across the periodic seam too", () => {
    // A row of 4: metal (0.9) at x = 0, nearly metal (0.45) at x = 3. Right of x = 0 the crossing is at 0.44 of the
    // way to x = 1 (in x = 0's cell); across the seam from x = 3 to x = 0 it is at 0.11 (in x = 3's cell).
    const mark = outlineCells(Float32Array.from([0.9, 0, 0, 0.45]), 4, 1);
    expect(Array.from(mark)).toEqual([1, 0, 0, 1]);
    expect(countBoxes(Uint8Array.from([1, 0, 0, 1]), 4, 1, 2)).toBe(2);
    expect(fitLine([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, r2: 1 });
  });
});
