/**
 * The CPU solver's operators: each cell's conductivity, diffusivity and transference number from its metal
 * fraction and the coating band, and from them the face coefficients of the potential and concentration systems.
 */
import { harmonic, hInterp } from "./numerics.ts";
import type { CpuSolver } from "./solver.ts";
import { filmCover, ZHS_PORE_TRANSPORT } from "./byproduct.ts";

/** Face coefficients of the potential (conductance, scaled by sigma_l) and concentration (D dt/dx^2). */
export function fillOperators(s: CpuSolver): void {
  const { co, nx, ny, xi } = s;
  const phiLv = s.mgPhi.fine, cLv = s.mgC.fine;
  const dx_ = s.dCellX, dy_ = s.dCellY;
  // Imports as locals (under Node's CommonJS transform each use of an import is a getter call, per cell here).
  const hI = hInterp, hm = harmonic;
  const { sx, sy, tp, integrity, bandFrac } = s;
  const { floor, sBandX, sBandY, dBandX, dBandY, dLiquid, tpBand, tpLiquid } = co;
  // Row by row: the cells' coefficients of row j, then the faces of row j - 1 (whose upper neighbours are now set).
  const pax = phiLv.ax, pay = phiLv.ay, cax = cLv.ax, cay = cLv.ay;
  const film = s.byproduct;
  for (let j = 0; j <= ny; j++) {
    if (j < ny) {
      const bf = bandFrac[j]!;
      for (let i = 0, P = j * nx; i < nx; i++, P++) {
        const chi = bf * integrity[i]!;
        const metal = hI(Math.min(1, Math.max(0, xi[P]!)));
        const open = 1 - metal, fl = floor * metal; // the floor only where there is metal
        // A by-product film in the cell's liquid carries ions through its pores only (byproduct.ts transport).
        let ox = open, oy = open;
        // As the coating band's (coefficients.ts): the film's share in series with the free liquid's across it (y,
        // a layer on the metal), in parallel along it (x).
        if (film && film.m[P]! > 0) {
          const cover = filmCover(film.m[P]!);
          ox *= 1 - cover + cover * ZHS_PORE_TRANSPORT;
          oy /= 1 - cover + cover / ZHS_PORE_TRANSPORT;
        }
        sx[P] = (chi * sBandX + (1 - chi)) * ox + fl;
        sy[P] = (chi * sBandY + (1 - chi)) * oy + fl;
        dx_[P] = ((chi * dBandX + (1 - chi) * dLiquid) * ox + fl * dLiquid);
        dy_[P] = ((chi * dBandY + (1 - chi) * dLiquid) * oy + fl * dLiquid);
        tp[P] = chi * tpBand + (1 - chi) * tpLiquid;
      }
    }
    if (j === 0) continue;
    const row = (j - 1) * nx;
    // x faces (none in 1d): each cell but the row's last with its east neighbour, the last across the seam.
    if (nx === 1) {
      pax[row] = 0;
      cax[row] = 0;
    } else {
      for (let P = row, end = row + nx - 1; P < end; P++) {
        pax[P] = hm(sx[P]!, sx[P + 1]!);
        cax[P] = hm(dx_[P]!, dx_[P + 1]!);
      }
      const P = row + nx - 1;
      pax[P] = hm(sx[P]!, sx[row]!);
      cax[P] = hm(dx_[P]!, dx_[row]!);
    }
    // y faces: to the row above, and on the top row to the Dirichlet value.
    if (j < ny) {
      for (let P = row, end = row + nx; P < end; P++) {
        pay[P] = hm(sy[P]!, sy[P + nx]!);
        cay[P] = hm(dy_[P]!, dy_[P + nx]!);
      }
    } else {
      for (let P = row, end = row + nx; P < end; P++) {
        pay[P] = 2 * sy[P]!;
        cay[P] = 2 * dy_[P]!;
      }
    }
  }
  phiLv.e.fill(0);
  cLv.e.fill(1);
}
