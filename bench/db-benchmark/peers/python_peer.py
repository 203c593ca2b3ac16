"""The Python child of the db-benchmark runner: Dask (threads scheduler) or pandas, run with the
system's python3 (Debian packages python3-dask, python3-pandas). Same protocol as the Node
children: python_peer.py dask|pandas --csv FILE --out FILE [--repeat N] [--threads N], writes
{"reports": [SystemReport]} (see report.ts) and logs progress to stderr.

The queries follow db-benchmark's pandas and dask solutions: id1..id3 as categoricals,
observed=True. Aggregations this Dask (2022.12) has no tree reduction for (median, top-n per
group, correlation) shuffle by the group keys and run pandas per partition, which is exact.
The cold scan names the columns it needs (usecols): Polars, DuckDB and tsdask prune on their own.
"""

import json
import resource
import sys
import time

import pandas as pd

SYSTEM = sys.argv[1]
ARGS = sys.argv[2:]


def arg(name, default=None):
    flag = f"--{name}"
    return ARGS[ARGS.index(flag) + 1] if flag in ARGS else default


CSV = arg("csv")
OUT = arg("out")
REPEAT = int(arg("repeat", "3"))
THREADS = int(arg("threads", "2"))
DTYPES = {"id1": "category", "id2": "category", "id3": "category",
          "id4": "int32", "id5": "int32", "id6": "int32", "v1": "int32", "v2": "int32", "v3": "float64"}
BLOCKSIZE = 16_000_000  # as tsdask's partitions, so both split the 1e6 file 4 ways

if SYSTEM == "dask":
    import dask
    import dask.dataframe as dd
    dask.config.set(scheduler="threads", num_workers=THREADS)


def log(line):
    print(f"  [{LABEL}] {line}", file=sys.stderr, flush=True)


def summarize(df):
    """Row count and the sum of every numeric column (floats, so int columns cannot wrap; NaN skipped)."""
    sums = {}
    for name in df.columns:
        column = df[name]
        if pd.api.types.is_numeric_dtype(column.dtype):
            sums[str(name)] = float(column.astype("float64").sum())
    return {"rows": int(len(df)), "sums": sums}


