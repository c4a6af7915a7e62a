/**
 * Simulation and validation results as tables (text, CSV) and JSON documents.
 */
import type { Start } from '../simulate/starts.js';
import type { SimulationResult } from '../simulate/trajectories.js';
import type { Transient } from '../simulate/transient.js';
import { TOO_FEW_STEPS } from '../simulate/adaptiveValidate.js';
import type { ValidationResult } from '../simulate/validate.js';

const fix = (x: number) => x.toPrecision(10);
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

function columns(r: SimulationResult): { header: string[]; rows: (row: number, text: boolean) => string[] } {
  const header = ['step', 't', ...r.vars.map((v) => `${r.iterates}.${v}`)];
  // ±int of each flow is named after it (±int GF, ±int EoM_0): CSV readers need distinct column names.
  for (const f of r.flows) header.push(...r.vars.map((v) => `${f.label}.${v}`), `|${f.label}-${r.iterates}|`, `±int ${f.label}`);
  return {
    header,
    rows: (i, text) => {
      const num = text ? fix : (x: number) => String(x);
      const dist = text ? sci : (x: number) => String(x);
      const k = r.recorded[i]!;
      const out = [String(k), num(k * r.lr), ...Array.from(r.gd[i]!, num)];
      for (const f of r.flows) out.push(...Array.from(f.positions[i]!, num), dist(f.distance[i]!), dist(f.integratorError[i]!));
      return out;
    },
  };
}

/** What the rule and its start are, for text outputs: nothing for gradient descent (its outputs are unchanged). */
export interface MethodSummary {
  readonly method: string;
  readonly params: ReadonlyMap<string, string>;
  readonly leading: string;
  readonly start?: Start;
}

/**
 * One header line naming the method, its parameters, c and the start; empty for gradient descent.
 *
 * @example
 *   methodLine({ method: 'heavy-ball', params: new Map([['beta', '9/10']]), leading: '10', start: 'manifold' })
 *   // 'method: heavy-ball, beta = 9/10    F = −c·g − η Σ η^k ξ_k with c = 10    start: manifold'
 */
export function methodLine(m: MethodSummary): string {
  if (m.method === 'gd') return '';
  const params = [...m.params].map(([k, v]) => `, ${k} = ${v}`).join('');
  const start = m.start ? `; start: ${m.start === 'manifold' ? 'manifold (past iterates on the EoM flow)' : 'rest (zero velocity, as PyTorch)'}` : '';
  return `method: ${m.method}${params}; F = −c·g − η Σ η^k ξ_k with c = ${m.leading}${start}`;
}

/** The JSON fields naming the method: "method", "params" (name → value as given) and "leading" (c, exact). */
export function methodJson(m: MethodSummary): { method: string; params: Record<string, string>; leading: string } {
  return { method: m.method, params: Object.fromEntries(m.params), leading: m.leading };
}

/**
 * The transient from rest in a few lines: its size over the first steps and its decay.
 *
 * @example
 *   transientLines(t) // ['η = 0.001: ‖θ_n(rest) − θ_n(manifold)‖ = 0, 9.1e-4, … (n = 0 … 4); …']
 */
export function transientLines(t: Transient): string[] {
  const size = t.size.slice(0, 6).map((x) => (x === 0 ? '0' : x.toExponential(1))).join(', ');
  const settled = t.reached ? `on the manifold (distance ≤ noise floor ${sci(t.floor)}) from step ${t.settled}` : `still above the noise floor ${sci(t.floor)} after ${t.settled} steps`;
  return [
    `η = ${t.lr}: ‖θ_n(rest) − θ_n(manifold)‖ = ${size} (n = 0 … ${Math.min(5, t.size.length - 1)})`,
    Number.isFinite(t.rate) ? `  distance from the slow manifold decays like ${t.rate.toFixed(4)}^n (fitted), ${settled}` : `  distance from the slow manifold: ${TOO_FEW_STEPS}; ${settled}`,
  ];
}

/** Aligned text table, one row per recorded step (after a method header line for rules other than GD). */
export function simulationTable(r: SimulationResult): string {
  const { header, rows } = columns(r);
  const body = r.recorded.map((_, i) => rows(i, true));
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c]!)).join('  ');
  const head = methodLine(r);
  const transient = r.transient ? ['transient from rest:', ...transientLines(r.transient).map((l) => `  ${l}`)] : [];
  return [...(head ? [head, ...transient, ''] : []), line(header), ...body.map(line)].join('\n') + '\n';
}

export function simulationCsv(r: SimulationResult): string {
  const { header, rows } = columns(r);
  return [header.join(','), ...r.recorded.map((_, i) => rows(i, false).join(','))].join('\n') + '\n';
}

/**
 * What else determines a run besides the loss and the start: the weight decay, the values given to
 * constants, and the eomkit version (JSON outputs carry them).
 */
export interface RunInputs {
  readonly weightDecay?: string | undefined;
  readonly constants?: Readonly<Record<string, number>>;
  readonly eomkit?: string;
}

