/**
 * A report of RMSProp or Adam as one self-contained HTML file (the same page as reportHtml: KaTeX
 * rendered server-side, inline SVG, no script): the inputs, the closed forms of c_i and
 * ξ_0 … ξ_K with where they hold, the iterates from both starts beside the flows (a plot per
 * parameter), PyTorch's transient, and the error orders with their fitted slopes.
 *
 * @example
 *   writeFileSync('adam.html', adaptiveReportHtml(adaptiveReportData(problem, options), { generator: 'eomkit 0.1.0' }));
 */
import { text } from './formula.js';
import { fact, figure, formulaCollector, htmlPage, pageFooter, latexName, num, numbersTable, section, sub } from './page.js';
import { distanceOverTime, parameterPlot, transientPlot } from './adaptivePlots.js';
import { distance } from '../simulate/vectors.js';
import { TOO_FEW_STEPS } from '../simulate/adaptiveValidate.js';
import { errorPlot, flowName } from './reportPlots.js';
import type { AdaptiveReportData } from './adaptiveReport.js';
import { slopeTable, type HtmlOptions } from './html.js';

const fmt = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

/** How each method steps (PyTorch's definitions, ε outside the root). */
const UPDATES: Readonly<Record<string, string>> = {
  rmsprop: 'v ← ρv + (1 − ρ) g⊙g, θ ← θ − η g/(√v + ε) (torch.optim.RMSprop: ρ is its alpha)',
  adam: 'm ← β₁m + (1 − β₁) g, v ← β₂v + (1 − β₂) g⊙g, θ ← θ − η m/(√v + ε) (torch.optim.Adam)',
};

/**
 * The page of an adaptive report (see the file comment); the same data give the same bytes.
 *
 * @example
 *   adaptiveReportHtml(data, { title: 'Adam on a saddle' }) // '<!DOCTYPE html>…'
 */
