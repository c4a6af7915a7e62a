/**
 * A report as one self-contained HTML file: KaTeX's stylesheet with its fonts embedded, formulas
 * rendered server-side, figures as inline SVG, no script and no external URL, so it opens offline
 * from disk. Deterministic: the same data give the same bytes (no timestamps).
 *
 * The body carries data-formulas="N", the number of `.formula` elements, for tests to compare.
 *
 * @example
 *   const data = reportData(problem, { order: 2, lr: 0.05, steps: 100, lrs: [0.08, 0.04, 0.02, 0.01], horizon: 1 });
 *   writeFileSync('report.html', reportHtml(data, { title: 'my loss' }));
 */
import { text } from './formula.js';
import { fact, figure, formulaCollector, htmlPage, pageFooter, latexName, num, numbersTable, section, sub } from './page.js';
import { distancePlot, errorPlot, flowName, trajectoryPlot } from './reportPlots.js';
import type { ReportData } from './reportData.js';
import type { OrderValidation, ValidationResult } from '../simulate/validate.js';

/** What a row of the slope table reads. */
type SlopeRow = Pick<OrderValidation, 'order' | 'localSlope' | 'globalSlope' | 'expectedLocalSlope' | 'expectedGlobalSlope' | 'passed' | 'atNoiseFloor'>;
import { methodLine, transientLines, validationRows } from './simulationTables.js';

export interface HtmlOptions {
  /** Page title and heading (default: the loss). */
  readonly title?: string;
  /** A sentence or two about the loss, shown under the heading (plain text). */
  readonly description?: string;
  /** Written in the footer, e.g. "eomkit 0.1.0". */
  readonly generator?: string;
}

export function reportHtml(data: ReportData, options: HtmlOptions = {}): string {
  const { formula, count } = formulaCollector();
  const title = options.title ?? `EoM report: ${data.lossSource}`;
  const o = data.options;
  const K = o.order;
  const sections: string[] = [];

  sections.push(
    section('setup', 'Setup', [
      options.description ? `<p>${text(options.description)}</p>` : '',
      '<table class="facts">',
      fact('loss (as given)', `<code>${text(data.lossSource)}</code>`),
      fact('parameters θ', text(data.vars.join(', '))),
      methodLine(data.simulation) ? fact('method', text(methodLine(data.simulation).replace(/^method: /, ''))) : '',
      fact('start θ₀', text(data.vars.map((v) => `${v} = ${data.init[v]}`).join(', '))),
      data.weightDecay !== undefined ? fact('weight decay', `λ = ${text(data.weightDecay)} (λ/2 ‖θ‖² added)`) : '',
      Object.keys(data.constants).length ? fact('constants', text(Object.entries(data.constants).map(([k, v]) => `${k} = ${v}`).join(', '))) : '',
      fact('counter terms', `ξ₀ … ξ${sub(K)}: flows GF, ${Array.from({ length: K + 1 }, (_, j) => flowName(j)).join(', ')}`),
      fact('trajectories', `η = ${o.lr}, ${o.steps} GD steps (t = 0 … ${num(o.lr * o.steps)})`),
      fact('error orders', `η ∈ {${o.lrs.join(', ')}}, global error over T = ${o.horizon}`),
      '</table>',
      data.warnings.length ? `<ul class="warnings">${data.warnings.map((w) => `<li>warning: ${text(w)}</li>`).join('')}</ul>` : '',
    ]),
  );

  const ct = data.counterTerms;
  sections.push(
    section('loss', 'The loss', [
      ct.definitions.length ? '<p>Shared subexpressions, named once and used below:</p>' : '',
      ...ct.definitions.map(([name, def]) => formula(`${name} = ${def}`)),
      formula(`L(\\theta) = ${ct.loss}`),
    ]),
  );

  sections.push(
    section('counter-terms', K === 0 ? 'Counter term ξ₀' : `Counter terms ξ₀ … ξ${sub(K)}`, [
      data.simulation.method === 'gd'
        ? '<p>The EoM of gradient descent is dθ/dt = −g(θ) − η ξ(θ) with ξ = ξ₀ + η ξ₁ + η² ξ₂ + …; EoM<sub>K</sub> keeps ξ₀ … ξ<sub>K</sub>. Exact closed forms for this loss:</p>'
        : `<p>The EoM of ${text(data.simulation.method)} is dθ/dt = −c·g(θ) − η ξ(θ) with c = ${text(data.simulation.leading)} and ξ = ξ₀ + η ξ₁ + η² ξ₂ + … (step n at t = nη); EoM<sub>K</sub> keeps ξ₀ … ξ<sub>K</sub>. Its iterates follow it from a start on the slow manifold. Exact closed forms for this loss:</p>`,
      ...ct.xi.map(
        ({ k, components }) => `<h3>ξ${sub(k)}</h3>\n${components.map(({ v, latex }) => formula(`\\xi_{${k},${latexName(v)}} = ${latex}`)).join('\n')}`,
      ),
    ]),
  );

  const figures: string[] = [];
  const gd = data.simulation.method === 'gd';
  const iterates = gd ? 'GD' : `${data.simulation.iterates}`;
  if (o.axes || data.vars.length === 2) {
    figures.push(figure(trajectoryPlot(data.simulation, o.axes), `${iterates} iterates (grey dots) and the flows started at θ₀. A good EoM curve passes through the dots; gradient flow drifts away from them at O(η).`));
  } else if (data.vars.length > 2) {
    figures.push(`<p class="note">No trajectory plot: it shows two of the ${data.vars.length} parameters, named with --axes (e.g. --axes ${text(data.vars[0]!)},${text(data.vars[1]!)}).</p>`);
  }
  figures.push(figure(distancePlot(data.simulation), distanceCaption(iterates)));
  if (data.simulation.transient) figures.unshift(transientList(data.validation));
  sections.push(section('trajectories', gd ? 'Trajectories' : `Trajectories (start: ${data.simulation.start})`, figures));

  const v = data.validation;
  sections.push(section('orders', 'Discretization error against η', orderFigures(v)));
  const alt = data.alternate;
  if (alt) {
    const rest = alt.simulation.start === 'rest';
    sections.push(
      section(
        'other-start',
        rest ? 'From rest (PyTorch’s start)' : 'From the slow manifold',
        [
          rest
            ? '<p>PyTorch starts with an empty momentum buffer (zero velocity): O(η) off the slow manifold. The iterates relax onto it like ζⁿ, ζ the parasitic root of the recurrence (≈ β); the errors are measured after that transient, from the first step where the distance from the manifold has fallen to its noise floor.</p>'
            : '<p>Past iterates placed on the EoM flow (integrated backward from θ₀): the EoM_K errors hold from step 0.</p>',
          alt.simulation.transient ? transientList(alt.validation) : '',
          figure(distancePlot(alt.simulation), distanceCaption(iterates)),
          ...orderFigures(alt.validation),
        ],
      ),
    );
  }

  const { head, rows } = validationRows(v, (r) => flowName(r.order));
  sections.push(
    section('validation', 'Validation table', [
      '<p>Measured errors with the integrator’s own error estimate (±), and local / predicted, which should tend to 1 as η → 0.</p>',
      numbersTable(head, rows),
    ]),
  );

  const nav: [string, string][] = [
    ['setup', 'Setup'],
    ['loss', 'Loss'],
    ['counter-terms', 'Counter terms'],
    ['trajectories', 'Trajectories'],
    ['orders', 'Error orders'],
    ...(data.alternate ? [['other-start', data.alternate.simulation.start === 'rest' ? 'From rest' : 'From the manifold'] as [string, string]] : []),
    ['validation', 'Table'],
  ];
  return htmlPage({
    title,
    formulas: count(),
    nav,
    sections,
    footer: pageFooter(options.generator, 'How to read this report: docs/tutorials/reading-a-report.md.'),
  });
}

