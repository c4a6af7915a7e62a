/**
 * The fixed Python half of an exported SGD module: it evaluates the pattern tables (TREES, XI,
 * LABEL_SUM, MAX_BATCHES) that sgdModule.ts generates from the SGD series with m symbolic (3.9).
 *
 * m = len(batch_losses). Every pattern is labelled by each tuple of p batches (itertools
 * combinations: increasing, cyclic; permutations: distinct, shuffle) and becomes a labelled tree,
 * keyed as (batch, sorted child keys), so equal labelled subtrees are evaluated once. As for GD,
 * D^j g_b[v1, …, vj] = ∇( D^(j−1) g_b[v1..v(j−1)] · vj ) with vj = F(child) held fixed, memoised
 * by (batch, sorted argument prefix); only a chain that is differentiated again keeps its graph.
 * Coefficients c(m) are evaluated exactly (fractions.Fraction) and rounded once to float.
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


def _terms(order, m):
    # xi_0 .. xi_order as lists of (coefficient, labelled tree); patterns with more labels than
    # batches have no labelling and vanish
    rows = []
    for terms in XI[:order + 1]:
        row = []
        for i, p, num, den in terms:
            c = _coefficient(num, den, m)
            if c != 0.0:
                row.extend((c, _key(i, labels)) for labels in _labellings(p, m))
        rows.append(row)
    return rows


def _differentials(losses, params, rows):
    # g_b for every batch and F(key) for every labelled tree the rows need
    leaves = _leaves(params)
    needed = set()
    stack = [key for row in rows for _, key in row]
    while stack:
        key = stack.pop()
        if key not in needed:
            needed.add(key)
            stack.extend(key[1])
    again = set()
    for b, args in needed:
        for j in range(len(args)):
            again.add((b, args[:j]))
    chains = {}
    values = {}

    def value(key):
        if key not in values:
            b, args = key
            for j in range(1, len(args) + 1):
                if (b, args[:j]) not in chains:
                    # D^j g_b[v1..vj] = grad( D^(j-1) g_b[v1..v(j-1)] . vj ), vj held fixed
                    chains[(b, args[:j])] = _grad(_dot(chains[(b, args[:j - 1])], value(args[j - 1])), leaves, (b, args[:j]) in again)
            values[key] = [t.detach() for t in chains[(b, args)]]
        return values[key]

    with torch.enable_grad():
        for b, loss_fn in enumerate(losses):
            loss = loss_fn(leaves)
            if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
                raise ValueError("batch_losses[%d](params) must return a scalar tensor" % b)
            chains[(b, ())] = _grad(loss.reshape(()), leaves, (b, ()) in again)
        gradients = [[t.detach() for t in chains[(b, ())]] for b in range(len(losses))]
        for key in needed:
            value(key)
    return gradients, values


def _combine(row, values, like):
    # sum c F(labelled tree), one tensor per parameter
    out = [torch.zeros_like(g) for g in like]
    for c, key in row:
        for acc, v in zip(out, values[key]):
            acc.add_(v, alpha=c)
    return out


def _mean(gradients):
    m = len(gradients)
    return [sum(g[j] for g in gradients) / m for j in range(len(gradients[0]))]


def counter_terms(batch_losses, params, order=ORDER):
    """The counter terms xi_0 .. xi_order at params, each a list of tensors shaped like params.

    batch_losses: one closure per batch, in epoch order (cyclic sampling visits them in this
    order); m = len(batch_losses). Each loss_k(params) returns a scalar tensor computed from the
    given tensors. Matrix-free: no Hessian is formed; each distinct labelled subtree is computed once.

    Example:
        losses = [lambda p, X=X, y=y: ((X @ p[0] - y) ** 2).mean() for X, y in batches]
        xi = counter_terms(losses, [w], order=1)
        xi[0][0]  # xi_0 for w
    """
    order = _checked_order(order, 0)
    losses = _checked_losses(batch_losses, order)
    rows = _terms(order, len(losses))
    gradients, values = _differentials(losses, list(params), rows)
    return [_combine(row, values, gradients[0]) for row in rows]


def eom_field(batch_losses, params, lr, order=ORDER):
    """The EoM_order vector field F = -g - lr * sum_{k <= order} lr^k xi_k at params, g = (1/m) sum_k g_k.

    order=-1 gives the gradient flow of the mean loss. lr is a float (or a 0-d tensor); time is
    lr per step, so an epoch spans m*lr. Returns a list of tensors shaped like params.

    Example:
        f = eom_field(losses, params, 0.01, order=1)  # d theta / dt of EoM_1
    """
    order = _checked_order(order, -1)
    losses = _checked_losses(batch_losses, order)
    rows = _terms(order, len(losses))
    gradients, values = _differentials(losses, list(params), rows)
    g = _mean(gradients)
    xi = [_combine(row, values, g) for row in rows]
    field = []
    for j, gj in enumerate(g):
        acc = torch.zeros_like(gj)
        for k in reversed(range(order + 1)):
            acc = (acc + xi[k][j]) * lr  # Horner: lr xi_0 + lr^2 xi_1 + ...
        field.append(-gj - acc)
    return field
`;
