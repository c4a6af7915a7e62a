"""Checks of exported SGD modules (run by test/export-sgd.test.ts with Debian's python3).

usage: sgd_export_checks.py <folder with sgd_shuffle.py and sgd_cyclic.py> <reference.json>
reference.json: the batch losses as polynomial terms [num, den, a, b] (num/den * x^a * y^b), and
eomkit's closed forms of xi_0 .. xi_2 at points for prefixes of the batch list (m = 1, 2, 3).
Prints one JSON object: for every check, the largest relative error found (or a flag).
"""
import json
import sys
from fractions import Fraction

import torch

sys.path.insert(0, sys.argv[1])
import sgd_cyclic  # noqa: E402  (order 2)
import sgd_shuffle  # noqa: E402  (order 2)

MODULES = {"cyclic": sgd_cyclic, "shuffle": sgd_shuffle}
F64 = torch.float64


def rel(a, b):
    """max |a - b| / max(1, max |b|) over lists of tensors."""
    scale = max(1.0, max(float(t.abs().max()) for t in b))
    return max(float((x - y).abs().max()) for x, y in zip(a, b)) / scale


def polynomial_loss(terms):
    # params = [x, y], two 0-d tensors; the coefficients are exact fractions rounded once
    coefs = [(float(Fraction(n, d)), a, b) for n, d, a, b in terms]
    return lambda p: sum(c * p[0] ** a * p[1] ** b for c, a, b in coefs)


def dense(loss, point):
    """g and H of one batch loss at point, by torch.autograd.functional (dense, 2 parameters)."""
    f = lambda v: loss([v[0], v[1]])
    v = torch.tensor(point, dtype=F64)
    return torch.autograd.functional.jacobian(f, v), torch.autograd.functional.hessian(f, v)


reference = json.load(open(sys.argv[2]))
losses = [polynomial_loss(t) for t in reference["batches"]]
out = {}


def worst(key, value):
    out[key] = max(out.get(key, 0.0), value)


for case in reference["cases"]:
    module = MODULES[case["sampling"]]
    batch = losses[: case["m"]]
    params = [torch.tensor(x, dtype=F64) for x in case["point"]]
    xi = module.counter_terms(batch, params)
    for k, expected in enumerate(case["xi"]):
        worst("%s m=%d xi_%d" % (case["sampling"], case["m"], k), rel(xi[k], [torch.tensor(e, dtype=F64) for e in expected]))
    out["shapes"] = out.get("shapes", True) and all(t.shape == p.shape and t.dtype == F64 for row in xi for t, p in zip(row, params))

    # Hand checks of xi_0 (Smith et al., ICLR 2021; docs/design.md (3.10)) from dense Hessians.
    m = case["m"]
    gh = [dense(f, case["point"]) for f in batch]
    smith = sum(h @ g for g, h in gh) / (2 * m)
    if case["sampling"] == "cyclic":
        smith = smith + sum(gh[j][1] @ gh[k][0] - gh[k][1] @ gh[j][0] for j in range(m) for k in range(j + 1, m)) / (2 * m)
    worst("%s xi_0 by hand" % case["sampling"], rel([xi[0][0], xi[0][1]], [smith[0], smith[1]]))

    # eom_field = -g - lr xi_0 - lr^2 xi_1 - lr^3 xi_2, g the mean gradient (dense); order -1: -g
    lr = 0.01
    g = sum(gv for gv, _ in gh) / m
    field = module.eom_field(batch, params, lr)
    want = [-g[i] - lr * xi[0][i] - lr ** 2 * xi[1][i] - lr ** 3 * xi[2][i] for i in range(2)]
    worst("eom_field", rel(field, want))
    worst("gradient flow", rel(module.eom_field(batch, params, lr, order=-1), [-g[0], -g[1]]))

# One parameter tensor of shape (2,) instead of two scalars: the same terms, shaped like it
packed = [lambda p, f=f: f([p[0][0], p[0][1]]) for f in losses]
v = torch.tensor([0.4, -0.6], dtype=F64)
split = sgd_cyclic.counter_terms(losses, [v[0].clone(), v[1].clone()])
joint = sgd_cyclic.counter_terms(packed, [v])
out["vector params"] = max(rel([row[0]], [torch.stack(s)]) for row, s in zip(joint, split))
out["vector shapes"] = all(row[0].shape == v.shape for row in joint)

# float32 params give float32 terms
x32 = [torch.tensor(0.4, dtype=torch.float32), torch.tensor(-0.6, dtype=torch.float32)]
t32 = sgd_shuffle.counter_terms(losses, x32, order=1)
out["float32 dtype"] = all(t.dtype == torch.float32 for row in t32 for t in row)
t64 = sgd_shuffle.counter_terms(losses, [t.double() for t in x32], order=1)
out["float32 vs float64"] = max(rel([a.double() for a in r32], r64) for r32, r64 in zip(t32, t64))

# The caller's tensors keep their .grad
w = [torch.tensor(0.4, dtype=F64, requires_grad=True), torch.tensor(-0.6, dtype=F64, requires_grad=True)]
sgd_cyclic.counter_terms(losses, w)
out["grad untouched"] = all(p.grad is None for p in w)


def refusal(call):
    try:
        call()
    except (ValueError, TypeError) as e:
        return "%s: %s" % (type(e).__name__, e)
    return None


point = [torch.tensor(0.4, dtype=F64), torch.tensor(-0.6, dtype=F64)]
for order, limit in enumerate(sgd_shuffle.MAX_BATCHES):
    many = [losses[i % 3] for i in range(limit + 1)]
    out["refuses %d batches at order %d" % (limit + 1, order)] = refusal(lambda: sgd_shuffle.counter_terms(many, point, order=order))
out["max batches"] = list(sgd_shuffle.MAX_BATCHES)
# The limit itself is allowed: 64 batches (the three losses repeated) at order 0, against the
# Smith et al. form (1/(2m)) sum_k H_k g_k from dense Hessians
limit = sgd_shuffle.MAX_BATCHES[0]
many = [losses[i % 3] for i in range(limit)]
gh = [dense(f, [0.4, -0.6]) for f in losses]
smith = sum(gh[i % 3][1] @ gh[i % 3][0] for i in range(limit)) / (2 * limit)
xi0 = sgd_shuffle.counter_terms(many, point, order=0)[0]
out["%d batches at order 0" % limit] = rel(xi0, [smith[0], smith[1]])
out["refuses an empty list"] = refusal(lambda: sgd_shuffle.counter_terms([], point))
out["refuses one function"] = refusal(lambda: sgd_shuffle.counter_terms(losses[0], point))
out["refuses order 3"] = refusal(lambda: sgd_shuffle.counter_terms(losses, point, order=3))
out["refuses a vector loss"] = refusal(lambda: sgd_shuffle.counter_terms([lambda p: torch.stack(p)], point))

print(json.dumps(out))
