/**
 * Compiled counter terms in the shape of the tree series: ξ_k(θ) = Σ_τ c(τ) F(τ)(θ) evaluated as
 * numbers, with F(•) = g and F([τ1..τm]) = D^m g[F(τ1), …, F(τm)] computed by forward-mode jets
 * (jets.ts: g's Taylor coefficients along the children's vectors, equal children taken as powers of
 * one direction). Each elementary differential is computed once per call and shared by every ξ_k
 * and the field; no derivative tensor is expanded, so the source grows with the jets' components,
 * not with the monomials of ∇^{m+1}L. Generated from the normal forms only, like codegen.ts.
 *
 * @example
 *   const c = compileTreeCounterTerms(Loss.parse('(x^2 + y^2 - 1)^2'), solveCounterTerms(3));
 *   c.xi[0](new Float64Array([1, 0.5])) // ½ H g at (1, 0.5)
 */
import type { Rational } from '../series/fraction.js';
import { rationalToNumber } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree } from '../trees/store.js';
import type { Loss } from '../loss/loss.js';
import { CodeBuilder, instantiate, numberLiteral, type CodegenContext } from './codegen.js';
import { JetEmitter } from './jets.js';
import {
  compileScalar,
  compileVector,
  fieldStatements,
  fieldsByOrder,
  outputStatements,
  type CompiledCounterTerms,
  type FieldFunction,
  type FieldOptions,
  type VectorFunction,
} from './compile.js';

/**
 * Emits F(τ) for the trees of some series into one CodeBuilder. Coloured trees (SGD) read the
 * batch loss of each node's colour; `g` is always the gradient of `loss` itself (their mean).
 */
class TreeEmitter {
  private readonly names = new Map<number, string[]>();
  private readonly jets = new Map<number, JetEmitter>();
  private readonly gradients = new Map<number, string[]>();
  readonly g: string[];

  constructor(
    readonly b: CodeBuilder,
    readonly loss: Loss,
    readonly batches?: readonly Loss[],
  ) {
    this.g = loss.gradient().map((p) => b.declare('g', b.expr(p)));
  }

  private lossOf(colour: number): Loss {
    if (!this.batches) return this.loss;
    const l = this.batches[colour];
    if (!l) throw new RangeError(`no batch loss for colour ${colour} (${this.batches.length} given)`);
    return l;
  }

  private gradientOf(colour: number): string[] {
    if (!this.batches) return this.g;
    let g = this.gradients.get(colour);
    if (!g) {
      const b = this.b;
      g = this.lossOf(colour).gradient().map((p) => b.declare('g', b.expr(p)));
      this.gradients.set(colour, g);
    }
    return g;
  }

  private jetsOf(colour: number): JetEmitter {
    let j = this.jets.get(colour);
    if (!j) {
      j = new JetEmitter(this.b, this.lossOf(colour));
      this.jets.set(colour, j);
    }
    return j;
  }

  of(tree: RootedTree, store: { get(id: number): RootedTree }): string[] {
    const hit = this.names.get(tree.id);
    if (hit) return hit;
    let out: string[];
    if (tree.children.length === 0) out = this.gradientOf(tree.colour);
    else {
      // D^m g over the distinct children, each taken as often as it occurs (forward-mode jets).
      const counts = new Map<number, number>();
      for (const c of tree.children) counts.set(c, (counts.get(c) ?? 0) + 1);
      const distinct = [...counts.keys()];
      out = this.jetsOf(tree.colour).contraction(
        distinct.map((c) => this.of(store.get(c), store)),
        distinct.map((c) => counts.get(c)!),
      );
    }
    this.names.set(tree.id, out);
    return out;
  }

  /** Σ c(τ) F(τ) for one ξ_k, as one local per component. */
  series(s: TreeSeries<Rational>): string[] {
    const terms = s.terms().map((t) => ({ c: rationalToNumber(t.coefficient), F: this.of(t.tree, s.store) }));
    return this.loss.vars.map((_, i) =>
      this.b.declare('x', terms.length ? terms.map((t) => `${numberLiteral(t.c)} * ${t.F[i]}`).join(' + ') : '0'),
    );
  }
}

/** Options of `compileTreeCounterTerms`. */
export interface TreeFieldOptions extends FieldOptions {
  /** SGD: the batch losses L_k that the series' coloured trees read (L = `loss`, their mean). */
  readonly batches?: readonly Loss[];
}

/**
 * Numeric g, ξ_0..ξ_K and EoM fields of a loss from the abstract tree series (`solveCounterTerms`),
 * without expanding closed forms. `constants` gives values to symbolic constants; `options.leading`
 * is the field's leading factor c in −c·g − η Σ η^k ξ_k (default 1, gradient descent).
 */
export function compileTreeCounterTerms(
  loss: Loss,
  series: readonly TreeSeries<Rational>[],
  constants: Readonly<Record<string, number>> = {},
  options: TreeFieldOptions = {},
): CompiledCounterTerms {
  const ctx: CodegenContext = { table: loss.table, varIds: loss.varIds, constants };
  const emitter = () => new TreeEmitter(new CodeBuilder(ctx), loss, options.batches);
  const xi: VectorFunction[] = series.map((s) => {
    const e = emitter();
    return instantiate<VectorFunction>(e.b, 'out', outputStatements(e.series(s)));
  });
  const fieldOfOrder = fieldsByOrder(series.length - 1, (j): FieldFunction => {
    const e = emitter();
    const x = series.slice(0, j + 1).map((s) => e.series(s));
    return instantiate<FieldFunction>(e.b, 'eta, out', fieldStatements(e.g, x, options));
  });
  return {
    loss: compileScalar(ctx, loss.expr),
    gradient: compileVector(ctx, loss.gradient()),
    xi,
    field: fieldOfOrder(series.length - 1),
    fieldOfOrder,
  };
}
