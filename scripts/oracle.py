#!/usr/bin/env python3
"""Test oracle for Leche: regenerates the JSON fixtures in core/tests/fixtures/.

The Rust library reimplements the original service's cleaning, feature
building and model (StandardScaler -> SelectKBest(mutual information) ->
PolynomialFeatures -> Ridge, grid-searched with 3-fold CV). This script
computes the same things with pandas / scikit-learn so the Rust side has
reference values to compare against, value for value.

Usage (from the repository root):

    python3 scripts/oracle.py [--data DIR] [--out DIR] [--seed-split FILE]

--data defaults to $LECHE_DATA, else data/; --seed-split to the repository's
trainer/seed_split.json (the original's random split). Versions are pinned in
scripts/requirements-oracle.txt; output is deterministic (byte-identical
across runs with those versions). Floats are written with Python's repr,
which round-trips exactly to the same f64.

Mutual information is computed WITHOUT scikit-learn's random noise (see
SPEC section 4): X and y are divided by their population standard deviation
(no centring) and sklearn's private ``_compute_mi_cc`` is called per column.
"""

import os

# Single-threaded BLAS so that results do not depend on thread scheduling.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
import sklearn  # noqa: E402
from sklearn.feature_selection import SelectKBest  # noqa: E402
from sklearn.feature_selection._mutual_info import _compute_mi_cc  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.metrics import mean_squared_error, r2_score  # noqa: E402
from sklearn.model_selection import GridSearchCV, KFold  # noqa: E402
from sklearn.neighbors import KDTree, NearestNeighbors  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import PolynomialFeatures, StandardScaler, scale  # noqa: E402

SCRIPT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SCRIPT_DIR.parent
DEFAULT_OUT = REPO_ROOT / "core" / "tests" / "fixtures"
DEFAULT_SEED_SPLIT = REPO_ROOT / "trainer" / "seed_split.json"

REGIONS = [
    "Coquimbo",
    "Valparaiso",
    "Metropolitana_de_Santiago",
    "Libertador_Gral__Bernardo_O_Higgins",
    "Maule",
    "Biobio",
    "La_Araucania",
    "Los_Rios",
]
IVCM = "Indice_de_ventas_comercio_real_no_durables_IVCM"
SPANISH_MONTHS = {
    "Ene": 1, "Feb": 2, "Mar": 3, "Abr": 4, "May": 5, "Jun": 6,
    "Jul": 7, "Ago": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dic": 12,
}
N_NEIGHBORS = 3
PARAM_GRID = {
    "selector__k": [3, 4, 5, 6, 7, 10],
    "poly__degree": [1, 2, 3, 5, 7],
    "model__alpha": [1.0, 0.5, 0.2, 0.1, 0.05, 0.02, 0.01],
}


# --------------------------------------------------------------------------
# JSON output
# --------------------------------------------------------------------------

def plain(obj):
    """Convert numpy / pandas values to plain JSON-able Python values."""
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [plain(v) for v in obj.tolist()]
    if isinstance(obj, (bool, np.bool_)):
        return bool(obj)
    if isinstance(obj, (int, np.integer)):
        return int(obj)
    if isinstance(obj, (float, np.floating)):
        value = float(obj)
        if not math.isfinite(value):
            raise ValueError(f"non-finite value in fixture: {value}")
        return value
    if isinstance(obj, pd.Timestamp):
        return month_key(obj)
    if obj is None or isinstance(obj, str):
        return obj
    raise TypeError(f"cannot serialise {type(obj)}: {obj!r}")


def write_fixture(out_dir, name, payload):
    path = out_dir / name
    text = json.dumps(plain(payload), indent=1, allow_nan=False, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(text)} bytes)")


def month_key(ts):
    return f"{ts.year:04d}-{ts.month:02d}"


def matrix(a):
    return [list(map(float, row)) for row in np.asarray(a, dtype=np.float64)]


# --------------------------------------------------------------------------
# Mutual information without noise
# --------------------------------------------------------------------------

