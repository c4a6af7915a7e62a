// Mutation testing of the numeric core (npm run mutation; not part of npm test: it is slow).
// Restrict a run with --mutate, e.g. `npm run mutation -- --mutate 'src/series/**/*.ts'`;
// scripts/mutation-report.mjs merges each run into docs/mutation.json and rewrites docs/mutation.md.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.stryker.config.ts', related: true },
  coverageAnalysis: 'perTest',
  mutate: [
    'src/derive/**/*.ts',
    'src/series/**/*.ts',
    'src/trees/**/*.ts',
    'src/algebra/differentiate.ts',
    'src/algebra/zero*.ts',
    'src/compile/**/*.ts',
    'src/symmetry/**/*.ts',
    'src/simulate/validate.ts',
    'src/simulate/sgdValidate.ts',
    'src/simulate/sgdEpochs.ts',
    'src/simulate/recurrenceStepper.ts',
    'src/simulate/starts.ts',
    'src/simulate/transient.ts',
    'src/notation/batchNotation.ts',
    'src/adaptive/**/*.ts',
    'src/export/**/*.ts',
    'src/simulate/adaptiveProblem.ts',
    'src/simulate/adaptiveValidate.ts',
    'src/simulate/sgdProblem.ts',
    'src/simulate/dataSgdProblem.ts',
    '!src/**/index.ts',
    // An interface only: no code, so no mutants (Stryker refuses a run with none).
    '!src/series/field.ts',
  ],
  // Two shared cores: one mutant at a time.
  concurrency: 1,
  timeoutMS: 60_000,
  reporters: ['json', 'clear-text', 'progress'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
