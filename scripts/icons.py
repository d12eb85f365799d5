#!/usr/bin/env python3
"""Draws the app icons (public/icons/*.png) with the standard library only.

A white milk drop on the app's accent colour (#1f5f8b, style.css). The
maskable icon fills the whole square and keeps the drop inside the central
circle of 80% diameter that launchers never crop. The PNGs are committed;
run this again only to change the design:

    python3 scripts/icons.py
"""
import math
import struct
import zlib
from pathlib import Path

ACCENT = (0x1F, 0x5F, 0x8B)
WHITE = (0xFF, 0xFF, 0xFF)
OUT = Path(__file__).resolve().parent.parent / "public" / "icons"


def inside_drop(x, y, size, scale):
    """Whether pixel centre (x, y) is in the drop: a circle with a pointed top."""
    cx, r = size / 2, size * 0.24 * scale
    cy = size / 2 + r * 0.45
    tip = cy - r * 2.2
    dx, dy = x - cx, y - cy
    if dx * dx + dy * dy <= r * r:
        return True
    # The two tangents from the tip to the circle bound the pointed part.
    d = cy - tip
    # The tangent points are r²/d above the centre; below them the circle is wider.
    if tip <= y <= cy - r * r / d:
        half = math.asin(r / d)
        return abs(dx) <= (y - tip) * math.tan(half)
    return False


def inside_rounded(x, y, size, radius):
    """Whether (x, y) is inside a square with rounded corners."""
    cx = min(max(x, radius), size - radius)
    cy = min(max(y, radius), size - radius)
    return (x - cx) ** 2 + (y - cy) ** 2 <= radius * radius


def pixel(x, y, size, maskable):
    """RGBA of one pixel, 4x4 supersampled for smooth edges."""
    drop = bg = 0
    for i in range(4):
        for j in range(4):
            px, py = x + (i + 0.5) / 4, y + (j + 0.5) / 4
            if maskable or inside_rounded(px, py, size, size * 0.18):
                bg += 1
                drop += inside_drop(px, py, size, 0.8 if maskable else 1.0)
    if bg == 0:
        return (0, 0, 0, 0)
    a = drop / bg
    rgb = tuple(round(w * a + c * (1 - a)) for w, c in zip(WHITE, ACCENT))
    return rgb + (round(255 * bg / 16),)


def png(size, maskable):
    """The PNG bytes (8-bit RGBA, no filter)."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(pixel(x, y, size, maskable))

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, size, maskable in [
        ("icon-192.png", 192, False),
        ("icon-512.png", 512, False),
        ("icon-maskable-512.png", 512, True),
    ]:
        (OUT / name).write_bytes(png(size, maskable))
        print(f"{OUT / name}")


if __name__ == "__main__":
    main()
