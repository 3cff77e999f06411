#!/usr/bin/python3
"""The committed point set for the KDE golden tests (numpy only, fixed seed).

1,200 clustered points (three Gaussian clusters + 25 % uniform background) in the
400 m x 400 m window x in [560000, 560400), y in [6700000, 6700400) (SWEREF99 TM
metres, so QGIS's Float32 sums see realistic coordinate magnitudes), rounded to 1 cm,
with a weight column w (0.5 .. 5.0 in steps of 0.5).

Writes points.csv (x,y,w; the C++ tests read it), points.geojson (QGIS's input, not
committed) and
silverman.json: ArcGIS's spatial Silverman radius computed here with numpy, independently
of trygg (METHODS.md section 3):
  r = 0.9 * min(SD, sqrt(1/ln 2) * Dm) * n^-0.2
SD = standard distance from the (weighted) mean centre, Dm = (weighted) median distance
to it (an exact tie at half the weight averages the two middle distances), n = number of points (sum of weights when weighted).
"""
import json
import os
import sys

import numpy as np

X0, Y0, SIDE = 560000.0, 6700000.0, 400.0
N = 1200
out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20260611)
centres = [(120.0, 110.0, 25.0), (280.0, 250.0, 45.0), (150.0, 310.0, 15.0)]
share = [0.30, 0.30, 0.15]
xs, ys = [], []
for (cx, cy, s), p in zip(centres, share):
    k = int(N * p)
    xs.append(rng.normal(cx, s, k)); ys.append(rng.normal(cy, s, k))
k = N - sum(int(N * p) for p in share)
xs.append(rng.uniform(0, SIDE, k)); ys.append(rng.uniform(0, SIDE, k))
x = np.concatenate(xs); y = np.concatenate(ys)
# keep inside [0, SIDE) after rounding; redraw outliers uniformly (deterministic)
bad = ~((x >= 0) & (x < SIDE - 0.01) & (y >= 0) & (y < SIDE - 0.01))
x[bad] = rng.uniform(0, SIDE - 0.01, bad.sum()); y[bad] = rng.uniform(0, SIDE - 0.01, bad.sum())
x = np.round(X0 + x, 2); y = np.round(Y0 + y, 2)
w = rng.integers(1, 11, N) * 0.5
with open(os.path.join(out, "points.csv"), "w") as f:
    f.write("x,y,w\n")
    for a, b, c in zip(x, y, w):
        f.write(f"{a:.2f},{b:.2f},{c:.1f}\n")
feats = [{"type": "Feature", "properties": {"w": float(c)},
          "geometry": {"type": "Point", "coordinates": [float(f"{a:.2f}"), float(f"{b:.2f}")]}}
         for a, b, c in zip(x, y, w)]
with open(os.path.join(out, "points.geojson"), "w") as f:
    json.dump({"type": "FeatureCollection",
               "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3006"}},
               "features": feats}, f)


def silverman(x, y, w):
    W = w.sum()
    mx, my = (w * x).sum() / W, (w * y).sum() / W
    d2 = (x - mx) ** 2 + (y - my) ** 2
    sd = np.sqrt((w * d2).sum() / W)
    d = np.sqrt(d2)
    o = np.argsort(d, kind="stable")
    cw = np.cumsum(w[o])
    ds = d[o]
    k = int(np.searchsorted(cw, 0.5 * W))  # first k with cumulative weight >= half
    # weighted median; a tie at exactly half averages with the next (= the usual median
    # of an even number of equal-weight points)
    dm = 0.5 * (ds[k] + ds[k + 1]) if cw[k] == 0.5 * W else ds[k]
    return 0.9 * min(sd, np.sqrt(1.0 / np.log(2.0)) * dm) * W ** -0.2


xx = np.array([float(f"{a:.2f}") for a in x]); yy = np.array([float(f"{b:.2f}") for b in y])
with open(os.path.join(out, "silverman.json"), "w") as f:
    json.dump({"unweighted": silverman(xx, yy, np.ones(N)), "weighted": silverman(xx, yy, w)},
              f, indent=1)
print(f"{N} points written to {out}")