/** The local and global error plots and the slope table of a validation. */
function orderFigures(v: ValidationResult): string[] {
  const from = v.skipped ? 'One step from θ_s, the first iterate after the transient' : 'One step from θ₀';
  return [
    figure(errorPlot(v, 'local'), `${from}. EoMⱼ should miss GD by η^(j+3)‖ξⱼ₊₁(θ₀)‖: slope j + 3 (GF is j = −1, slope 2). Dashed: the predicted slope through the measured points.`),
    figure(errorPlot(v, 'global'), `Largest distance over t ≤ T = ${v.horizon}. Errors accumulate over T/η steps: slope j + 2 (GF: slope 1).`),
    slopeTable(v),
  ];
}

function distanceCaption(iterates: string): string {
  return `Distance between each flow at t = kη and the k-th ${iterates} iterate. Higher-order EoM stay closer; a flat floor near 10⁻¹³ is the integrator’s accuracy, not the EoM’s.`;
}

/** The transient from rest at each η of a validation, as a list. */
function transientList(v: ValidationResult): string {
  if (!v.transients) return '';
  return `<ul class="transient">${v.transients.map((t, i) => `<li>${transientLines(t).map(text).join('<br>')}${v.skipped ? `<br>errors measured from step ${v.skipped[i]}` : ''}</li>`).join('')}</ul>`;
}

/**
 * The fitted slopes against their predictions, one row per flow, and the verdict under them
 * (validate's and adaptiveValidate's results alike).
 *
 * @example
 *   slopeTable(validate(problem, { order: 1 })) // '<table class="numbers slopes">…</table><p class="pass">…</p>'
 */
export function slopeTable(v: { readonly passed: boolean; readonly results: readonly SlopeRow[] }): string {
  const rows = v.results.map((r) => {
    const cell = (fitted: number, predicted: number) => `<td>${Number.isFinite(fitted) ? fitted.toFixed(3) : 'n/a'}</td><td>${predicted}</td>`;
    const floor = r.atNoiseFloor.length ? `η = ${r.atNoiseFloor.join(', ')} not fitted (integrator noise floor)` : '';
    return `<tr><th scope="row">${flowName(r.order)}</th>${cell(r.localSlope, r.expectedLocalSlope)}${cell(r.globalSlope, r.expectedGlobalSlope)}<td class="${r.passed ? 'pass' : 'fail'}">${r.passed ? 'pass' : 'FAIL'}</td><td>${text(floor)}</td></tr>`;
  });
  const verdict = v.passed ? 'Every fitted slope is within 0.3 of its prediction.' : 'Some fitted slopes are more than 0.3 off their prediction.';
  return [
    '<table class="numbers slopes"><thead><tr><th>flow</th><th>local slope</th><th>predicted</th><th>global slope</th><th>predicted</th><th>verdict</th><th></th></tr></thead><tbody>',
    ...rows,
    `</tbody></table><p class="${v.passed ? 'pass' : 'fail'}">${verdict}</p>`,
  ].join('\n');
}
