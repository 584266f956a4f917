/**
 * Dead zinc (docs/MODEL.md, "Stripping and dead zinc"): metal that no path through metal joins to the substrate takes
 * no electrons, so it neither plates, strips nor evolves hydrogen. Metal is xi >= 0.5; paths run through the four
 * neighbours of a cell, periodic in x. Every other cell (the diffuse interface and the electrolyte) belongs to the
 * nearest metal, counted in steps through non-metal cells: one nearer dead metal than live metal is dead too, so a
 * cut-off island can neither grow nor shrink through its own diffuse tail.
 */

/** Work arrays of one grid (kept between steps: no allocation in a step). */
export class DeadZinc {
  /** 1 where a cell takes no electrons (dead metal and the interface around it), else 0. */
  readonly dead: Uint8Array;
  /** Whether any cell is dead (most steps of most runs: none, and the reaction skips the mask). */
  any = false;
  private readonly live: Uint8Array;
  private readonly queue: Int32Array;
  private readonly distLive: Int32Array;
  private readonly distDead: Int32Array;

  constructor(readonly nx: number, readonly ny: number) {
    const n = nx * ny;
    this.dead = new Uint8Array(n);
    this.live = new Uint8Array(n);
    this.queue = new Int32Array(n);
    this.distLive = new Int32Array(n);
    this.distDead = new Int32Array(n);
  }

  /** Marks the dead cells of `xi` (ny rows of nx, row 0 on the substrate). */
  update(xi: ArrayLike<number>): void {
    const { nx, ny, live, queue, dead } = this;
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
    for (let P = 0; P < n; P++) if (xi[P]! >= 0.5 && !live[P]) deadMetal++;
    dead.fill(0);
    this.any = deadMetal > 0;
    if (!this.any) return;
    // The other cells: to the nearer of live and dead metal (ties to live metal).
    this.distances(xi, true, this.distLive);
    this.distances(xi, false, this.distDead);
    for (let P = 0; P < n; P++) {
      if (xi[P]! >= 0.5) dead[P] = live[P] ? 0 : 1;
      else dead[P] = this.distDead[P]! < this.distLive[P]! ? 1 : 0;
    }
  }

  /** Steps (through non-metal cells, four neighbours, periodic in x) from the nearest live or dead metal; n where none leads. */
  private distances(xi: ArrayLike<number>, fromLive: boolean, dist: Int32Array): void {
    const { nx, ny, live, queue } = this;
    const n = nx * ny;
    dist.fill(n);
    let head = 0, tail = 0;
    for (let P = 0; P < n; P++) {
      if (xi[P]! >= 0.5 && (live[P] === 1) === fromLive) { dist[P] = 0; queue[tail++] = P; }
    }
    while (head < tail) {
      const P = queue[head++]!;
      const d = dist[P]! + 1;
      const i = P % nx, j = (P - i) / nx;
      const row = j * nx;
      const W = row + (i === 0 ? nx - 1 : i - 1), E = row + (i === nx - 1 ? 0 : i + 1);
      if (xi[W]! < 0.5 && dist[W]! > d) { dist[W] = d; queue[tail++] = W; }
      if (xi[E]! < 0.5 && dist[E]! > d) { dist[E] = d; queue[tail++] = E; }
      if (j > 0 && xi[P - nx]! < 0.5 && dist[P - nx]! > d) { dist[P - nx] = d; queue[tail++] = P - nx; }
      if (j < ny - 1 && xi[P + nx]! < 0.5 && dist[P + nx]! > d) { dist[P + nx] = d; queue[tail++] = P + nx; }
    }
  }

  /** The metal of the dead cells, sum of xi (in cells). */
  deadMetal(xi: ArrayLike<number>): number {
    if (!this.any) return 0;
    let s = 0;
    for (let P = 0; P < this.dead.length; P++) if (this.dead[P]) s += xi[P]!;
    return s;
  }
}
