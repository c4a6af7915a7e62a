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
  /** g, or g_k with a batch label. */
  gradient(label: string): string;
  /** H^p for p ≥ 1 (H_k^p with a label). */
  hessianPower(p: number, label: string): string;
  /** ∇^{order}L[args] (∇^{order}L_k[args]). */
  derivative(order: number, args: string[], label: string): string;
}

/** A node colour's label (a batch index letter), or '' for unlabelled trees. */
export type NodeLabel = (colour: number) => string;

const noLabel: NodeLabel = () => '';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
const superscript = (n: number) => [...String(n)].map((d) => SUPERSCRIPT[Number(d)]).join('');

const sub = (label: string) => (label ? `_${label}` : '');
const latexSub = (label: string) => (label ? `_{${label}}` : '');

const textStyle: Style = {
  gradient: (k) => `g${sub(k)}`,
  hessianPower: (p, k) => (p === 1 ? `H${sub(k)}` : `H${sub(k)}^${p}`),
  derivative: (order, args, k) => `∇${superscript(order)}L${sub(k)}[${args.join(', ')}]`,
};

const latexStyle: Style = {
  gradient: (k) => `g${latexSub(k)}`,
  hessianPower: (p, k) => (p === 1 ? `H${latexSub(k)}` : `H${latexSub(k)}^{${p}}`),
  derivative: (order, args, k) => `\\nabla^{${order}} L${latexSub(k)}[${args.join(', ')}]`,
};

/** A run of single-child nodes of one colour is a power of that Hessian. */
function render(tree: RootedTree, style: Style, store: TreeStore, label: NodeLabel): string {
  let p = 0;
  let t = tree;
  while (t.children.length === 1 && t.colour === tree.colour) {
    p++;
    t = store.get(t.children[0]!);
  }
  if (p > 0 && t.colour !== tree.colour) return `${style.hessianPower(p, label(tree.colour))} ${render(t, style, store, label)}`;
  const core =
    t.children.length === 0
      ? style.gradient(label(t.colour))
      : style.derivative(
          t.children.length + 1,
          t.children.map((c) => render(store.get(c), style, store, label)),
          label(t.colour),
        );
  return p === 0 ? core : `${style.hessianPower(p, label(tree.colour))} ${core}`;
}

export function elementaryText(tree: RootedTree, store: TreeStore = defaultTreeStore, label: NodeLabel = noLabel): string {
  return render(tree, textStyle, store, label);
}

export function elementaryLatex(tree: RootedTree, store: TreeStore = defaultTreeStore, label: NodeLabel = noLabel): string {
  return render(tree, latexStyle, store, label);
}
