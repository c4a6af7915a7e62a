"""The paper's experiment in miniature: a small MLP trained by full-batch gradient descent (GD),
beside gradient flow (GF) and the equations of motion EoM_0, EoM_1, EoM_2 integrated with the field
of the module `eom export pytorch` writes.

    npx eom export pytorch --order 3 --out examples/pytorch/eom_terms.py --force
    /usr/bin/python3 examples/pytorch/mlp_eom.py            # writes the CSVs and results.txt here
    node examples/pytorch/plot.mjs                          # draws the SVG figures from the CSVs

Options: --quick (a short trajectory, for the test), --module DIR (where eom_terms.py is),
--out DIR (where the outputs go). Prints the fitted slopes as JSON on stdout.

Local error: one GD step from theta0 against each flow over time lr; EoM_j misses it by
lr^(j+3) |xi_(j+1)(theta0)| + O(lr^(j+4)) (GF: lr^2 |xi_0|), so the log-log slopes are 2, 3, 4, 5.
Flows are integrated by classical RK4 with small substeps in float64; data are generated here.
"""
import argparse
import json
import math
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
parser.add_argument("--quick", action="store_true")
parser.add_argument("--module", default=here)
parser.add_argument("--out", default=here)
args = parser.parse_args()
sys.path.insert(0, args.module)
import eom_terms  # noqa: E402

torch.manual_seed(0)
F64 = torch.float64
ORDERS = [-1, 0, 1, 2]  # GF = EoM_-1
NAMES = {-1: "GF", 0: "EoM_0", 1: "EoM_1", 2: "EoM_2"}

# Data: 64 points in the square, a smooth target; an MLP 2 -> 32 -> 32 -> 1 with tanh (1185 parameters).
X = 2 * torch.rand(64, 2, dtype=F64) - 1
Y = (torch.sin(math.pi * X[:, :1]) * torch.cos(math.pi * X[:, 1:]))
SIZES = [2, 32, 32, 1]
theta0 = []
for a, b in zip(SIZES[:-1], SIZES[1:]):
    theta0 += [torch.randn(a, b, dtype=F64) / math.sqrt(a), torch.zeros(b, dtype=F64)]
N_PARAMS = sum(p.numel() for p in theta0)


def loss_fn(p):
    h = X
    for i in range(0, len(p) - 2, 2):
        h = torch.tanh(h @ p[i] + p[i + 1])
    return ((h @ p[-2] + p[-1] - Y) ** 2).mean()


def gradient(p):
    leaves = [t.detach().requires_grad_(True) for t in p]
    with torch.enable_grad():
        return list(torch.autograd.grad(loss_fn(leaves), leaves))


def norm(v):
    return math.sqrt(sum(float((t * t).sum()) for t in v))


def sub(a, b):
    return [x - y for x, y in zip(a, b)]


def top_eigenvalue(p, iterations=60):
    """Largest |eigenvalue| of H(p) by power iteration on Hessian-vector products."""
    v = [torch.randn_like(t) for t in p]
    lam = 0.0
    for _ in range(iterations):
        s = norm(v)
        v = [t / s for t in v]
        leaves = [t.detach().requires_grad_(True) for t in p]
        with torch.enable_grad():
            g = torch.autograd.grad(loss_fn(leaves), leaves, create_graph=True)
            hv = torch.autograd.grad(sum((a * b).sum() for a, b in zip(g, v)), leaves)
        lam = sum(float((a * b).sum()) for a, b in zip(hv, v))
        v = list(hv)
    return abs(lam)


def flow(theta, lr, order, time, substeps):
    """theta(time) of dtheta/dt = eom_field(order) by classical RK4 with `substeps` steps."""
    f = lambda p: eom_terms.eom_field(loss_fn, p, lr, order=order)  # noqa: E731
    h = time / substeps
    p = [t.clone() for t in theta]
    for _ in range(substeps):
        k1 = f(p)
        k2 = f([a + h / 2 * b for a, b in zip(p, k1)])
        k3 = f([a + h / 2 * b for a, b in zip(p, k2)])
        k4 = f([a + h * b for a, b in zip(p, k3)])
        p = [a + h / 6 * (b + 2 * c + 2 * d + e) for a, b, c, d, e in zip(p, k1, k2, k3, k4)]
    return p


