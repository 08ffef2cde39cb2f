#!/usr/bin/env python3
"""Style-controlled Bradley-Terry the way the published method computes it.

A peer for Arena's Go implementation (models/rating, ComputeStyle): one row
per vote, the features standardised over the votes, an L-BFGS fit of the
penalised log-likelihood, and a bootstrap that resamples the votes with
replacement and refits with L-BFGS in every round. It is deliberately the
straightforward method, not a tuned one: the Go benchmark is compared with it.

Usage:
    style_peer.py VOTES.jsonl ROUNDS > peer.json

VOTES.jsonl holds one vote a line in Arena's export format:
{"model_a", "model_b", "winner": "model_a" | "model_b" | "tie" |
"tie (bothbad)", "style": {"a": {"duration_s", "motion", "brightness",
"saturation", "has_audio"}, "b": {...}}}. Votes without "style" are skipped,
as on Arena's style board.

It prints JSON: "scores" (400·r centred on a mean of 1000), "ci" (2.5th and
97.5th percentiles over ROUNDS rounds), "gamma" and "gamma_ci" per kept
feature, and "seconds": load, fit, bootstrap (the ROUNDS rounds) and rounds.
"""
import json
import math
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit, log_expit

FEATURES = ["duration_s", "motion", "brightness", "saturation", "has_audio"]
BINARY = {"has_audio"}
PENALTY = 0.25  # on every parameter: 0.25 * (sum r^2 + sum gamma^2)
ALPHA = math.log(10.0)


def load(path):
    names, index = [], {}
    a_idx, b_idx, ys, fa, fb = [], [], [], [], []
    outcome = {"model_a": 1.0, "model_b": 0.0, "tie": 0.5, "tie (bothbad)": 0.5}
    with open(path) as f:
        for line in f:
            v = json.loads(line)
            if "style" not in v:
                continue
            for m in (v["model_a"], v["model_b"]):
                if m not in index:
                    index[m] = len(names)
                    names.append(m)
            a_idx.append(index[v["model_a"]])
            b_idx.append(index[v["model_b"]])
            ys.append(outcome[v["winner"]])
            fa.append([v["style"]["a"][k] for k in FEATURES])
            fb.append([v["style"]["b"][k] for k in FEATURES])
    fa, fb = np.array(fa, dtype=float), np.array(fb, dtype=float)
    d = np.empty_like(fa)
    for f, name in enumerate(FEATURES):
        if name in BINARY:
            d[:, f] = fa[:, f] - fb[:, f]
        else:
            d[:, f] = (fa[:, f] - fb[:, f]) / (fa[:, f] + fb[:, f] + 1)
    mean, sd = d.mean(axis=0), d.std(axis=0)
    kept = [f for f in range(len(FEATURES)) if sd[f] > 1e-12]
    x = (d[:, kept] - mean[kept]) / sd[kept]
    return names, np.array(a_idx), np.array(b_idx), np.array(ys), x, [FEATURES[f] for f in kept]


def fit(m, a, b, y, x, start=None):
    n_feat = x.shape[1]

    def loss_and_grad(theta):
        r, gamma = theta[:m], theta[m:]
        z = ALPHA * (r[a] - r[b]) + x @ gamma
        loss = -np.sum(y * log_expit(z) + (1 - y) * log_expit(-z)) + PENALTY * theta @ theta
        res = y - expit(z)
        g_r = np.bincount(a, weights=res, minlength=m) - np.bincount(b, weights=res, minlength=m)
        grad = -np.concatenate([ALPHA * g_r, x.T @ res]) + 2 * PENALTY * theta
        return loss, grad

    theta0 = np.zeros(m + n_feat) if start is None else start
    out = minimize(loss_and_grad, theta0, jac=True, method="L-BFGS-B",
                   options={"maxiter": 1000, "gtol": 1e-6, "ftol": 1e-12})
    return out.x


def scores_of(theta, m):
    s = 400 * theta[:m]
    return s - s.mean() + 1000


def main():
    path, rounds = sys.argv[1], int(sys.argv[2])
    t0 = time.perf_counter()
    names, a, b, y, x, kept = load(path)
    m = len(names)
    t1 = time.perf_counter()
    theta = fit(m, a, b, y, x)
    t2 = time.perf_counter()
    rng = np.random.default_rng(1)
    n = len(y)
    boot_s, boot_g = [], []
    for _ in range(rounds):
        idx = rng.integers(0, n, n)
        th = fit(m, a[idx], b[idx], y[idx], x[idx])
        boot_s.append(scores_of(th, m))
        boot_g.append(th[m:])
    t3 = time.perf_counter()
    s = scores_of(theta, m)
    out = {
        "scores": {names[i]: s[i] for i in range(m)},
        "gamma": {kept[f]: theta[m + f] for f in range(len(kept))},
        "seconds": {"load": t1 - t0, "fit": t2 - t1, "bootstrap": t3 - t2, "rounds": rounds},
    }
    if rounds:
        lo, hi = np.percentile(np.array(boot_s), [2.5, 97.5], axis=0)
        glo, ghi = np.percentile(np.array(boot_g), [2.5, 97.5], axis=0)
        out["ci"] = {names[i]: [lo[i], hi[i]] for i in range(m)}
        out["gamma_ci"] = {kept[f]: [glo[f], ghi[f]] for f in range(len(kept))}
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
