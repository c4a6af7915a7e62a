/**
 * An SGD report as one self-contained HTML file (the same page as reportHtml: KaTeX rendered
 * server-side, inline SVG, no script): the inputs, ξ_0 … ξ_K in the labelled notation (and the
 * closed forms for batch losses written out), per-epoch means with error bars beside the flows,
 * the honest statement about several epochs, and the one-epoch validation.
 *
 * @example
 *   writeFileSync('sgd.html', sgdReportHtml(sgdReportData(problem, options), { generator: 'eomkit 0.1.0' }));
 */
import { text } from './formula.js';
import { fact, figure, formulaCollector, htmlPage, pageFooter, latexName, num, numbersTable, section, sub } from './page.js';
import { displayName } from './reportPlots.js';
import { distanceToMeanPlot, meanPlot, sgdOrderPlot } from './sgdPlots.js';
import { distanceToMean, type SgdReportData } from './sgdReport.js';
import type { HtmlOptions } from './html.js';
import { SEVERAL_EPOCHS } from '../simulate/sgdRuns.js';

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

/**
 * The page of an SGD report (see the file comment); the same data give the same bytes.
 *
 * @example
 *   sgdReportHtml(data, { title: 'three batches' }) // '<!DOCTYPE html>…'
 */
export function sgdReportHtml(d: SgdReportData, options: HtmlOptions = {}): string {
  const { formula, count } = formulaCollector();
  const o = d.options;
  const K = o.order;
  const m = d.batchCount;
  const shuffle = d.sampling === 'shuffle';
  const title = options.title ?? `EoM report: SGD over ${m} batches (${shuffle ? 'random reshuffling' : 'cyclic order'})`;
  const src = o.source;
  const flowsList = ['GF', ...Array.from({ length: K + 1 }, (_, j) => displayName(`EoM_${j}`))].join(', ');
  const sections: string[] = [];

  sections.push(
    section('setup', 'Setup', [
      options.description ? `<p>${text(options.description)}</p>` : '',
      '<table class="facts">',
      ...(src.kind === 'batches'
        ? [fact('batch losses L_k', `<ol class="batches">${src.batches.map((b) => `<li><code>${text(b)}</code></li>`).join('')}</ol>`)]
        : [
            fact('per-example loss', `<code>${text(src.loss)}</code>`),
            fact('data file', `<code>${text(src.file)}</code>, ${src.rows} rows`),
            fact('batch size', `${src.batchSize} consecutive rows per batch`),
          ]),
      fact('batches m', String(m)),
      fact('sampling', shuffle ? 'shuffle: a fresh uniformly random order of the batches every epoch' : 'cyclic: the batches in the given order every epoch'),
      fact('parameters θ', text(d.vars.join(', '))),
      fact('start θ₀', text(d.vars.map((v, i) => `${v} = ${d.init[i]}`).join(', '))),
      fact('epochs', `η = ${o.lr}, ${o.epochs} epochs of ${m} steps (t = 0 … ${num(o.epochs * m * o.lr)})`),
      fact('Monte-Carlo mean', shuffle ? `${d.monteCarlo.runs} seeded runs, seed ${o.seed}` : 'none needed: cyclic SGD is deterministic'),
      fact('counter terms', `ξ₀ … ξ${sub(K)}: flows ${flowsList}`),
      fact('validation', `one epoch at η ∈ {${o.lrs.join(', ')}}`),
      '</table>',
      d.warnings.length ? `<ul class="warnings">${d.warnings.map((w) => `<li>warning: ${text(w)}</li>`).join('')}</ul>` : '',
    ]),
  );

  const cf = d.closedForms;
  sections.push(
    section('counter-terms', K === 0 ? 'Counter term ξ₀' : `Counter terms ξ₀ … ξ${sub(K)}`, [
      '<p>SGD takes one step per batch, θ ← θ − η∇L<sub>k</sub>(θ), with L = (1/m) Σ<sub>k</sub> L<sub>k</sub>; step n sits at t = nη, so an epoch spans mη. ' +
        `The EoM dθ/dt = −g − η Σ<sub>k</sub> η<sup>k</sup> ξ<sub>k</sub> (g = ∇L) is the field whose flow over mη is ${shuffle ? 'the mean epoch map over all m! orders' : 'the epoch map'}, order by order. ` +
        `Its terms are labelled elementary differentials, g<sub>k</sub> = ∇L<sub>k</sub>, H<sub>k</sub> = ∇²L<sub>k</sub>, summed over batch labels j, k, l, … in 1 … m ${shuffle ? 'over distinct values' : 'in increasing order (Σ_{j<k})'}. With m symbolic:</p>`,
      ...d.abstract.map(({ k, latex }) => formula(`\\xi_{${k}} = ${latex}`)),
      shuffle
        ? '<p>ξ₀ is Smith, Dherin, Barrett &amp; De’s modified loss L + η/(4m) Σ<sub>k</sub> ‖∇L<sub>k</sub>‖² (ICLR 2021).</p>'
        : '<p>Cyclic order adds to ξ₀ a term antisymmetric in the labels, which is not a gradient.</p>',
      ...('skipped' in cf
        ? [`<p>${text(cf.skipped)}</p>`]
        : [
            `<h3>For these ${m} batches</h3>`,
            cf.definitions.length ? '<p>Shared subexpressions, named once and used below:</p>' : '',
            ...cf.definitions.map(([name, def]) => formula(`${name} = ${def}`)),
            formula(`L(\\theta) = ${cf.loss}`),
            ...cf.xi.map(({ k, components }) => components.map(({ v, latex }) => formula(`\\xi_{${k},${latexName(v)}} = ${latex}`)).join('\n')),
          ]),
    ]),
  );

  const bars = shuffle
    ? `Dark markers: the mean over ${d.monteCarlo.runs} seeded runs, with bars of ± its standard error; grey bars: ± the spread s of single runs (the standard error is s/√${d.monteCarlo.runs}).`
    : 'Markers: the cyclic SGD iterate after each epoch (deterministic, no error bars).';
  sections.push(
    section('epochs', 'Mean iterates per epoch', [
      ...d.vars.map((v, i) => figure(meanPlot(d, i), `${v} after each epoch (t = e·mη) and the flows started at θ₀. ${bars}`)),
      figure(
        distanceToMeanPlot(d),
        `Distance between each flow at t = e·mη and the ${shuffle ? 'mean' : ''} iterate after epoch e.${shuffle ? ' Dashed: the norm of the standard error, below which a distance is not resolved.' : ''}`,
      ),
      shuffle ? `<p class="note">${text(displayName(SEVERAL_EPOCHS).replace(/EoM_K/g, 'EoMₖ'))} The mean itself is known only to its standard error.</p>` : '',
      numbersTable(
        ['epoch', 't', ...d.vars.map((v) => `mean ${v}`), ...(shuffle ? ['max s.e.', 'max spread'] : []), ...d.flows.map((f) => `‖${displayName(f.label)} − mean‖`)],
        d.monteCarlo.trajectory.map((s) => [
          String(s.epoch),
          d.times[s.epoch]!.toPrecision(4),
          ...Array.from(s.mean, (x) => x.toPrecision(8)),
          ...(shuffle ? [fmt(Math.max(...s.standardError)), fmt(Math.max(...s.spread))] : []),
          ...d.flows.map((f) => fmt(distanceToMean(f, s))),
        ]),
      ),
    ]),
  );

  const v = d.validation;
  sections.push(
    section(
      'validation',
      'One epoch against each flow',
      'skipped' in v
        ? [`<p class="skipped">Validation skipped: ${text(v.skipped)}</p>`]
        : [
            `<p>One epoch from θ₀ (${shuffle ? `the exact mean over all ${m}! orders` : 'the cyclic order'}) against each flow over time mη. EoM<sub>j</sub> misses it by m η<sup>j+3</sup> ‖ξ<sub>j+1</sub>(θ₀)‖: local slope j + 3 (GF: 2); the ratio to that prediction tends to 1.</p>`,
            figure(sgdOrderPlot(v.results), 'Measured errors (markers) and the predicted slope through them (dashed).'),
            numbersTable(
              ['flow', 'local slope', 'predicted', `ratio at η = ${v.results[0]!.lrs.join(', ')}`, 'verdict', ''],
              v.results.map((r) => [
                displayName(r.order < 0 ? 'GF' : `EoM_${r.order}`),
                Number.isFinite(r.localSlope) ? r.localSlope.toFixed(3) : 'n/a',
                String(r.expectedLocalSlope),
                r.localRatio ? r.localRatio.map((x) => x.toFixed(3)).join(', ') : '—',
                r.passed ? 'pass' : 'FAIL',
                r.atNoiseFloor.length ? `η = ${r.atNoiseFloor.join(', ')} not fitted (integrator noise floor)` : '',
              ]),
            ),
            `<p class="${v.passed ? 'pass' : 'fail'}">${v.passed ? 'Every fitted slope is within 0.3 of its prediction.' : 'Some fitted slopes are more than 0.3 off their prediction.'}</p>`,
          ],
    ),
  );

  return htmlPage({
    title,
    formulas: count(),
    nav: [
      ['setup', 'Setup'],
      ['counter-terms', 'Counter terms'],
      ['epochs', 'Epochs'],
      ['validation', 'One epoch'],
    ],
    sections,
    footer: pageFooter(options.generator, 'SGD: docs/tutorials/sgd.md.'),
  });
}
