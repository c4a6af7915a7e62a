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
  counterTermsTextWriter,
  counterTermsLatexWriter,
  counterTermsIndexWriter,
  writeAll,
  type CounterTermsWriter,
  type CounterTermsHead,
  type CounterTermsLatexOptions,
} from './render.js';
export { collectOutput, chunkedWriter, type Write } from './sink.js';
export {
  splitTopLevelSum,
  joinTerms,
  latexWidth,
  breakTerms,
  LineBreaker,
  alignBlock,
  AlignWriter,
  latexDocument,
  latexText,
  inlineMath,
  DEFAULT_LINE_WIDTH_EM,
  type AlignRow,
  type LatexDocumentOptions,
} from './latexDocument.js';
export { counterTermsJson, counterTermsJsonWriter, type CounterTermsJson } from './json.js';
export { counterTermsMarkdown, counterTermsMarkdownWriter } from './markdown.js';
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
