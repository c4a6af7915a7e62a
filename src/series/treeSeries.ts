/**
 * Exact linear combinations of elementary differentials, Σ_τ c(τ) F(τ), where
 * F(•) = g and F([τ1, …, τm]) = D^m g[F(τ1), …, F(τm)], with no symmetry factor folded into c.
 * Zero coefficients are never stored.
 *
 * @example
 *   const xi0 = TreeSeries.fromEntries(Rational, [[treeOfLevelSequence([1, 2]), rational(1, 2)]]);
 *   xi0.coefficient(treeOfLevelSequence([1, 2])) // 1/2
 */
import { defaultTreeStore, type RootedTree, type TreeStore } from '../trees/store.js';
import { grouped } from './ring.js';
import type { Field } from './field.js';

export interface SeriesTerm<C> {
  readonly tree: RootedTree;
  readonly coefficient: C;
}

export class TreeSeries<C> {
  private constructor(
    readonly field: Field<C>,
    private readonly coefficients: ReadonlyMap<number, C>,
    readonly store: TreeStore,
  ) {}

  static zero<C>(field: Field<C>, store: TreeStore = defaultTreeStore): TreeSeries<C> {
    return new TreeSeries(field, new Map(), store);
  }

  /** Build from (tree, coefficient) pairs; repeated trees are added, zeros dropped. */
  static fromEntries<C>(
    field: Field<C>,
    entries: Iterable<readonly [RootedTree | number, C]>,
    store: TreeStore = defaultTreeStore,
  ): TreeSeries<C> {
    const m = new Map<number, C>();
    for (const [t, c] of entries) {
      const id = typeof t === 'number' ? t : t.id;
      store.get(id); // validates the id
      const sum = m.has(id) ? field.add(m.get(id)!, c) : c;
      if (field.isZero(sum)) m.delete(id);
      else m.set(id, sum);
    }
    return new TreeSeries(field, m, store);
  }

  coefficient(tree: RootedTree | number): C {
    return this.coefficients.get(typeof tree === 'number' ? tree : tree.id) ?? this.field.zero;
  }

  /** Non-zero terms, by number of nodes and then canonical order (tall trees first). */
  terms(): SeriesTerm<C>[] {
    return [...this.coefficients.keys()]
      .sort((a, b) => a - b)
      .map((id) => ({ tree: this.store.get(id), coefficient: this.coefficients.get(id)! }));
  }

  get size(): number {
    return this.coefficients.size;
  }

  isZero(): boolean {
    return this.coefficients.size === 0;
  }

  add(other: TreeSeries<C>): TreeSeries<C> {
    return TreeSeries.fromEntries(
      this.field,
      [...this.coefficients, ...other.coefficients],
      this.store,
    );
  }

  sub(other: TreeSeries<C>): TreeSeries<C> {
    return this.add(other.scale(this.field.neg(this.field.one)));
  }

  scale(c: C): TreeSeries<C> {
    return TreeSeries.fromEntries(
      this.field,
      [...this.coefficients].map(([id, x]) => [id, this.field.mul(c, x)] as const),
      this.store,
    );
  }

  equals(other: TreeSeries<C>): boolean {
    return this.sub(other).isZero();
  }

  toString(): string {
    return this.terms()
      .map((t) => `${grouped(this.field.toString(t.coefficient))}·F[${t.tree.levelSequence.join(',')}]`)
      .join(' + ');
  }
}