def mutual_info_no_noise(X, y):
    """sklearn's mutual_info_regression for continuous X / y, minus the noise.

    Mirrors sklearn.feature_selection._mutual_info._estimate_mi: scale X and y
    with ``scale(..., with_mean=False)`` (divide by population std, zero std
    -> 1), then ``_compute_mi_cc`` per column (KSG estimator, chebyshev,
    clipped at 0).
    """
    X = scale(np.array(X, dtype=np.float64), with_mean=False)
    y = scale(np.array(y, dtype=np.float64), with_mean=False)
    return np.array(
        [float(_compute_mi_cc(X[:, j].copy(), y, N_NEIGHBORS)) for j in range(X.shape[1])],
        dtype=np.float64,
    )


def mi_details(x, y):
    """The intermediate quantities of _compute_mi_cc, for debugging the Rust side.

    kth_distance: chebyshev distance of each point to its 3rd nearest other
    point in the joint (x, y) space; nx / ny: number of OTHER points whose
    |x_i - x_j| (resp. |y_i - y_j|) is strictly less than kth_distance.
    """
    xy = np.column_stack([x, y])
    nn = NearestNeighbors(metric="chebyshev", n_neighbors=N_NEIGHBORS).fit(xy)
    kth = nn.kneighbors()[0][:, -1]
    radius = np.nextafter(kth, 0)
    nx = KDTree(x.reshape(-1, 1), metric="chebyshev").query_radius(
        x.reshape(-1, 1), radius, count_only=True) - 1
    ny = KDTree(y.reshape(-1, 1), metric="chebyshev").query_radius(
        y.reshape(-1, 1), radius, count_only=True) - 1
    # Cross-check the documented rule by brute force: within nextafter(kth, 0),
    # i.e. strictly closer than kth, or at distance 0 when kth is 0 (repeated rows).
    bx = (np.abs(x[:, None] - x[None, :]) <= radius[:, None]).sum(axis=1) - 1
    by = (np.abs(y[:, None] - y[None, :]) <= radius[:, None]).sum(axis=1) - 1
    assert np.array_equal(bx, nx) and np.array_equal(by, ny), "count rule mismatch"
    return kth, nx.astype(int), ny.astype(int)


def mi_case(X, y, names):
    """What core/tests/oracle.rs reads: the inputs and scikit-learn's scores.

    The neighbour counts are cross-checked here (mi_details) rather than
    written out: the Rust test compares the scores at 1e-12, which a single
    different count would break.
    """
    Xs = scale(np.array(X, dtype=np.float64), with_mean=False)
    ys = scale(np.array(y, dtype=np.float64), with_mean=False)
    for j in range(Xs.shape[1]):
        mi_details(Xs[:, j].copy(), ys)
    return {
        "columns": list(names),
        "X": matrix(X),
        "y": np.asarray(y, dtype=np.float64),
        "scores": mutual_info_no_noise(X, y),
    }


