"""Checks of an exported PyTorch module (run by test/export-pytorch.test.ts with Debian's python3).

usage: export_checks.py <folder with eom_terms.py and eg_terms.py> <reference.json>
Prints one JSON object: for every check, the largest relative error found.
"""
import json
import sys

import torch

sys.path.insert(0, sys.argv[1])
import eg_terms  # noqa: E402  (extragradient, order 2)
import eom_terms  # noqa: E402  (gradient descent, order 3)

torch.manual_seed(0)
F64 = torch.float64


def rel(a, b):
    """max |a - b| / max(1, max |b|) over lists of tensors."""
    scale = max(1.0, max(float(t.abs().max()) for t in b))
    return max(float((x - y).abs().max()) for x, y in zip(a, b)) / scale


# The scalar losses of the test, written for torch; the test holds the same losses in mathjs syntax.
SCALAR_LOSSES = {
    "polynomial": lambda p: (p[0] ** 2 + p[1] ** 2 - 1) ** 2 + 0.5 * p[0] * p[1] ** 3,
    "explog": lambda p: torch.log(1 + torch.exp(-p[0] * p[1] + p[2])) + 0.25 * torch.exp(0.3 * p[2]) * p[0] ** 2 + 0.5 * p[1] ** 2,
    "sintanh": lambda p: torch.sin(p[0] + 0.5 * p[2]) * torch.tanh(p[1]) + 0.5 * (p[0] - p[1]) ** 2 + 0.2 * torch.tanh(p[0] * p[2]) ** 2,
}

out = {}
reference = json.load(open(sys.argv[2]))
for case in reference["scalar"]:
    module = eom_terms if case["method"] == "gd" else eg_terms
    loss = SCALAR_LOSSES[case["loss"]]
    params = [torch.tensor(x, dtype=F64) for x in case["point"]]
    xi = module.counter_terms(loss, params)
    for k, expected in enumerate(case["xi"]):
        got = [torch.cat([t.reshape(1) for t in xi[k]])]
        key = "scalar %s %s xi_%d" % (case["method"], case["loss"], k)
        out[key] = max(out.get(key, 0.0), rel(got, [torch.tensor(expected, dtype=F64)]))

# An MLP 3 -> 12 -> 12 -> 1 (tanh) on 8 points: 217 parameters.
X = torch.randn(8, 3, dtype=F64)
Y = torch.randn(8, 1, dtype=F64)
SHAPES = [(3, 12), (12,), (12, 12), (12,), (12, 1), (1,)]


def mlp_loss(p):
    W1, b1, W2, b2, W3, b3 = p
    h = torch.tanh(X @ W1 + b1)
    h = torch.tanh(h @ W2 + b2)
    return ((h @ W3 + b3 - Y) ** 2).mean()


params = [0.5 * torch.randn(s, dtype=F64) for s in SHAPES]
n = sum(p.numel() for p in params)
out["mlp parameters"] = n


def split(v):
    parts, i = [], 0
    for p in params:
        parts.append(v[i:i + p.numel()].reshape(p.shape))
        i += p.numel()
    return parts


