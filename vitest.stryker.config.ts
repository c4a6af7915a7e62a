import { defineConfig } from 'vitest/config';

// The suite Stryker runs against each mutant (npm run mutation): the in-process tests only. The
// CLI, report and LaTeX tests spawn processes or a browser (slow, and they test the same numbers
// through the built dist/, which Stryker does not mutate). MUTATION_TESTS (comma-separated globs)
// narrows a run to the test files that cover the mutated files, e.g.
//   MUTATION_TESTS=test/trees.test.ts,test/free-trees.test.ts npm run mutation -- --mutate 'src/trees/*.ts'
const only = process.env.MUTATION_TESTS?.split(',').map((s) => s.trim()).filter(Boolean);

export default defineConfig({
  test: {
    include: only?.length ? only : ['test/**/*.test.ts'],
    exclude: [
      'test/cli.test.ts',
      'test/check-cli.test.ts',
      'test/loss-cli.test.ts',
      'test/simulate-cli.test.ts',
      'test/symmetry-cli.test.ts',
      'test/report.test.ts',
      'test/report-browser.test.ts',
      'test/latex-export.test.ts',
      'test/derivations.test.ts',
    ],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
