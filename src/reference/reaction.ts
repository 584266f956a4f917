/**
 * Step 2 of the CPU solver: the reaction sums over the interface (Butler-Volmer Zn kinetics, the coating's sub-grid
 * tip effect, HER) and the galvanostatic electrode potential E_m that makes their current equal the applied one;
 * and the most Zn2+ a cell can give to plating in one step.
 */
import { ZN_SITE_DENSITY } from "../model/constants.ts";
import { allenCahnRate } from "../model/allenCahn.ts";
import { expClip, NF } from "./numerics.ts";
import type { CpuSolver } from "./solver.ts";
import { tipDrives } from "./columns.ts";

/** xi (1 - xi) below this: 30 (xi (1 - xi))^2, the Zn weight's shape, is under 3e-17 of an interface cell's. */
const TAIL_XI = 1e-9;
/** |grad xi|^2 (per cell^2) below this: the HER weight |grad xi| is under 1e-16 of an interface cell's (~0.5). */
const TAIL_G2 = 1e-32;

/** The interface's currents per unit depth at u = 0: anodic A, cathodic B, HER C, and S from the Allen-Cahn rate. */
export interface Sums { A: number; B: number; C: number; S: number }

/**
 * Fills the solver's per-cell reaction weights (rAc, wCath, wAnod, wHer) at its phi and returns their sums. With
 * `samePhase`, the phase field, c and the columns are those of the last call (the corrector of a step): each cell's
 * interface weights (s.wZnGeo, s.wHGeo), its Allen-Cahn rate and their sum S are kept from it, only what depends
 * on phi is new.
 */
export function reactionSums(s: CpuSolver, samePhase = false): Sums {
  const { co, nx, ny, xi, c, phi } = s;
  const dA = co.dx * co.dx;
  const f = co.fNRT;
  const is1d = co.mode === "1d";
  const wInterface = 1 / (5 * co.ell * co.dx);
  const ell2 = 2 * co.ell * co.ell;
  const zoneTop = co.substrateCells + co.nucleationZone;
  // Imports as locals (under Node's CommonJS transform each use of an import is a getter call, per cell here).
  const exp = expClip, acRate = allenCahnRate, siteCharge = NF * ZN_SITE_DENSITY;
  const { rAc, wCath, wAnod, wHer, integrity, protrusion, penalty, site, tipDrive } = s;
  if (!is1d) tipDrives(s);
  const acScale = co.gammaDt / co.dt;
  // A long step's Allen-Cahn change comes from its substeps (acSubsteps.ts), taken before the step's first sums.
  const acNet = s.acNet;
  const { alphaC, alphaA, alphaHrel, i0, iH0, hostGain, bandCells, dx, tipCap, tipGain, herCoatFactor, hasCoating, aniso } = co;
  const { wZnGeo, wHGeo, xiFloor } = s;
  // A by-product film covers the reaction of the metal beneath it (byproduct.ts).
  const film = s.byproduct;
  // Cells cut off from the substrate take no electrons (connectivity.ts).
  const dead = s.deadZinc?.any ? s.deadZinc.dead : null;
  // Field focusing at a protrusion's tip speeds whichever reaction the applied current drives: plating, or stripping.
  const tipSign = s.iApp > 0 ? 1 : s.iApp < 0 ? -1 : 0;
  let A = 0, B = 0, C = 0, S = samePhase ? s.sumS : 0;
  for (let j = 0; j < ny; j++) {
    const inZone = j + 0.5 < zoneTop;
    const bf = s.bandFrac[j]!;
    for (let i = 0; i < nx; i++) {
      const P = j * nx + i;
      const x = xi[P]!;
      let wZn: number, wH: number, rac = 0;
      const chi = bf * integrity[i]!;
      if (samePhase) {
        wZn = wZnGeo[P]!;
        wH = wHGeo[P]!;
      } else if (is1d) {
        wZn = j === 0 ? 1 / co.dx : 0;
        wH = wZn;
      } else {
        const xW = xi[j * nx + (i === 0 ? nx - 1 : i - 1)]!;
        const xE = xi[j * nx + (i === nx - 1 ? 0 : i + 1)]!;
        const xS = j > 0 ? xi[P - nx]! : x;
        const xN = j < ny - 1 ? xi[P + nx]! : x;
        const gx = 0.5 * (xE - xW), gy = 0.5 * (xN - xS);
        const g2 = gx * gx + gy * gy;
        rac = acNet ? acNet[P]! / co.dt : acScale * acRate(x, xW + xE + xS + xN - 4 * x, gx, gy, ell2, aniso);
        const host = hostGain > 0 ? (hostGain * chi * (1 - x)) / (bandCells * dx) : 0;
        const m = inZone && chi < 0.5 ? site[i]! : 1;
        // Far out in the profile's tails the weights fall below the sums' rounding (1e-16 of an interface cell's):
        // such a cell takes no exponentials.
        const xx = x * (1 - x);
        wZn = (xx > TAIL_XI ? 30 * x * x * (1 - x) * (1 - x) * wInterface * m : 0) + host;
        wH = (g2 > TAIL_G2 ? Math.sqrt(g2) / dx : 0) + host;
        if (dead && dead[P]) { wZn = 0; wH = 0; rac = 0; }
        // Capillarity moves zinc only: never below a copper substrate's own metal.
        if (xiFloor && rac < 0) rac = Math.max(rac, (xiFloor[P]! - x) / co.dt);
      }
      if (film && !samePhase) {
        const open = film.open(P, nx, ny);
        wZn *= open;
        wH *= open;
      }
      if (!samePhase) {
        rAc[P] = rac;
        S += siteCharge * rac * dA;
        wZnGeo[P] = wZn;
        wHGeo[P] = wH;
      }
      if (wZn > 0) {
        // Sub-grid tip effect: a protrusion of height p sees the field ahead of it amplified (columns.ts tipDrives).
        const tip = is1d ? 0 : tipSign * Math.min(tipCap, tipGain * protrusion[i]! * tipDrive[i]!);
        const etaP = -(is1d ? s.electrodeFacePotential() : phi[P]!) + penalty[i]! - tip;
        const cat = wZn * i0 * Math.max(0, c[P]!) * exp(-alphaC * f * etaP);
        // On copper only the cell's zinc (its metal above the copper's) dissolves.
        const zinc = xiFloor ? (x > 0 ? Math.min(1, Math.max(0, (x - xiFloor[P]!) / x)) : 0) : 1;
        const an = wZn * zinc * i0 * exp(alphaA * f * etaP);
        wCath[P] = cat;
        wAnod[P] = an;
        B += cat * dA;
        A += an * dA;
      } else {
        wCath[P] = 0;
        wAnod[P] = 0;
      }
      if (wH > 0) {
        // The layer covers the whole surface (valleys too) where intact; a crack exposes bare Zn.
        const k = integrity[i]!;
        const fh = hasCoating ? k * herCoatFactor + (1 - k) : herCoatFactor;
        const ih = wH * iH0 * fh * exp(-alphaHrel * f * -(is1d ? s.electrodeFacePotential() : phi[P]!));
        wHer[P] = ih;
        C += ih * dA;
      } else wHer[P] = 0;
    }
  }
  s.sumS = S;
  return { A, B, C, S };
}

