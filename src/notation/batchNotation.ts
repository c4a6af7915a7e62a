/**
 * Notation for SGD's series (derive/batchPatterns.ts): each term is a sum over batch labels of a
 * labelled elementary differential, H_k g_k = ∇²L_k ∇L_k. A pattern's colours 0, 1, … become the
 * labels k (one label) or j, k, l, p, q (several), summed in increasing order (cyclic sampling:
 * Σ_{j<k}) or over distinct labels (shuffle: Σ_{j≠k}). Index notation writes the batch as a
 * superscript, L^{(k)}_{ia}, with tensor indices a, b, … so the two never clash.
 *
 * @example
 *   batchNotation('distinct').text(patternTree, store) // "Σ_{j≠k} H_j g_k"
 */
import type { RootedTree, TreeStore } from '../trees/store.js';
import { elementaryLatex, elementaryText } from './elementary.js';
import type { LabelSum } from '../derive/batchPatterns.js';
import type { TermNotation } from './termNotation.js';

const MANY = ['j', 'k', 'l', 'p', 'q', 'r', 's'];

/** The label letters of a pattern with p colours. */
export function labelLetters(p: number): string[] {
  if (p > MANY.length) throw new RangeError(`at most ${MANY.length} batch labels in one term, got ${p}`);
  return p === 1 ? ['k'] : MANY.slice(0, p);
}

const coloursOf = (tree: RootedTree) => new Set(tree.colourSequence).size;

function prefixText(letters: string[], sum: LabelSum): string {
  if (letters.length === 1) return `Σ_${letters[0]}`;
  if (sum === 'increasing') return `Σ_{${letters.join('<')}}`;
  return letters.length === 2 ? `Σ_{${letters[0]}≠${letters[1]}}` : `Σ_{${letters.join(',')} distinct}`;
}

function prefixLatex(letters: string[], sum: LabelSum): string {
  if (letters.length === 1) return `\\sum_{${letters[0]}}`;
  if (sum === 'increasing') return `\\sum_{${letters.join(' < ')}}`;
  return letters.length === 2 ? `\\sum_{${letters[0]} \\neq ${letters[1]}}` : `\\sum_{${letters.join(', ')}\\, \\mathrm{distinct}}`;
}

/** L^{(k)}_{i a} L^{(k)}_{a}: index notation with the batch as a superscript. */
function labelledIndexForm(tree: RootedTree, store: TreeStore, letters: string[]): string {
  const factors: string[] = [];
  let next = 0;
  const dummy = (n: number) => (n < 8 ? 'abcdefgh'[n]! : `a_{${n + 1}}`);
  const visit = (t: RootedTree, own: string) => {
    const childIdx = t.children.map(() => dummy(next++));
    factors.push(`L^{(${letters[t.colour]})}_{${own}${childIdx.join('')}}`);
    t.children.forEach((c, k) => visit(store.get(c), childIdx[k]!));
  };
  visit(tree, 'i');
  return factors.join(' ');
}

export function batchNotation(sum: LabelSum): TermNotation {
  const letters = (t: RootedTree) => labelLetters(coloursOf(t));
  const range = sum === 'increasing' ? 'in increasing order' : 'over distinct values';
  return {
    text: (t, s) => `${prefixText(letters(t), sum)} ${elementaryText(t, s, (c) => letters(t)[c]!)}`,
    latex: (t, s) => `${prefixLatex(letters(t), sum)} ${elementaryLatex(t, s, (c) => letters(t)[c]!)}`,
    index: (t, s) => `${prefixText(letters(t), sum)} ${labelledIndexForm(t, s, letters(t))}`,
    legend: [
      `# L = (1/m) Σ_k L_k over m batches; g_k = ∇L_k, H_k = ∇²L_k, ∇³L_k its third derivative; labels j, k, l, … run over 1..m ${range}.`,
    ],
    latexLegend: `Here $L = \\frac{1}{m} \\sum_{k} L_{k}$ over $m$ batches, $g_{k} = \\nabla L_{k}$, $H_{k} = \\nabla^{2} L_{k}$, and the batch labels $j, k, l, \\dots$ run over $1, \\dots, m$ ${range}.`,
    json: (t) => ({ labels: t.colourSequence.map((c) => letters(t)[c]!), labelSum: sum }),
  };
}