# Without the noise, the KSG counts compare distances exactly, and the data
# has many mathematically equal distances (values on a 0.1 grid, repeated
# quarterly values): which way such a near-tie falls depends on the last bit
# of the standardised values. To reproduce sklearn's scores exactly, the
# standardisation must match bit for bit; this is how numpy computes it here.
# The recipe, step by step (what core/src/{scaler,mutual_info,matrix}.rs do):
# - Input matrices are C-ordered, so numpy sums a column sequentially in row order (start 0.0, add each
#   row).
# - StandardScaler.fit per column: s = seqsum(x); mean = s/n; t = x - mean; c = seqsum(t); u =
#   seqsum(t*t); var = (u - c*c/n)/n; scale = sqrt(var), replaced by 1 when var <= n*eps*var +
#   (n*mean*eps)^2; transform z = (x - mean)/scale.
# - MI scaling of each X column (scale(with_mean=False) = np.nanstd): m = seqsum(z)/n; v =
#   seqsum((z-m)*(z-m))/n; sd = sqrt(v), replaced by 1 when sd < 10*eps; x_scaled = z/sd.
# - MI scaling of y (1-D, contiguous): same formula but numpy's pairwise sum: n < 8: sequential; 8 <= n
#   <= 128: eight accumulators r[k] = a[k] + a[k+8] + a[k+16] + ... over the first n - n%8 elements, res
#   = ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)), then the remaining n%8 elements added sequentially; n > 128:
#   n2 = n/2 rounded down to a multiple of 8, sum = pairwise(a[:n2]) + pairwise(a[n2:]).
# - Distances are |a - b| (exact); a point's own entry is excluded; counts take the points within
#   nextafter(3rd-neighbour joint distance, 0): strictly closer, or at distance 0 when that distance is 0.
# - mi = digamma(n) + digamma(3) - mean(digamma(nx+1)) - mean(digamma(ny+1)) (means with the pairwise
#   sum), then max(0, mi).


# --------------------------------------------------------------------------
# Small numeric fixtures
# --------------------------------------------------------------------------

def scaler_fixture():
    rng = np.random.RandomState(0)
    X = rng.randn(12, 4) * np.array([1.0, 10.0, 0.1, 1000.0]) + np.array([0.0, -5.0, 3.0, 1e4])
    cases = []
    for name, data in [("random_12x4", X), ("with_constant_column", np.column_stack([X[:, :2], np.full(12, 7.25)]))]:
        sc = StandardScaler().fit(data)
        cases.append({
            "name": name,
            "input": matrix(data),
            "mean": sc.mean_,
            "scale": sc.scale_,
            "var": sc.var_,
            "transformed": matrix(sc.transform(data)),
        })
    return {
        "what": "StandardScaler (population std; a constant column gets scale 1)",
        "cases": cases,
    }


def poly_fixture():
    rng = np.random.RandomState(1)
    X = np.round(rng.randn(4, 3), 3)
    degrees = []
    for degree in (1, 2, 3):
        pf = PolynomialFeatures(degree=degree, include_bias=True).fit(X)
        degrees.append({
            "degree": degree,
            "n_output_features": int(pf.n_output_features_),
            "powers": pf.powers_.astype(int),
            "feature_names": list(pf.get_feature_names_out(["x0", "x1", "x2"])),
            "transformed": matrix(pf.transform(X)),
        })
    return {
        "what": "PolynomialFeatures(degree, include_bias=True); powers[i][j] = exponent of input j in output column i",
        "input": matrix(X),
        "degrees": degrees,
    }


def ridge_fixture():
    rng = np.random.RandomState(2)
    n, p = 30, 5
    X = rng.randn(n, p) * np.array([1.0, 2.0, 0.5, 3.0, 1.0]) + np.array([1.0, -2.0, 0.0, 5.0, 0.5])
    beta = np.array([1.5, -2.0, 0.0, 0.7, 3.0])
    y = X @ beta + 4.0 + 0.5 * rng.randn(n)
    X_new = rng.randn(5, p)
    primal = []
    for alpha in (1.0, 0.1, 0.01):
        m = Ridge(alpha=alpha, fit_intercept=True).fit(X, y)
        primal.append({
            "alpha": alpha,
            "coef": m.coef_,
            "intercept": float(m.intercept_),
            "predictions": m.predict(X_new),
        })

    # Dual case: more columns than rows.
    rng = np.random.RandomState(3)
    X0 = rng.randn(40, 10)
    y0 = rng.randn(40)
    X0_new = rng.randn(5, 10)
    sc = StandardScaler().fit(X0)
    pf = PolynomialFeatures(degree=7, include_bias=True).fit(sc.transform(X0))
    Z = pf.transform(sc.transform(X0))
    Z_new = pf.transform(sc.transform(X0_new))
    dual = []
    for alpha in (0.1, 1.0):
        m = Ridge(alpha=alpha, fit_intercept=True).fit(Z, y0)
        dual.append({
            "alpha": alpha,
            "intercept": float(m.intercept_),
            "predictions": m.predict(Z_new),
            "coef_first20": m.coef_[:20],
            "coef_sum": float(np.sum(m.coef_)),
            "coef_l2_norm": float(np.linalg.norm(m.coef_)),
        })
    return {
        "what": "Ridge(alpha, fit_intercept=True), default solver (cholesky: primal when n_features <= n_samples, dual/kernel otherwise); intercept not penalised (X, y centred)",
        "primal": {
            "X": matrix(X),
            "y": y,
            "X_new": matrix(X_new),
            "fits": primal,
        },
        "dual": {
            "description": "X = PolynomialFeatures(7, include_bias=True).fit_transform(StandardScaler().fit_transform(X0)); X_new transformed with the same fitted scaler and poly",
            "X0": matrix(X0),
            "y": y0,
            "X0_new": matrix(X0_new),
            "degree": 7,
            "n_columns": int(Z.shape[1]),
            "fits": dual,
        },
    }


