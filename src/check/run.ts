/**
 * Running a derivation: build its inputs (the abstract series, a loss with its weight decay
 * and symmetry, or SGD's batch losses), verify a declared symmetry first, then every claim, one result per claim.
 *
 * @example
 *   const r = runDerivation(parseDerivation(json, 'derivations/published-xi.json'));
 *   r.passed // true; r.results[0].detail // "exact (zero residual)"
 */
import { methods, methodRule, parameterValue } from '../derive/methods.js';
import { exactRule, gradientDescent, type UpdateRule } from '../derive/updateRule.js';
import type { Rational } from '../series/fraction.js';
import { Loss } from '../loss/loss.js';
import { symmetryRefusal, verifySymmetry, type Symmetry } from '../loss/symmetry.js';
import { rational } from '../series/fraction.js';
import { abstractSemantics } from './abstractSemantics.js';
import { concreteSemantics } from './concreteSemantics.js';
import { CounterTermSource, type LeadingTransform, type SeriesTransform } from './counterTermSource.js';
import { batchRule, batchSemantics, MAX_SGD_CLAIM_ORDER } from './batchInputs.js';
import { isBatchInputs, loopCases, type AbstractInputs, type Claim, type Derivation, type LossInputs, type SymbolicClaim } from './derivationFile.js';
import { evaluateClaim, parseClaimExpression } from './expression.js';
import { runNumericClaim } from './numericClaims.js';
import { symmetryFunctions } from './symmetryFunctions.js';
import { ClaimError, OrderLimitError, type Semantics } from './values.js';
import { adaptiveRule, isAdaptiveMethod, type AdaptiveRule } from '../adaptive/methods.js';
import { hyperparameters, solveSlowManifold } from '../adaptive/slowManifold.js';
import { elementwiseFunctions } from './elementwiseFunctions.js';
import type { Poly } from '../algebra/poly.js';
import { concreteSeries, ElementaryDifferentials } from '../loss/concrete.js';

export interface ClaimResult {
  readonly name: string;
  /** 'symmetry' for the declared symmetry's own check. */
  readonly kind: 'symbolic' | 'numeric' | 'symmetry';
  readonly passed: boolean;
  /** What was found: "exact", the residual, or the measured figures. */
  readonly detail: string;
  /** How many cases a loop ran (k = 0..6 is 7). */
  readonly cases: number;
}

export interface DerivationResult {
  readonly derivation: Derivation;
  readonly results: ClaimResult[];
  readonly passed: boolean;
}

export interface CheckOptions {
  /** Applied to the engine's ξ_0 … ξ_K before any claim sees them (tests break the engine with it). */
  readonly transform?: SeriesTransform;
  /** Applied to ξ only where symmetry closed forms are built (tests break the contraction with it). */
  readonly closedFormTransform?: SeriesTransform;
  /** Applied to the leading factor c (tests break it to show that claims on c notice). */
  readonly leadingTransform?: LeadingTransform;
  /** Called before each claim runs. */
  readonly onClaim?: (derivation: Derivation, claim: Claim | { name: string }) => void;
}

