#!/usr/bin/env python3
"""What the app's wasm is made of: bytes per crate (and per module for the
project's own crates), from `twiggy top --format csv` of a build that keeps
function names. Used by scripts/size.sh; prints a table, largest first.

    twiggy top -n 1000000 --format csv leche_bg.wasm | python3 scripts/wasm_size.py
"""
import collections
import csv
import re
import sys

OWN = ("leche", "leche_core")


def owner(name: str) -> str:
    if name.startswith("data segment"):
        return "(static data: strings, tables)"
    if "function names" in name or name.startswith("custom section"):
        return None
    # Trait impls read "<T as crate::Trait>::f": attribute them to the implementing type's crate when named.
    text = name.lstrip("<")
    m = re.match(r"([a-z_][a-z_0-9]*)(?:\[[0-9a-f]+\])?::([a-z_][a-z_0-9]*)?", text)
    if not m:
        return "(other: glue, generic impls)"
    crate, module = m.group(1), m.group(2) or ""
    return f"{crate}::{module}" if crate in OWN and module else crate


def main() -> None:
    sizes = collections.Counter()
    for row in csv.DictReader(sys.stdin):
        key = owner(row["Name"])
        if key is not None:
            sizes[key] += int(row["ShallowSize"])
    total = sum(sizes.values())
    print(f"{'bytes':>9}  {'share':>6}  part")
    for key, size in sizes.most_common(40):
        print(f"{size:9d}  {100 * size / total:5.1f}%  {key}")
    rest = total - sum(s for _, s in sizes.most_common(40))
    print(f"{rest:9d}  {100 * rest / total:5.1f}%  (the rest)")
    print(f"{total:9d}  100.0%  total (before wasm-opt; names excluded)")


if __name__ == "__main__":
    main()
