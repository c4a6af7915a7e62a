/**
 * Where streamed output goes: a `write` function taking one piece of text at a time. The counter-term
 * writers (render.ts, markdown.ts, json.ts) emit a document piece by piece, order by order and term
 * by term, so that the largest outputs (hundreds of MB at order 14) are never held whole; the
 * string-returning renderers collect the same pieces into one string.
 *
 * @example
 *   collectOutput((write) => { write('a'); write('b'); }) // "ab"
 *   const out = chunkedWriter((s) => process.stdout.write(s)); out.write('ξ_0 = …'); out.flush();
 */

/** Receives the pieces of a document in order. */
export type Write = (piece: string) => void;

/** The whole text a writer emits, as one string. */
export function collectOutput(run: (write: Write) => void): string {
  const pieces: string[] = [];
  run((s) => pieces.push(s));
  return pieces.join('');
}

/**
 * Small pieces gathered into chunks of about `chunkChars` characters before they reach `write`
 * (one stdout write per term would cost a system call each). Call `flush` at the end.
 */
export function chunkedWriter(write: Write, chunkChars = 1 << 16): { write: Write; flush(): void } {
  let pieces: string[] = [];
  let length = 0;
  const flush = () => {
    if (pieces.length === 0) return;
    const chunk = pieces.join('');
    pieces = [];
    length = 0;
    write(chunk);
  };
  return {
    write: (s) => {
      pieces.push(s);
      length += s.length;
      if (length >= chunkChars) flush();
    },
    flush,
  };
}
