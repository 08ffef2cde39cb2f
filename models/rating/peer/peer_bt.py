#!/usr/bin/python3
"""Speed and accuracy peer for Arena's ranking math.

A re-implementation of the method public arenas publish for their
Bradley-Terry leaderboards, so Arena's figures can be checked against it on
the same votes in the same minutes:

  * votes are aggregated into cells (model a, model b, outcome) with counts;
  * the fit minimises the weighted logistic loss on the Elo scale
    (400 * log10-odds) with L-BFGS, a tie or both-bad counting as half a win
    for each side, and the scores are centred on 1000;
  * the 95% intervals come from a bootstrap that redraws the cell counts
    from a multinomial with the observed shares, one L-BFGS fit per round,
    rounds spread over every core.

usage: peer_bt.py VOTES.jsonl [ROUNDS]

VOTES.jsonl is in the public battle format (model_a, model_b, winner), as
`arena bench battles` writes it. Prints one JSON object:
{"scores": {model: score}, "ci": {model: [lower, upper]},
 "seconds": {"load": s, "fit": s, "bootstrap": s, "rounds": ROUNDS}}.
A round costs the same whatever the number of votes, so time 100 rounds and
scale. Needs Debian's python3-numpy and python3-scipy.
"""
import json
import math
import os
import sys
import time
from multiprocessing import Pool

import numpy as np
from scipy.optimize import minimize

LN10_OVER_400 = math.log(10.0) / 400.0
WIN = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5, "tie (bothbad)": 0.5}


def read_cells(path):
    """Aggregates the votes into cells: rows (i, j, y) with their counts."""
    index, counts = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            v = json.loads(line)
            a = index.setdefault(v["model_a"], len(index))
            b = index.setdefault(v["model_b"], len(index))
            key = (a, b, WIN[v["winner"]])
            counts[key] = counts.get(key, 0) + 1
    keys = np.array(sorted(counts), dtype=float).reshape(-1, 3)
    n = np.array([counts[tuple(k)] for k in sorted(counts)], dtype=float)
    names = sorted(index, key=index.get)
    return keys[:, 0].astype(int), keys[:, 1].astype(int), keys[:, 2], n, names


def neg_log_likelihood(scores, i, j, y, n):
    """Weighted logistic loss of the cells and its gradient, scores in Elo points."""
    z = LN10_OVER_400 * (scores[i] - scores[j])
    # log(1 + e^-z) and log(1 + e^z), computed without overflow.
    loss = np.sum(n * (y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)))
    p = 0.5 * (1.0 + np.tanh(0.5 * z))  # the logistic function, stable
    g = n * (p - y) * LN10_OVER_400
    m = len(scores)
    grad = np.bincount(i, weights=g, minlength=m) - np.bincount(j, weights=g, minlength=m)
    return loss, grad


def fit(i, j, y, n, m):
    """Maximum-likelihood scores, centred on 1000."""
    res = minimize(neg_log_likelihood, np.zeros(m), args=(i, j, y, n), jac=True,
                   method="L-BFGS-B", options={"maxiter": 200, "gtol": 1e-6})
    return res.x - res.x.mean() + 1000.0


_CELLS = {}


def _init(i, j, y, m):
    _CELLS.update(i=i, j=j, y=y, m=m)


def _one_round(n):
    c = _CELLS
    return fit(c["i"], c["j"], c["y"], n, c["m"])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    rounds = int(sys.argv[2]) if len(sys.argv) == 3 else 0

    t0 = time.perf_counter()
    i, j, y, n, names = read_cells(sys.argv[1])
    m = len(names)
    t1 = time.perf_counter()
    scores = fit(i, j, y, n, m)
    t2 = time.perf_counter()

    ci = {}
    if rounds > 0:
        total = int(n.sum())
        draws = np.random.default_rng(1).multinomial(total, n / total, size=rounds).astype(float)
        with Pool(os.cpu_count(), initializer=_init, initargs=(i, j, y, m)) as pool:
            boot = np.array(pool.map(_one_round, list(draws)))
        lower = np.percentile(boot, 2.5, axis=0)
        upper = np.percentile(boot, 97.5, axis=0)
        ci = {name: [float(lower[k]), float(upper[k])] for k, name in enumerate(names)}
    t3 = time.perf_counter()

    json.dump({"scores": {name: float(scores[k]) for k, name in enumerate(names)}, "ci": ci,
               "seconds": {"load": t1 - t0, "fit": t2 - t1, "bootstrap": t3 - t2, "rounds": rounds}},
              sys.stdout)
    print()


if __name__ == "__main__":
    main()