def timed(repeat, run, summary=summarize):
    try:
        runs, last = [], None
        for _ in range(repeat):
            t0 = time.perf_counter()
            last = run()
            runs.append((time.perf_counter() - t0) * 1000)
        # the upper middle for an even count, as median() in report.ts
        return {"ms": sorted(runs)[len(runs) // 2], "runs": runs, "answer": summary(last)}
    except Exception as e:  # reported loudly by the runner
        return {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}


def describe(t):
    if "ms" in t:
        return f"{t['ms'] / 1000:.3f} s ({t['answer']['rows']} rows)"
    return f"ERROR: {t['error']}"


def flat(df):
    """Group keys back to columns, as every other system returns them."""
    return df.reset_index()


# --- per-partition pandas pieces, shared by pandas and by Dask after a shuffle ---------------

def p_median_sd(df):
    g = df.groupby(["id4", "id5"], observed=True)["v3"]
    return flat(pd.DataFrame({"median_v3": g.median(), "sd_v3": g.std()}))


def p_largest2(df):
    top = df[["id6", "v3"]].sort_values("v3", ascending=False).groupby("id6", observed=True).head(2)
    return top.rename(columns={"v3": "largest2_v3"}).reset_index(drop=True)


def p_r2(df):
    m = df.groupby(["id2", "id4"], observed=True)[["v1", "v2"]].corr()
    r = m.xs("v1", level=-1)["v2"]
    return flat((r * r).rename("r2").to_frame())


def pandas_queries():
    k = dict(observed=True)
    return {
        "q1": lambda x: flat(x.groupby("id1", **k).agg(v1=("v1", "sum"))),
        "q2": lambda x: flat(x.groupby(["id1", "id2"], **k).agg(v1=("v1", "sum"))),
        "q3": lambda x: flat(x.groupby("id3", **k).agg(v1=("v1", "sum"), v3=("v3", "mean"))),
        "q4": lambda x: flat(x.groupby("id4", **k).agg(v1=("v1", "mean"), v2=("v2", "mean"), v3=("v3", "mean"))),
        "q5": lambda x: flat(x.groupby("id6", **k).agg(v1=("v1", "sum"), v2=("v2", "sum"), v3=("v3", "sum"))),
        "q6": p_median_sd,
        "q7": lambda x: flat(x.groupby("id3", **k).agg(v1=("v1", "max"), v2=("v2", "min"))
                             .pipe(lambda a: (a["v1"] - a["v2"]).rename("range_v1_v2").to_frame())),
        "q8": p_largest2,
        "q9": p_r2,
        "q10": lambda x: flat(x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **k)
                              .agg(v3=("v3", "sum"), count=("v3", "size"))),
    }


def dask_queries():
    k = dict(observed=True)

    def shuffled(x, keys, columns, fn):
        return x[columns].shuffle(keys).map_partitions(fn).compute()

    return {
        "q1": lambda x: flat(x.groupby("id1", **k).agg({"v1": "sum"}).compute()),
        "q2": lambda x: flat(x.groupby(["id1", "id2"], **k).agg({"v1": "sum"}).compute()),
        "q3": lambda x: flat(x.groupby("id3", **k).agg({"v1": "sum", "v3": "mean"}).compute()),
        "q4": lambda x: flat(x.groupby("id4", **k).agg({"v1": "mean", "v2": "mean", "v3": "mean"}).compute()),
        "q5": lambda x: flat(x.groupby("id6", **k).agg({"v1": "sum", "v2": "sum", "v3": "sum"}).compute()),
        "q6": lambda x: shuffled(x, ["id4", "id5"], ["id4", "id5", "v3"], p_median_sd),
        "q7": lambda x: flat(x.groupby("id3", **k).agg({"v1": "max", "v2": "min"})
                             .pipe(lambda a: (a["v1"] - a["v2"]).rename("range_v1_v2").to_frame()).compute()),
        "q8": lambda x: shuffled(x, "id6", ["id6", "v3"], p_largest2),
        "q9": lambda x: shuffled(x, ["id2", "id4"], ["id2", "id4", "v1", "v2"], p_r2),
        "q10": lambda x: flat(x.groupby(["id1", "id2", "id3", "id4", "id5", "id6"], **k)
                              .agg({"v3": ["sum", "count"]}).compute()
                              .set_axis(["v3", "count"], axis=1)),
    }


def cold_pandas():
    x = pd.read_csv(CSV, usecols=["id1", "v1", "v3"], dtype={"id1": "category", "v1": "int32", "v3": "float64"})
    return flat(x[x["v1"] > 2].groupby("id1", observed=True).agg(v3=("v3", "sum")))


def cold_dask():
    x = dd.read_csv(CSV, usecols=["id1", "v1", "v3"], dtype={"id1": "category", "v1": "int32", "v3": "float64"},
                    blocksize=BLOCKSIZE)
    return flat(x[x["v1"] > 2].groupby("id1", observed=True).agg({"v3": "sum"}).compute())


if SYSTEM == "dask":
    LABEL, VERSION = "Dask", dask.__version__
    load_fn = lambda: dd.read_csv(CSV, dtype=DTYPES, blocksize=BLOCKSIZE).persist()  # noqa: E731
    queries, cold_fn = dask_queries(), cold_dask
    load_summary = lambda x: summarize(x[["v1", "v2", "v3"]].compute())  # noqa: E731
elif SYSTEM == "pandas":
    LABEL, VERSION = "pandas", pd.__version__
    load_fn = lambda: pd.read_csv(CSV, dtype=DTYPES)  # noqa: E731
    queries, cold_fn = pandas_queries(), cold_pandas
    load_summary = lambda x: summarize(x[["v1", "v2", "v3"]])  # noqa: E731
else:
    sys.exit(f"unknown system {SYSTEM}: use dask or pandas")

state = {}


def load_once():
    state["x"] = load_fn()
    return state["x"]


load = timed(1, load_once, load_summary)
log(f"load {describe(load)}")
questions = {}
for qid, query in queries.items():
    if "x" not in state:
        break
    questions[qid] = timed(REPEAT, lambda: query(state["x"]))
    log(f"{qid} {describe(questions[qid])}")
state.pop("x", None)
cold = timed(REPEAT, cold_fn)
log(f"cold {describe(cold)}")

report = {
    "system": LABEL,
    "version": VERSION,
    "threads": THREADS if SYSTEM == "dask" else 1,
    "load": load,
    "questions": questions,
    "cold": cold,
    "maxRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}
with open(OUT, "w") as f:
    json.dump({"reports": [report]}, f)
