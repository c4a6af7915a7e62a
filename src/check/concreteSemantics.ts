/**
 * Concrete semantics: vectors are one exact normal form per parameter of a loss, scalars are
 * normal forms, and a claim holds when every component is proved zero by algebra/zero.ts (clearing
 * denominators, reducing roots, exp/log relations), so identities such as ξ_0 = ¼∇‖g‖² hold
 * exactly, not at sample points.
 *
 * Names: g, H (the optimised loss, weight decay included), g0, H0 (the loss without weight decay),
 * L, L0, theta, ones, thetaA, onesA (the symmetry group's parameters), eta, the loss's parameters
 * and constants. Functions: xi(k), field(k) = −g − Σ_{j≤k} η^{j+1} ξ_j (the EoM_k's right-hand side;
 * field(-1) = −g is gradient flow), D(v1..vm) = ∇^{m+1}L[·, v1..vm], grad(s), dot(u, v), norm2(v),
 * sum(v).
 *
 * SGD (`batches`: L_1 … L_m, with `loss` their mean L): ξ_k's coloured trees read their batch
 * losses (a node of colour k − 1 differentiates L_k), and claims also know m (the number of
 * batches) and, for a batch index k = 1..m, gb(k) = ∇L_k, Hb(k) = ∇²L_k (an operator, like H),
 * Lb(k) = L_k and Db(k, v1..vj) = ∇^{j+1}L_k[·, v1..vj]. g, H, L, D stay those of the mean.
 *
 * @example
 *   const sem = concreteSemantics({ loss: Loss.parse('x^4 + x*y^2'), source: new CounterTermSource(gradientDescent) });
 *   sem.isZero(evaluateClaim(parseClaimExpression('xi(0) - 1/4*grad(norm2(g))'), sem, {})).zero // true
 */
import { Rational } from '../series/fraction.js';
import { concreteSeries, ElementaryDifferentials } from '../loss/concrete.js';
import { Loss } from '../loss/loss.js';
import { Poly } from '../algebra/poly.js';
import { PolyPrinter } from '../loss/print.js';
import { zeroTest } from '../algebra/zero.js';
import type { CounterTermSource } from './counterTermSource.js';
import { ClaimError, expectInteger, expectScalar, expectVector, type ClaimFunction, type ClaimValue, type Semantics } from './values.js';

type S = Poly;
type V = Poly[];

export interface ConcreteSemanticsOptions {
  /** The optimised loss (weight decay included when it has one). */
  readonly loss: Loss;
  /** The same loss without weight decay (default: `loss`). */
  readonly lossWithoutDecay?: Loss;
  readonly source: CounterTermSource;
  /** The symmetry group's parameters (thetaA, onesA). */
  readonly group?: readonly string[];
  readonly functions?: Readonly<Record<string, ClaimFunction<S, V>>>;
  /** SGD: the batch losses L_1 … L_m (`loss` is their mean), in the atom table of `loss`. */
  readonly batches?: readonly Loss[];
  /**
   * Counter terms from elsewhere than the tree series (the element-wise methods: src/adaptive),
   * with the field's η⁰ part (default −g; −g/(|g| + ε) for RMSProp and Adam).
   */
  readonly elementwise?: { readonly xi: (k: number) => V; readonly flow0: V };
}

/** The number of batches in SGD claims. */
export const BATCH_COUNT = 'm';

/** SGD's batch quantities: gb(k), Hb(k), Lb(k), Db(k, v1, …). */
const BATCH_FUNCTIONS = ['gb', 'Hb', 'Lb', 'Db'];

/** The name of the learning rate in concrete claims. */
export const ETA = 'eta';