# Dense reference: g, the full Hessian H and the full third-derivative tensor T by nested
# reverse mode (H row by row, T[i] = jacobian of row i), then the published closed forms by einsum.
theta = torch.cat([p.reshape(-1) for p in params]).requires_grad_(True)
g = torch.autograd.grad(mlp_loss(split(theta)), theta, create_graph=True)[0]
rows = [torch.autograd.grad(g[i], theta, create_graph=True, retain_graph=True)[0] for i in range(n)]
eye = torch.eye(n, dtype=F64)
T = torch.stack([torch.autograd.grad(r, theta, grad_outputs=eye, is_grads_batched=True, retain_graph=True)[0] for r in rows])
H = torch.stack(rows).detach()
g = g.detach()
out["dense symmetry"] = float(max((H - H.T).abs().max(), (T - T.permute(1, 0, 2)).abs().max(), (T - T.permute(2, 1, 0)).abs().max()))
D2 = lambda u, v: torch.einsum("ijk,j,k->i", T, u, v)  # noqa: E731  ∇³L[u, v]
Hg = H @ g
dense = [
    # ξ_0 = ½ H g and ξ_1 = ⅓ H²g + 1/12 ∇³L[g, g] (Miyagawa, NeurIPS 2022);
    # ξ_2 = ¼ H³g + 1/12 H ∇³L[g, g] + 1/12 ∇³L[H g, g] (docs/counter-terms.md, held there by the
    # independent Lie-series oracle of test/lie-series-oracle.test.ts).
    Hg / 2,
    H @ Hg / 3 + D2(g, g) / 12,
    H @ (H @ Hg) / 4 + H @ D2(g, g) / 12 + D2(Hg, g) / 12,
]
xi = eom_terms.counter_terms(mlp_loss, params, order=2)
for k in range(3):
    out["mlp xi_%d" % k] = rel([torch.cat([t.reshape(-1) for t in xi[k]])], [dense[k]])
    out["mlp xi_%d shapes" % k] = all(a.shape == p.shape and a.dtype == F64 for a, p in zip(xi[k], params))

# float32 follows the params' dtype and agrees with float64 to single precision.
X32, Y32 = X.float(), Y.float()


def mlp_loss_f32(p):
    W1, b1, W2, b2, W3, b3 = p
    h = torch.tanh(X32 @ W1 + b1)
    h = torch.tanh(h @ W2 + b2)
    return ((h @ W3 + b3 - Y32) ** 2).mean()


xi32 = eom_terms.counter_terms(mlp_loss_f32, [p.float() for p in params], order=2)
out["float32 dtype"] = all(t.dtype == torch.float32 for k in range(3) for t in xi32[k])
out["float32 vs float64"] = max(rel([t.double() for t in xi32[k]], xi[k]) for k in range(3))

# eom_field = -g - η ξ_0 - η² ξ_1 - η³ ξ_2, also under torch.no_grad(); order -1 is -g.
lr = 0.05
with torch.no_grad():
    field = eom_terms.eom_field(mlp_loss, params, lr, order=2)
    flow = eom_terms.eom_field(mlp_loss, params, lr, order=-1)
split_g = split(g)
expected = [-gj - lr * a - lr ** 2 * b - lr ** 3 * c for gj, a, b, c in zip(split_g, xi[0], xi[1], xi[2])]
out["eom_field"] = rel(field, expected)
out["gradient flow"] = rel(flow, [-gj for gj in split_g])

# modified_loss: -c ∇[L + η α/(2c) |g|²] is exactly the EoM_0 field; the caller's .grad is filled.
leaves = [p.clone().requires_grad_(True) for p in params]
eom_terms.counter_terms(mlp_loss, leaves, order=1)
out["counter_terms leaves .grad untouched"] = all(p.grad is None for p in leaves)
eom_terms.modified_loss(mlp_loss, leaves, lr).backward()
field0 = eom_terms.eom_field(mlp_loss, params, lr, order=0)
out["modified_loss"] = rel([-float(eom_terms.LEADING) * p.grad for p in leaves], field0)
out["has modified_loss"] = [hasattr(m, "modified_loss") for m in (eom_terms, eg_terms)]

# A loss whose third derivative vanishes (constant Hessian) and an unused parameter.
A = torch.tensor([[2.0, 0.5], [0.5, 1.0]], dtype=F64)
w, unused = torch.tensor([0.3, -0.7], dtype=F64), torch.tensor([1.0], dtype=F64)
xq = eom_terms.counter_terms(lambda p: 0.5 * p[0] @ A @ p[0], [w, unused])
gq = A @ w
# Quadratic loss: ξ_k = H^(k+1) g / (k+2) exactly (GD is linear; log(1 - ηA) series).
out["quadratic"] = max(rel([xq[k][0]], [torch.matrix_power(A, k + 1) @ gq / (k + 2)]) for k in range(4))
out["unused parameter"] = max(float(xq[k][1].abs().max()) for k in range(4))

print(json.dumps(out))
