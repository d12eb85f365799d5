#!/usr/bin/env python3
"""Reference forecasters for Leche's long backtest: writes trainer/anchors.json.

What a forecaster would use instead of Leche: statsforecast's AutoETS,
AutoARIMA and AutoTheta (yearly season), each refitted at every origin of the
honest backtest (2012-01 ... the last price) on the 240 months before it, and
their median ("med3"). For every origin the file keeps each anchor's twelve
forecasts and its 50 % and 80 % bands, so the trainer scores them on exactly
the backtest's rows with the same code that scores Leche's candidates
(`leche_core::forecast::anchors`), and a per-horizon summary computed here
independently (MAE, naive's MAE, coverage, interval score) that the Rust
tests compare against.

Run by hand, never in CI: AutoARIMA over the 110 origins takes over an hour
on two cores. From the repository root:

    python3 -m venv /tmp/anchors && /tmp/anchors/bin/pip install -r scripts/requirements-anchors.txt
    /tmp/anchors/bin/python scripts/anchors.py [--data DIR] [--out FILE]

--data defaults to $LECHE_DATA, else data/. Output is deterministic for the
pinned versions; floats are written with Python's repr (exact f64).
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import statsforecast  # noqa: E402
from statsforecast import StatsForecast  # noqa: E402
from statsforecast.models import AutoARIMA, AutoETS, AutoTheta  # noqa: E402

MONTHS = ["Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic"]
FIRST_ORIGIN = (2012, 1)
WINDOW = 240
HORIZON = 12
SEASON = 12
LEVELS = (50, 80)
# The later stretch Leche reports apart (targets from it are not tuned on).
LATER_FROM = (2020, 5)


def month_index(year, month):
    return year * 12 + (month - 1)


def month_text(index):
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def read_prices(data):
    """The milk price as {month index: price}, as Leche's cleaning reads it."""
    raw = pd.read_csv(data / "precio_leche.csv")
    prices = {}
    for row in raw.itertuples(index=False):
        if pd.isna(row.Precio_leche):
            continue
        index = month_index(int(row.Anio), MONTHS.index(row.Mes) + 1)
        prices.setdefault(index, float(row.Precio_leche))
    return prices


def forecast(prices, origin):
    """Each anchor's forecasts of origin ... origin + 11 from the WINDOW months before it."""
    months = list(range(origin - WINDOW, origin))
    missing = [month_text(m) for m in months if m not in prices]
    if missing:
        raise SystemExit(f"the {WINDOW} months before {month_text(origin)} lack prices: {missing[:5]}")
    df = pd.DataFrame(
        {
            "unique_id": "leche",
            "ds": pd.date_range(month_text(months[0]) + "-01", periods=len(months), freq="MS"),
            "y": [prices[m] for m in months],
        }
    )
    models = [AutoETS(season_length=SEASON), AutoARIMA(season_length=SEASON), AutoTheta(season_length=SEASON)]
    sf = StatsForecast(models=models, freq="MS", n_jobs=1)
    out = sf.forecast(df=df, h=HORIZON, level=list(LEVELS))
    result = {}
    for name in ("AutoETS", "AutoARIMA", "AutoTheta"):
        result[name] = {
            "point": [float(v) for v in out[name]],
            "lower80": [float(v) for v in out[f"{name}-lo-80"]],
            "upper80": [float(v) for v in out[f"{name}-hi-80"]],
            "lower50": [float(v) for v in out[f"{name}-lo-50"]],
            "upper50": [float(v) for v in out[f"{name}-hi-50"]],
        }
    # The median of the three, point and band ends alike.
    result["med3"] = {
        key: [float(np.median([result[n][key][i] for n in ("AutoETS", "AutoARIMA", "AutoTheta")])) for i in range(HORIZON)]
        for key in ("point", "lower80", "upper80", "lower50", "upper50")
    }
    return result


def interval_score(real, lower, upper, level):
    """Winkler's interval score of one central band at `level` percent (lower is better)."""
    alpha = 1 - level / 100
    score = upper - lower
    if real < lower:
        score += 2 / alpha * (lower - real)
    if real > upper:
        score += 2 / alpha * (real - upper)
    return score


def summary(prices, origins, anchors, before=None):
    """Per model and horizon: rows, MAE, naive's MAE, coverage and interval score."""
    out = {}
    for name in anchors:
        rows = []
        for h in range(1, HORIZON + 1):
            err, naive, in80, in50, is80, is50 = [], [], 0, 0, [], []
            for origin in origins:
                month = origin + h - 1
                if month not in prices or (before is not None and month >= before):
                    continue
                f = anchors[name][month_text(origin)]
                real, last = prices[month], prices[origin - 1]
                i = h - 1
                err.append(abs(real - f["point"][i]))
                naive.append(abs(real - last))
                in80 += f["lower80"][i] <= real <= f["upper80"][i]
                in50 += f["lower50"][i] <= real <= f["upper50"][i]
                is80.append(interval_score(real, f["lower80"][i], f["upper80"][i], 80))
                is50.append(interval_score(real, f["lower50"][i], f["upper50"][i], 50))
            n = len(err)
            if n == 0:
                continue
            rows.append(
                {
                    "horizon": h,
                    "n": n,
                    "mae": sum(err) / n,
                    "naive_mae": sum(naive) / n,
                    "coverage80": in80 / n,
                    "coverage50": in50 / n,
                    "interval_score80": sum(is80) / n,
                    "interval_score50": sum(is50) / n,
                }
            )
        out[name] = rows
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LECHE_DATA", "data")))
    parser.add_argument("--out", type=Path, default=Path("trainer/anchors.json"))
    args = parser.parse_args()
    prices = read_prices(args.data)
    last = max(prices)
    origins = list(range(month_index(*FIRST_ORIGIN), last + 1))
    anchors = {name: {} for name in ("AutoETS", "AutoARIMA", "AutoTheta", "med3")}
    started = time.time()
    for n, origin in enumerate(origins, 1):
        for name, f in forecast(prices, origin).items():
            anchors[name][month_text(origin)] = f
        print(f"{month_text(origin)} ({n}/{len(origins)}, {time.time() - started:.0f} s)", file=sys.stderr, flush=True)
    result = {
        "about": "statsforecast anchors on Leche's backtest origins; written by scripts/anchors.py, do not edit",
        "statsforecast": statsforecast.__version__,
        "window": WINDOW,
        "season_length": SEASON,
        "first_origin": month_text(origins[0]),
        "last_origin": month_text(origins[-1]),
        "summary": summary(prices, origins, anchors),
        "summary_before_later": summary(prices, origins, anchors, before=month_index(*LATER_FROM)),
        "forecasts": anchors,
    }
    args.out.write_text(json.dumps(result, indent=1) + "\n")
    print(f"wrote {args.out} in {time.time() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
