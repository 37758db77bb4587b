"""Reference Spearman correlation and SSIM of two maps with numpy.

SSIM follows scikit-image's structural_similarity defaults (Wang et al. 2004): 7x7 uniform window, sample
covariance (N-1), data_range 1, K1 0.01, K2 0.03, mean over windows fully inside the map; maps are min-max scaled to
[0, 1] first (constant → 0). Spearman is the Pearson correlation of average ranks.
Usage: map_similarity_oracle.py maps.json  ({"a": [...], "b": [...], "h": H, "w": W}) → "spearman ssim".
"""
import json
import sys

import numpy as np


def average_ranks(x):
    values, inverse, counts = np.unique(x, return_inverse=True, return_counts=True)
    ends = np.cumsum(counts)
    starts = ends - counts + 1
    return ((starts + ends) / 2.0)[inverse]


def spearman(a, b):
    ra, rb = average_ranks(a), average_ranks(b)
    ra, rb = ra - ra.mean(), rb - rb.mean()
    denom = np.sqrt((ra * ra).sum() * (rb * rb).sum())
    return 0.0 if denom == 0 else float((ra * rb).sum() / denom)


def scaled(m):
    lo, hi = m.min(), m.max()
    return np.zeros_like(m) if hi == lo else (m - lo) / (hi - lo)


def ssim(a, b, win=7):
    x, y = scaled(a), scaled(b)
    wx = np.lib.stride_tricks.sliding_window_view(x, (win, win))
    wy = np.lib.stride_tricks.sliding_window_view(y, (win, win))
    n = win * win
    mx, my = wx.mean(axis=(2, 3)), wy.mean(axis=(2, 3))
    vx = ((wx - mx[..., None, None]) ** 2).sum(axis=(2, 3)) / (n - 1)
    vy = ((wy - my[..., None, None]) ** 2).sum(axis=(2, 3)) / (n - 1)
    cxy = ((wx - mx[..., None, None]) * (wy - my[..., None, None])).sum(axis=(2, 3)) / (n - 1)
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = (2 * mx * my + c1) * (2 * cxy + c2) / ((mx ** 2 + my ** 2 + c1) * (vx + vy + c2))
    return float(s.mean())


def main():
    d = json.load(open(sys.argv[1]))
    a = np.array(d["a"], dtype=np.float64).reshape(d["h"], d["w"])
    b = np.array(d["b"], dtype=np.float64).reshape(d["h"], d["w"])
    print(repr(spearman(a.ravel(), b.ravel())), repr(ssim(a, b)))


main()
