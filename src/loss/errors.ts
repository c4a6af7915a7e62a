/**
 * A problem with a user's loss (or its options): one line, and the 1-based column in the loss
 * expression when there is one. The CLI prints it without a stack trace.
 */
export class LossError extends Error {
  override readonly name = 'LossError';
  constructor(
    message: string,
    readonly column?: number,
  ) {
    const line = message.replace(/\r?\n/g, '\\n'); // echoed input may hold line breaks; keep one line
    super(column === undefined ? line : `${line} (column ${column})`);
  }
}
