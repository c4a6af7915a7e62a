// Declares eomkit/testing's matchers on vitest's `expect` (once per project).
import type { EomMatchers } from 'eomkit/testing';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-explicit-any
  interface Assertion<T = any> extends EomMatchers<T> {}
}
