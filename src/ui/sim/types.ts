/**
 * What the page's run controller needs from a simulation backend: the WebGPU engine (sim/gpuBackend.ts) or the
 * CPU reference solver in a Web Worker (sim/cpuBackend.ts) where WebGPU is missing. No React, no DOM drawing.
 */
import type { SeriesRow } from "../../model/metrics.ts";
import type { Scenario } from "../../model/scenario.ts";
import type { Checkpoint } from "../../reference/solver.ts";
import type { CycleRow } from "../../model/cycleLog.ts";
import type { DriverState } from "../../model/protocolDriver.ts";

/**
 * A backend's whole state: the solver's checkpoint and, for a run with a protocol, where the protocol stands (its
 * clock, its cycle table so far, the steps since the last sample), so a lost device resumes mid-cycle.
 */
export type RunCheckpoint = Checkpoint & { protocol?: DriverState };

/** The field views: what the canvas shows. */
export const FIELD_LAYERS = ["deposit", "concentration", "potential", "integrity", "her", "ph", "byproduct"] as const;
export type FieldLayer = (typeof FIELD_LAYERS)[number];

/**
 * The colour scale of one frame, in the unit the legend shows; `log` where the colours run over decades of it; `off`
 * where the run has no such field (the pH or the by-product without them): why, and how to turn it on, shown in
 * place of a picture (the field is drawn dark).
 */
export interface ColourScale { lo: number; hi: number; unit: string; label: string; log?: boolean; off?: string }

/** The log scale of the HER layer (mA/cm2): bare Zn at 10 mA/cm2 sits near 1e-2 at its surface, COF near 1e-4. */
export const HER_LO_MA_CM2 = 1e-6;
export const HER_HI_MA_CM2 = 1e-1;

/**
 * The pH layer's fixed scale: pH 3 to 11, so that runs compare (2 M ZnSO4's pH 4.3 near the low end; the by-product
 * holds the interface at 5.5; unbuffered HER drives it to about 10).
 */
export const PH_LO = 3;
export const PH_HI = 11;

/**
 * The by-product layer's fixed log scale (um of film in a cell: its fill times the cell size): 1 nm to 1 um, the
 * film's first traces to a cell of the app's grid filled (the default run grows 0.64 um in 1200 s).
 */
export const FILM_LO_UM = 1e-3;
export const FILM_HI_UM = 1;

/** What a run holds for the pH and by-product layers (scenario ph_field, byproduct). */
export interface LayerRun { ph?: boolean; byproduct?: boolean }

/** The notes of the pH and by-product layers on a run without them. */
export const PH_OFF = "pH field off: turn on Local pH and by-product in Principle II";
export const BYPRODUCT_OFF = "By-product off: choose \"pH and Zn₄(OH)₆SO₄ film\" under Local pH and by-product in Principle II";

export interface Frame {
  step: number;
  t_s: number;
  /**
   * The scenario's samples this frame read back, in time order: the metrics at every stepsPerSample-th step, as the
   * runner samples them, whatever the speed (a backend may hold some back to a later frame; none at step 0).
   */
  rows: SeriesRow[];
  /**
   * nx * ny pixels, top row (reservoir side) first: RGB the electrolyte's colour of the layer, A the metal fraction
   * xi (the backends colour with alphaXi), which sim/fieldRenderer.ts turns into the smooth outline.
   */
  pixels: Uint8ClampedArray<ArrayBuffer>;
  /** The layer's index (layerIndex) the pixels were coloured for: the metal's colour depends on it. */
  layer?: number;
  scale: ColourScale;
  done: boolean;
  /**
   * The potential layer only: the scaled electrolyte potential and the metal fraction, row j * nx + i with j = 0
   * at the electrode, for the current lines drawn over the field (ui/currentLines.ts).
   */
  phi?: Float32Array<ArrayBuffer>;
  xi?: Float32Array<ArrayBuffer>;
  /**
   * A run with a protocol only: every cycle finished so far (the per-cycle table, cycleLog.ts), and on the deposit
   * layer the dead-zinc mask (1 where a cell is cut off from the substrate), row j * nx + i with j = 0 at the electrode.
   */
  cycles?: CycleRow[];
  dead?: Uint8Array<ArrayBuffer>;
}

