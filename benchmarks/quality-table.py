#!/usr/bin/env python3
"""Prints QualityBenchmark's table from the TSV it appends (bytes and SSIM per rendition) and
its JMH JSON result (times): per clip, each rendition's bytes and SSIM for the fixed bit rates
and for auto quality, their ratio and difference, the totals and the time ratio.
Usage: quality-table.py hlskit-bench-quality.tsv quality.json
"""
import json
import statistics
import sys


def main():
    rows = {}
    for line in open(sys.argv[1]):
        clip, method, rendition, size, ssim = line.split()
        rows[(clip, method, rendition)] = (int(size), float(ssim))
    times = {}
    for r in json.load(open(sys.argv[2])):
        method = r["benchmark"].rsplit(".", 1)[-1]
        values = [v for fork in r["primaryMetric"]["rawData"] for v in fork]
        times[(r["params"]["clip"], method)] = statistics.median(values)
    print("| clip | rendition | bytes fixed | bytes auto | ratio | SSIM fixed | SSIM auto |"
          " difference |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for clip in ("easy", "hard"):
        total = {"fixed": 0, "auto": 0}
        for rendition in ("360p", "720p", "1080p"):
            f = rows.get((clip, "fixed", rendition))
            a = rows.get((clip, "auto", rendition))
            if not f or not a:
                continue
            total["fixed"] += f[0]
            total["auto"] += a[0]
            print(f"| {clip} | {rendition} | {f[0]:,} | {a[0]:,} | {a[0] / f[0]:.2f} |"
                  f" {f[1]:.5f} | {a[1]:.5f} | {a[1] - f[1]:+.5f} |")
        if total["fixed"]:
            print(f"| {clip} | **all** | {total['fixed']:,} | {total['auto']:,} |"
                  f" **{total['auto'] / total['fixed']:.2f}** | | | |")
        if (clip, "fixed") in times and (clip, "auto") in times:
            tf, ta = times[(clip, "fixed")], times[(clip, "auto")]
            print(f"| {clip} | time, s (median) | {tf:.1f} | {ta:.1f} | **{ta / tf:.2f}** | | | |")


if __name__ == "__main__":
    main()
