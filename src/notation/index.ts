export { elementaryText, elementaryLatex } from './elementary.js';
export { indexForm, dummyIndex } from './indexNotation.js';
export { checkedLatex } from './katexCheck.js';
export {
  seriesText,
  seriesLatex,
  seriesIndex,
  counterTermsText,
  counterTermsLatex,
  counterTermsIndex,
} from './render.js';
export { counterTermsJson, type CounterTermsJson } from './json.js';
export { counterTermsMarkdown } from './markdown.js';
export {
  scaleNormRateText,
  scaleNormRateLatex,
  translationRateText,
  translationRateLatex,
  invariantText,
  invariantLatex,
} from './invariantNotation.js';
