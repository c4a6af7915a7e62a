"""The peer for `npm run bench`: counter terms xi_0 .. xi_K of a 2-variable polynomial loss with
SymPy, the way a careful user would write them by hand (no eomkit code): differentiate the loss,
contract the derivative tensors with the published formulas of docs/counter-terms.md, expand.

    python3 bench/sympy_peer.py K "<loss in x, y>"     (K = 2 or 4)

Prints each component of each xi_k, expanded, one per line (as `eom derive --loss` prints its
closed forms). Timed by the bench as a fresh process, interpreter start-up and `import sympy`
included, beside a fresh `eom derive --loss`.
"""
import sys
from itertools import product

import sympy as sp

K = int(sys.argv[1])
x, y = sp.symbols("x y")
V = (x, y)
L = sp.sympify(sys.argv[2].replace("^", "**"), locals={"x": x, "y": y}, rational=True)
n = len(V)

g = [sp.expand(sp.diff(L, v)) for v in V]
# Derivative tensors D^m g (m = 1 .. K+1), each entry computed once from the previous one.
D = {0: {(i,): g[i] for i in range(n)}}
for m in range(1, K + 2):
    D[m] = {}
    for idx in product(range(n), repeat=m + 1):
        key = (idx[0],) + tuple(sorted(idx[1:]))
        if key not in D[m]:
            D[m][key] = sp.expand(sp.diff(D[m - 1][(idx[0],) + tuple(sorted(idx[1:-1]))], V[idx[-1]]))


def Dg(*vs):
    """D^m g[v_1, ..., v_m] = nabla^{m+1} L[v_1, ..., v_m] as a vector (m = len(vs) >= 1)."""
    m = len(vs)
    out = []
    for i in range(n):
        s = 0
        for idx in product(range(n), repeat=m):
            term = D[m][(i,) + tuple(sorted(idx))]
            for v, j in zip(vs, idx):
                term = term * v[j]
            s += term
        out.append(sp.expand(s))
    return out


def H(v):
    return Dg(v)


def lin(*pairs):
    """sum of c * vector."""
    return [sp.expand(sum(sp.Rational(c) * v[i] for c, v in pairs)) for i in range(n)]


R = sp.Rational
Hg = H(g)
H2g = H(Hg)
T_gg = Dg(g, g)
xi = [lin((R(1, 2), Hg))]
if K >= 1:
    xi.append(lin((R(1, 3), H2g), (R(1, 12), T_gg)))
if K >= 2:
    H3g = H(H2g)
    HT_gg = H(T_gg)
    T_Hg_g = Dg(Hg, g)
    xi.append(lin((R(1, 4), H3g), (R(1, 12), HT_gg), (R(1, 12), T_Hg_g)))
if K >= 3:
    H4g = H(H3g)
    H2T_gg = H(HT_gg)
    HT_Hg_g = H(T_Hg_g)
    T_H2g_g = Dg(H2g, g)
    Q_ggg = Dg(g, g, g)
    HQ_ggg = H(Q_ggg)
    T_Tgg_g = Dg(T_gg, g)
    T_Hg_Hg = Dg(Hg, Hg)
    Q_Hg_g_g = Dg(Hg, g, g)
    P_gggg = Dg(g, g, g, g)
    xi.append(
        lin(
            (R(1, 5), H4g),
            (R(3, 40), H2T_gg),
            (R(1, 10), HT_Hg_g),
            (R(1, 20), T_H2g_g),
            (R(1, 180), HQ_ggg),
            (R(1, 120), T_Tgg_g),
            (R(1, 60), T_Hg_Hg),
            (R(-1, 120), Q_Hg_g_g),
            (R(-1, 720), P_gggg),
        )
    )
if K >= 4:
    xi.append(
        lin(
            (R(1, 6), H(H4g)),
            (R(1, 15), H(H2T_gg)),
            (R(1, 10), H(HT_Hg_g)),
            (R(1, 15), H(T_H2g_g)),
            (R(1, 30), Dg(H3g, g)),
            (R(1, 120), H(HQ_ggg)),
            (R(1, 60), H(T_Tgg_g)),
            (R(1, 120), Dg(HT_gg, g)),
            (R(1, 40), H(T_Hg_Hg)),
            (R(1, 60), Dg(H2g, Hg)),
            (R(-1, 120), Dg(H2g, g, g)),
            (R(-1, 720), H(P_gggg)),
            (R(-1, 360), Dg(Q_ggg, g)),
            (R(-1, 240), Dg(T_gg, g, g)),
            (R(-1, 120), Dg(Hg, Hg, g)),
            (R(-1, 360), Dg(Hg, g, g, g)),
        )
    )
if K > 4:
    sys.exit("this peer writes the published formulas through xi_4 only")

for k, comps in enumerate(xi):
    for v, c in zip(V, comps):
        print(f"xi_{k} {v}: {c}")
