/** CSS colour stops of each layer's legend bar, sampled from the colouring itself (sim/colorize.ts). */
import { layerColour } from "./sim/colorize.ts";
import { layerIndex, type FieldLayer } from "./sim/types.ts";

export function legendStops(layer: FieldLayer, n = 9): string[] {
  return Array.from({ length: n }, (_, k) => {
    const [r, g, b] = layerColour(layerIndex(layer), k / (n - 1)).map((v) => Math.round(255 * v));
    return `rgb(${r} ${g} ${b})`;
  });
}
