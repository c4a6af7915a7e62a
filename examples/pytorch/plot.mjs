// Draws the example's figures from its CSVs with eomkit's own SVG plotter (the report's linePlot):
//   node examples/pytorch/plot.mjs [folder]   (default: this folder; needs `npm run build`)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { linePlot } from 'eomkit';

const dir = process.argv[2] ?? dirname(fileURLToPath(import.meta.url));

/** CSV with a header row → { names, rows } of numbers. */
function readCsv(file) {
  const [head, ...lines] = readFileSync(join(dir, file), 'utf8').trim().split('\n');
  return { names: head.split(','), rows: lines.map((l) => l.split(',').map(Number)) };
}

const columns = ({ names, rows }) =>
  names.slice(1).map((label, i) => ({ label, points: rows.map((r) => [r[0], r[i + 1]]) }));

const distance = readCsv('distance.csv');
writeFileSync(
  join(dir, 'distance.svg'),
  linePlot({
    title: 'MLP (1185 parameters): distance to gradient descent',
    xLabel: 'GD step n (t = nη)',
    yLabel: '‖θ_flow(nη) − θ_n‖',
    yScale: 'log',
    series: columns(distance).map((s) => ({ ...s, points: s.points.filter(([n]) => n > 0) })),
  }) + '\n',
);
const local = readCsv('local_errors.csv');
writeFileSync(
  join(dir, 'local-errors.svg'),
  linePlot({
    title: 'Local error after one step against η (slopes 2, 3, 4, 5)',
    xLabel: 'learning rate η',
    yLabel: '‖θ_flow(η) − θ_GD,1‖',
    xScale: 'log',
    yScale: 'log',
    series: columns(local).map((s) => ({ ...s, mark: 'both' })),
  }) + '\n',
);
process.stdout.write(`wrote ${join(dir, 'distance.svg')} and ${join(dir, 'local-errors.svg')}\n`);
