/**
 * An oracle for derivatives of a loss that shares no code with src/: the loss string is parsed by
 * mathjs and evaluated here in complex arithmetic written for this file, and Taylor coefficients
 * come from Cauchy's integral formula on a torus (the trapezoidal rule, exact up to aliasing for an
 * analytic function):
 *
 *   [z^α] F = (1/ΠN_j) Σ_k F(r_1 ω_1^{k_1}, …) Π_j ω_j^{−k_j α_j} / r_j^{α_j},  ω_j = e^{2πi/N_j}.
 *
 * With F(s, t) = L(θ + s·e_i + Σ_j t_j w_j), the contraction D^m g_i[w_1^{k_1}, …, w_r^{k_r}]
 * (m = Σ k_j, g = ∇L) is k_1!⋯k_r! · [s t^k] F. Radii are small (0.05/‖w_j‖ with N = 9 points
 * for a first-order coefficient, 0.15/‖w_j‖ with α_j + 12 points otherwise), so the aliased terms
 * are ~(r/R)^N of the next coefficients for a singularity at distance R (below 1e-10 for R ≥ 0.7).
 *
 * @example
 *   const L = complexLoss('x^2*y', ['x', 'y']);
 *   contractionOracle(L, [1, 2], [[1, 0]], [1]) // H e_x at (1, 2) = (2y, 2x) = [4, 2]
 */
import { parse, type MathNode } from 'mathjs';

/** A complex number [re, im]. */
export type C = readonly [number, number];

const add = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const sub = (a: C, b: C): C => [a[0] - b[0], a[1] - b[1]];
const mul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const div = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const neg = (a: C): C => [-a[0], -a[1]];
const ONE: C = [1, 0];
const I: C = [0, 1];
const exp = (a: C): C => {
  const m = Math.exp(a[0]);
  return [m * Math.cos(a[1]), m * Math.sin(a[1])];
};
/** Principal branch. */
const log = (a: C): C => [Math.log(Math.hypot(a[0], a[1])), Math.atan2(a[1], a[0])];
const sin = (a: C): C => [Math.sin(a[0]) * Math.cosh(a[1]), Math.cos(a[0]) * Math.sinh(a[1])];
const cos = (a: C): C => [Math.cos(a[0]) * Math.cosh(a[1]), -Math.sin(a[0]) * Math.sinh(a[1])];
const sinh = (a: C): C => mul(sub(exp(a), exp(neg(a))), [0.5, 0]);
const cosh = (a: C): C => mul(add(exp(a), exp(neg(a))), [0.5, 0]);
// atan z = (i/2)(log(1 − iz) − log(1 + iz))
const atan = (a: C): C => mul([0, 0.5], sub(log(sub(ONE, mul(I, a))), log(add(ONE, mul(I, a)))));
/** z^w: repeated products for an integer exponent, else the principal branch exp(w log z). */
function pow(z: C, w: C): C {
  if (w[1] === 0 && Number.isInteger(w[0]) && Math.abs(w[0]) <= 64) {
    let out = ONE;
    for (let i = 0; i < Math.abs(w[0]); i++) out = mul(out, z);
    return w[0] < 0 ? div(ONE, out) : out;
  }
  return exp(mul(w, log(z)));
}

const FUNCTIONS: ReadonlyMap<string, (args: C[]) => C> = new Map<string, (args: C[]) => C>([
  ['exp', ([a]) => exp(a!)],
  ['log', ([a]) => log(a!)],
  ['log1p', ([a]) => log(add(ONE, a!))],
  ['sqrt', ([a]) => pow(a!, [0.5, 0])],
  ['sin', ([a]) => sin(a!)],
  ['cos', ([a]) => cos(a!)],
  ['tan', ([a]) => div(sin(a!), cos(a!))],
  ['atan', ([a]) => atan(a!)],
  ['sinh', ([a]) => sinh(a!)],
  ['cosh', ([a]) => cosh(a!)],
  ['tanh', ([a]) => div(sinh(a!), cosh(a!))],
  ['sigmoid', ([a]) => div(ONE, add(ONE, exp(neg(a!))))],
  ['softplus', ([a]) => log(add(ONE, exp(a!)))],
  ['logsumexp', (args) => log(args.map(exp).reduce(add))],
]);

type Compiled = (theta: readonly C[]) => C;

function compileNode(node: MathNode, symbol: (name: string) => Compiled): Compiled {
  const compileNodeIn = (x: MathNode): Compiled => compileNode(x, symbol);
  const n = node as MathNode & { type: string; [k: string]: unknown };
  switch (n.type) {
    case 'ConstantNode': {
      const v: C = [Number(n.value), 0];
      return () => v;
    }
    case 'SymbolNode':
      return symbol(n.name as string);
    case 'ParenthesisNode':
      return compileNodeIn(n.content as MathNode);
    case 'OperatorNode': {
      const args = (n.args as MathNode[]).map(compileNodeIn);
      const op = n.fn as string;
      if (args.length === 1) {
        if (op === 'unaryMinus') return (s) => neg(args[0]!(s));
        if (op === 'unaryPlus') return args[0]!;
      } else {
        const [a, b] = args as [Compiled, Compiled];
        if (op === 'add') return (s) => add(a(s), b(s));
        if (op === 'subtract') return (s) => sub(a(s), b(s));
        if (op === 'multiply') return (s) => mul(a(s), b(s));
        if (op === 'divide') return (s) => div(a(s), b(s));
        if (op === 'pow') return (s) => pow(a(s), b(s));
      }
      throw new Error(`oracle: operator ${op}`);
    }
    case 'FunctionNode': {
      const name = (n.fn as { name: string }).name;
      const f = FUNCTIONS.get(name);
      if (!f) throw new Error(`oracle: function ${name}`);
      const args = (n.args as MathNode[]).map(compileNodeIn);
      return (s) => f(args.map((a) => a(s)));
    }
    default:
      throw new Error(`oracle: node ${n.type}`);
  }
}

