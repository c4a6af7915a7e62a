/**
 * Writing closed forms for a loss in the format asked for: shared by `eom derive --loss` (every
 * method) and `eom derive --batches` (SGD).
 */
import type { LossCounterTerms } from '../loss/counterTerms.js';

export type LossFormat = 'text' | 'latex' | 'markdown' | 'json';

export async function writeLossCounterTerms(
  format: LossFormat,
  result: LossCounterTerms,
  opts: { standalone?: boolean; inline?: boolean },
  write: (s: string) => void,
): Promise<void> {
  // Loaded on demand: the loss layer pulls in mathjs, which the abstract `eom derive` does not need.
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
