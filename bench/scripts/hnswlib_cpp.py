#!/usr/bin/env python3
"""C++ hnswlib on the vector set, queries and exact neighbours of a `magpie bench ann` run.

The reference the field measures itself against, run by `magpie bench ann --with-cpp` after its own
measurements (or by hand). Needs Debian's python3-hnswlib and python3-numpy (`apt-get install
python3-hnswlib`); run it with /usr/bin/python3. Reads Magpie files (vec.f32, ann.truth: a 64-byte
header, little-endian rows, parameters 48 bytes before the end; the CRC32C is not checked here, the
Java side verified it). Builds with --threads threads, then times its own batch query call with one
thread for each ef (after a warm-up batch, of --warmup's queries when given), and writes
impl,ef,recall,qps rows like ann.csv.
"""
import argparse
import os
import sys
import time

import hnswlib
import numpy as np

HEADER = 64
TRAILER = 48


def read_rows(path, kind, dtype):
    with open(path, "rb") as f:
        header = f.read(HEADER)
        f.seek(-TRAILER, os.SEEK_END)
        params = np.frombuffer(f.read(32), dtype="<i8")
    found = header[8:32].rstrip(b"\0").decode("ascii")
    if header[0:4] != b"MGPI" or found != kind:
        sys.exit(f"{path}: not a Magpie '{kind}' file (kind '{found}')")
    rows, width = int(params[0]), int(params[1])
    return np.memmap(path, dtype=dtype, mode="r", offset=HEADER, shape=(rows, width))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--vectors", required=True)
    p.add_argument("--queries", required=True)
    p.add_argument("--truth", required=True)
    p.add_argument("--warmup", help="queries to warm up on before each timed batch (none of them timed); default: the timed ones")
    p.add_argument("--ef", default="10,20,40,80,100,160,200,300,500")
    p.add_argument("--m", type=int, default=16)
    p.add_argument("--ef-construction", type=int, default=200)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--index-cache", help="file to load the index from, or to save it to after building")
    p.add_argument("--out", required=True, help="CSV to write")
    a = p.parse_args()

    data = read_rows(a.vectors, "vec.f32", "<f4")
    queries = np.ascontiguousarray(read_rows(a.queries, "vec.f32", "<f4"))
    truth = read_rows(a.truth, "ann.truth", "<i4")
    warmup = np.ascontiguousarray(read_rows(a.warmup, "vec.f32", "<f4")) if a.warmup else queries
    n, dim = data.shape
    k = truth.shape[1]

    index = hnswlib.Index(space="ip", dim=dim)
    if a.index_cache and os.path.exists(a.index_cache):
        index.load_index(a.index_cache, max_elements=n)
        print(f"hnswlib-cpp: loaded {a.index_cache}")
    else:
        index.init_index(max_elements=n, ef_construction=a.ef_construction, M=a.m, random_seed=a.seed)
        start = time.perf_counter()
        index.add_items(data, np.arange(n), num_threads=a.threads)
        seconds = time.perf_counter() - start
        print(f"hnswlib-cpp: built in {seconds:.1f} s ({n / seconds:,.0f} vectors/s, {a.threads} threads)")
        if a.index_cache:
            index.save_index(a.index_cache)

    index.set_num_threads(1)
    rows = []
    for ef in (int(x) for x in a.ef.split(",")):
        index.set_ef(max(ef, k))
        index.knn_query(warmup, k=k, num_threads=1)
        start = time.perf_counter()
        labels, _ = index.knn_query(queries, k=k, num_threads=1)
        qps = len(queries) / (time.perf_counter() - start)
        hits = sum(len(np.intersect1d(labels[q], truth[q])) for q in range(len(queries)))
        recall = hits / (k * len(queries))
        print(f"{'hnswlib-cpp':<12} {ef:6d} {recall:8.4f} {qps:10.0f}")
        rows.append(f"hnswlib-cpp,{ef},{recall:.4f},{qps:.1f}")
    with open(a.out, "w") as f:
        f.write("impl,ef,recall,qps\n" + "\n".join(rows) + "\n")


if __name__ == "__main__":
    main()
