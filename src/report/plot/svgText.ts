/**
 * Text and numbers inside SVG/HTML: every string is escaped, every coordinate rounded so the
 * output is compact and byte-for-byte reproducible.
 *
 * @example
 *   escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 *   coord(12.3456) // '12.35'
 */
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

/** A pixel coordinate with two decimals and no trailing zeros ("-0" written as "0"). */
export function coord(x: number): string {
  const r = Math.round(x * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

const SUPERSCRIPT: Record<string, string> = { '-': '⁻', '0': '⁰', '1': '¹', '2': '²', '3': '³', '4': '⁴', '5': '⁵', '6': '⁶', '7': '⁷', '8': '⁸', '9': '⁹' };

/**
 * 10^e written with Unicode superscripts (SVG text has no markup for exponents that survives copy-paste).
 *
 * @example
 *   powerOfTen(-3) // '10⁻³'
 */
export function powerOfTen(e: number): string {
  return `10${String(e).replace(/[-0-9]/g, (c) => SUPERSCRIPT[c]!)}`;
}
