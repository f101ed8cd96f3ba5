// Colours for the charts. Layers use the Okabe-Ito palette (designed to stay
// distinguishable under the common colour-vision deficiencies), minus its yellow
// (too faint as a thin line on white) and its black (kept for the mean). Past six
// layers the colours repeat with a dash pattern, so up to twelve layers stay apart.

/** Okabe-Ito: blue, vermillion, bluish green, reddish purple, sky blue, orange. */
export const LAYER_COLOURS: readonly string[] = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#56B4E9', '#E69F00'];

/** The dark line for averages (the mean rank). */
export const MEAN_COLOUR = '#1b1b1b';

/** Reference lines (eps, maximum rank) and their labels. */
export const REFERENCE_COLOUR = '#555555';

/** Train loss and test accuracy: the first two Okabe-Ito colours, which stay apart for every deficiency. */
export const LOSS_COLOUR = '#D55E00';
export const ACCURACY_COLOUR = '#0072B2';

/** Colour of the i-th layer (0-based, in model order), the same in every chart. */
export function layerColour(index: number): string {
  const n = LAYER_COLOURS.length;
  return LAYER_COLOURS[((index % n) + n) % n];
}

/** Dash pattern of the i-th layer: solid for the first round of colours, dashed after. */
export function layerDash(index: number): string | undefined {
  const round = Math.floor(index / LAYER_COLOURS.length);
  if (round <= 0) return undefined;
  return round === 1 ? '6 3' : '2 2';
}
