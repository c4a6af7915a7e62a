"""Timing of the exported module for `npm run bench` (bench/pytorchBench.ts runs it with Debian's python3).

usage: pytorch_timing.py <folder with eom_terms.py>
Prints JSON: for each MLP, the median time of one gradient (loss + backward) and of
counter_terms(order=0) and counter_terms(order=1), and the median of the per-round ratios.
"""
import json
import math
import statistics
import sys
import time

import torch

sys.path.insert(0, sys.argv[1])
import eom_terms  # noqa: E402

torch.set_num_threads(1)  # one core: shared machines, comparable figures
torch.manual_seed(0)


def mlp(sizes, points):
    X = torch.randn(points, sizes[0], dtype=torch.float64)
    Y = torch.randn(points, sizes[-1], dtype=torch.float64)
    params = []
    for a, b in zip(sizes[:-1], sizes[1:]):
        params += [torch.randn(a, b, dtype=torch.float64) / math.sqrt(a), torch.zeros(b, dtype=torch.float64)]

    def loss_fn(p):
        h = X
        for i in range(0, len(p) - 2, 2):
            h = torch.tanh(h @ p[i] + p[i + 1])
        return ((h @ p[-2] + p[-1] - Y) ** 2).mean()

    return loss_fn, params


def gradient(loss_fn, params):
    leaves = [p.detach().requires_grad_(True) for p in params]
    return torch.autograd.grad(loss_fn(leaves), leaves)


def seconds(f):
    t = time.perf_counter()
    f()
    return time.perf_counter() - t


out = []
for name, sizes, points, rounds in [("2-32-32-1, 64 points", [2, 32, 32, 1], 64, 60), ("16-256-256-1, 1024 points", [16, 256, 256, 1], 1024, 15)]:
    loss_fn, params = mlp(sizes, points)
    for _ in range(3):  # warm-up
        gradient(loss_fn, params)
        eom_terms.counter_terms(loss_fn, params, order=1)
    g, x0, x1 = [], [], []
    for _ in range(rounds):
        g.append(seconds(lambda: gradient(loss_fn, params)))
        x0.append(seconds(lambda: eom_terms.counter_terms(loss_fn, params, order=0)))
        x1.append(seconds(lambda: eom_terms.counter_terms(loss_fn, params, order=1)))
    out.append({
        "mlp": name,
        "parameters": sum(p.numel() for p in params),
        "gradientMs": 1e3 * statistics.median(g),
        "xi0Ms": 1e3 * statistics.median(x0),
        "xi1Ms": 1e3 * statistics.median(x1),
        "xi0Ratio": statistics.median(a / b for a, b in zip(x0, g)),
        "xi1Ratio": statistics.median(a / b for a, b in zip(x1, g)),
    })
print(json.dumps({"torch": torch.__version__, "cases": out}))
