/**
 * Simulator measurements for `npm run bench`: EoM_3 over 1000 GD steps of a 2-parameter loss at
 * relative tolerance 1e-12, against the same 1000 GD steps.
 */
import { simulationProblem } from '../src/simulate/problem.js';
import { gradientDescent, simulate } from '../src/simulate/trajectories.js';

export interface SimulateFigures {
  gdMs: number;
  eomMs: number;
  evaluationsPerStep: number;
}

export const SIM_LOSS = '(x^2 + y^2 - 1)^2 + 0.5*x*y^3 + log(1 + exp(-x*y))';

export function simulateFigures(): SimulateFigures {
  const problem = simulationProblem({ loss: SIM_LOSS, init: { x: 0.8, y: 0.4 }, maxOrder: 3 });
  const lr = 0.01;
  const steps = 1000;
  gradientDescent(problem, lr, steps); // warm up
  let t0 = performance.now();
  for (let i = 0; i < 10; i++) gradientDescent(problem, lr, steps);
  const gdMs = (performance.now() - t0) / 10;
  t0 = performance.now();
  const r = simulate(problem, { lr, steps, orders: [3], integrator: { relativeTolerance: 1e-12 } });
  const eomMs = performance.now() - t0;
  return { gdMs, eomMs, evaluationsPerStep: r.flows[0]!.evaluations / steps };
}