export function runDerivation(d: Derivation, options: CheckOptions = {}): DerivationResult {
  const adaptive = adaptiveOf(d);
  const rule = isBatchInputs(d.inputs) ? batchRule(d.inputs) : adaptive ? gradientDescent : ruleOf(d.file, d.inputs);
  const limit = isBatchInputs(d.inputs) ? MAX_SGD_CLAIM_ORDER : undefined;
  const source = new CounterTermSource(rule, options.transform, options.closedFormTransform, limit, options.leadingTransform);
  const symbolic = exactRule(rule) === undefined;
  if (symbolic && d.inputs.abstract !== true) throw new ClaimError(`${d.file}: inputs.params: a loss's claims need exact values for every hyperparameter`);
  const results: ClaimResult[] = [];
  let sem: Semantics<unknown, unknown>;
  let lossInputs: { loss: Loss; symmetry?: Symmetry } | undefined;
  if (isBatchInputs(d.inputs)) {
    try {
      sem = batchSemantics(d.inputs, source) as unknown as Semantics<unknown, unknown>;
    } catch (e) {
      if (e instanceof ClaimError || (e as Error).name === 'LossError') throw new ClaimError(`${d.file}: inputs: ${(e as Error).message}`);
      throw e;
    }
  } else if (d.inputs.abstract === true) {
    sem = abstractSemantics(source, {
      ...(d.inputs.assume ? { assume: d.inputs.assume } : {}),
      ...(symbolic ? {} : { functions: symmetryFunctions.abstract(source) }),
    }) as Semantics<unknown, unknown>;
  } else {
    // A bad loss or symmetry group is an error of this file: name it (several files may run).
    try {
      const { loss: text, vars, values, weightDecay, symmetry } = d.inputs;
      const common = { ...(vars ? { vars } : {}), ...(values ? { values } : {}) };
      const loss = Loss.parse(text, { ...common, ...(weightDecay !== undefined ? { weightDecay } : {}) });
      const loss0 = loss.withoutWeightDecay();
      if (symmetry) {
        options.onClaim?.(d, { name: 'symmetry' });
        const v = verifySymmetry(loss0, symmetry);
        results.push({
          name: `symmetry: ${v.statement}`,
          kind: 'symmetry',
          passed: v.holds,
          detail: v.holds ? `proved exactly: ${v.identity}` : symmetryRefusal(symmetry, v),
          cases: 1,
        });
      }
      sem = concreteSemantics({
        loss,
        lossWithoutDecay: loss0,
        source,
        ...(symmetry ? { group: symmetry.group } : {}),
        functions: {
          ...symmetryFunctions.concrete({ loss, loss0, source, ...(symmetry ? { symmetry } : {}) }),
          ...(adaptive ? elementwiseFunctions(loss) : {}),
        },
        ...(adaptive ? { elementwise: adaptiveCounterTermsOf(loss, adaptive, options.transform && { loss, perturbed: source }) } : {}),
      }) as unknown as Semantics<unknown, unknown>;
      lossInputs = { loss, ...(symmetry ? { symmetry } : {}) };
    } catch (e) {
      if (e instanceof ClaimError || (e as Error).name === 'LossError') throw new ClaimError(`${d.file}: inputs: ${(e as Error).message}`);
      throw e;
    }
  }
  for (const [i, claim] of d.claims.entries()) {
    options.onClaim?.(d, claim);
    try {
      if (claim.kind === 'symbolic') results.push(runSymbolic(claim, sem));
      else {
        if (!lossInputs || d.inputs.abstract === true || isBatchInputs(d.inputs)) throw new ClaimError('numeric claims need a loss in the inputs');
        if (adaptive) throw new ClaimError(`numeric claims are not available for ${adaptive.spec.name}; eom validate --method ${adaptive.spec.name} measures its orders`);
        results.push(runNumericClaim(claim, d.inputs, lossInputs.symmetry, source));
      }
    } catch (e) {
      // Asking beyond the limits is an error of the file (exit 2), not a claim that failed.
      if (e instanceof OrderLimitError) throw new ClaimError(`${d.file}: claims[${i}] ("${claim.name}"): ${e.message}`);
      if (!(e instanceof ClaimError || e instanceof RangeError || (e as Error).name === 'LossError')) throw e;
      results.push({ name: claim.name, kind: claim.kind, passed: false, detail: `error: ${(e as Error).message}`, cases: 0 });
    }
  }
  return { derivation: d, results, passed: results.every((r) => r.passed) };
}

function runSymbolic(claim: SymbolicClaim, sem: Semantics<unknown, unknown>): ClaimResult {
  const expr = parseClaimExpression(claim.expression);
  for (const name of Object.keys(claim.for ?? {})) {
    // A loop variable must not hide a name of the language (g, H, a parameter, …).
    if (sem.symbol(name) !== undefined || /^xi\d$/.test(name)) throw new ClaimError(`the loop variable "${name}" is already a name in ${sem.name} claims; use another (k, j, n, …)`);
  }
  const cases = loopCases(claim.for).map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, rational(v)])));
  for (const b of cases) {
    const verdict = sem.isZero(evaluateClaim(expr, sem, b));
    if (!verdict.zero) {
      const where = Object.entries(b).map(([k, v]) => `${k} = ${v.num}`).join(', ');
      return { name: claim.name, kind: 'symbolic', passed: false, detail: `${where ? `${where}: ` : ''}${claim.expression} ≠ 0; residual ${verdict.residual}`, cases: cases.length };
    }
  }
  const range = Object.entries(claim.for ?? {}).map(([k, [a, b]]) => `${k} = ${a}..${b}`).join(', ');
  return { name: claim.name, kind: 'symbolic', passed: true, detail: `exact: ${claim.expression} = 0${range ? ` for ${range}` : ''}`, cases: cases.length };
}

