/**
 * Simulation and validation results as tables (text, CSV) and JSON documents.
 */
import type { SimulationResult } from '../simulate/trajectories.js';
import type { ValidationResult } from '../simulate/validate.js';

const fix = (x: number) => x.toPrecision(10);
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(3) : String(x));

function columns(r: SimulationResult): { header: string[]; rows: (row: number, text: boolean) => string[] } {
  const header = ['step', 't', ...r.vars.map((v) => `GD.${v}`)];
  for (const f of r.flows) header.push(...r.vars.map((v) => `${f.label}.${v}`), `|${f.label}-GD|`, `±int`);
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

/** Aligned text table, one row per recorded step. */
export function simulationTable(r: SimulationResult): string {
  const { header, rows } = columns(r);
  const body = r.recorded.map((_, i) => rows(i, true));
  const widths = header.map((h, c) => Math.max(h.length, ...body.map((row) => row[c]!.length)));
  const line = (cells: string[]) => cells.map((s, c) => s.padStart(widths[c]!)).join('  ');
  return [line(header), ...body.map(line)].join('\n') + '\n';
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
    warnings: r.warnings,
  };
}

/** The JSON contract of `eom validate --format json` (plus the integrator's error estimates and warnings). */
export function validationJson(v: ValidationResult, loss: string, inputs: RunInputs = {}): object {
  return {
    loss,
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
    passed: v.passed,
    warnings: v.warnings,
  };
}

/**
 * The cells of the validation table, shared by the text and HTML reports: one row per order and
 * learning rate (the order named on its first row only).
 *
 * @example
 *   validationRows(v).head // ['order', 'η', 'local error', '(integrator)', 'local/predicted', 'global error', '(integrator)']
 */
export function validationRows(v: ValidationResult): { head: string[]; rows: string[][] } {
  const head = ['order', 'η', 'local error', '(integrator)', 'local/predicted', 'global error', '(integrator)'];
  const rows: string[][] = [];
  for (const r of v.results) {
    r.lrs.forEach((lr, i) =>
      rows.push([i === 0 ? r.label : '', String(lr), sci(r.local[i]!), `±${sci(r.localIntegratorError[i]!)}`, r.localRatio[i]!.toFixed(4), sci(r.global[i]!), `±${sci(r.globalIntegratorError[i]!)}`]),
    );
  }
  return { head, rows };
}

/** Human-readable validation report: errors per η, fitted against predicted slopes, verdicts. */
export function validationText(v: ValidationResult, loss: string): string {
  const out: string[] = [
    `loss: ${loss}`,
    `init: ${v.vars.map((k) => `${k}=${v.init[k]}`).join(', ')}    horizon T = ${v.horizon}`,
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
