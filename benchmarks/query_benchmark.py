"""Query benchmark: the funnel and the bounces query over one corpus of SES events, side by side.

Implementations, each in a fresh process, on the same files:

- ``duckdb-json``: ses-events' DuckDB engine over the archive as Firehose writes it (GZIP JSON
  lines, hive-partitioned);
- ``duckdb-parquet`` and ``duckdb-parquet-gz``: the same engine over the same records as
  Parquet, Snappy (Firehose's default) or GZIP compressed (what Firehose record format conversion
  writes, hourly; converted once before the clocks start);
- ``pandas``: what a data engineer would write without ses-events: read every GZIP JSON file
  with ``pandas.read_json(lines=True)``, then group;
- ``polars``: the same with polars (decompress, ``read_ndjson``, group).

Every implementation must return the same figures (checked: equal work), and each run reports
wall time (process start to exit, imports included), peak resident memory of the process (from
``/proc``, every 20 ms) and the bytes the query read through system calls (``rchar`` of
``/proc/self/io`` around the query, after the imports).

Run (needs the ``benchmark`` extra: ``pip install -e ".[benchmark]"``)::

    .venv/bin/python benchmarks/query_benchmark.py --events 1000000
    .venv/bin/python benchmarks/query_benchmark.py --events 200000 --json results.json
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import run_measured  # noqa: E402

IMPLEMENTATIONS = ("duckdb-json", "duckdb-parquet", "duckdb-parquet-gz", "pandas", "polars")
QUERIES = ("funnel", "bounces")


# -- the children: one query, one implementation, printed as JSON --------------------------------


def _duckdb(archive: str, storage_format: str, query: str) -> list[list[Any]]:
    from ses_events.analytics.engines import DuckDBEngine

    rows = DuckDBEngine(archive, storage_format=storage_format).run(query).rows
    if query == "funnel":  # the counts (rates follow from them)
        return sorted([str(r[0]), str(r[1]), str(r[2]), *r[3:9]] for r in rows)
    return sorted([str(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]] for r in rows)


def _files(archive: str) -> list[Path]:
    return sorted(Path(archive).rglob("*.gz"))


def _set_of(path: Path) -> str:
    return next(p.split("=", 1)[1] for p in path.parts if p.startswith("configuration_set="))


def _pandas(archive: str, query: str) -> list[list[Any]]:
    import pandas as pd

    frames = []
    for path in _files(archive):
        frame = pd.read_json(path, lines=True, compression="gzip", dtype=False)
        frame["configuration_set"] = _set_of(path)
        frames.append(frame)
    events = pd.concat(frames, ignore_index=True)
    if query == "funnel":
        mail = events["mail"]
        events["message_id"] = mail.str.get("messageId")
        events["tag_value"] = mail.str.get("tags").str.get("campaign").str.get(0).fillna("(none)")
        events["day"] = pd.to_datetime(mail.str.get("timestamp"), utc=True).dt.date.astype(str)
        keys = ["configuration_set", "tag_value", "day"]
        kinds = ("Send", "Delivery", "Open", "Click", "Bounce", "Complaint")
        for kind in kinds:
            events[kind] = events["eventType"] == kind
        per_message = events.groupby([*keys, "message_id"])[list(kinds)].any()
        counts = per_message.groupby(level=keys).sum().reset_index()
        return sorted(
            [*map(str, row[:3]), *map(int, row[3:])] for row in counts.itertuples(index=False)
        )
    bounces = events[events["eventType"] == "Bounce"].copy()
    bounces["bounce_type"] = bounces["bounce"].str.get("bounceType")
    bounces["bounce_sub_type"] = bounces["bounce"].str.get("bounceSubType")
    bounces["recipient"] = bounces["bounce"].str.get("bouncedRecipients")
    bounces = bounces.explode("recipient")
    bounces["recipient_domain"] = (
        bounces["recipient"].str.get("emailAddress").str.split("@").str[1].str.lower()
    )
    counts = (
        bounces.groupby(["configuration_set", "bounce_type", "bounce_sub_type", "recipient_domain"])
        .size()
        .reset_index()
    )
    return sorted([*map(str, row[:4]), int(row[4])] for row in counts.itertuples(index=False))


def _polars(archive: str, query: str) -> list[list[Any]]:
    import polars as pl

    frames = []
    for path in _files(archive):
        frame = pl.read_ndjson(gzip.decompress(path.read_bytes()), infer_schema_length=None)
        frames.append(frame.with_columns(pl.lit(_set_of(path)).alias("configuration_set")))
    events = pl.concat(frames, how="diagonal_relaxed")
    if query == "funnel":
        kinds = ("Send", "Delivery", "Open", "Click", "Bounce", "Complaint")
        mail = pl.col("mail")
        events = events.with_columns(
            mail.struct.field("messageId").alias("message_id"),
            mail.struct.field("tags")
            .struct.field("campaign")
            .list.first()
            .fill_null("(none)")
            .alias("tag_value"),
            mail.struct.field("timestamp").str.slice(0, 10).alias("day"),
            *[(pl.col("eventType") == kind).alias(kind) for kind in kinds],
        )
        keys = ["configuration_set", "tag_value", "day"]
        per_message = events.group_by([*keys, "message_id"]).agg(
            [pl.col(kind).any() for kind in kinds]
        )
        counts = per_message.group_by(keys).agg([pl.col(kind).sum() for kind in kinds])
        return sorted([*row[:3], *map(int, row[3:])] for row in counts.rows())
    bounces = (
        events.filter(pl.col("eventType") == "Bounce")
        .with_columns(
            pl.col("bounce").struct.field("bounceType").alias("bounce_type"),
            pl.col("bounce").struct.field("bounceSubType").alias("bounce_sub_type"),
            pl.col("bounce").struct.field("bouncedRecipients").alias("recipient"),
        )
        .explode("recipient")
        .with_columns(
            pl.col("recipient")
            .struct.field("emailAddress")
            .str.split("@")
            .list.get(1)
            .str.to_lowercase()
            .alias("recipient_domain")
        )
    )
    counts = bounces.group_by(
        ["configuration_set", "bounce_type", "bounce_sub_type", "recipient_domain"]
    ).len()
    return sorted([*row[:4], int(row[4])] for row in counts.rows())


def _own_rchar() -> int:
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("rchar:"))


def _child(implementation: str, query: str, json_dir: str, parquet_dir: str) -> None:
    # imports first: the bytes read are the query's, not the libraries'
    if implementation.startswith("duckdb"):
        import duckdb  # noqa: F401

        from ses_events.analytics import engines  # noqa: F401
    else:
        __import__(implementation)
    read_before = _own_rchar()
    started = time.monotonic()
    if implementation == "duckdb-json":
        rows = _duckdb(json_dir, "json", query)
    elif implementation == "duckdb-parquet":
        rows = _duckdb(parquet_dir, "parquet", query)
    elif implementation == "duckdb-parquet-gz":
        rows = _duckdb(parquet_dir + "-gz", "parquet", query)
    elif implementation == "pandas":
        rows = _pandas(json_dir, query)
    else:
        rows = _polars(json_dir, query)
    print(
        json.dumps(
            {
                "rows": rows,
                "inner_seconds": time.monotonic() - started,
                "read_bytes": _own_rchar() - read_before,
            }
        )
    )


# -- the parent ------------------------------------------------------------------------------------


def measure(implementation: str, query: str, json_dir: str, parquet_dir: str) -> dict[str, Any]:
    seconds, peak, done = run_measured(
        [sys.executable, __file__, "--child", implementation, query, json_dir, parquet_dir],
        cwd=ROOT,
        every=0.02,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{implementation} {query} failed:\n{done.stderr[-3000:]}")
    output = done.stdout
    result = json.loads(output.strip().splitlines()[-1])
    return {
        "implementation": implementation,
        "query": query,
        "seconds": round(seconds, 2),
        "peak_mib": round(peak / 2**20),
        "read_mib": round(result["read_bytes"] / 2**20, 1),
        "rows": result["rows"],
    }


def corpus(events: int, work: Path) -> tuple[str, str, int, int]:
    """Generate about ``events`` records (seed 7) as the archive writes them, and as Parquet."""
    from ses_events.analytics.engines import convert_to_parquet
    from ses_events.analytics.generator import CorpusSpec, generate_events, write_archive

    json_dir, parquet_dir = work / "json", work / "parquet"
    messages = max(1, round(events / 2.45))  # about 2.45 records a message (measured)
    count = 0

    def counted() -> Any:
        nonlocal count
        for record in generate_events(CorpusSpec(messages=messages, seed=7, hours=24 * 7)):
            count += 1
            yield record

    write_archive(counted(), json_dir)
    convert_to_parquet(json_dir, parquet_dir)
    convert_to_parquet(json_dir, str(parquet_dir) + "-gz", compression="gzip")
    size = sum(p.stat().st_size for p in json_dir.rglob("*.gz"))
    return str(json_dir), str(parquet_dir), count, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory() as folder:
        print(f"generating {args.events:,} events ...", file=sys.stderr)
        json_dir, parquet_dir, count, size = corpus(args.events, Path(folder))
        parquet_size = sum(p.stat().st_size for p in Path(parquet_dir).rglob("*.parquet"))
        gz_size = sum(p.stat().st_size for p in Path(parquet_dir + "-gz").rglob("*.parquet"))
        print(
            f"{count:,} events: GZIP JSON {size / 2**20:.1f} MiB, Parquet Snappy"
            f" {parquet_size / 2**20:.1f} MiB, Parquet GZIP {gz_size / 2**20:.1f} MiB",
        )
        results = []
        print(
            f"{'query':8} {'implementation':15} {'seconds':>8} {'peak MiB':>9} {'read MiB':>9} {'vs pandas':>9}"
        )
        for query in QUERIES:
            runs = {i: measure(i, query, json_dir, parquet_dir) for i in IMPLEMENTATIONS}
            reference = runs["duckdb-json"]["rows"]
            for implementation, run in runs.items():
                if run["rows"] != reference:
                    raise SystemExit(
                        f"{implementation} {query}: different figures (not equal work)"
                    )
            for implementation, run in runs.items():
                ratio = runs["pandas"]["seconds"] / run["seconds"]
                print(
                    f"{query:8} {implementation:17} {run['seconds']:8.2f} {run['peak_mib']:9,}"
                    f" {run['read_mib']:9.1f} {ratio:8.1f}x"
                )
                results.append({k: v for k, v in run.items() if k != "rows"})
        if args.json:
            Path(args.json).write_text(
                json.dumps(
                    {
                        "events": count,
                        "json_bytes": size,
                        "parquet_bytes": parquet_size,
                        "runs": results,
                    },
                    indent=2,
                )
            )


if __name__ == "__main__":
    main()