export function concreteSemantics(options: ConcreteSemanticsOptions): Semantics<S, V> & { readonly eta: Poly } {
  const { loss, source } = options;
  const loss0 = options.lossWithoutDecay ?? loss;
  if (loss.vars.includes(ETA) || loss.constants.includes(ETA)) throw new ClaimError(`"${ETA}" is the learning rate in claims; rename it in the loss`);
  const eta = loss.table.constantSymbol(ETA);
  const theta = loss.varIds.map((id) => Poly.atom(id));
  const group = options.group ?? loss.vars;
  for (const v of group) if (!loss.vars.includes(v)) throw new ClaimError(`the group's "${v}" is not a parameter of the loss (${loss.vars.join(', ')})`);
  const inGroup = loss.vars.map((v) => group.includes(v));
  const F = new ElementaryDifferentials(loss);
  const F0 = loss0 === loss ? F : new ElementaryDifferentials(loss0);
  const batches = options.batches;
  if (batches && (loss.vars.includes(BATCH_COUNT) || loss.constants.includes(BATCH_COUNT))) {
    throw new ClaimError(`"${BATCH_COUNT}" is the number of batches in SGD claims; rename it in the batch losses`);
  }
  // Coloured trees read the batch losses; H, D read the mean (a plain tree's colour 0 would read L_1).
  const Fb = batches ? new ElementaryDifferentials(loss, batches) : F;
  const xiCache: Poly[][] = [];
  const printer = new PolyPrinter({ vars: loss.vars, constants: [...loss.constants, ETA], varIds: loss.varIds, table: loss.table });

  const xi = (k: number): V => {
    if (options.elementwise) return options.elementwise.xi(k);
    const series = source.through(k);
    for (let j = xiCache.length; j <= k; j++) xiCache.push(concreteSeries(Fb, series[j]!));
    return xiCache[k]!;
  };
  const vector = (v: V): ClaimValue<S, V> => ({ type: 'vector', value: v });
  const scalar = (s: S): ClaimValue<S, V> => ({ type: 'scalar', value: s });
  const dot = (a: V, b: V) => Poly.sum(a.map((x, i) => x.mul(b[i]!)));
  const extra = options.functions ?? {};
  const symbols: Record<string, () => ClaimValue<S, V>> = {
    g: () => vector(loss.gradient()),
    g0: () => vector(loss0.gradient()),
    H: () => ({ type: 'operator', apply: (v) => F.hessianTimes(v) }),
    H0: () => ({ type: 'operator', apply: (v) => F0.hessianTimes(v) }),
    L: () => scalar(loss.expr),
    L0: () => scalar(loss0.expr),
    theta: () => vector(theta),
    ones: () => vector(theta.map(() => Poly.one)),
    thetaA: () => vector(theta.map((t, i) => (inGroup[i] ? t : Poly.zero))),
    onesA: () => vector(theta.map((_, i) => (inGroup[i] ? Poly.one : Poly.zero))),
    [ETA]: () => scalar(eta),
    ...(batches ? { [BATCH_COUNT]: () => scalar(Poly.constant(Rational.fromInteger(batches.length))) } : {}),
  };
  const sem: Semantics<S, V> & { eta: Poly } = {
    name: 'concrete',
    eta,
    scalar: (r) => Poly.constant(r),
    integerOf: (s) => {
      const c = s.constantValue() ?? (s.isZero() ? Rational.zero : undefined);
      return c && c.den === 1n && c.num >= -(2n ** 31n) && c.num < 2n ** 31n ? Number(c.num) : undefined;
    },
    addScalars: (a, b) => a.add(b),
    mulScalars: (a, b) => a.mul(b),
    divScalars: (a, b) => {
      // A divisor that is identically zero (e.g. sigmoid(x) + sigmoid(-x) - 1) would make every
      // claim "zero where defined" vacuously: refuse it.
      if (b.isZero() || zeroTest(b).zero) throw new ClaimError('division by an expression that is identically zero');
      return a.mul(loss.table.inverse(b));
    },
    powScalar: (a, r) => loss.table.power(a, r),
    addVectors: (a, b) => a.map((x, i) => x.add(b[i]!)),
    scaleVector: (s, v) => v.map((x) => x.mul(s)),
    symbolNames: [...Object.keys(symbols), 'xi0…xi9', ...loss.vars, ...loss.constants],
    functionNames: ['xi', 'field', 'D', 'grad', 'dot', 'norm2', 'sum', ...(batches ? BATCH_FUNCTIONS : []), ...Object.keys(extra)],
    symbol: (name) => {
      const s = Object.hasOwn(symbols, name) ? symbols[name] : undefined;
      if (s) return s();
      const i = loss.vars.indexOf(name);
      if (i >= 0) return scalar(theta[i]!);
      if (loss.constants.includes(name)) return scalar(loss.table.constantSymbol(name));
      const xiK = /^xi(\d)$/.exec(name); // xi0 … xi9, short for xi(k)
      if (xiK) return vector(xi(Number(xiK[1])));
      return undefined;
    },
    call: (name, args) => {
      const arity = (m: number) => {
        if (args.length !== m) throw new ClaimError(`${name}(…) takes ${m} argument${m > 1 ? 's' : ''}, got ${args.length}`);
      };
      switch (name) {
        case 'xi': {
          arity(1);
          const k = expectInteger(sem, args[0]!, 'the order k of xi(k)');
          if (k < 0) throw new ClaimError(`xi(k) needs k ≥ 0, got ${k}`);
          return vector(xi(k));
        }
        case 'field': {
          arity(1);
          const k = expectInteger(sem, args[0]!, 'the order k of field(k)');
          if (k < -1) throw new ClaimError(`field(k) needs k ≥ -1 (gradient flow), got ${k}`);
          let out = options.elementwise?.flow0 ?? loss.gradient().map((x) => x.neg());
          for (let j = 0; j <= k; j++) out = out.map((x, i) => x.sub(xi(j)[i]!.mul(eta.powInt(j + 1))));
          return vector(out);
        }
        case 'D': {
          if (args.length < 1) throw new ClaimError('D(v1, …, vm) needs at least one vector');
          const vs = args.map((a, i) => expectVector(a, `argument ${i + 1} of D`));
          return vector(vs.length === 1 ? F.hessianTimes(vs[0]!) : F.contract(vs));
        }
        case 'grad':
          arity(1);
          return vector(loss.diff.gradient(expectScalar(args[0]!, 'the argument of grad'), loss.varIds));
        case 'dot':
          arity(2);
          return scalar(dot(expectVector(args[0]!, 'the first argument of dot'), expectVector(args[1]!, 'the second argument of dot')));
        case 'norm2': {
          arity(1);
          const v = expectVector(args[0]!, 'the argument of norm2');
          return scalar(dot(v, v));
        }
        case 'sum':
          arity(1);
          return scalar(Poly.sum(expectVector(args[0]!, 'the argument of sum')));
      }
      if (batches && BATCH_FUNCTIONS.includes(name)) {
        if (args.length < 1) throw new ClaimError(`${name}(k, …) needs the batch index k`);
        const k = expectInteger(sem, args[0]!, `the batch index k of ${name}(k)`);
        if (k < 1 || k > batches.length) throw new ClaimError(`${name}(k) needs a batch index from 1 to m = ${batches.length}, got ${k}`);
        const colour = k - 1;
        if (name === 'Db') {
          if (args.length < 2) throw new ClaimError('Db(k, v1, …, vj) needs at least one vector after the batch index');
          const vs = args.slice(1).map((a, i) => expectVector(a, `argument ${i + 2} of Db`));
          return vector(vs.length === 1 ? Fb.hessianTimes(vs[0]!, colour) : Fb.contract(vs, undefined, colour));
        }
        arity(1);
        if (name === 'gb') return vector(batches[colour]!.gradient());
        if (name === 'Lb') return scalar(batches[colour]!.expr);
        return { type: 'operator', apply: (v) => Fb.hessianTimes(v, colour) };
      }
      const f = Object.hasOwn(extra, name) ? extra[name] : undefined; // not "constructor", "toString", …
      return f ? f(args, sem) : undefined;
    },
    isZero: (value) => {
      if (value.type === 'operator') throw new ClaimError('a claim must be a scalar or a vector, not an operator');
      const parts = value.type === 'scalar' ? [value.value] : value.value;
      for (let i = 0; i < parts.length; i++) {
        const verdict = zeroTest(parts[i]!);
        if (!verdict.zero) {
          const where = value.type === 'vector' ? `component ${loss.vars[i]}: ` : '';
          const text = printer.mathjs(verdict.residual ?? parts[i]!);
          return {
            zero: false,
            decided: verdict.residual !== undefined,
            residual: `${where}${text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text}${verdict.reason ? ` (${verdict.reason})` : ''}`,
          };
        }
      }
      return { zero: true };
    },
  };
  return sem;
}
