/**
 * The claim language of derivations (src/check): parse errors, the abstract (tree-series) and
 * concrete (one loss's exact normal forms) semantics, and the validation of derivation files.
 *
 * Independent truths: the published counter terms ξ_0 = ½Hg and ξ_1 = ⅓H²g + 1/12 ∇³L[g, g]
 * (Miyagawa, NeurIPS 2022), typed in by hand; hand-computed residuals; finite differences of
 * numerically evaluated normal forms (src/loss/evaluate.ts); elementary identities (‖∇‖θ‖‖ = 1,
 * Σ softmax = 1, Euler's theorem for degree-0 homogeneous functions); decimal arithmetic.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ClaimError,
  CounterTermSource,
  abstractSemantics,
  concreteSemantics,
  derivationFiles,
  evaluateClaim,
  loadDerivations,
  parseClaimExpression,
  parseDerivation,
  readDerivation,
  runDerivation,
  type Semantics,
  type ZeroVerdict,
} from '../src/check/index.js';
import { gradientDescent } from '../src/derive/updateRule.js';
import { Loss } from '../src/loss/loss.js';
import { evaluatePoly } from '../src/loss/evaluate.js';
import type { Poly } from '../src/algebra/poly.js';
import { rational } from '../src/series/fraction.js';

const source = new CounterTermSource(gradientDescent);
const abstract = abstractSemantics(source);
const quadratic = abstractSemantics(source, { assume: 'quadratic' });
const concrete = (loss: string, options: Parameters<typeof Loss.parse>[1] = {}) => {
  const l = Loss.parse(loss, options);
  return concreteSemantics({ loss: l, lossWithoutDecay: l.withoutWeightDecay(), source });
};

/** The zero verdict of a claim expression in a semantics. */
function verdict<S, V>(sem: Semantics<S, V>, expression: string, bindings: Record<string, number> = {}): ZeroVerdict {
  const b = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, rational(v)]));
  return sem.isZero(evaluateClaim(parseClaimExpression(expression), sem, b));
}

/** The ClaimError a claim raises (parse or evaluation); fails the test when none is raised. */
function claimError<S, V>(sem: Semantics<S, V>, expression: string): ClaimError {
  try {
    verdict(sem, expression);
  } catch (e) {
    expect(e).toBeInstanceOf(ClaimError);
    return e as ClaimError;
  }
  throw new Error(`"${expression}" was accepted`);
}

/** The exact value of a concrete claim expression (a normal form, or one per parameter). */
function valueOf(sem: Semantics<Poly, Poly[]>, expression: string): Poly | Poly[] {
  const v = evaluateClaim(parseClaimExpression(expression), sem, {});
  if (v.type === 'operator') throw new Error(`${expression} is an operator`);
  return v.value;
}

const XY = concrete('x^4 + x*y^2');

