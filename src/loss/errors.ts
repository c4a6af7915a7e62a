/**
 * A problem with a user's loss (or its options): one line, and the 1-based column in the loss
 * expression when there is one. The CLI prints it without a stack trace.
 */
export class LossError extends Error {
  override readonly name = 'LossError';
  /** The message without its column. */
  readonly detail: string;
  constructor(
    message: string,
    readonly column?: number,
  ) {
    const line = oneLine(message); // echoed input may hold line breaks; keep one line
    super(column === undefined ? line : `${line} (column ${column})`);
    this.detail = line;
  }
}

/** A message on one line: line breaks (LF, CR, U+2028, U+2029) shown as the two characters \\n. */
export function oneLine(message: string): string {
  return message.replace(/\r\n|[\r\n\u2028\u2029]/g, '\\n');
}
