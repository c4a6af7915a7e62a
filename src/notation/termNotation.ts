/**
 * How one term of a series is written, in each format: the elementary differential of a tree by
 * default, or (batchNotation.ts) a sum over batch labels of a labelled one. The renderers in
 * render.ts, markdown.ts and json.ts take one of these, so a new kind of term needs no new
 * renderer.
 *
 * @example
 *   plainNotation.text(treeOfLevelSequence([1, 2]), defaultTreeStore) // "H g"
 */
import type { RootedTree, TreeStore } from '../trees/store.js';
import { elementaryLatex, elementaryText } from './elementary.js';
import { indexForm } from './indexNotation.js';

export interface TermNotation {
  text(tree: RootedTree, store: TreeStore): string;
  latex(tree: RootedTree, store: TreeStore): string;
  index(tree: RootedTree, store: TreeStore): string;
  /** Lines saying what the notation means (text and index outputs). */
  readonly legend: readonly string[];
  /** The same for LaTeX documents (one sentence, inline math). */
  readonly latexLegend: string;
  /** Extra JSON fields of a term. */
  json?(tree: RootedTree): Record<string, unknown>;
}

export const plainNotation: TermNotation = {
  text: (t, s) => elementaryText(t, s),
  latex: (t, s) => elementaryLatex(t, s),
  index: (t, s) => indexForm(t, s),
  legend: [],
  latexLegend: '',
};
