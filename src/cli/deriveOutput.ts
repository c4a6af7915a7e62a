/**
 * The abstract `eom derive` output in each format, written order by order and term by term (a
 * `CounterTermsWriter`): the document never exists whole, so ξ_0 … ξ_14 (about 190 MB of JSON)
 * costs no more memory than the solver's own state.
 *
 * @example
 *   const writer = counterTermsWriterFor('text', write, { info, K: 2, field: solver.field });
 *   for (let k = 0; k <= 2; k++) writer.order(solver.xi(k));
 *   writer.end();
 */
import type { Field } from '../series/field.js';
import { counterTermsJsonWriter } from '../notation/json.js';
import { counterTermsMarkdownWriter } from '../notation/markdown.js';
import type { MethodInfo } from '../notation/methodInfo.js';
import { counterTermsIndexWriter, counterTermsLatexWriter, counterTermsTextWriter, type CounterTermsWriter } from '../notation/render.js';
import type { Write } from '../notation/sink.js';
import { plainNotation, type TermNotation } from '../notation/termNotation.js';

export const DERIVE_FORMATS = ['text', 'latex', 'index', 'markdown', 'json'] as const;
export type DeriveFormat = (typeof DERIVE_FORMATS)[number];

export interface DeriveOutput {
  /** The method the series belong to. */
  readonly info: MethodInfo<unknown>;
  /** The highest order that will be written. */
  readonly K: number;
  /** The series' coefficient field. */
  readonly field: Field<unknown>;
  /** With latex: a whole document. */
  readonly standalone?: boolean;
  readonly notation?: TermNotation;
  /** The command that regenerates the output, for the formats that state it (markdown). */
  readonly command?: string;
  /** Fields after "xi" in JSON (SGD's sampling and batch count). */
  readonly jsonAfter?: Readonly<Record<string, unknown>>;
}

export function counterTermsWriterFor(format: DeriveFormat, write: Write, o: DeriveOutput): CounterTermsWriter<unknown> {
  const notation = o.notation ?? plainNotation;
  switch (format) {
    case 'text':
      return counterTermsTextWriter(write, { field: o.field, method: o.info, notation });
    case 'latex':
      return counterTermsLatexWriter(write, o.K, o.field, { standalone: o.standalone === true, method: o.info.name, info: o.info, notation });
    case 'index':
      return counterTermsIndexWriter(write, { field: o.field, method: o.info, notation });
    case 'markdown':
      return counterTermsMarkdownWriter(write, o.info.description, o.K, o.field, o.info, notation, o.command);
    case 'json':
      return counterTermsJsonWriter(write, o.info, o.K, o.field, notation, o.jsonAfter);
  }
}
