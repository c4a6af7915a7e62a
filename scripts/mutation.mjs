// npm run mutation [-- --mutate 'src/trees/*.ts']: Stryker on the numeric core (stryker.config.mjs),
// then docs/mutation.md from its report (scripts/mutation-report.mjs). Extra arguments go to Stryker.
import { spawnSync } from 'node:child_process';

const stryker = spawnSync('npx', ['stryker', 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
if (stryker.status !== 0) process.exit(stryker.status ?? 1);
await import('./mutation-report.mjs');
