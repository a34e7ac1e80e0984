#!/usr/bin/env python3
"""Prints the median (and min/max) of every JMH benchmark's iterations from a JSON result file.

JMH reports mean and error; on noisy 2-core machines the median over all forks' iterations is
the figure we quote. Usage: jmh-medians.py result.json [baseline-name=other-name ...]
Each NAME=OTHER pair also prints the ratio median(NAME) / median(OTHER). A benchmark with
parameters is named with them, as auto[clip=easy].
"""
import json
import statistics
import sys


def main():
    results = json.load(open(sys.argv[1]))
    medians = {}
    for r in results:
        name = r["benchmark"].rsplit(".", 1)[-1]
        if r.get("params"):
            name += "[" + ",".join(f"{k}={v}" for k, v in sorted(r["params"].items())) + "]"
        values = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        medians[name] = statistics.median(values)
        print(f"{name:32s} median {medians[name]:14,.1f} {r['primaryMetric']['scoreUnit']:8s}"
              f" (min {min(values):,.1f}, max {max(values):,.1f}, n={len(values)})")
    for pair in sys.argv[2:]:
        a, b = pair.split("=")
        print(f"{a} / {b} = {medians[a] / medians[b]:.2f}")


if __name__ == "__main__":
    main()
