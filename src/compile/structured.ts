/**
 * Compiled counter terms in the shape of the tree series: ξ_k(θ) = Σ_τ c(τ) F(τ)(θ) evaluated as
 * numbers, with F(•) = g, F([τ]) = H·F(τ) through the Hessian entries ∂_j g_i, and
 * F([τ1..τm]) = D^m g[F(τ1), …, F(τm)] through the contraction polynomial of loss/concrete.ts
 * (its placeholder directions bound to the children's vectors). Each elementary differential is
 * computed once per call and shared by every ξ_k and the field; nothing is expanded, so this is
 * much cheaper than compiling the closed forms when they are large. Generated from the normal
 * forms only, like codegen.ts.
 *
 * @example
 *   const c = compileTreeCounterTerms(Loss.parse('(x^2 + y^2 - 1)^2'), solveCounterTerms(3));
 *   c.xi[0](new Float64Array([1, 0.5])) // ½ H g at (1, 0.5)
 */
import type { Rational } from '../series/fraction.js';
import { rationalToNumber } from '../series/fraction.js';
import type { TreeSeries } from '../series/treeSeries.js';
import type { RootedTree } from '../trees/store.js';
import { ElementaryDifferentials } from '../loss/concrete.js';
import type { Loss } from '../loss/loss.js';
import { CodeBuilder, instantiate, numberLiteral, type CodegenContext } from './codegen.js';
import {
  compileScalar,
  compileVector,
  fieldStatements,
  fieldsByOrder,
  outputStatements,
  type CompiledCounterTerms,
  type FieldFunction,
  type VectorFunction,
} from './compile.js';

/** Emits F(τ) for the trees of some series into one CodeBuilder. */
class TreeEmitter {
  private readonly names = new Map<number, string[]>();
  private readonly hessian = new Map<string, string | null>();
  readonly g: string[];

  constructor(
    readonly b: CodeBuilder,
    readonly loss: Loss,
    readonly F: ElementaryDifferentials,
  ) {
    this.g = loss.gradient().map((p) => b.declare('g', b.expr(p)));
  }

  /** ∂_j g_i as a local, or null when it is identically zero. */
  private h(i: number, j: number): string | null {
    const key = `${i},${j}`;
    if (!this.hessian.has(key)) {
      const p = this.loss.diff.partial(this.loss.gradient()[i]!, this.loss.varIds[j]!);
      this.hessian.set(key, p.isZero() ? null : this.b.declare('h', this.b.expr(p)));
    }
    return this.hessian.get(key)!;
  }

  of(tree: RootedTree, store: { get(id: number): RootedTree }): string[] {
    const hit = this.names.get(tree.id);
    if (hit) return hit;
    const kids = tree.children.map((c) => this.of(store.get(c), store));
    const n = this.loss.vars.length;
    let out: string[];
    if (kids.length === 0) out = this.g;
    else if (kids.length === 1) {
      const v = kids[0]!;
      out = Array.from({ length: n }, (_, i) => {
        const parts = v.map((vj, j) => {
          const hij = this.h(i, j);
          return hij === null ? null : `${hij} * ${vj}`;
        });
        const terms = parts.filter((x): x is string => x !== null);
        return this.b.declare('f', terms.length ? terms.join(' + ') : '0');
      });
    } else {
      const contraction = this.F.contraction(kids.length);
      out = contraction.map((p) => this.b.declare('f', this.b.expr(p, (slot, index) => kids[slot - 1]![index]!)));
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

/**
 * Numeric g, ξ_0..ξ_K and EoM fields of a loss from the abstract tree series (`solveCounterTerms`),
 * without expanding closed forms. `constants` gives values to symbolic constants.
 */
export function compileTreeCounterTerms(
  loss: Loss,
  series: readonly TreeSeries<Rational>[],
  constants: Readonly<Record<string, number>> = {},
): CompiledCounterTerms {
  const ctx: CodegenContext = { table: loss.table, varIds: loss.varIds, constants };
  const F = new ElementaryDifferentials(loss);
  const emitter = () => new TreeEmitter(new CodeBuilder(ctx), loss, F);
  const xi: VectorFunction[] = series.map((s) => {
    const e = emitter();
    return instantiate<VectorFunction>(e.b, 'out', outputStatements(e.series(s)));
  });
  const fieldOfOrder = fieldsByOrder(series.length - 1, (j): FieldFunction => {
    const e = emitter();
    const x = series.slice(0, j + 1).map((s) => e.series(s));
    return instantiate<FieldFunction>(e.b, 'eta, out', fieldStatements(e.g, x));
  });
  return {
    loss: compileScalar(ctx, loss.expr),
    gradient: compileVector(ctx, loss.gradient()),
    xi,
    field: fieldOfOrder(series.length - 1),
    fieldOfOrder,
  };
}
