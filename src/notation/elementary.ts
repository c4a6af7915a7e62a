/**
 * Readable names for elementary differentials, shared by the text and LaTeX renderers.
 *
 * F(•) = g, F([τ]) = H F(τ) and F([τ1..τm]) = ∇^{m+1}L[F(τ1), …, F(τm)] for m ≥ 2. Runs of H are
 * collapsed into powers: F([[[•]]]) = H^2 g. Arguments follow the tree's canonical order.
 *
 * @example
 *   elementaryText(treeOfLevelSequence([1, 2, 3, 2])) // "∇³L[H g, g]"
 *   elementaryLatex(treeOfLevelSequence([1, 2, 3, 3])) // "H \\nabla^{3} L[g, g]"
 */
import { defaultTreeStore, type RootedTree, type TreeStore } from '../trees/store.js';

interface Style {
  gradient: string;
  /** H^p for p ≥ 1. */
  hessianPower(p: number): string;
  /** ∇^{order}L[args]. */
  derivative(order: number, args: string[]): string;
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join('');

const textStyle: Style = {
  gradient: 'g',
  hessianPower: (p) => (p === 1 ? 'H' : `H^${p}`),
  derivative: (order, args) => `∇${superscript(order)}L[${args.join(', ')}]`,
};

const latexStyle: Style = {
  gradient: 'g',
  hessianPower: (p) => (p === 1 ? 'H' : `H^{${p}}`),
  derivative: (order, args) => `\\nabla^{${order}} L[${args.join(', ')}]`,
};

function render(tree: RootedTree, style: Style, store: TreeStore): string {
  let p = 0;
  let t = tree;
  while (t.children.length === 1) {
    p++;
    t = store.get(t.children[0]!);
  }
  const core =
    t.children.length === 0
      ? style.gradient
      : style.derivative(
          t.children.length + 1,
          t.children.map((c) => render(store.get(c), style, store)),
        );
  return p === 0 ? core : `${style.hessianPower(p)} ${core}`;
}

export function elementaryText(tree: RootedTree, store: TreeStore = defaultTreeStore): string {
  return render(tree, textStyle, store);
}

export function elementaryLatex(tree: RootedTree, store: TreeStore = defaultTreeStore): string {
  return render(tree, latexStyle, store);
}
