/**
 * The symmetry analysis as text (the verdict, the closed form, the quantity over time, the errors
 * with fitted slopes) and as JSON.
 *
 * @example
 *   symmetryText(analyseSymmetry(spec), spec.loss)
 */
import type { SymmetryAnalysis } from './analysis.js';
import type { QuantityComparison } from '../simulate/quantityFlows.js';

const e3 = (x: number) => x.toExponential(3);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
  return rows.map((r) => '  ' + r.map((c, j) => (j === 0 ? c.padEnd(widths[j]!) : c.padStart(widths[j]!))).join('  ')).join('\n') + '\n';
}

export function comparisonText(c: QuantityComparison): string {
  let out = '';
  // The experiment: the quantity over time at the smallest η (the longest run).
  const row = c.rows[c.rows.length - 1]!;
  out += `${c.quantity} over time at η = ${row.lr} (${row.steps} steps):\n`;
  out += table([['t', 'GD', ...c.labels], ...row.timeline.map((p) => [p.time.toFixed(3), p.gd.toPrecision(8), ...p.flows.map((v) => v.toPrecision(8))])]);
  const best = c.labels.length - 1;
  out += `\nmax over t ≤ ${c.horizon} of |${c.quantity}(flow) − ${c.quantity}(GD)|:\n`;
  out += table([
    ['η', 'steps', ...c.labels, `GF/${c.labels[best]}`],
    ...c.rows.map((r) => [String(r.lr), String(r.steps), ...r.errors.map((e) => e3(e.maxError)), (r.errors[0]!.maxError / r.errors[best]!.maxError).toPrecision(3)]),
    ['slope', '', ...c.slopes.map((s) => (Number.isNaN(s.slope) ? '—' : s.slope.toFixed(2))), ''],
    ['predicted', '', ...c.slopes.map((s) => String(s.order === -1 ? 1 : s.order + 2)), ''],
  ]);
  return out;
}

export function symmetryText(a: SymmetryAnalysis): string {
  let out = `symmetry: ${a.verdict.statement}\n  proved exactly: ${a.verdict.identity}\n\n`;
  if (a.closedForm) {
    const f = a.closedForm;
    out += `EoM_${a.order} with weight decay (${f.lambda}), exact:\n  ${f.text}\n`;
    out += f.kind === 'scale' ? '  ⟨F(τa), F(τb)⟩ are scalar invariants of L: g = ∇L, H = ∇²L, ∇³L[·,·] …\n' : '';
  } else out += `${a.closedFormNote}\n`;
  if (a.comparison) out += `\n${comparisonText(a.comparison)}`;
  return out;
}

export function symmetryJson(a: SymmetryAnalysis, loss: string): unknown {
  return {
    loss,
    symmetry: a.symmetry,
    verified: { statement: a.verdict.statement, identity: a.verdict.identity },
    order: a.order,
    closedForm: a.closedForm ? { text: a.closedForm.text, latex: a.closedForm.latex, lambda: a.closedForm.lambda } : null,
    ...(a.closedFormNote ? { note: a.closedFormNote } : {}),
    comparison: a.comparison ?? null,
  };
}
