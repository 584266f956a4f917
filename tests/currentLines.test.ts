import { describe, expect, it } from "vitest";
import { gradientAt, sampleField, traceCurrentLines, type PotentialField } from "../src/ui/currentLines.ts";

/** A field from phi(x, y) and xi(x, y) at the cell centres. */
function field(nx: number, ny: number, phi: (x: number, y: number) => number, xi: (x: number, y: number) => number = () => 0): PotentialField {
  const p = new Float32Array(nx * ny), m = new Float32Array(nx * ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      p[j * nx + i] = phi(i + 0.5, j + 0.5);
      m[j * nx + i] = xi(i + 0.5, j + 0.5);
    }
  }
  return { nx, ny, phi: p, xi: m };
}

const points = (l: number[]) => Array.from({ length: l.length / 2 }, (_, k) => [l[2 * k]!, l[2 * k + 1]!] as const);

describe("current lines (streamlines of -grad phi)", () => {
  it("interpolates bilinearly between cell centres, periodic in x", () => {
    const f = field(4, 3, (x, y) => x + 10 * y);
    expect(sampleField(f.phi, 4, 3, 1.5, 1.5)).toBeCloseTo(1.5 + 15, 5);
    expect(sampleField(f.phi, 4, 3, 2, 2)).toBeCloseTo(2 + 20, 5);
    // Past the last column the first one follows (x wraps): halfway between x = 3.5 and x = 0.5 (+4).
    expect(sampleField(f.phi, 4, 3, 4, 0.5)).toBeCloseTo((3.5 + 0.5) / 2 + 5, 5);
    // Clamped above the top and below the bottom centres.
    expect(sampleField(f.phi, 4, 3, 1.5, 3)).toBeCloseTo(1.5 + 25, 5);
    expect(sampleField(f.phi, 4, 3, 1.5, 0)).toBeCloseTo(1.5 + 5, 5);
    const [gx, gy] = gradientAt(f, 1.7, 1.2);
    expect(gx).toBeCloseTo(1, 5);
    expect(gy).toBeCloseTo(10, 5);
  });

  it("phi = y gives straight vertical lines from the reservoir down to the electrode, step 0.5 cell", () => {
    const nx = 32, ny = 24;
    const lines = traceCurrentLines(field(nx, ny, (_x, y) => y), { count: 12 });
    expect(lines).toHaveLength(12);
    lines.forEach((l, k) => {
      const pts = points(l);
      const x0 = ((k + 0.5) * nx) / 12;
      expect(pts[0]).toEqual([x0, ny]);
      for (const [x] of pts) expect(x).toBeCloseTo(x0, 9);
      expect(pts.at(-1)![1]).toBe(0);
      expect(pts).toHaveLength(2 * ny + 1);
      for (let q = 1; q < pts.length; q++) expect(pts[q - 1]![1] - pts[q]![1]).toBeCloseTo(0.5, 9);
    });
  });

  it("stops where the metal fraction exceeds 0.5", () => {
    const nx = 16, ny = 20;
    // Metal up to y = 6 (cells j < 6), with one column-pair tip to y = 12 in the middle.
    const lines = traceCurrentLines(field(nx, ny, (_x, y) => y, (x, y) => (y < 6 || (x > 6 && x < 10 && y < 12) ? 1 : 0)), { count: 8 });
    expect(lines).toHaveLength(8);
    for (const l of lines) {
      const [x, y] = points(l).at(-1)!;
      const tip = x > 6.5 && x < 9.5;
      // xi goes from 1 to 0 between the centres 5.5 and 6.5 (tip: 11.5 and 12.5) and is 0.5 at 6 (12): the line
      // ends at its first point past that, within one step.
      expect(y).toBeGreaterThanOrEqual(tip ? 11.5 : 5.5);
      expect(y).toBeLessThan(tip ? 12 : 6);
    }
    // A field that is metal at the top gives no lines.
    expect(traceCurrentLines(field(nx, ny, (_x, y) => y, () => 1))).toEqual([]);
  });

  it("a point-sink-like potential bends the lines toward the sink", () => {
    const nx = 64, ny = 64, sx = 32, sy = 6;
    const r2 = (x: number, y: number) => (x - sx) ** 2 + (y - sy) ** 2;
    // phi = ln r rises away from the sink, so -grad phi points at it; the sink itself is a small metal grain.
    const f = field(nx, ny, (x, y) => 0.5 * Math.log(r2(x, y)), (x, y) => (r2(x, y) < 4 ? 1 : 0));
    const lines = traceCurrentLines(f, { count: 16 });
    expect(lines.length).toBeGreaterThanOrEqual(16);
    const whole = lines.filter((l) => l[1] === ny); // parts that start at the reservoir
    expect(whole).toHaveLength(16);
    let bent = 0;
    for (const l of whole) {
      const pts = points(l);
      const [x0] = pts[0]!;
      if (Math.abs(x0 - sx) < 4 || Math.abs(x0 - sx) > 24) continue; // the middle half, away from the periodic edges
      bent++;
      const [x1, y1] = pts.at(-1)!;
      // It ends at the grain (radius 2 in xi = 1, the 0.5 contour within a cell of it), not at the bottom edge.
      expect(Math.sqrt(r2(x1, y1))).toBeLessThan(3.5);
      // And on its way it approaches the sink's column steadily.
      let prev = Math.abs(x0 - sx);
      for (const [x] of pts.slice(1)) {
        const dxs = Math.abs(x - sx);
        expect(dxs).toBeLessThanOrEqual(prev + 1e-9);
        prev = dxs;
      }
      expect(Math.abs(x1 - sx)).toBeLessThan(Math.abs(x0 - sx) / 2);
    }
    expect(bent).toBeGreaterThanOrEqual(8);
  });

  it("splits a line that crosses the periodic side edge, and ends within 4 ny steps", () => {
    const nx = 16, ny = 16;
    // phi rises to the right and up, periodically in x: lines drift left and wrap.
    const f = field(nx, ny, (x, y) => y + 2 * Math.sin((2 * Math.PI * x) / nx));
    const lines = traceCurrentLines(f, { count: 12 });
    const parts = lines.filter((l) => l[1] !== ny);
    for (const l of lines) {
      expect(l.length / 2 - 1).toBeLessThanOrEqual(4 * ny);
      for (const [, y] of points(l)) { expect(y).toBeGreaterThanOrEqual(0); expect(y).toBeLessThanOrEqual(ny); }
    }
    expect(parts.length).toBeGreaterThan(0);
    for (const l of parts) {
      // A continuation starts just outside the field (the shifted previous point) and runs into it.
      const x0 = l[0]!, x1 = l[2]!;
      expect(x0 < 0 || x0 >= nx).toBe(true);
      expect(x1).toBeGreaterThanOrEqual(0);
      expect(x1).toBeLessThan(nx);
    }
  });
});