/** A loss string as a function of complex parameters (in the order of `vars`), constants fixed. */
export type ComplexLoss = (theta: readonly C[]) => C;

export function complexLoss(source: string, vars: readonly string[], constants: Readonly<Record<string, number>> = {}): ComplexLoss {
  return compileNode(parse(source), (name) => {
    const i = vars.indexOf(name);
    if (i >= 0) return (theta) => theta[i]!;
    const v = constants[name];
    if (v === undefined) throw new Error(`oracle: no value for ${name}`);
    const c: C = [v, 0];
    return () => c;
  });
}

/** The real part of [z^α] L(θ + Σ_j z_j d_j) (Cauchy's formula; see the file's comment). */
export function taylorCoefficient(L: ComplexLoss, theta: readonly number[], dirs: readonly (readonly number[])[], alpha: readonly number[]): number {
  // A first-order coefficient needs few points on a small circle; higher ones more on a larger one.
  const N = alpha.map((a) => (a <= 1 ? 9 : a + 12));
  const r = dirs.map((d, j) => (alpha[j]! <= 1 ? 0.05 : 0.15) / Math.max(Math.hypot(...d), 1e-300));
  const d = dirs.length;
  const k = new Array<number>(d).fill(0);
  let total = 0;
  for (;;) {
    const z: C[] = k.map((kj, j) => [r[j]! * Math.cos((2 * Math.PI * kj) / N[j]!), r[j]! * Math.sin((2 * Math.PI * kj) / N[j]!)]);
    const point = theta.map((t, i) => z.reduce<C>((acc, zj, j) => add(acc, mul(zj, [dirs[j]![i]!, 0])), [t, 0]));
    const f = L(point);
    // Re(f · Π ω^{−k_j α_j})
    const phase = -2 * Math.PI * k.reduce((s, kj, j) => s + (kj * alpha[j]!) / N[j]!, 0);
    total += f[0] * Math.cos(phase) - f[1] * Math.sin(phase);
    let j = 0;
    while (j < d && ++k[j]! === N[j]) k[j++] = 0;
    if (j === d) break;
  }
  return total / N.reduce((p, n) => p * n, 1) / r.reduce((p, rj, j) => p * rj ** alpha[j]!, 1);
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

/** D^m g[w_1^{k_1}, …, w_r^{k_r}] at θ, one number per component (g = ∇L). */
export function contractionOracle(L: ComplexLoss, theta: readonly number[], vectors: readonly (readonly number[])[], counts: readonly number[]): number[] {
  const scale = counts.reduce((s, c) => s * factorial(c), 1);
  return theta.map((_, i) => {
    const e = theta.map((__, j) => (j === i ? 1 : 0));
    return scale * taylorCoefficient(L, theta, [e, ...vectors], [1, ...counts]);
  });
}

/** g = ∇L at θ. */
export function gradientOracle(L: ComplexLoss, theta: readonly number[]): number[] {
  return contractionOracle(L, theta, [], []);
}

/** A tree as the oracle sees it: children, and the colour of its root (the batch loss it reads). */
export interface OracleTree {
  readonly id: number;
  readonly colour: number;
  readonly children: readonly number[];
}

/**
 * F(τ) at θ: F(•) = g_c, F([τ_1..τ_m]) = D^m g_c[F(τ_1), …, F(τ_m)] with c the root's colour
 * (`losses[c]`; one loss for uncoloured trees), equal children taken as one direction twice.
 */
export function elementaryDifferential(
  losses: readonly ComplexLoss[],
  theta: readonly number[],
  tree: OracleTree,
  get: (id: number) => OracleTree,
  memo: Map<number, number[]> = new Map(),
): number[] {
  const hit = memo.get(tree.id);
  if (hit) return hit;
  const L = losses[tree.colour]!;
  const counts = new Map<number, number>();
  for (const c of tree.children) counts.set(c, (counts.get(c) ?? 0) + 1);
  const ids = [...counts.keys()];
  const out = contractionOracle(
    L,
    theta,
    ids.map((c) => elementaryDifferential(losses, theta, get(c), get, memo)),
    ids.map((c) => counts.get(c)!),
  );
  memo.set(tree.id, out);
  return out;
}

/** max_i |a_i − b_i| / max(‖b‖_∞, floor). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  let d = 0;
  let s = 0;
  expectSameLength(a, b);
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return Number.isNaN(d) ? Infinity : d / Math.max(s, floor);
}

function expectSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
}