def slope(xs, ys):
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


lam = top_eigenvalue(theta0)
lrs = [c / lam for c in (0.16, 0.08, 0.04, 0.02)]
g0 = gradient(theta0)
xi0 = eom_terms.counter_terms(loss_fn, theta0, order=3)
predicted_norm = {j: norm(xi0[j + 1]) for j in ORDERS}  # |xi_(j+1)(theta0)|

# Local errors: one GD step against each flow over time lr (RK4, 8 substeps).
local = {j: [] for j in ORDERS}
for lr in lrs:
    gd1 = [a - lr * b for a, b in zip(theta0, g0)]
    for j in ORDERS:
        local[j].append(norm(sub(flow(theta0, lr, j, lr, 8), gd1)))
slopes = {NAMES[j]: slope(lrs, local[j]) for j in ORDERS}
ratios = {NAMES[j]: local[j][-1] / (lrs[-1] ** (j + 3) * predicted_norm[j]) for j in ORDERS}

# Trajectories: GD and each flow sampled at t = n lr (RK4, 4 substeps per step).
lr = 0.1 / lam
steps = 5 if args.quick else 100
gd = [t.clone() for t in theta0]
flows = {j: [t.clone() for t in theta0] for j in ORDERS}
distance = [[0.0] * len(ORDERS)]
for n in range(1, steps + 1):
    gd = [a - lr * b for a, b in zip(gd, gradient(gd))]
    for j in ORDERS:
        flows[j] = flow(flows[j], lr, j, lr, 4)
    distance.append([norm(sub(flows[j], gd)) for j in ORDERS])

os.makedirs(args.out, exist_ok=True)
with open(os.path.join(args.out, "local_errors.csv"), "w") as f:
    f.write("lr," + ",".join(NAMES[j] for j in ORDERS) + "\n")
    for i, x in enumerate(lrs):
        f.write("%.6e," % x + ",".join("%.6e" % local[j][i] for j in ORDERS) + "\n")
with open(os.path.join(args.out, "distance.csv"), "w") as f:
    f.write("step," + ",".join(NAMES[j] for j in ORDERS) + "\n")
    for n, row in enumerate(distance):
        f.write("%d," % n + ",".join("%.6e" % d for d in row) + "\n")
lines = [
    "MLP 2-32-32-1 (tanh), %d parameters, 64 points, float64; |lambda|max(H(theta0)) = %.4f" % (N_PARAMS, lam),
    "Module: %s, method %s, order %d (eomkit %s); flows by RK4 with small substeps." % (
        "eom_terms.py", eom_terms.METHOD, eom_terms.ORDER, eom_terms.EOMKIT_VERSION),
    "",
    "Local error |theta_flow(lr) - theta_GD,1| after one step:",
    "%12s" % "lr" + "".join("%12s" % NAMES[j] for j in ORDERS),
]
lines += ["%12.4e" % x + "".join("%12.3e" % local[j][i] for j in ORDERS) for i, x in enumerate(lrs)]
lines += [
    "%12s" % "slope" + "".join("%12.3f" % slopes[NAMES[j]] for j in ORDERS),
    "%12s" % "predicted" + "".join("%12d" % (j + 3) for j in ORDERS),
    "%12s" % "ratio" + "".join("%12.3f" % ratios[NAMES[j]] for j in ORDERS),
    "(ratio: measured / lr^(j+3) |xi_(j+1)(theta0)| at the smallest lr; it tends to 1)",
    "",
    "Distance to GD, lr = 0.1/|lambda|max = %.4e:" % lr,
    "%12s" % "step" + "".join("%12s" % NAMES[j] for j in ORDERS),
]
lines += ["%12d" % n + "".join("%12.3e" % d for d in row) for n, row in enumerate(distance) if n % max(1, steps // 10) == 0]
with open(os.path.join(args.out, "results.txt"), "w") as f:
    f.write("\n".join(lines) + "\n")
print(json.dumps({"parameters": N_PARAMS, "slopes": slopes, "ratios": ratios, "final_distance": dict(zip([NAMES[j] for j in ORDERS], distance[-1]))}))
