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
  type CounterTermsLatexOptions,
} from './render.js';
export {
  splitTopLevelSum,
  joinTerms,
  latexWidth,
  breakTerms,
  alignBlock,
  latexDocument,
  latexText,
  inlineMath,
  DEFAULT_LINE_WIDTH_EM,
  type AlignRow,
  type LatexDocumentOptions,
} from './latexDocument.js';
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
export { plainNotation, type TermNotation } from './termNotation.js';
export { batchNotation, labelLetters } from './batchNotation.js';
