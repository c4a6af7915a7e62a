/**
 * The autograd helpers every exported module shares (GD-like and SGD): the order check, fresh
 * leaves, a gradient that may be zero, and the inner product of two tensor lists. Only
 * torch.autograd.grad, detach, requires_grad_ and zeros_like: stable from torch 1.13 to 2.x.
 *
 * @example
 *   AUTOGRAD_HELPERS.includes('def _grad(') // true
 */
export const AUTOGRAD_HELPERS = String.raw`
def _checked_order(order, lowest):
    if isinstance(order, bool) or not isinstance(order, int) or not lowest <= order <= ORDER:
        raise ValueError("order must be an integer from %d to %d, got %r" % (lowest, ORDER, order))
    return order


def _leaves(params):
    # Fresh leaves holding the values of params (same device and dtype): the caller's tensors
    # and their .grad are never touched.
    leaves = []
    for p in params:
        if not isinstance(p, torch.Tensor) or not p.is_floating_point():
            raise TypeError("params must be floating-point tensors")
        leaves.append(p.detach().requires_grad_(True))
    if not leaves:
        raise ValueError("params is empty")
    return leaves


def _grad(scalar, leaves, create_graph):
    # The gradient of a scalar; one that does not depend on the leaves has gradient zero. The
    # graph is retained: other chains share it (it is freed with them).
    if not scalar.requires_grad:
        return [torch.zeros_like(x) for x in leaves]
    grads = torch.autograd.grad(scalar, leaves, retain_graph=True, create_graph=create_graph, allow_unused=True)
    return [torch.zeros_like(x) if d is None else d for d, x in zip(grads, leaves)]


def _dot(u, v):
    total = (u[0] * v[0]).sum()
    for a, b in zip(u[1:], v[1:]):
        total = total + (a * b).sum()
    return total
`;

/**
 * The fixed Python half of an exported PyTorch module: it evaluates the tree tables (TREES, XI,
 * LEADING, ORDER) that pytorchModule.ts generates from a tree series, matrix-free.
 *
 * D^m g[v1, …, vm] = ∇_θ( ∇(… ∇(g·v1)·v2 …)·vm ): one reverse-mode pass per argument, each
 * argument vi = F(τi) held fixed (detached). The partial chains D^j g[v1..vj] are memoised by their
 * sorted argument prefix, so trees that share a prefix (H g is the prefix of ∇³L[g, g]) share the
 * work, and each distinct subtree τ is evaluated once. Only a chain that is differentiated again
 * keeps its graph (create_graph=True). Only torch.autograd.grad, torch.enable_grad, detach,
 * requires_grad_ and zeros_like are used: stable from torch 1.13 to 2.x.
 *
 * @example
 *   PYTORCH_RUNTIME.includes('def counter_terms(') // true
 */
export const PYTORCH_RUNTIME = AUTOGRAD_HELPERS + String.raw`

def _plan(order):
    # The trees xi_0 .. xi_order need (with every subtree, and the single node), in index order
    # (children before parents), and the argument prefixes that are differentiated again.
    needed = {0}
    stack = [i for terms in XI[:order + 1] for i, _ in terms]
    while stack:
        i = stack.pop()
        if i not in needed:
            needed.add(i)
            stack.extend(TREES[i])
    again = set()
    for i in needed:
        args = tuple(sorted(TREES[i]))
        for m in range(len(args)):
            again.add(args[:m])
    return sorted(needed), again


def _differentials(loss_fn, params, order):
    # F(tau) for every tree xi_0 .. xi_order need, keyed by tree index; F[0] is the gradient g.
    leaves = _leaves(params)
    needed, again = _plan(order)
    with torch.enable_grad():
        loss = loss_fn(leaves)
        if not isinstance(loss, torch.Tensor) or loss.numel() != 1:
            raise ValueError("loss_fn(params) must return a scalar tensor")
        # chains[(i1, .., im)] = D^m g[F(tau_i1), .., F(tau_im)], arguments sorted by tree index
        chains = {(): _grad(loss.reshape(()), leaves, () in again)}
        values = {}
        for i in needed:
            args = tuple(sorted(TREES[i]))
            for m in range(1, len(args) + 1):
                key = args[:m]
                if key not in chains:
                    # D^m g[v1..vm] = grad( D^(m-1) g[v1..v(m-1)] . vm ), vm held fixed
                    chains[key] = _grad(_dot(chains[key[:-1]], values[key[-1]]), leaves, key in again)
            values[i] = [t.detach() for t in chains[args]]
    return values


def _combine(terms, values):
    # sum_tau c(tau) F(tau), one tensor per parameter
    out = []
    for j, g in enumerate(values[0]):
        acc = torch.zeros_like(g)
        for i, c in terms:
            acc.add_(values[i][j], alpha=c)
        out.append(acc)
    return out


def counter_terms(loss_fn, params, order=ORDER):
    """The counter terms xi_0 .. xi_order at params, each a list of tensors shaped like params.

    loss_fn(params) must return a scalar tensor computed from the given tensors (close over the
    model and the data). Matrix-free: no Hessian is formed; each distinct subtree is computed once.

    Example:
        xi = counter_terms(lambda p: ((X @ p[0] - y) ** 2).mean(), [w], order=1)
        xi[0][0]  # xi_0 for w
    """
    order = _checked_order(order, 0)
    values = _differentials(loss_fn, list(params), order)
    return [_combine(terms, values) for terms in _XI[:order + 1]]


def eom_field(loss_fn, params, lr, order=ORDER):
    """The EoM_order vector field F = -c g - lr * sum_{k <= order} lr^k xi_k at params.

    order=-1 gives the gradient flow -c g. lr is a float (or a 0-d tensor). Returns a list of
    tensors shaped like params.

    Example:
        f = eom_field(loss_fn, params, 0.01, order=2)  # d theta / dt of EoM_2
    """
    order = _checked_order(order, -1)
    values = _differentials(loss_fn, list(params), order)
    xi = [_combine(terms, values) for terms in _XI[:order + 1]]
    field = []
    for j, g in enumerate(values[0]):
        acc = torch.zeros_like(g)
        for k in reversed(range(order + 1)):
            acc = (acc + xi[k][j]) * lr  # Horner: lr xi_0 + lr^2 xi_1 + ...
        field.append(-_LEADING * g - acc)
    return field
`;

/**
 * `modified_loss`, emitted only when ξ_0 = α·H g: then ∇‖g‖² = 2 H g gives
 * −c g − η α H g = −c ∇[L + η α/(2c) ‖g‖²] exactly (Barrett & Dherin's implicit gradient
 * regulariser for GD, α = ½, c = 1).
 */
export const MODIFIED_LOSS_RUNTIME = String.raw`

def modified_loss(loss_fn, params, lr):
    """L + lr * MODIFIED_LOSS_WEIGHT * |grad L|^2 at params, a scalar tensor with its graph.

    -c times its gradient is exactly the EoM_0 field, so the EoM is the gradient flow of this loss
    up to O(lr^2). params must require grad (e.g. list(model.parameters())); calling .backward()
    on the result fills their .grad.

    Example:
        modified_loss(loss_fn, list(model.parameters()), 0.01).backward()
    """
    params = list(params)
    if not params or not all(isinstance(p, torch.Tensor) and p.requires_grad for p in params):
        raise ValueError("modified_loss needs params that require grad")
    with torch.enable_grad():
        loss = loss_fn(params).reshape(())
        grads = _grad(loss, params, True)
        return loss + lr * _MODIFIED_LOSS_WEIGHT * _dot(grads, grads)
`;