function inputsJson(inputs: RunInputs): object {
  return {
    weightDecay: inputs.weightDecay ?? null,
    constants: inputs.constants ?? {},
    ...(inputs.eomkit !== undefined ? { eomkit: inputs.eomkit } : {}),
  };
}

export function simulationJson(r: SimulationResult, loss: string, init: Readonly<Record<string, number>>, inputs: RunInputs = {}): object {
  return {
    loss,
    ...methodJson(r),
    ...(r.start ? { start: r.start } : {}),
    vars: r.vars,
    init: Object.fromEntries(r.vars.map((v) => [v, init[v]])),
    ...inputsJson(inputs),
    lr: r.lr,
    steps: r.steps,
    recorded: r.recorded,
    gd: r.gd.map((p) => Array.from(p)),
    flows: r.flows.map((f) => ({
      order: f.order,
      label: f.label,
      positions: f.positions.map((p) => Array.from(p)),
      distance: f.distance,
      integratorError: f.integratorError,
      evaluations: f.evaluations,
    })),
    ...(r.transient ? { transient: r.transient } : {}),
    warnings: r.warnings,
  };
}

/** The JSON contract of `eom validate --format json` (plus the integrator's error estimates and warnings). */
export function validationJson(v: ValidationResult, loss: string, inputs: RunInputs = {}): object {
  return {
    loss,
    ...methodJson(v),
    ...(v.start ? { start: v.start } : {}),
    vars: v.vars,
    init: Object.fromEntries(v.vars.map((k) => [k, v.init[k]])),
    ...inputsJson(inputs),
    horizon: v.horizon,
    results: v.results.map((r) => ({
      order: r.order,
      lrs: r.lrs,
      local: r.local,
      global: r.global,
      localSlope: r.localSlope,
      globalSlope: r.globalSlope,
      expectedLocalSlope: r.expectedLocalSlope,
      expectedGlobalSlope: r.expectedGlobalSlope,
      localRatio: r.localRatio,
      localIntegratorError: r.localIntegratorError,
      globalIntegratorError: r.globalIntegratorError,
      atNoiseFloor: r.atNoiseFloor,
      passed: r.passed,
    })),
    ...(v.transients ? { transients: v.transients, skipped: v.skipped } : {}),
    passed: v.passed,
    warnings: v.warnings,
  };
}

/**
 * The cells of the validation table, shared by the text and HTML reports: one row per order and
 * learning rate (the order named on its first row only, by `label`: the HTML report writes EoM₀).
 *
 * @example
 *   validationRows(v).head // ['order', 'η', 'local error', '(integrator)', 'local/predicted', 'global error', '(integrator)']
 */
export function validationRows(v: ValidationResult, label: (r: ValidationResult['results'][number]) => string = (r) => r.label): { head: string[]; rows: string[][] } {
  const head = ['order', 'η', 'local error', '(integrator)', 'local/predicted', 'global error', '(integrator)'];
  const rows: string[][] = [];
  for (const r of v.results) {
    r.lrs.forEach((lr, i) =>
      rows.push([i === 0 ? label(r) : '', String(lr), sci(r.local[i]!), `±${sci(r.localIntegratorError[i]!)}`, r.localRatio[i]!.toFixed(4), sci(r.global[i]!), `±${sci(r.globalIntegratorError[i]!)}`]),
    );
  }
  return { head, rows };
}

/** The method line and, from rest, the transient and the skipped steps (nothing for GD). */
function restLines(v: ValidationResult): string[] {
  const head = methodLine(v);
  if (!head) return [];
  const out = [head];
  if (v.transients && v.skipped) {
    out.push('transient from rest (errors are measured after it):');
    v.transients.forEach((t, i) => out.push(...transientLines(t).map((l) => `  ${l}`), `  skipped: the first ${v.skipped![i]} steps (the flows start at θ_${v.skipped![i]})`));
  }
  return out;
}

/** Human-readable validation report: errors per η, fitted against predicted slopes, verdicts. */
export function validationText(v: ValidationResult, loss: string): string {
  const out: string[] = [
    `loss: ${loss}`,
    `init: ${v.vars.map((k) => `${k}=${v.init[k]}`).join(', ')}    horizon T = ${v.horizon}`,
    ...restLines(v),
    '',
  ];
  const { head, rows } = validationRows(v);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => (c === 0 ? s.padEnd(widths[c]!) : s.padStart(widths[c]!))).join('  ');
  out.push(line(head), ...rows.map(line), '');
  out.push('fitted slopes (predicted):');
  for (const r of v.results) {
    const floor = r.atNoiseFloor.length ? `   (η = ${r.atNoiseFloor.join(', ')} at the integrator's noise floor, not fitted)` : '';
    out.push(
      `  ${r.label.padEnd(6)} local ${r.localSlope.toFixed(3)} (${r.expectedLocalSlope})   global ${r.globalSlope.toFixed(3)} (${r.expectedGlobalSlope})   ${r.passed ? 'pass' : 'FAIL'}${floor}`,
    );
  }
  out.push('', v.passed ? 'passed: every fitted slope is within tolerance of its prediction' : 'FAILED: some fitted slopes are off their prediction');
  return out.join('\n') + '\n';
}