describe('claim expressions: errors', () => {
  // Source: the grammar of src/check/expression.ts (numbers, names, + - * / ^, calls) — anything else is refused.
  test.each([
    ['assignment', 'x = 1', /"x = 1" is not allowed in a claim/],
    ['function definition', 'f(x) = x^2', /is not allowed in a claim/],
    ['string', '"abc"', /"abc"" is not a number/],
    ['boolean', 'true', /"true" is not a number/],
    ['matrix', '[1,2]', /"\[1, 2\]" is not allowed in a claim/],
    ['indexing', 'g[1]', /is not allowed in a claim/],
    ['comparison', 'g == g', /operator "==" is not allowed/],
    ['transpose', "g'", /operator "'" is not allowed/],
    ['empty', '   ', /empty/],
    ['syntax', 'xi(0) -', /cannot parse "xi\(0\) -"/],
  ])('%s is refused by the parser', (_what, expression, message) => {
    expect(() => parseClaimExpression(expression)).toThrow(ClaimError);
    expect(() => parseClaimExpression(expression)).toThrow(message);
  });

  test('an expression longer than the limit is refused', () => {
    expect(() => parseClaimExpression('g' + ' + g'.repeat(2_000))).toThrow(/longer than 5000 characters/);
  });

  test('an unknown name lists what each semantics knows', () => {
    const a = claimError(abstract, 'xi(0) - foo*g');
    expect(a.message).toMatch(/unknown name "foo"/);
    expect(a.message).toMatch(/abstract claims know: g, H, xi0…xi9/);
    const c = claimError(XY, 'foo');
    expect(c.message).toMatch(/unknown name "foo"/);
    // the loss's own parameters are known names in concrete claims
    for (const known of ['g', 'H', 'theta', 'thetaA', 'eta', 'x', 'y']) expect(c.message).toMatch(new RegExp(`\\b${known}\\b`));
  });

  test('an unknown function lists the known functions', () => {
    expect(claimError(abstract, 'foo(g)').message).toMatch(/unknown function "foo".*abstract claims know: xi, D/);
    expect(claimError(XY, 'sqrt(L)').message).toMatch(/unknown function "sqrt".*xi, field, D, grad, dot, norm2, sum/);
  });

  test('type errors say which values did not fit', () => {
    for (const sem of [abstract, XY] as Semantics<unknown, unknown>[]) {
      expect(claimError(sem, 'g + 1').message).toMatch(/cannot add a scalar to a vector/);
      expect(claimError(sem, '1 - g').message).toMatch(/cannot subtract a vector from a scalar/);
      expect(claimError(sem, 'g*g').message).toMatch(/cannot multiply a vector by a vector.*use dot\(u, v\)/);
      expect(claimError(sem, 'g/H').message).toMatch(/cannot divide by an operator/);
      expect(claimError(sem, 'g^2').message).toMatch(/only scalars and operators have powers/);
      expect(claimError(sem, 'H').message).toMatch(/must be a scalar or a vector, not an operator/);
      expect(claimError(sem, 'g/0').message).toMatch(/division by (zero|an expression that is identically zero)/);
    }
    // z·(sigmoid(x) + sigmoid(−x) − 1) is identically zero: dividing by it would make any claim vacuous.
    const vanishing = concrete('x^2 + y^2 + z*(sigmoid(x) + sigmoid(-x) - 1)');
    expect(claimError(vanishing, 'x/(L - x^2 - y^2)').message).toMatch(/division by an expression that is identically zero/);
    expect(claimError(XY, 'dot(g)').message).toMatch(/dot\(…\) takes 2 arguments, got 1/);
    expect(claimError(XY, 'norm2(L)').message).toMatch(/the argument of norm2 must be a vector, got a scalar/);
    expect(claimError(abstract, 'D(g, 1)').message).toMatch(/argument 2 of D must be a vector/);
  });

  test('exponents must be integers, and the order of xi(k) a non-negative integer', () => {
    expect(claimError(XY, 'x^0.5').message).toMatch(/exponents must be integers/);
    expect(claimError(abstract, '2^(1/2)').message).toMatch(/exponents must be integers/);
    expect(claimError(abstract, 'H^0.5*g').message).toMatch(/the power of an operator .* must be an integer/);
    expect(claimError(abstract, 'H^(-1)*g').message).toMatch(/integer from 0 to 64/);
    expect(claimError(abstract, 'xi(-1)').message).toMatch(/xi\(k\) needs k ≥ 0, got -1/);
    expect(claimError(XY, 'xi(-1)').message).toMatch(/xi\(k\) needs k ≥ 0, got -1/);
    expect(claimError(abstract, 'xi(1/2)').message).toMatch(/the order k of xi\(k\) must be an integer/);
    expect(claimError(XY, 'xi(x)').message).toMatch(/the order k of xi\(k\) must be an integer/);
    expect(claimError(XY, 'field(-2)').message).toMatch(/field\(k\) needs k ≥ -1/);
  });

  test('names of Object.prototype are unknown names, not crashes', () => {
    for (const sem of [abstract, XY] as Semantics<unknown, unknown>[]) {
      for (const name of ['constructor', 'toString', 'valueOf', '__proto__']) expect(claimError(sem, `${name}`).message).toMatch(new RegExp(`unknown name "${name}"`));
      expect(claimError(sem, 'hasOwnProperty(g)').message).toMatch(/unknown function "hasOwnProperty"/);
    }
  });

  test('abstract claims that would build huge trees are refused, not left to run out of memory', () => {
    // The number of rooted trees grows exponentially with their size (OEIS A000081), so the store
    // cannot enumerate 65-node trees for H^64 g.
    expect(claimError(abstract, 'H^64*g').message).toMatch(/builds trees with 15 nodes; abstract claims stay within 14/);
    expect(claimError(abstract, 'D(H^6*g, H^6*g)').message).toMatch(/builds trees with 15 nodes/);
  });

  test('a loss may not use the learning rate\'s name', () => {
    expect(() => concrete('eta*x^2')).toThrow(/"eta" is the learning rate in claims/);
  });
});

/**
 * Losses for the published identities: polynomial, with symbolic constants, and through exp,
 * sigmoid, softplus, sqrt, log (each a different set of differentiation rules and zero-test relations).
 */
const LOSSES: [string, Parameters<typeof Loss.parse>[1]][] = [
  ['x^4 + x*y^2', {}],
  ['a*x^3*y + b*y^2 + c*x', { vars: ['x', 'y'] }],
  ['exp(x*y) + x^2', {}],
  ['sigmoid(x - 2*y) + x^2*y', {}],
  ['sqrt(1 + x^2 + y^2) + log(1 + y^2)', {}],
  ['softplus(-x*y)', { weightDecay: 'lambda' }],
];

describe('published identities hold in both semantics', () => {
  // Source: Miyagawa, NeurIPS 2022: ξ_0 = ½Hg, ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (Barrett & Dherin 2021 for ξ_0).
  const XI0 = 'xi(0) - 1/2*H*g';
  const XI1 = 'xi(1) - (1/3*H^2*g + 1/12*D(g, g))';

  test('abstract: for every loss', () => {
    expect(verdict(abstract, XI0).zero).toBe(true);
    expect(verdict(abstract, XI1).zero).toBe(true);
  });

  test.each(LOSSES)('concrete: %s', (loss, options) => {
    const sem = concrete(loss, options);
    expect(verdict(sem, XI0)).toEqual({ zero: true });
    expect(verdict(sem, XI1)).toEqual({ zero: true });
  });

  test('the xi0…xi9 aliases are xi(k)', () => {
    for (const sem of [abstract, XY] as Semantics<unknown, unknown>[]) {
      expect(verdict(sem, 'xi0 - 1/2*H*g').zero).toBe(true);
      for (const k of [0, 1, 2]) expect(verdict(sem, `xi${k} - xi(${k})`).zero).toBe(true);
      expect(verdict(sem, 'xi(k) - xi2', { k: 2 }).zero).toBe(true);
    }
  });

  test('a loop variable binds k, in powers and in xi(k)', () => {
    // Source: quadratic losses have ξ_k = H^{k+1}g/(k+2) (docs/design.md (2.15), the Taylor series of log(1 − x)).
    const sem = concrete('3/2*x^2 + x*y + 5/2*y^2');
    for (const k of [0, 1, 2, 3]) expect(verdict(sem, 'xi(k) - H^(k+1)*g/(k+2)', { k }).zero).toBe(true);
    expect(verdict(sem, 'xi(k) - H^(k+1)*g/(k+3)', { k: 1 }).zero).toBe(false);
  });
});

describe('operators, D and the quadratic assumption', () => {
  test('H^0 is the identity, H^2 is H applied twice', () => {
    for (const sem of [abstract, XY] as Semantics<unknown, unknown>[]) {
      expect(verdict(sem, 'H^0*g - g').zero).toBe(true);
      expect(verdict(sem, 'H^0*xi(1) - xi(1)').zero).toBe(true);
      expect(verdict(sem, 'H^2*g - H*(H*g)').zero).toBe(true);
      expect(verdict(sem, 'H*H*g - H^2*g').zero).toBe(true);
      expect(verdict(sem, '(H + 2*H)*g - 3*H*g').zero).toBe(true);
      expect(verdict(sem, 'H^1*g - g').zero).toBe(false);
    }
  });

  test('D(v) = Hv, and D is multilinear and symmetric (∇³L is a symmetric tensor)', () => {
    for (const sem of [abstract, XY, concrete('exp(x*y) + x^2')] as Semantics<unknown, unknown>[]) {
      expect(verdict(sem, 'D(g) - H*g').zero).toBe(true);
      expect(verdict(sem, 'D(2*g + H*g, g) - 2*D(g, g) - D(H*g, g)').zero).toBe(true);
      expect(verdict(sem, 'D(g, 3*H*g) - 3*D(g, H*g)').zero).toBe(true);
      expect(verdict(sem, 'D(H*g, g) - D(g, H*g)').zero).toBe(true);
      expect(verdict(sem, 'D(g, g, H*g) - D(H*g, g, g)').zero).toBe(true);
      expect(verdict(sem, 'D(g, g) - D(g)').zero).toBe(false);
    }
  });

  test('concrete D(g, g) is the second directional derivative of the gradient (finite differences)', () => {
    // Source: D(v, v)_i = d²/dt² g_i(θ + t v) at t = 0, v held fixed; central second difference of g
    // evaluated numerically (src/loss/evaluate.ts), not through D.
    const loss = Loss.parse('exp(x*y) + x^2*y');
    const sem = concreteSemantics({ loss, source });
    const at = { x: 0.4, y: -0.3 };
    const gp = loss.gradient();
    const v = gp.map((c) => evaluatePoly(c, loss.table, at));
    const dgg = valueOf(sem, 'D(g, g)') as Poly[];
    const h = 1e-3;
    const gAt = (t: number) => gp.map((c) => evaluatePoly(c, loss.table, { x: at.x + t * v[0]!, y: at.y + t * v[1]! }));
    const [plus, zero, minus] = [gAt(h), gAt(0), gAt(-h)];
    dgg.forEach((c, i) => {
      const fd = (plus[i]! - 2 * zero[i]! + minus[i]!) / h ** 2;
      expect(evaluatePoly(c, loss.table, at)).toBeCloseTo(fd, 4);
    });
  });

  test('assuming a quadratic loss drops ∇³L: ξ_1 = ⅓H²g holds only then', () => {
    // Source: ξ_1 = ⅓H²g + 1/12 ∇³L[g, g] (Miyagawa 2022) with ∇³L = 0.
    expect(verdict(quadratic, 'xi(1) - 1/3*H^2*g').zero).toBe(true);
    expect(verdict(quadratic, 'D(g, g)').zero).toBe(true);
    expect(verdict(quadratic, 'D(g) - H*g').zero).toBe(true);
    const general = verdict(abstract, 'xi(1) - 1/3*H^2*g');
    expect(general.zero).toBe(false);
    expect(general.residual).toMatch(/1\/12/);
  });
});

describe('concrete semantics: exactness and the zero test', () => {
  test('decimal numbers are exact rationals', () => {
    // Source: decimal arithmetic; in floating point 3*0.1 − 0.3 = 5.6e-17 ≠ 0.
    expect(verdict(XY, 'xi(0) - 0.5*H*g').zero).toBe(true);
    expect(verdict(XY, '3*0.1 - 0.3').zero).toBe(true);
    expect(verdict(abstract, '3*0.1 - 0.3').zero).toBe(true);
    expect(verdict(XY, '0.1*g - g/10').zero).toBe(true);
    expect(verdict(XY, '0.1 - 1/10 - 1e-20').zero).toBe(false);
  });

  test('a false identity fails with a residual naming the component', () => {
    // Source: by hand, L = x⁴ + xy²: g = (4x³ + y², 2xy), H = [[12x², 2y], [2y, 2x]],
    // ξ_0 − ⅓Hg = ⅙Hg; (Hg)_x = 48x⁵ + 12x²y² + 4xy², so the x component is 8x⁵ + 2x²y² + ⅔xy².
    const v = verdict(XY, 'xi(0) - 1/3*H*g');
    expect(v.zero).toBe(false);
    expect(v.residual).toMatch(/^component x: /);
    expect(v.residual).toContain('8*x^5');
    expect(v.residual).toContain('2*x^2*y^2');
    expect(v.residual).toContain('2/3*x*y^2');
    // the abstract residual is the series ⅙ Hg
    expect(verdict(abstract, 'xi(0) - 1/3*H*g').residual).toMatch(/1\/6/);
    // a scalar residual names no component
    expect(verdict(XY, 'dot(theta, g)').residual).not.toMatch(/component/);
  });

  test('grad(norm2(g)) = 2Hg, against finite differences of ‖g‖²', () => {
    // Source: ∇‖∇L‖² = 2∇²L∇L; the left side here is a central difference of ‖g‖² evaluated numerically.
    for (const [text, at] of [
      ['x^4 + x*y^2', { x: 0.7, y: -0.4 }],
      ['sigmoid(x - 2*y) + x^2*y', { x: 0.3, y: 0.8 }],
      ['sqrt(1 + x^2 + y^2) + exp(x*y)', { x: -0.5, y: 0.6 }],
    ] as const) {
      const loss = Loss.parse(text);
      const sem = concreteSemantics({ loss, source });
      const norm2 = valueOf(sem, 'norm2(g)') as Poly;
      const twoHg = valueOf(sem, '2*H*g') as Poly[];
      const h = 1e-5;
      loss.vars.forEach((v, i) => {
        const shifted = (d: number) => evaluatePoly(norm2, loss.table, { ...at, [v]: at[v as 'x' | 'y'] + d });
        const fd = (shifted(h) - shifted(-h)) / (2 * h);
        const symbolic = evaluatePoly(twoHg[i]!, loss.table, at);
        expect(Math.abs(fd - symbolic), `${text}, ∂/∂${v}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(symbolic)));
      });
      expect(verdict(sem, 'grad(norm2(g)) - 2*H*g').zero).toBe(true);
      // the implicit regulariser (Barrett & Dherin 2021): ξ_0 = ¼∇‖g‖²
      expect(verdict(sem, 'xi(0) - 1/4*grad(norm2(g))').zero).toBe(true);
    }
  });

  test('identities that need the zero test (not the normal form) pass', () => {
    // Source: ‖∇‖θ‖‖ = 1, i.e. (x² + y²)/sqrt(x² + y²)² = 1.
    const r = concrete('sqrt(x^2 + y^2)');
    const n = valueOf(r, 'norm2(g) - 1') as Poly;
    expect(n.isZero()).toBe(false); // not zero as a polynomial in its atoms …
    expect(verdict(r, 'norm2(g) - 1').zero).toBe(true); // … but zero as a function
    expect(verdict(r, 'norm2(g) - 2').zero).toBe(false);
    // Source: ∇logsumexp(z) = softmax(z), whose entries sum to 1.
    const lse = concrete('logsumexp(z1, z2, z3)');
    expect((valueOf(lse, 'sum(g) - 1') as Poly).isZero()).toBe(false);
    expect(verdict(lse, 'sum(g) - 1').zero).toBe(true);
    expect(verdict(lse, 'sum(g) - 1 - sum(ones)').zero).toBe(false);
    // Source: Euler's theorem: θ·∇L = 0 for L homogeneous of degree 0.
    const scale = concrete('x*y/(x^2 + y^2)');
    expect(verdict(scale, 'dot(theta, g)').zero).toBe(true);
    expect(verdict(scale, 'dot(ones, g)').zero).toBe(false);
  });

  test('weight decay: g includes λθ, g0 does not; field(-1) = −g', () => {
    // Source: L_λ = L + λ/2‖θ‖² has gradient g0 + λθ.
    const sem = concrete('x^4 + x*y^2', { weightDecay: 'lambda' });
    expect(verdict(sem, 'g - g0 - lambda*theta').zero).toBe(true);
    expect(verdict(sem, 'H*theta - H0*theta - lambda*theta').zero).toBe(true);
    expect(verdict(sem, 'L - L0 - lambda/2*norm2(theta)').zero).toBe(true);
    expect(verdict(sem, 'field(-1) + g').zero).toBe(true);
    // Source: field(k) = −g − Σ_{j≤k} η^{j+1} ξ_j (docs/design.md (2.16)).
    expect(verdict(sem, 'field(1) + g + eta*xi(0) + eta^2*xi(1)').zero).toBe(true);
    expect(verdict(sem, 'field(1) + g + eta*xi(0) + eta*xi(1)').zero).toBe(false);
  });
});

describe('derivation files: validation names the file and the field', () => {
  const good = () => ({
    name: 'my-claims',
    title: 't',
    source: 'by hand',
    inputs: { abstract: true },
    claims: [{ kind: 'symbolic', name: 'c', expression: 'xi(0) - 1/2*H*g' }] as Record<string, unknown>[],
  });
  const numeric = (extra: Record<string, unknown>) => ({
    ...good(),
    inputs: { loss: 'x^4 + y^2' },
    claims: [{ kind: 'numeric', check: 'convergence', name: 'n', init: { x: 1, y: 0.5 }, order: 1, lrs: [0.1, 0.05, 0.025], ...extra }],
  });
  const error = (data: unknown): string => {
    try {
      parseDerivation(data, 'dir/f.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ClaimError);
      return (e as Error).message;
    }
    throw new Error('accepted');
  };

  test('a good file parses', () => {
    const sgd = { ...good(), inputs: { batches: ['x^2', '(x - 1)^2'], sampling: 'cyclic', vars: ['x'], weightDecay: 'lambda' } };
    expect(parseDerivation(sgd, 'dir/f.json').inputs).toEqual({ batches: ['x^2', '(x - 1)^2'], sampling: 'cyclic', vars: ['x'], weightDecay: 'lambda' });
    const d = parseDerivation(good(), 'dir/f.json');
    expect(d.file).toBe('dir/f.json');
    expect(d.claims[0]).toEqual({ kind: 'symbolic', name: 'c', expression: 'xi(0) - 1/2*H*g' });
    expect(parseDerivation(numeric({}), 'n.json').claims[0]!.kind).toBe('numeric');
    // At the cap: 1000 cases (MAX_LOOP_CASES) are accepted, 1001 refused (table below).
    const cap = { ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { j: [0, 9], k: [1, 100] } }] };
    expect(parseDerivation(cap, 'dir/f.json').claims[0]).toEqual({ kind: 'symbolic', name: 'c', expression: 'g', for: { j: [0, 9], k: [1, 100] } });
  });

  test.each<[string, () => unknown, RegExp]>([
    ['not an object', () => [1, 2], /^dir\/f\.json: \(top level\): must be an object$/],
    ['unknown top-level field', () => ({ ...good(), extra: 1 }), /^dir\/f\.json: \(top level\): unknown field "extra" \(expected: .*claims\)$/],
    ['missing source', () => ({ ...good(), source: undefined }), /^dir\/f\.json: source: must be a non-empty string$/],
    ['blank name', () => ({ ...good(), name: ' ' }), /^dir\/f\.json: name: must be a non-empty string$/],
    ['name with capitals', () => ({ ...good(), name: 'My Claims' }), /^dir\/f\.json: name: must be lower-case words/],
    ['missing inputs', () => ({ ...good(), inputs: undefined }), /^dir\/f\.json: inputs: must be an object$/],
    ['bad assumption', () => ({ ...good(), inputs: { abstract: true, assume: 'cubic' } }), /^dir\/f\.json: inputs\.assume: can only be "quadratic"$/],
    ['unknown abstract input', () => ({ ...good(), inputs: { abstract: true, loss: 'x^2' } }), /^dir\/f\.json: inputs: unknown field "loss"/],
    ['missing loss', () => ({ ...good(), inputs: { vars: ['x'] } }), /^dir\/f\.json: inputs\.loss: must be a non-empty string$/],
    ['bad symmetry kind', () => ({ ...good(), inputs: { loss: 'x', symmetry: { kind: 'rotation', group: ['x'] } } }), /^dir\/f\.json: inputs\.symmetry\.kind: must be "scale" or "translation"$/],
    ['empty symmetry group', () => ({ ...good(), inputs: { loss: 'x', symmetry: { kind: 'scale', group: [] } } }), /^dir\/f\.json: inputs\.symmetry\.group: must be a list of at least 1$/],
    ['non-string value', () => ({ ...good(), inputs: { loss: 'a*x', values: { a: 2 } } }), /^dir\/f\.json: inputs\.values\.a: must be a non-empty string$/],
    ['no claims', () => ({ ...good(), claims: [] }), /^dir\/f\.json: claims: must be a list of at least 1$/],
    ['bad claim kind', () => ({ ...good(), claims: [{ kind: 'sym', name: 'c', expression: 'g' }] }), /^dir\/f\.json: claims\[0\]\.kind: must be "symbolic" or "numeric"$/],
    ['claim without name', () => ({ ...good(), claims: [{ kind: 'symbolic', expression: 'g' }] }), /^dir\/f\.json: claims\[0\]\.name: must be a non-empty string$/],
    ['unknown claim field', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', forall: 1 }] }), /^dir\/f\.json: claims\[0\]: unknown field "forall"/],
    ['missing expression', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c' }] }), /^dir\/f\.json: claims\[0\]\.expression: must be a non-empty string$/],
    ['reversed loop range', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { k: [3, 1] } }] }), /^dir\/f\.json: claims\[0\]\.for\.k: must be \[from, to\] with from ≤ to$/],
    ['loop range of three', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { k: [0, 1, 2] } }] }), /^dir\/f\.json: claims\[0\]\.for\.k: must be \[from, to\]/],
    ['loop range of one', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { k: [0] } }] }), /^dir\/f\.json: claims\[0\]\.for\.k: must be a list of at least 2$/],
    ['fractional loop bound', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { k: [0, 1.5] } }] }), /^dir\/f\.json: claims\[0\]\.for\.k\[1\]: must be an integer$/],
    ['expression with a syntax error', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'xi(0) +' }] }), /^dir\/f\.json: claims\[0\]\.expression: cannot parse "xi\(0\) \+": Unexpected end of expression \(char 8\)$/],
    ['a loop of 1001 cases', () => ({ ...good(), claims: [{ kind: 'symbolic', name: 'c', expression: 'g', for: { j: [0, 10], k: [1, 91] } }] }), /^dir\/f\.json: claims\[0\]\.for: runs 1001 cases; at most 1000$/],
    ['bad numeric check', () => numeric({ check: 'flows' }), /^dir\/f\.json: claims\[0\]\.check: must be "symmetry-flows", "convergence" or "closed-form"$/],
    ['zero learning rate', () => numeric({ lrs: [0.1, 0, 0.05] }), /^dir\/f\.json: claims\[0\]\.lrs\[1\]: must be a positive number$/],
    ['negative learning rate', () => numeric({ lrs: [0.1, 0.05, -0.025] }), /^dir\/f\.json: claims\[0\]\.lrs\[2\]: must be a positive number$/],
    ['two learning rates', () => numeric({ lrs: [0.1, 0.05] }), /^dir\/f\.json: claims\[0\]\.lrs: must be a list of at least 3$/],
    ['non-numeric init', () => numeric({ init: { x: 'one' } }), /^dir\/f\.json: claims\[0\]\.init\.x: must be a finite number$/],
    ['order out of range', () => numeric({ order: 9 }), /^dir\/f\.json: claims\[0\]\.order: must be an integer from 0 to 8$/],
    ['zero horizon', () => numeric({ horizon: 0 }), /^dir\/f\.json: claims\[0\]\.horizon: must be a positive number$/],
    ['no batches', () => ({ ...good(), inputs: { batches: [], sampling: 'shuffle' } }), /^dir\/f\.json: inputs\.batches: must be a list of at least 1$/],
    ['a batch that is not a string', () => ({ ...good(), inputs: { batches: ['x^2', 2], sampling: 'shuffle' } }), /^dir\/f\.json: inputs\.batches\[1\]: must be a non-empty string$/],
    ['batches that are not a list', () => ({ ...good(), inputs: { batches: 'x^2; y^2', sampling: 'shuffle' } }), /^dir\/f\.json: inputs\.batches: must be a list of at least 1$/],
    ['batches and a loss', () => ({ ...good(), inputs: { loss: 'x^2', batches: ['x^2'], sampling: 'shuffle' } }), /^dir\/f\.json: inputs: give "batches" or "loss", not both \(with batches, L is their mean\)$/],
    ['an unknown sampling', () => ({ ...good(), inputs: { batches: ['x^2'], sampling: 'random' } }), /^dir\/f\.json: inputs\.sampling: must be "shuffle" or "cyclic"$/],
    ['batches without a sampling', () => ({ ...good(), inputs: { batches: ['x^2'] } }), /^dir\/f\.json: inputs\.sampling: must be "shuffle" or "cyclic"$/],
    ['nine batches', () => ({ ...good(), inputs: { batches: Array.from({ length: 9 }, (_, k) => `(x - ${k})^2`), sampling: 'cyclic' } }), /^dir\/f\.json: inputs\.batches: at most 8 batch losses, got 9$/],
    ['batches with an update rule', () => ({ ...good(), inputs: { batches: ['x^2'], sampling: 'cyclic', rule: 'heavy-ball' } }), /^dir\/f\.json: inputs: unknown field "rule" \(expected: .*weightDecay\)$/],
    ['a numeric claim on batches', () => ({ ...numeric({}), inputs: { batches: ['x^4', 'y^2'], sampling: 'shuffle' } }), /^dir\/f\.json: claims\[0\]\.kind: numeric claims simulate gradient descent; SGD inputs \("batches"\) take symbolic claims/],
  ])('%s', (_what, data, message) => {
    expect(error(data())).toMatch(message);
  });

  describe('files and folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'eomkit-claims-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, content: string) => {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    };

    test('invalid JSON, a missing path, a folder without .json, a name used twice', () => {
      const bad = file('bad.json', '{ "name": ');
      expect(() => readDerivation(bad)).toThrow(ClaimError);
      expect(() => readDerivation(bad)).toThrow(new RegExp(`^${bad.replace(/[.\\/]/g, '\\$&')}: not valid JSON`));
      expect(() => derivationFiles([join(dir, 'nope.json')])).toThrow(/nope\.json: no such file or folder/);
      mkdirSync(join(dir, 'empty'));
      file(join('empty', 'notes.txt'), 'x');
      expect(() => derivationFiles([join(dir, 'empty')])).toThrow(/empty: the folder has no \.json derivation files/);
      mkdirSync(join(dir, 'twice'));
      const text = JSON.stringify({ name: 'same', source: 's', inputs: { abstract: true }, claims: [{ kind: 'symbolic', name: 'c', expression: 'xi0 - 1/2*H*g' }] });
      file(join('twice', 'a.json'), text);
      file(join('twice', 'b.json'), text);
      expect(() => loadDerivations([join(dir, 'twice')])).toThrow(/b\.json: the name "same" is also used by .*a\.json/);
    });
  });
});

describe('runDerivation', () => {
  const base = { file: 'mem.json', name: 'mem', title: 'mem', source: 'by hand' } as const;

  test('a bad expression or a numeric claim without a loss fails its claim, not the run', () => {
    const r = runDerivation({
      ...base,
      inputs: { abstract: true },
      claims: [
        { kind: 'symbolic', name: 'typo', expression: 'xi(0) - 1/2*H*gg' },
        { kind: 'numeric', check: 'convergence', name: 'num', init: { x: 1 }, order: 0, lrs: [0.1, 0.05, 0.025] },
        { kind: 'symbolic', name: 'ok', expression: 'xi(0) - 1/2*H*g' },
      ],
    });
    expect(r.passed).toBe(false);
    expect(r.results.map((c) => [c.name, c.passed])).toEqual([['typo', false], ['num', false], ['ok', true]]);
    expect(r.results[0]!.detail).toMatch(/^error: unknown name "gg"/);
    expect(r.results[1]!.detail).toMatch(/numeric claims need a loss/);
  });

  test('a failing loop names the first k that fails and counts the cases', () => {
    // Source: ξ_k = H^{k+1}g/(k+2) holds for quadratics only; ∇³L[g, g] first enters at ξ_1 (Miyagawa 2022).
    const r = runDerivation({ ...base, inputs: { abstract: true }, claims: [{ kind: 'symbolic', name: 'chain', expression: 'xi(k) - H^(k+1)*g/(k+2)', for: { k: [0, 3] } }] });
    expect(r.results[0]!.passed).toBe(false);
    expect(r.results[0]!.detail).toMatch(/^k = 1: xi\(k\) - H\^\(k\+1\)\*g\/\(k\+2\) ≠ 0; residual /);
    expect(r.results[0]!.cases).toBe(4);
  });

  test('a bad loss or symmetry group in the inputs is a ClaimError naming the file', () => {
    const claims = [{ kind: 'symbolic', name: 'c', expression: 'g' }] as const;
    const run = (inputs: Parameters<typeof runDerivation>[0]['inputs']) => () => runDerivation({ ...base, inputs, claims });
    expect(run({ loss: 'x^' })).toThrow(ClaimError);
    expect(run({ loss: 'x^' })).toThrow(/^mem\.json: inputs: cannot parse the loss/);
    expect(run({ loss: 'x^2 + y^2', symmetry: { kind: 'scale', group: ['q'] } })).toThrow(/^mem\.json: inputs: the symmetry group's "q" is not a parameter/);
    expect(run({ loss: 'eta*x^2' })).toThrow(/^mem\.json: inputs: "eta" is the learning rate in claims/);
  });

  test('an unknown update rule is refused with the known ones', () => {
    expect(() => runDerivation({ ...base, inputs: { abstract: true, rule: 'adamw' }, claims: [{ kind: 'symbolic', name: 'c', expression: 'g' }] })).toThrow(
      /mem\.json: inputs\.rule: unknown update rule "adamw" \(known: .*gd/,
    );
  });

  test('rmsprop and adam act element-wise: their claims need a loss and exact hyperparameters', () => {
    const claims = [{ kind: 'symbolic' as const, name: 'c', expression: 'g' }];
    expect(() => runDerivation({ ...base, inputs: { abstract: true, rule: 'adam' }, claims })).toThrow(/mem\.json: inputs: adam acts element-wise, so its claims need a loss/);
    expect(() => runDerivation({ ...base, inputs: { loss: 'x^2', rule: 'rmsprop', params: new Map([['rho', 'rho']]) }, claims })).toThrow(/inputs\.params\.rho: "rho" must be an exact number for rmsprop/);
  });
});
