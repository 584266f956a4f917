/**
 * Dead zinc (docs/MODEL.md, "Stripping and dead zinc"): metal that no path through metal joins to the substrate takes
 * no electrons, so it neither plates, strips nor evolves hydrogen. Metal is xi >= 0.5; paths run through the four
 * neighbours of a cell, periodic in x. A non-metal cell (the diffuse interface, the electrolyte) is dead where dead
 * metal lies within DEAD_REACH_ELL interface half-widths of it (a square window, periodic in x) and live metal does
 * not, so a cut-off island can neither grow nor shrink through its own diffuse tail. The window (not a distance
 * through the liquid) keeps the rule two separable passes on the GPU.
 */

/** The window's half-width, in interface half-widths l: the tail beyond it holds xi < 0.003. */
export const DEAD_REACH_ELL = 6;

/** Work arrays of one grid (kept between steps: no allocation in a step). */
export class DeadZinc {
  /** 1 where a cell takes no electrons (dead metal and the interface around it), else 0. */
  readonly dead: Uint8Array;
  /** Whether any cell is dead (most steps of most runs: none, and the reaction skips the mask). */
  any = false;
  private readonly live: Uint8Array;
  private readonly queue: Int32Array;
  /** Per cell: 1 live metal, 2 dead metal (bits), then the same within the window along x, then along y too. */
  private readonly kind: Uint8Array;
  private readonly rowMax: Uint8Array;

  constructor(readonly nx: number, readonly ny: number) {
    const n = nx * ny;
    this.dead = new Uint8Array(n);
    this.live = new Uint8Array(n);
    this.queue = new Int32Array(n);
    this.kind = new Uint8Array(n);
    this.rowMax = new Uint8Array(n);
  }

  /** Marks the dead cells of `xi` (ny rows of nx, row 0 on the substrate); `reach`: the window's half-width in cells. */
  update(xi: ArrayLike<number>, reach: number): void {
    const { nx, ny, live, queue, dead, kind, rowMax } = this;
    const n = nx * ny;
    live.fill(0);
    // Breadth-first from the metal of row 0 (the substrate's own row is metal from the start to the end of a run).
    let head = 0, tail = 0;
    for (let i = 0; i < nx; i++) if (xi[i]! >= 0.5) { live[i] = 1; queue[tail++] = i; }
    while (head < tail) {
      const P = queue[head++]!;
      const i = P % nx, j = (P - i) / nx;
      const row = j * nx;
      const W = row + (i === 0 ? nx - 1 : i - 1), E = row + (i === nx - 1 ? 0 : i + 1);
      if (!live[W] && xi[W]! >= 0.5) { live[W] = 1; queue[tail++] = W; }
      if (!live[E] && xi[E]! >= 0.5) { live[E] = 1; queue[tail++] = E; }
      if (j > 0 && !live[P - nx] && xi[P - nx]! >= 0.5) { live[P - nx] = 1; queue[tail++] = P - nx; }
      if (j < ny - 1 && !live[P + nx] && xi[P + nx]! >= 0.5) { live[P + nx] = 1; queue[tail++] = P + nx; }
    }
    let deadMetal = 0;
    for (let P = 0; P < n; P++) {
      const metal = xi[P]! >= 0.5;
      kind[P] = metal ? (live[P] ? 1 : 2) : 0;
      if (metal && !live[P]) deadMetal++;
    }
    dead.fill(0);
    this.any = deadMetal > 0;
    if (!this.any) return;
    // The window, as two passes: the kinds (bits) within reach along x (periodic), then along y (clipped).
    const R = Math.min(reach, Math.floor((nx - 1) / 2));
    for (let j = 0; j < ny; j++) {
      const row = j * nx;
      for (let i = 0; i < nx; i++) {
        let b = 0;
        for (let d = -R; d <= R; d++) b |= kind[row + ((i + d + nx) % nx)]!;
        rowMax[row + i] = b;
      }
    }
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const P = j * nx + i;
        if (kind[P] !== 0) { dead[P] = kind[P] === 2 ? 1 : 0; continue; }
        let b = 0;
        for (let jj = Math.max(0, j - reach); jj <= Math.min(ny - 1, j + reach); jj++) b |= rowMax[jj * nx + i]!;
        dead[P] = b === 2 ? 1 : 0;
      }
    }
  }
}
