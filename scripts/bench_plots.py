#!/usr/bin/python3
"""Plots of a `trygg bench` results folder (matplotlib, Debian's python3-matplotlib).

  /usr/bin/python3 scripts/bench_plots.py RESULTS_DIR [--horizon "1 month"] [--coverage 0.01] [--svg]

Writes into RESULTS_DIR:
  pai_vs_coverage.png  mean PAI over the forecast dates against coverage, one line per
                       method (its best setting by mean PAI at --coverage), one panel per category
  pai_over_dates.png   PAI at --coverage for each forecast date, same settings
(and .svg twins with --svg). Reads summary.csv, ranking.csv and results.csv only.
"""
import argparse
import csv
import os
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def num(s):
    return float("nan") if s in ("NA", "") else float(s)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dir")
    ap.add_argument("--horizon", help="horizon label as in the CSV (default: the first)")
    ap.add_argument("--coverage", type=float, help="coverage fraction for choosing settings and for the date plot "
                                                    "(default: the second smallest, or the only one)")
    ap.add_argument("--svg", action="store_true")
    a = ap.parse_args()

    summary = read(os.path.join(a.dir, "summary.csv"))
    ranking = read(os.path.join(a.dir, "ranking.csv"))
    results = read(os.path.join(a.dir, "results.csv"))
    horizon = a.horizon or summary[0]["horizon"]
    coverages = sorted({float(r["coverage"]) for r in summary})
    cov = a.coverage if a.coverage is not None else coverages[min(1, len(coverages) - 1)]
    cats = list(dict.fromkeys(r["category"] for r in summary))

    # best setting of each method per category at (horizon, cov), as ranked by trygg
    best = defaultdict(list)
    for r in ranking:
        if r["horizon"] == horizon and abs(float(r["coverage"]) - cov) < 1e-12:
            best[r["category"]].append((r["method"], r["best_params"]))

    def label(m, p):
        return f"{m}:{p}" if p else m

    ncol = min(2, len(cats))
    nrow = (len(cats) + ncol - 1) // ncol
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.6 * ncol, 4.2 * nrow), squeeze=False)
    for ax in axes.flat[len(cats):]:
        ax.set_visible(False)
    for ax, cat in zip(axes.flat, cats):
        for m, p in best[cat]:
            pts = sorted((float(r["coverage"]), num(r["pai_mean"])) for r in summary
                         if r["category"] == cat and r["horizon"] == horizon and r["method"] == m
                         and r["params"] == p)
            ax.plot([100 * x for x, _ in pts], [y for _, y in pts], marker="o", label=label(m, p))
        ax.set_xscale("log")
        ax.set_xticks([100 * c for c in coverages])
        ax.set_xticklabels([f"{100 * c:g}" for c in coverages])
        ax.minorticks_off()
        ax.set_xlabel("coverage (% of study area)")
        ax.set_ylabel("mean PAI over forecast dates")
        ax.set_title(f"{cat}, horizon {horizon}")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    out = [os.path.join(a.dir, "pai_vs_coverage.png")]
    fig.savefig(out[0], dpi=110)
    if a.svg:
        fig.savefig(out[0][:-4] + ".svg")
    plt.close(fig)

    fig, axes = plt.subplots(len(cats), 1, figsize=(9, 3.2 * len(cats)), squeeze=False)
    for ax, cat in zip(axes[:, 0], cats):
        for m, p in best[cat]:
            pts = sorted((r["forecast_date"], num(r["pai"])) for r in results
                         if r["category"] == cat and r["horizon"] == horizon and r["method"] == m
                         and r["params"] == p and abs(float(r["coverage"]) - cov) < 1e-12)
            ax.plot([d for d, _ in pts], [y for _, y in pts], marker=".", label=label(m, p))
        ax.set_ylabel(f"PAI at {100 * cov:g} %")
        ax.set_title(f"{cat}, horizon {horizon}")
        ax.grid(True, alpha=0.3)
        ax.tick_params(axis="x", labelrotation=60, labelsize=7)
        ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    out.append(os.path.join(a.dir, "pai_over_dates.png"))
    fig.savefig(out[1], dpi=110)
    if a.svg:
        fig.savefig(out[1][:-4] + ".svg")
    plt.close(fig)
    for o in out:
        print(o)


if __name__ == "__main__":
    main()
