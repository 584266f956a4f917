/**
 * The CPU solver's operators: each cell's conductivity, diffusivity and transference number from its metal
 * fraction and the coating band, and from them the face coefficients of the potential and concentration systems.
 */
import { harmonic, hInterp } from "./numerics.ts";
import type { CpuSolver } from "./solver.ts";

/** Face coefficients of the potential (conductance, scaled by sigma_l) and concentration (D dt/dx^2). */
export function fillOperators(s: CpuSolver): void {
  const { co, nx, ny, xi } = s;
  const phiLv = s.mgPhi.fine, cLv = s.mgC.fine;
  const dx_ = s.dCellX, dy_ = s.dCellY;
  for (let j = 0; j < ny; j++) {
    const bf = s.bandFrac[j]!;
    for (let i = 0; i < nx; i++) {
      const P = j * nx + i;
      const chi = bf * s.integrity[i]!;
      const metal = hInterp(Math.min(1, Math.max(0, xi[P]!)));
      const open = 1 - metal, fl = co.floor * metal; // the floor only where there is metal
      s.sx[P] = (chi * co.sBandX + (1 - chi)) * open + fl;
      s.sy[P] = (chi * co.sBandY + (1 - chi)) * open + fl;
      dx_[P] = ((chi * co.dBandX + (1 - chi) * co.dLiquid) * open + fl * co.dLiquid);
      dy_[P] = ((chi * co.dBandY + (1 - chi) * co.dLiquid) * open + fl * co.dLiquid);
      s.tp[P] = chi * co.tpBand + (1 - chi) * co.tpLiquid;
    }
  }
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const P = j * nx + i;
      const E = j * nx + (i === nx - 1 ? 0 : i + 1);
      phiLv.ax[P] = nx === 1 ? 0 : harmonic(s.sx[P]!, s.sx[E]!);
      cLv.ax[P] = nx === 1 ? 0 : harmonic(dx_[P]!, dx_[E]!);
      if (j < ny - 1) {
        phiLv.ay[P] = harmonic(s.sy[P]!, s.sy[P + nx]!);
        cLv.ay[P] = harmonic(dy_[P]!, dy_[P + nx]!);
      } else {
        phiLv.ay[P] = 2 * s.sy[P]!;
        cLv.ay[P] = 2 * dy_[P]!;
      }
      phiLv.e[P] = 0;
      cLv.e[P] = 1;
    }
  }
}