def mutual_info_fixture(seed_mi):
    rng = np.random.RandomState(4)
    n = 24
    y = np.round(rng.randn(n) * 10 + 50, 2)
    y[5] = y[6]  # a tie in y
    cols = {}
    cols["continuous"] = rng.randn(n)
    cols["linear_in_y"] = 0.3 * y + 0.2 * rng.randn(n)
    cols["rounded_integers"] = np.round(rng.randn(n) * 2)  # many repeated values
    rain = np.round(np.maximum(rng.randn(n) * 5, 0), 1)  # mostly zeros, like dry-month rainfall
    cols["mostly_zeros"] = rain
    cols["copy_of_y"] = y.copy()
    step = np.repeat(rng.randn(n // 3), 3)  # quarterly-like: each value repeated 3 times
    cols["repeated_in_threes"] = step
    cols["two_values"] = (np.arange(n) % 2).astype(float)
    cols["constant_zero"] = np.zeros(n)
    names = list(cols)
    X = np.column_stack([cols[c] for c in names])

    # A case where y itself has heavy ties and joint duplicates exist.
    y2 = np.array([1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4, 0, 0, 0, 5], dtype=float)
    X2 = np.column_stack([
        np.array([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 0, 0, 0, 4], dtype=float),
        np.array([5, 5, 1, 1, 2, 2, 3, 3, 0, 0, 0, 0, 7, 7, 7, 7], dtype=float),
        np.array([0.5, -0.5, 0.25, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], dtype=float),
    ])
    names2 = ["same_groups_as_y", "shuffled_groups", "halves"]

    # Repeated rows, as the dummy continuation files make them: the last rows
    # copy one month, so their 3rd neighbour in the joint space is at distance
    # 0 (the case where a "strictly closer" count finds nothing).
    rng3 = np.random.RandomState(5)
    X3 = np.round(rng3.randn(20, 3) * np.array([5.0, 1.0, 100.0]), 2)
    y3 = np.round(rng3.randn(20) * 10 + 250, 1)
    X3[14:] = X3[13]
    y3[14:] = y3[13]
    X3[5:8, 1] = X3[4, 1]  # and a repeated value in one marginal only
    names3 = ["rainfall_like", "with_marginal_repeats", "pib_like"]

    return {
        "what": "mutual information (KSG, k=3) without sklearn's random noise: X and y divided by population std (zero std -> 1), no centring; scores clipped at 0. Per column: kth_distance = chebyshev distance in joint (x_scaled, y_scaled) space to the 3rd nearest other point; nx/ny = number of other points strictly closer than kth_distance in x (resp. y); mi = digamma(n) + digamma(3) - mean(digamma(nx+1)) - mean(digamma(ny+1)), clipped at 0.",
        "n_neighbors": N_NEIGHBORS,
        "cases": [
            dict(name="synthetic_ties", **mi_case(X, y, names)),
            dict(name="tied_target", **mi_case(X2, y2, names2)),
            dict(name="repeated_rows", **mi_case(X3, y3, names3)),
            dict(name="seed_train_59_rows_standardised", **seed_mi),
        ],
    }


# --------------------------------------------------------------------------
# Seed: cleaning
# --------------------------------------------------------------------------

def to_100(text):
    """Central Bank decimal recovery for Imacec / IVCM (SPEC section 3)."""
    parts = text.split(".")
    a = parts[0]
    if a.startswith("1"):
        if len(a) > 2:
            return float(a + "." + parts[1])
        joined = a + parts[1]
        return float(joined[:3] + "." + joined[3:])
    if len(a) > 2:
        return float(a[:2] + "." + a[-1])
    joined = a + parts[1]
    return float(joined[:2] + "." + joined[2:])


def clean_rainfall(data_dir):
    df = pd.read_csv(data_dir / "precipitaciones.csv")
    df["date"] = pd.to_datetime(df["date"], format="%Y-%m-%d")
    df = df.dropna(how="any")
    df = df.drop_duplicates(subset="date", keep="first")
    df = df.rename(columns={"date": "month"})
    assert (df["month"].dt.day == 1).all()
    return df[["month"] + REGIONS].sort_values("month", kind="mergesort").reset_index(drop=True)


def clean_central_bank(data_dir):
    raw = pd.read_csv(data_dir / "banco_central.csv", dtype=str)
    raw["Periodo"] = pd.to_datetime(raw["Periodo"].str[:10], format="%Y-%m-%d", errors="coerce")
    raw = raw.drop_duplicates(subset="Periodo", keep="first")
    raw = raw[raw["Periodo"].notna()]
    pib = [c for c in raw.columns if "PIB" in c]
    imacec = [c for c in raw.columns if "Imacec" in c]
    assert len(pib) == 28 and len(imacec) == 9, (len(pib), len(imacec))
    kept = raw[["Periodo"] + pib + imacec + [IVCM]].dropna(how="any")
    raw_strings = kept.copy()
    out = pd.DataFrame({"month": kept["Periodo"]})
    for c in pib:
        out[c] = kept[c].map(lambda s: int(s.replace(".", ""))).astype(np.int64)
    for c in imacec:
        out[c] = kept[c].map(to_100).astype(np.float64)
    out["IVCM_num"] = kept[IVCM].map(to_100).astype(np.float64)
    assert (out["month"].dt.day == 1).all()
    order = np.argsort(out["month"].to_numpy(), kind="mergesort")
    return out.iloc[order].reset_index(drop=True), raw_strings.iloc[order].reset_index(drop=True), pib, imacec


def clean_price(data_dir):
    df = pd.read_csv(data_dir / "precio_leche.csv")
    months = [pd.Timestamp(int(a), SPANISH_MONTHS[m], 1) for a, m in zip(df["Anio"], df["Mes"])]
    out = pd.DataFrame({"month": months, "Precio_leche": df["Precio_leche"].astype(np.float64)})
    return out.sort_values("month", kind="mergesort").reset_index(drop=True)


# --------------------------------------------------------------------------
# Seed: train matrix and model
# --------------------------------------------------------------------------

def lag_frame(joined, cols):
    """The original's rolling features (row-based windows, pandas)."""
    mean = joined[cols].rolling(window=3, min_periods=1).mean().shift(1)
    mean.columns = [c + "_shift3_mean" for c in cols]
    std = joined[cols].rolling(window=3, min_periods=1).std().shift(1)
    std.columns = [c + "_shift3_std" for c in cols]
    prev = joined[cols].shift(1)
    prev.columns = [c + "_mes_anterior" for c in cols]
    return pd.concat([joined[["month", "Precio_leche"]], mean, std, prev], axis=1)


def make_pipeline(k=10, degree=1, alpha=1.0):
    return Pipeline([
        ("scaler", StandardScaler()),
        ("selector", SelectKBest(score_func=mutual_info_no_noise, k=k)),
        ("poly", PolynomialFeatures(degree=degree, include_bias=True)),
        ("model", Ridge(alpha=alpha, fit_intercept=True)),
    ])


def metrics(pred, real):
    pred = np.asarray(pred, dtype=np.float64)
    real = np.asarray(real, dtype=np.float64)
    err = pred - real
    return {
        "rmse": float(np.sqrt(np.mean(err ** 2))),
        "mae": float(np.mean(np.abs(err))),
        "mape_percent": float(np.mean(np.abs(err) / np.abs(real)) * 100.0),
        "r2": float(r2_score(real, pred)),
    }


def seed_fixture(data_dir, seed_split):
    rain = clean_rainfall(data_dir)
    bank, bank_raw, pib, imacec = clean_central_bank(data_dir)
    price = clean_price(data_dir)
    assert not price["month"].duplicated().any()

    feature_cols = REGIONS + pib + imacec + ["IVCM_num"]
    features = rain.merge(bank, on="month", how="inner").sort_values("month", kind="mergesort").reset_index(drop=True)
    features = features[["month"] + feature_cols]

    def row_of(df, month):
        sel = df[df["month"] == pd.Timestamp(month + "-01")]
        assert len(sel) == 1, month
        return sel.iloc[0]

    def feature_row(month):
        r = row_of(features, month)
        return {"month": month, "values": {c: r[c] for c in feature_cols}}

    bank_row = row_of(bank, "2018-08")
    bank_raw_row = row_of(bank_raw.rename(columns={"Periodo": "month"}), "2018-08")
    bank_cols = pib + imacec + ["IVCM_num"]
    bank_2018_08 = {
        "month": "2018-08",
        "values": {c: bank_row[c] for c in bank_cols},
        "raw": {c: bank_raw_row[IVCM if c == "IVCM_num" else c] for c in bank_cols},
    }

    def span(df):
        return {"first": month_key(df["month"].iloc[0]), "last": month_key(df["month"].iloc[-1]), "count": len(df)}

    cleaning = {
        "rainfall": span(rain),
        "central_bank": span(bank),
        "features": span(features),
        "target": span(price),
        "feature_columns": ["month"] + feature_cols,
        "feature_rows": [feature_row("2014-01"), feature_row("2020-04")],
        "central_bank_2018_08": bank_2018_08,
    }

    # --- train matrix, exactly as the original built it -------------------
    joined = features.merge(price, on="month", how="inner").sort_values("month", kind="mergesort").reset_index(drop=True)
    lag_cols = feature_cols + ["Precio_leche"]
    # Extend by one month (2020-05, no features) so that its row is built by
    # the very same rolling computation as every other row.
    last = joined["month"].iloc[-1]
    nxt = last + pd.DateOffset(months=1)
    ext = pd.concat([joined, pd.DataFrame({"month": [nxt]})], ignore_index=True)
    lagged_ext = lag_frame(ext, lag_cols)
    next_row = lagged_ext.iloc[-1]
    lagged = lag_frame(joined, lag_cols).dropna(how="any").reset_index(drop=True)
    x_cols = [c for c in lagged.columns if c not in ("month", "Precio_leche")]
    assert len(x_cols) == 3 * len(lag_cols)
    # rows in the extended frame must be identical to the plain ones
    chk = lagged_ext.dropna(subset=x_cols).iloc[:-1].reset_index(drop=True)
    assert np.array_equal(chk[x_cols].to_numpy(), lagged[x_cols].to_numpy())
    # the 2020-05 row agrees with mean / sample std / previous value (pandas'
    # online rolling variance differs from a two-pass one by ~1e-11 relative
    # on the PIB columns, whose values reach 1e9)
    window = joined[lag_cols].iloc[-3:].to_numpy(dtype=np.float64)
    manual = np.concatenate([window.mean(axis=0), window.std(axis=0, ddof=1), window[-1]])
    assert np.allclose(next_row[x_cols].to_numpy(dtype=np.float64), manual, rtol=1e-9, atol=0)

    months = [month_key(m) for m in lagged["month"]]
    # C order: numpy then sums each column sequentially in row order in
    # StandardScaler and scale() (an F-ordered array, which pandas returns,
    # would use pairwise sums instead), which is what the Rust side does.
    Xall = np.ascontiguousarray(lagged[x_cols].to_numpy(dtype=np.float64))
    yall = lagged["Precio_leche"].to_numpy(dtype=np.float64)
    idx = {m: i for i, m in enumerate(months)}

    def train_row(month):
        i = idx[month]
        return {"month": month, "x": Xall[i], "y": yall[i]}

    train_matrix = {
        "n_rows": len(months),
        "first": months[0],
        "last": months[-1],
        "months": months,
        "x_columns": x_cols,
        "y_column": "Precio_leche",
        "rows": [train_row("2014-03"), train_row("2017-06")],
    }

    # --- seed split and grid search ---------------------------------------
    split = json.loads(seed_split.read_text())
    train_idx = [idx[m] for m in split["train_months_in_order"]]
    test_idx = [idx[m] for m in split["test_months_in_order"]]
    X_train, y_train = Xall[train_idx], yall[train_idx]
    X_test, y_test = Xall[test_idx], yall[test_idx]

    search = GridSearchCV(make_pipeline(), PARAM_GRID, cv=3, scoring="r2", refit=True, n_jobs=None)
    search.fit(X_train, y_train)
    res = search.cv_results_
    cv_results = []
    for i, params in enumerate(res["params"]):
        cv_results.append({
            "params": {k: params[k] for k in ("selector__k", "poly__degree", "model__alpha")},
            "split_test_scores": [res[f"split{s}_test_score"][i] for s in range(3)],
            "mean_test_score": res["mean_test_score"][i],
            "rank_test_score": int(res["rank_test_score"][i]),
        })

    folds = []
    for f, (tr, te) in enumerate(KFold(n_splits=3).split(X_train)):
        sc = StandardScaler().fit(X_train[tr])
        scores = mutual_info_no_noise(sc.transform(X_train[tr]), y_train[tr])
        ranked = np.argsort(scores, kind="mergesort")[::-1]
        folds.append({
            "fold": f,
            "train_positions": tr,
            "test_positions": te,
            "mi_scores": scores,
            "top10_columns_best_first": [x_cols[j] for j in ranked[:10]],
        })

    best = search.best_estimator_
    sel_mask = best.named_steps["selector"].get_support()
    selected = [c for c, keep in zip(x_cols, sel_mask) if keep]
    model = best.named_steps["model"]
    scaler = best.named_steps["scaler"]
    test_pred = best.predict(X_test)
    test_rmse = float(np.sqrt(mean_squared_error(y_test, test_pred)))
    test_r2 = float(r2_score(y_test, test_pred))

    # Predictions for every month 2014-04 ... next month.
    price_by_month = {month_key(m): p for m, p in zip(price["month"], price["Precio_leche"])}
    predictions = {}
    for m in months:
        if m == months[0]:
            continue  # 2014-03: the original service could not predict it
        predictions[m] = {"predicted": float(best.predict(Xall[idx[m]].reshape(1, -1))[0]), "real": price_by_month.get(m)}
    next_key = month_key(nxt)
    next_x = next_row[x_cols].to_numpy(dtype=np.float64)
    predictions[next_key] = {"predicted": float(best.predict(next_x.reshape(1, -1))[0]), "real": price_by_month.get(next_key)}

    # MI on the 59 training rows (after the refitted StandardScaler).
    seed_mi = mi_case(scaler.transform(X_train), y_train, x_cols)

    # --- walk-forward ------------------------------------------------------
    wf_rows = []
    wf_pred, wf_real, wf_naive = [], [], []
    prev_col = x_cols.index("Precio_leche_mes_anterior")
    for i in range(len(months) - 24, len(months)):
        pipe = make_pipeline(k=7, degree=1, alpha=0.1).fit(Xall[:i], yall[:i])
        pred = float(pipe.predict(Xall[i].reshape(1, -1))[0])
        sel = [c for c, keep in zip(x_cols, pipe.named_steps["selector"].get_support()) if keep]
        naive = float(Xall[i, prev_col])
        wf_rows.append({"month": months[i], "n_train": i, "predicted": pred, "naive": naive, "real": yall[i], "selected": sel})
        wf_pred.append(pred)
        wf_real.append(yall[i])
        wf_naive.append(naive)

    result = {
        "versions": versions(),
        "cleaning": cleaning,
        "train_matrix": train_matrix,
        "split": {
            "train_months_in_order": split["train_months_in_order"],
            "test_months_in_order": split["test_months_in_order"],
            "cv": "KFold(n_splits=3) unshuffled on the training rows in the order above (blocks of 20, 20, 19)",
        },
        "param_grid": PARAM_GRID,
        "cv_results_order": "sklearn ParameterGrid: keys sorted (model__alpha, poly__degree, selector__k), last key varies fastest",
        "cv_results": cv_results,
        "cv_folds_mi": folds,
        "best_params": {k: search.best_params_[k] for k in ("selector__k", "poly__degree", "model__alpha")},
        "best_index": int(search.best_index_),
        "best_mean_test_score": float(search.best_score_),
        "refit": {
            "scaler_mean": scaler.mean_,
            "scaler_scale": scaler.scale_,
            "mi_scores": best.named_steps["selector"].scores_,
            "selected_features": selected,
            "selected_indices": np.flatnonzero(sel_mask),
            "poly_powers": best.named_steps["poly"].powers_.astype(int),
            "coef": model.coef_,
            "intercept": float(model.intercept_),
        },
        "test": {
            "months": split["test_months_in_order"],
            "predicted": test_pred,
            "real": y_test,
            "rmse": test_rmse,
            "r2": test_r2,
        },
        "next_month_row": {"month": next_key, "x": next_x},
        "predictions": predictions,
        "walk_forward": {
            "params": {"selector__k": 7, "poly__degree": 1, "model__alpha": 0.1},
            "description": "for each of the last 24 rows t of the 74-row train matrix: fit on every earlier row (month order, including 2014-03), predict t; naive = Precio_leche at t-1",
            "rows": wf_rows,
            "model": metrics(wf_pred, wf_real),
            "naive": metrics(wf_naive, wf_real),
        },
    }
    return result, seed_mi


def versions():
    return {
        "python": sys.version.split()[0],
        "scikit-learn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pandas": pd.__version__,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.environ.get("LECHE_DATA", "data"), help="directory with the CSV files")
    parser.add_argument("--out", default=str(DEFAULT_OUT), help="fixture directory")
    parser.add_argument("--seed-split", default=str(DEFAULT_SEED_SPLIT), help="the original's split (JSON)")
    args = parser.parse_args()
    data_dir = Path(args.data)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    write_fixture(out_dir, "scaler.json", scaler_fixture())
    write_fixture(out_dir, "poly.json", poly_fixture())
    write_fixture(out_dir, "ridge.json", ridge_fixture())
    seed, seed_mi = seed_fixture(data_dir, Path(args.seed_split))
    write_fixture(out_dir, "mutual_info.json", mutual_info_fixture(seed_mi))
    write_fixture(out_dir, "seed.json", seed)

    print("best params:", seed["best_params"], "CV mean R2:", seed["best_mean_test_score"])
    print("test RMSE:", seed["test"]["rmse"], "R2:", seed["test"]["r2"])
    print("selected:", seed["refit"]["selected_features"])
    print("walk-forward model:", seed["walk_forward"]["model"])
    print("walk-forward naive:", seed["walk_forward"]["naive"])


if __name__ == "__main__":
    main()
