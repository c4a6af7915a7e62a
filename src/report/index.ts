export { simulationTable, simulationCsv, simulationJson, validationJson, validationText, validationRows } from './simulationTables.js';
export { reportData, reportLatex, type ReportData, type ReportOptions, type ReportLatex } from './reportData.js';
export { reportHtml, type HtmlOptions } from './html.js';
export { renderFormula, LONG_FORMULA, SOURCE_FORMULA } from './formula.js';
export { inlineKatexCss, embedFonts } from './katexAssets.js';
export { trajectoryPlot, distancePlot, errorPlot, slopeLine } from './reportPlots.js';
export { REPORT_EXAMPLES, type ReportExample } from './examples.js';
export * from './plot/index.js';
export { quantityPlots } from './symmetryPlots.js';