export function adaptiveReportHtml(d: AdaptiveReportData, options: HtmlOptions = {}): string {
  const { formula, count } = formulaCollector();
  const o = d.options;
  const K = o.order;
  const title = options.title ?? `EoM report: ${d.method} on ${d.lossSource}`;
  const flowsList = ['GF', ...Array.from({ length: K + 1 }, (_, j) => flowName(j))].join(', ');
  const t = d.transient;
  const adam = d.method === 'adam';
  const sections: string[] = [];

  sections.push(
    section('setup', 'Setup', [
      options.description ? `<p>${text(options.description)}</p>` : '',
      '<table class="facts">',
      fact('loss (as given)', `<code>${text(d.lossSource)}</code>`),
      fact('parameters θ', text(d.vars.join(', '))),
      fact('method', text(`${d.method}: ${UPDATES[d.method] ?? ''}`)),
      fact('hyperparameters', text(d.params.map(([k, v]) => `${k} = ${v}`).join(', '))),
      fact('start θ₀', text(d.vars.map((v, i) => `${v} = ${d.init[i]}`).join(', '))),
      fact('trajectories', `η = ${o.lr}, ${o.steps} steps (t = 0 … ${num(o.lr * o.steps)}), from the manifold start and from PyTorch's start`),
      fact('counter terms', `ξ₀ … ξ${sub(K)}: flows ${flowsList}`),
      fact('error orders', `η ∈ {${o.lrs.join(', ')}}, global error over T = ${o.horizon}, from ${o.start === 'rest' ? "PyTorch's start (after its transient)" : 'the manifold start'}`),
      '</table>',
      d.warnings.length ? `<ul class="warnings">${d.warnings.map((w) => `<li>warning: ${text(w)}</li>`).join('')}</ul>` : '',
    ]),
  );

  const cf = d.closedForms;
  sections.push(
    section('counter-terms', K === 0 ? 'Counter term ξ₀' : `Counter terms ξ₀ … ξ${sub(K)}`, [
      `<p>${text(d.method)} acts coordinate by coordinate, so its EoM is not a B-series: its state is slaved to θ on the slow manifold m = M<sub>η</sub>(θ), v = V<sub>η</sub>(θ), solved order by order in η, and the θ-map on that manifold gives the EoM ` +
        'dθ/dt = −c⊙g − η Σ<sub>k</sub> η<sup>k</sup> ξ<sub>k</sub> (step n at t = nη), with c<sub>i</sub> = 1/(|g<sub>i</sub>| + ε) and |g<sub>i</sub>| = √(g<sub>i</sub>²). GF is its leading flow dθ/dt = −g/(|g| + ε). Bias correction is off in the EoM. Exact closed forms for this loss:</p>',
      cf.definitions.length ? '<p>Shared subexpressions, named once and used below:</p>' : '',
      ...cf.definitions.map(([name, def]) => formula(`${name} = ${def}`)),
      formula(`L(\\theta) = ${cf.loss}`),
      ...cf.leading.map(({ v, latex }) => formula(`c_{${latexName(v)}} = ${latex}`)),
      ...cf.xi.map(({ k, components }) => `<h3>ξ${sub(k)}</h3>\n${components.map(({ v, latex }) => formula(`\\xi_{${k},${latexName(v)}} = ${latex}`)).join('\n')}`),
      `<p class="note">Valid ${text(cf.validity)}.</p>`,
    ]),
  );

  sections.push(
    section('trajectories', 'Trajectories', [
      ...d.vars.map((v, i) =>
        figure(parameterPlot(d, i), `${v} over t = kη: the optimiser from the manifold start (grey) and from PyTorch's start (orange), and the flows started at θ₀. A good EoM curve passes through the grey dots; gradient flow drifts away from them at O(η).`),
      ),
      figure(distanceOverTime(d), `Distance between each flow and the iterates from the manifold start; dashed: ${flowName(K)} against PyTorch's start, which stays off by its transient's offset.`),
      numbersTable(
        ['flow', 'max distance to the manifold-start iterates', 'at the last step'],
        d.flows.map((f) => {
          const dist = f.states.map((y, k) => distance(y, d.manifold[k]!));
          return [flowName(f.order), fmt(Math.max(...dist)), fmt(dist[dist.length - 1]!)];
        }),
      ),
    ]),
  );

  const measured = Number.isFinite(t.rate);
  sections.push(
    section('transient', "PyTorch's start: the transient", [
      `<p>${adam ? 'PyTorch starts from m = v = 0 with bias correction (m̂ = m/(1 − β₁ⁿ), v̂ = v/(1 − β₂ⁿ))' : 'PyTorch starts from v = 0 (RMSprop has no bias correction)'}, off the slow manifold. ` +
        (measured
          ? `At η = ${t.lr} its state relaxes onto the manifold like ${t.rate.toFixed(4)}ⁿ (≈ ${adam ? 'max(β₁, β₂)' : 'ρ'}) and has settled after ${t.settled} steps (within 2× of the manifold start's own distance, or no longer falling).</p>`
          : `At η = ${t.lr}: ${TOO_FEW_STEPS} (the state was within 2× of the manifold start's own distance from the manifold by step ${t.settled}).</p>`),
      figure(transientPlot(d), "The relative distance of the state PyTorch's next step uses from M_η(θ_n), V_η(θ_n)."),
      `<p>${measured ? 'After the transient, from' : 'From'} θ<sub>${t.settled}</sub>: the largest distance over ${o.steps} steps to the ${text(flowName(K))} flow started there is ${fmt(d.afterTransient.rest)}, against ${fmt(d.afterTransient.manifold)} from the manifold start (ratio ${(d.afterTransient.rest / d.afterTransient.manifold).toFixed(2)}).</p>`,
    ]),
  );

  const v = d.validation;
  sections.push(
    section('error-orders', 'Error orders', [
      `<p>For each flow and learning rate: the local error after one step (EoM<sub>j</sub>: slope j + 3, GF: 2) and the global error over T = ${o.horizon} (slope j + 2), from ${v.start === 'rest' ? "PyTorch's start, measured after its transient" : 'the manifold start'}.</p>`,
      figure(errorPlot({ horizon: o.horizon, results: v.results }, 'local'), 'Measured local errors (markers) and the predicted slope through them (dashed).'),
      figure(errorPlot({ horizon: o.horizon, results: v.results }, 'global'), 'Measured global errors (markers) and the predicted slope through them (dashed).'),
      numbersTable(
        ['η', ...v.results.flatMap((r) => [`${flowName(r.order)} local`, `${flowName(r.order)} global`])],
        o.lrs.map((lr, i) => [String(lr), ...v.results.flatMap((r) => [fmt(r.local[i]!), fmt(r.global[i]!)])]),
      ),
      slopeTable(v),
    ]),
  );

  return htmlPage({
    title,
    formulas: count(),
    nav: [
      ['setup', 'Setup'],
      ['counter-terms', 'Counter terms'],
      ['trajectories', 'Trajectories'],
      ['transient', 'Transient'],
      ['error-orders', 'Error orders'],
    ],
    sections,
    footer: pageFooter(options.generator, 'RMSProp and Adam: docs/tutorials/adam.md.'),
  });
}