/** The file's adaptive rule (rmsprop, adam) with exact hyperparameters, or undefined for every other rule. */
function adaptiveOf(d: Derivation): AdaptiveRule | undefined {
  const inputs = d.inputs;
  if (isBatchInputs(inputs)) return undefined;
  const name = inputs.rule;
  if (name === undefined || !isAdaptiveMethod(name)) return undefined;
  if (inputs.abstract === true) throw new ClaimError(`${d.file}: inputs: ${name} acts element-wise, so its claims need a loss`);
  const values = new Map<string, Rational>();
  for (const [k, v] of inputs.params ?? []) {
    try {
      values.set(k, parameterValue(v));
    } catch {
      throw new ClaimError(`${d.file}: inputs.params.${k}: "${v}" must be an exact number for ${name}`);
    }
  }
  try {
    const rule = adaptiveRule(name, values);
    const symbolic = [...rule.params].filter(([k, v]) => k === v).map(([k]) => k);
    if (symbolic.length) throw new RangeError(`give exact values for ${symbolic.join(', ')}`);
    return rule;
  } catch (e) {
    throw new ClaimError(`${d.file}: inputs: ${(e as Error).message}`);
  }
}

/**
 * ξ_k of an adaptive rule for the loss (solved again, once, when a higher order is asked) and F's
 * η⁰ part. With `perturb` (a source whose series a test transforms), ξ_k moves by what the
 * transform does to gradient descent's ξ_k, made concrete: tests break this engine as the others.
 */
function adaptiveCounterTermsOf(loss: Loss, rule: AdaptiveRule, perturb?: { loss: Loss; perturbed: CounterTermSource }): { xi: (k: number) => Poly[]; flow0: Poly[] } {
  const h = hyperparameters(loss.table, rule);
  let solved = solveSlowManifold(loss, h, 0);
  const F = new ElementaryDifferentials(loss);
  const plain = new CounterTermSource(gradientDescent);
  const shift = (k: number, xi: Poly[]): Poly[] => {
    if (!perturb) return xi;
    const moved = concreteSeries(F, perturb.perturbed.through(k)[k]!);
    const base = concreteSeries(F, plain.through(k)[k]!);
    return xi.map((p, i) => p.add(moved[i]!).sub(base[i]!));
  };
  return {
    flow0: solved.field[0]!,
    xi: (k) => {
      if (k > 3) throw new OrderLimitError(`claims on ${rule.spec.name} go up to ξ_3, got ${k}`);
      if (k >= solved.xi.length) solved = solveSlowManifold(loss, h, k);
      return shift(k, solved.xi[k]!);
    },
  };
}

/** The file's update rule: a named method with its params (symbolic when a value is its own name). */
function ruleOf(file: string, inputs: AbstractInputs | LossInputs): UpdateRule<unknown> {
  const name = inputs.rule ?? gradientDescent.name;
  if (!methods.has(name)) throw new ClaimError(`${file}: inputs.rule: unknown update rule "${name}" (known: ${[...methods.keys()].join(', ')})`);
  const values = new Map<string, Rational | undefined>();
  for (const [k, v] of inputs.params ?? []) {
    if (v === k) values.set(k, undefined);
    else {
      try {
        values.set(k, parameterValue(v));
      } catch {
        throw new ClaimError(`${file}: inputs.params.${k}: "${v}" is neither an exact number nor the name ${k} (symbolic)`);
      }
    }
  }
  try {
    return methodRule(name, values);
  } catch (e) {
    throw new ClaimError(`${file}: inputs: ${(e as Error).message}`);
  }
}
