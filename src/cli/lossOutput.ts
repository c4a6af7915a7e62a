/**
 * The closed forms of `eom derive --loss` and `--batches` in the format asked for (loaded with
 * the loss layer, on demand).
 *
 * @example
 *   await writeLossForms(lossCounterTerms('x^2'), 'json', { inline: false }, write)
 */
import type { LossCounterTerms } from '../loss/counterTerms.js';

export const LOSS_FORMATS = ['text', 'latex', 'markdown', 'json'] as const;
export type LossFormat = (typeof LOSS_FORMATS)[number];

export async function writeLossForms(result: LossCounterTerms, format: LossFormat, opts: { standalone?: boolean; inline?: boolean }, write: (s: string) => void): Promise<void> {
  const { lossCounterTermsJson, lossCounterTermsLatex, lossCounterTermsMarkdown, lossCounterTermsText } = await import('../loss/render.js');
  switch (format) {
    case 'text':
      return write(lossCounterTermsText(result));
    case 'latex':
      return write(lossCounterTermsLatex(result, { standalone: opts.standalone === true }));
    case 'markdown':
      return write(lossCounterTermsMarkdown(result));
    case 'json':
      return write(JSON.stringify(lossCounterTermsJson(result, { inline: opts.inline === true }), null, 2) + '\n');
  }
}
