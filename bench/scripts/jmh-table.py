#!/usr/bin/env python3
"""Prints JMH JSON results (one file per benchmark class, as bench/scripts/jmh-suite.sh writes them)
as a Markdown table: each benchmark's score with JMH's 99.9% confidence interval, the median for
sample-time benchmarks, the number of forks, and the spread of the forks' own means (lowest to
highest), so that a figure quoted from it shows how much it moved between JVMs.

    bench/scripts/jmh-table.py bench/target/jmh-suite/*.json
"""
import json
import statistics
import sys


def rows(path):
    with open(path) as f:
        for result in json.load(f):
            metric = result["primaryMetric"]
            name = result["benchmark"].rsplit(".", 2)
            params = result.get("params") or {}
            label = ".".join(name[-2:]) + (
                " (" + ", ".join(f"{k}={v}" for k, v in sorted(params.items())) + ")" if params else "")
            raw = metric.get("rawData") or []
            if result["mode"] == "sample" and not raw:
                # Each fork's mean over all its samples (an iteration's mean weighs by its count).
                raw = [[v for it in fork for v in _expand(it)] for fork in metric.get("rawDataHistogram", [])]
            fork_means = [statistics.fmean(fork) for fork in raw if fork]
            spread = (f"{_num(min(fork_means))} to {_num(max(fork_means))}" if len(fork_means) > 1 else "-")
            median = metric.get("scorePercentiles", {}).get("50.0") if result["mode"] == "sample" else None
            yield (label, result["mode"], metric["score"], metric["scoreError"], median,
                   len(raw), spread, metric["scoreUnit"])


def _num(value):
    """Three significant digits, without exponents: 0.0123, 4.56, 789, 1,234."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _expand(histogram):
    values = []
    for value, count in histogram:
        values.extend([value] * int(count))
    return values or [0.0]


def main(paths):
    print("| benchmark | mode | score ± 99.9% | p50 | forks | fork means | unit |")
    print("|---|---|---:|---:|---:|---|---|")
    for path in paths:
        for label, mode, score, error, median, forks, spread, unit in rows(path):
            error_text = "NaN" if error != error else _num(error)
            p50 = _num(median) if median is not None else "-"
            print(f"| {label} | {mode} | {_num(score)} ± {error_text} | {p50} | {forks} | {spread} | {unit} |")


if __name__ == "__main__":
    main(sys.argv[1:])