/**
 * Solves B e^{-ac u} - A e^{aa u} + C e^{-ah u} + S = I (all per unit depth) for u = f E_m; under potential control
 * (s.eImposed, a sweep) u is the imposed one and the current is what it gives.
 */
export function solvePotential(s: CpuSolver, { A, B, C, S }: Sums): number {
  const co = s.co;
  if (s.eImposed !== null) return s.eImposed * co.fNRT;
  const I = s.iApp * s.nx * co.dx;
  const g = (u: number) => B * expClip(-co.alphaC * u) - A * expClip(co.alphaA * u) + C * expClip(-co.alphaHrel * u) + S - I;
  const dg = (u: number) => -co.alphaC * B * expClip(-co.alphaC * u) - co.alphaA * A * expClip(co.alphaA * u) - co.alphaHrel * C * expClip(-co.alphaHrel * u) - 1e-300;
  // g is strictly decreasing: bracket, then safeguarded Newton.
  let lo = -200, hi = 200;
  let u = Math.min(hi, Math.max(lo, s.u));
  for (let it = 0; it < 100; it++) {
    const gu = g(u);
    if (Math.abs(gu) <= 1e-12 * I) break;
    if (gu > 0) lo = u;
    else hi = u;
    let next = u - gu / dg(u);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - u) < 1e-13) { u = next; break; }
    u = next;
  }
  return u;
}

/**
 * The most Zn2+ (in c0 x cell volume) cell P can give to plating in one step: what it holds plus what diffusion
 * could bring it from its neighbours (and the reservoir, on the top row) if it were emptied, max(0, c) each.
 */
export function zincSupply(sv: CpuSolver, P: number): number {
  const { nx, ny, c } = sv;
  const { ax, ay } = sv.mgC.fine;
  const i = P % nx, j = (P - i) / nx;
  const row = j * nx;
  const W = row + (i === 0 ? nx - 1 : i - 1), E = row + (i === nx - 1 ? 0 : i + 1);
  let s = Math.max(0, c[P]!) + ax[W]! * Math.max(0, c[W]!) + ax[P]! * Math.max(0, c[E]!);
  if (j > 0) s += ay[P - nx]! * Math.max(0, c[P - nx]!);
  s += ay[P]! * (j === ny - 1 ? 1 : Math.max(0, c[P + nx]!));
  return s;
}
