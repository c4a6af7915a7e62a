/**
 * The fixed Python half of an exported SGD module: it evaluates the pattern tables (TREES, XI,
 * LABEL_SUM, MAX_BATCHES) that sgdModule.ts generates from the SGD series with m symbolic (3.9).
 *
 * m = len(batch_losses). The patterns with p labels are evaluated one label tuple at a time (itertools
 * combinations: increasing, cyclic; permutations: distinct, shuffle): each becomes a labelled tree,
 * keyed as (batch, sorted child keys), its subtrees shared with the tuple's other patterns, and its
 * value is added into ξ_k at once, so memory holds one tuple's values (and the m batch gradients),
 * not m^p of them. As for GD, D^j g_b[v1, …, vj] = ∇( D^(j−1) g_b[v1..v(j−1)] · vj ) with
 * vj = F(child) held fixed, memoised by (batch, sorted argument prefix); only a chain that is
 * differentiated again keeps its graph. Coefficients c(m) are evaluated exactly
 * (fractions.Fraction) and rounded once to float.
 *
 * @example
 *   SGD_RUNTIME.includes('def eom_field(batch_losses, params, lr, order=ORDER):') // true
 */
import { AUTOGRAD_HELPERS } from './pytorchRuntime.js';

export const SGD_RUNTIME = AUTOGRAD_HELPERS + String.raw`

def _checked_losses(batch_losses, order):
    if callable(batch_losses):
        raise TypeError("batch_losses must be a list of loss closures, one per batch, not one function")
    losses = list(batch_losses)
    if not losses:
        raise ValueError("batch_losses is empty: give one loss closure per batch")
    if not all(callable(f) for f in losses):
        raise TypeError("batch_losses must hold callables: loss_k(params) -> scalar tensor")
    limit = MAX_BATCHES[max(order, 0)]
    if len(losses) > limit:
        raise ValueError(
            "%d batches: this module evaluates xi_0 .. xi_%d for at most %d batches (its sums over batch"
            " labels grow like m^%d); use a lower order or fewer, larger batches" % (len(losses), max(order, 0), limit, max(order, 0) + 2)
        )
    return losses


def _coefficient(num, den, m):
    # c(m) = num(m) / den(m), exactly, then rounded once
    n = sum(Fraction(c) * m ** i for i, c in enumerate(num))
    d = sum(Fraction(c) * m ** i for i, c in enumerate(den))
    if d == 0:
        raise ZeroDivisionError("a coefficient of the SGD series has a pole at m = %d" % m)
    return float(n / d)


def _labellings(p, m):
    if LABEL_SUM == "increasing":
        return itertools.combinations(range(m), p)
    return itertools.permutations(range(m), p)


def _key(i, labels):
    # The labelled tree: (batch of the root, sorted keys of its subtrees)
    colour, children = TREES[i]
    return (labels[colour], tuple(sorted(_key(c, labels) for c in children)))


def _patterns(order, m):
    # The patterns of xi_0 .. xi_order with nonzero c(m), grouped by their number of labels p:
    # {p: [(k, tree, c)]}; patterns with more labels than batches have no labelling and vanish
    by_labels = {}
    for k, terms in enumerate(XI[:order + 1]):
        for i, p, num, den in terms:
            c = _coefficient(num, den, m)
            if c != 0.0 and p <= m:
                by_labels.setdefault(p, []).append((k, i, c))
    return by_labels


def _labelled(keys, roots, leaves):
    # F(key) for the labelled trees of one label tuple (and their subtrees); roots[b] = g_b with
    # its graph. Only this tuple's values are held, so memory does not grow with m.
    needed = set()
    stack = list(keys)
    while stack:
        key = stack.pop()
        if key not in needed:
            needed.add(key)
            stack.extend(key[1])
    again = set()
    for b, args in needed:
        for j in range(1, len(args)):
            again.add((b, args[:j]))
    chains = {}
    values = {}

    def chain(b, args):
        if not args:
            return roots[b]
        if (b, args) not in chains:
            # D^j g_b[v1..vj] = grad( D^(j-1) g_b[v1..v(j-1)] . vj ), vj held fixed
            chains[(b, args)] = _grad(_dot(chain(b, args[:-1]), value(args[-1])), leaves, (b, args) in again)
        return chains[(b, args)]

    def value(key):
        if key not in values:
            values[key] = [t.detach() for t in chain(*key)]
        return values[key]

    return [value(key) for key in keys]


def _evaluate(batch_losses, params, order):
    # The mean gradient g and xi_0 .. xi_order, one label tuple at a time
    losses = _checked_losses(batch_losses, order)
    m = len(losses)
    leaves = _leaves(list(params))
    deep = any(TREES[i][1] for terms in XI[:order + 1] for i, _, _, _ in terms)
    by_labels = _patterns(order, m)
    with torch.enable_grad():
        roots = []
        for b, loss_fn in enumerate(losses):
            loss = loss_fn(leaves)
            if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
                raise ValueError("batch_losses[%d](params) must return a scalar tensor" % b)
            roots.append(_grad(loss.reshape(()), leaves, deep))
        g = [sum(r[j].detach() for r in roots) / m for j in range(len(leaves))]
        xi = [[torch.zeros_like(t) for t in g] for _ in range(order + 1)]
        for p, entries in sorted(by_labels.items()):
            for labels in _labellings(p, m):
                keys = [_key(i, labels) for _, i, _ in entries]
                for (k, _, c), v in zip(entries, _labelled(keys, roots, leaves)):
                    for acc, t in zip(xi[k], v):
                        acc.add_(t, alpha=c)
    return g, xi


def counter_terms(batch_losses, params, order=ORDER):
    """The counter terms xi_0 .. xi_order at params, each a list of tensors shaped like params.

    batch_losses: one closure per batch, in epoch order (cyclic sampling visits them in this
    order); m = len(batch_losses). Each loss_k(params) returns a scalar tensor computed from the
    given tensors. Matrix-free: no Hessian is formed; the label tuples are taken one at a time.

    Example:
        losses = [lambda p, X=X, y=y: ((X @ p[0] - y) ** 2).mean() for X, y in batches]
        xi = counter_terms(losses, [w], order=1)
        xi[0][0]  # xi_0 for w
    """
    return _evaluate(batch_losses, params, _checked_order(order, 0))[1]


def eom_field(batch_losses, params, lr, order=ORDER):
    """The EoM_order vector field F = -g - lr * sum_{k <= order} lr^k xi_k at params, g = (1/m) sum_k g_k.

    order=-1 gives the gradient flow of the mean loss. lr is a float (or a 0-d tensor); time is
    lr per step, so an epoch spans m*lr. Returns a list of tensors shaped like params.

    Example:
        f = eom_field(losses, params, 0.01, order=1)  # d theta / dt of EoM_1
    """
    order = _checked_order(order, -1)
    g, xi = _evaluate(batch_losses, params, order)
    field = []
    for j, gj in enumerate(g):
        acc = torch.zeros_like(gj)
        for k in reversed(range(order + 1)):
            acc = (acc + xi[k][j]) * lr  # Horner: lr xi_0 + lr^2 xi_1 + ...
        field.append(-gj - acc)
    return field
`;
