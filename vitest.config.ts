import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // docs/examples holds the example test of docs/tutorials/checking-derivations.md.
    include: ['test/**/*.test.ts', 'docs/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
