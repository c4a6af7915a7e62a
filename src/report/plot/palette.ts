/**
 * Series styles: the Okabe–Ito colours (distinguishable with the common colour-vision
 * deficiencies) paired with dash patterns, so series differ in two ways at once.
 *
 * @example
 *   seriesStyle(0) // { color: '#000000', dash: '' }
 */
export const COLORS = ['#000000', '#E69F00', '#0072B2', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#8C7A00'] as const;
export const DASHES = ['', '6 3', '2 3', '8 3 2 3', '10 4', '4 2 1 2', '1 2', '12 3 3 3'] as const;

export function seriesStyle(i: number): { color: string; dash: string } {
  return { color: COLORS[i % COLORS.length]!, dash: DASHES[i % DASHES.length]! };
}
