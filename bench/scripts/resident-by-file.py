#!/usr/bin/env python3
"""Where a serving process's memory is: bytes per item by snapshot file, on disk and resident.

Usage: resident-by-file.py PID SNAPSHOT_VERSION_DIR ITEMS

Reads /proc/PID/smaps (Linux): each mapping's resident bytes (Rss), summed by the file it maps.
Files of the snapshot are listed with their size on disk; files read with positional reads (the
float vectors) are on disk but never mapped, so they show no resident bytes here (the kernel's page
cache may hold their pages, outside the process). Everything else resident (the Java heap, code,
thread stacks, libraries) is summed as "process (heap, JIT, libraries)".
"""
import os
import sys


def mappings(pid):
    """(path or None, rss bytes) for every mapping in /proc/PID/smaps."""
    path = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            if "-" in fields[0] and len(fields) >= 5 and not fields[0].endswith(":"):
                path = fields[5] if len(fields) >= 6 else None
            elif fields[0] == "Rss:":
                yield path, int(fields[1]) * 1024


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    pid, snapshot, items = sys.argv[1], os.path.realpath(sys.argv[2]), int(sys.argv[3])
    resident = {}
    other = 0
    for path, rss in mappings(pid):
        if path and os.path.realpath(path).startswith(snapshot + os.sep):
            rel = os.path.relpath(os.path.realpath(path), snapshot)
            resident[rel] = resident.get(rel, 0) + rss
        else:
            other += rss
    on_disk = {}
    for root, _, files in os.walk(snapshot):
        for name in files:
            full = os.path.join(root, name)
            on_disk[os.path.relpath(full, snapshot)] = os.path.getsize(full)
    rows = sorted(on_disk, key=lambda r: -max(on_disk[r], resident.get(r, 0)))
    print(f"| file | on disk, B/item | resident, B/item |")
    print(f"|---|---:|---:|")
    total_disk = total_resident = 0
    small_disk = small_resident = 0
    for rel in rows:
        disk, res = on_disk[rel], resident.get(rel, 0)
        total_disk += disk
        total_resident += res
        if max(disk, res) / items < 1:
            small_disk += disk
            small_resident += res
            continue
        print(f"| {rel} | {disk / items:,.1f} | {res / items:,.1f} |")
    print(f"| {sum(1 for r in rows if max(on_disk[r], resident.get(r, 0)) / items < 1)} files under"
          f" 1 B/item | {small_disk / items:,.1f} | {small_resident / items:,.1f} |")
    print(f"| **snapshot** | **{total_disk / items:,.0f}** | **{total_resident / items:,.0f}** |")
    print(f"| process (heap, JIT, libraries) | - | {other / items:,.0f} |")
    with open(f"/proc/{pid}/status") as f:
        status = {l.split(":")[0]: l.split(":")[1].strip() for l in f if ":" in l}
    print()
    print(f"VmRSS {status.get('VmRSS')}, RssAnon {status.get('RssAnon')},"
          f" RssFile {status.get('RssFile')}; {items:,} items")


if __name__ == "__main__":
    main()
