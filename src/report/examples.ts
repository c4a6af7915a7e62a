/**
 * Built-in example losses for `eom report --example <name>`, each with settings under which the
 * series behaves (η·|λ|max(H(θ0)) < 1 on the whole ladder) and the run takes seconds.
 *
 * @example
 *   REPORT_EXAMPLES.find((e) => e.name === 'quartic')!.loss // '(x^2 + y^2 - 1)^2 + 0.5*x*y^3'
 */
export interface ReportExample {
  readonly name: string;
  /** One line for --help and the report's heading. */
  readonly summary: string;
  /** What the example shows (a sentence or two, plain text). */
  readonly description: string;
  readonly loss: string;
  readonly vars?: string;
  readonly weightDecay?: string;
  readonly init: string;
  readonly order: number;
  readonly lr: number;
  /** GD steps of the trajectories; the global error is measured over the same time T = steps·lr. */
  readonly steps: number;
  readonly lrs: readonly number[];
}

export const REPORT_EXAMPLES: readonly ReportExample[] = [
  {
    name: 'quartic',
    summary: 'a non-convex quartic in two parameters (a tilted ring of minima)',
    description:
      'A ring of minima x² + y² = 1 tilted by an odd cubic term. GD started inside the ring walks out to it; the trajectories show gradient flow falling behind GD while EoM₀ … EoM₂ follow the iterates.',
    loss: '(x^2 + y^2 - 1)^2 + 0.5*x*y^3',
    init: 'x=0.8,y=0.4',
    order: 2,
    lr: 0.05,
    steps: 40,
    lrs: [0.04, 0.02, 0.01, 0.005],
  },
  {
    name: 'logistic',
    summary: 'logistic regression with weights w1, w2 and bias b on four labelled points',
    description:
      'Mean logistic loss softplus(−y (w·x + b)) of four points in the plane with a small weight decay. Three parameters, so the report shows distances instead of a trajectory plane; the closed forms of ξₖ grow quickly with k (ξ₁ alone runs to pages), so the example stops at ξ₀.',
    loss: '(softplus(-(w1 + 2*w2 + b)) + softplus(-(2*w1 - w2 + b)) + softplus(-w1 + 0.5*w2 + b) + softplus(1.5*w1 + w2 - b)) / 4',
    vars: 'w1,w2,b',
    weightDecay: '0.01',
    init: 'w1=0.5,w2=-0.5,b=0.2',
    // ξ_1's closed forms are ~12 000 characters of LaTeX each (~1 MB of HTML); --order 1 shows them.
    order: 0,
    lr: 0.5,
    steps: 16,
    lrs: [0.8, 0.4, 0.2, 0.1],
  },
  {
    name: 'rosenbrock',
    summary: 'a Rosenbrock valley (1 − x)² + 5 (y − x²)², curved and ill-conditioned',
    description:
      'A curved valley whose floor is the parabola y = x². GD zig-zags across the valley at large η; the EoM captures the drift along it.',
    loss: '(1 - x)^2 + 5*(y - x^2)^2',
    init: 'x=-0.5,y=0.6',
    order: 2,
    lr: 0.01,
    steps: 100,
    lrs: [0.02, 0.01, 0.005, 0.0025],
  },
];