/**
 * Values of one cell, in physical units, for the hover read-out: the metal fraction, Zn2+ (M), the potential (V), the
 * cell's HER current per electrode area (mA/cm2, as the HER layer colours it), its column's coating integrity (null
 * where the run has no coating), its pH (null without the pH field) and the by-product film in it (um: its cover
 * times the cell size, as the by-product layer shows it; null where the run forms none).
 */
export interface CellValues {
  metal: number; c_M: number; phi_V: number; her_mA_cm2: number; integrity: number | null; pH: number | null; film_um: number | null;
}

export interface SimBackend {
  readonly kind: "gpu" | "cpu";
  /** Where it runs, e.g. the GPU adapter's name or "CPU (Web Worker)". */
  readonly label: string;
  readonly nx: number;
  readonly ny: number;
  /** Total steps of the scenario (the run is done after these). */
  readonly steps: number;
  readonly dt_s: number;
  /**
   * Advances up to `steps` coupled steps, then colours the field for `layer`. `withMetrics`: read back the samples
   * taken so far and the layer's scale (otherwise a backend may keep them for a later frame).
   */
  frame(steps: number, layer: FieldLayer, withMetrics: boolean): Promise<Frame>;
  /** New parameters on the same grid: takes effect at the next step (a uniform write on the GPU). */
  update(s: Scenario): void;
  probe(i: number, j: number): Promise<CellValues>;
  /** The whole state (GPU backend), kept by the controller to survive a lost device. */
  checkpoint?(): Promise<RunCheckpoint>;
  /**
   * Continues from a checkpoint of the same grid, taken on either backend (after a lost device); throws (or
   * rejects) and keeps the state where the checkpoint does not fit.
   */
  restore?(cp: RunCheckpoint): void | Promise<void>;
  /** Resolves with a reason when the backend's GPU device is lost. */
  lost?: Promise<string>;
  destroy(): void;
}

/** Index of a layer in the colouring shader (render_field.wgsl) and its CPU twin (sim/colorize.ts). */
export const layerIndex = (layer: FieldLayer): number => FIELD_LAYERS.indexOf(layer);

/**
 * The colour legend of a layer: the bulk concentration bounds the Zn2+ views; the potential runs from the
 * lowest electrolyte potential (at the electrode face, `phiMin_V`) to 0 at the reservoir; the HER current of a
 * cell (per electrode area) runs over fixed decades; the pH over pH 3 to 11; the by-product's film in a cell (its
 * fill times the cell size) over the decades from 1 nm to 1 um.
 */
export function layerScale(layer: FieldLayer, c0_M: number, phiMin_V: number, run: LayerRun = {}): ColourScale {
  switch (layer) {
    case "deposit": return { lo: 0, hi: c0_M, unit: "M", label: "Zn2+ in the electrolyte (Zn metal silver, coating olive)" };
    case "concentration": return { lo: 0, hi: c0_M, unit: "M", label: "Zn2+ concentration" };
    case "potential": return { lo: Math.min(phiMin_V, -1e-4), hi: 0, unit: "V", label: "Electrolyte potential vs the reservoir" };
    case "integrity": return { lo: 0, hi: 1, unit: "1", label: "Coating integrity (1 intact, 0 cracked)" };
    case "her": return { lo: HER_LO_MA_CM2, hi: HER_HI_MA_CM2, unit: "mA/cm2", label: "HER current per electrode area, log scale", log: true };
    case "ph": return { lo: PH_LO, hi: PH_HI, unit: "pH", label: "Local pH of the electrolyte, fixed scale", ...(run.ph ? {} : { off: PH_OFF }) };
    // The film's share of each cell's volume, shown as film thickness: the share times the cell size.
    case "byproduct": return {
      lo: FILM_LO_UM, hi: FILM_HI_UM, unit: "um", log: true,
      label: "By-product film in each cell, Zn₄(OH)₆SO₄: cell fill × cell size, log scale",
      ...(run.byproduct ? {} : { off: run.ph ? BYPRODUCT_OFF : PH_OFF }),
    };
  }
}
