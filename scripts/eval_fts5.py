#!/usr/bin/env python3
"""SQLite FTS5 (porter) on the queries of `examples/eval_titles.rs`.

    cargo run --release --example eval_titles -- --dump target/titles
    python3 scripts/eval_fts5.py target/titles

Reads `corpus.jsonl` and `queries.tsv` from the dump, indexes title and
abstract as the bench does (`tokenize='porter'`), runs each query as the
OR of its words (the bench's FTS5 query for papertrend's words), ranked by
FTS5's bm25(), and prints nDCG@10 and MRR@10 per kind like the example.
"""

import json
import math
import re
import sqlite3
import statistics
import sys
import time


def main() -> None:
    folder = sys.argv[1] if len(sys.argv) > 1 else "target/titles"
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, abstract, tokenize='porter')"
    )
    with open(f"{folder}/corpus.jsonl", encoding="utf-8") as f:
        rows = (json.loads(line) for line in f)
        db.executemany(
            "INSERT INTO docs (id, title, abstract) VALUES (?, ?, ?)",
            ((r["id"], r["title"], r["abstract"]) for r in rows),
        )
    sums: dict[str, list[float]] = {}
    times = []
    with open(f"{folder}/queries.tsv", encoding="utf-8") as f:
        queries = [line.rstrip("\n").split("\t", 2) for line in f]
    for kind, want, text in queries:
        words = [w for w in re.split(r"[^\w]+", text) if w]
        expr = " OR ".join(f'"{w}"' for w in words)
        t = time.perf_counter()
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10",
                (f"{{title abstract}} : ({expr})",),
            )
        ]
        times.append(time.perf_counter() - t)
        rank = ids.index(want) if want in ids else None
        ndcg = 0.0 if rank is None else 1.0 / math.log2(rank + 2)
        rr = 0.0 if rank is None else 1.0 / (rank + 1)
        for k in (kind, "all"):
            s = sums.setdefault(k, [0.0, 0.0, 0])
            s[0] += ndcg
            s[1] += rr
            s[2] += 1
    parts = [f"{k} nDCG@10 {s[0] / s[2]:.4f} MRR@10 {s[1] / s[2]:.4f}" for k, s in sums.items()]
    p50 = statistics.median(times) * 1000
    print(f"titles: sqlite fts5 porter  {'  '.join(parts)}  ({len(queries)} queries, p50 {p50:.2f} ms)")


if __name__ == "__main__":
    main()
