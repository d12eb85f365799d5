#!/usr/bin/env python3
"""Finishes a build for offline use and a strict CSP (trunk post_build hook).

Trunk writes the final index.html, with its inline module loader, only at
the end of the build, so these steps run on the built files:

0. index.html: the snapshot of the home page (public/snapshot.html, made
   by `cargo run -p leche --bin snapshot` from the artifacts) goes where
   `<!-- leche:snapshot -->` is, so the published forecast shows before the
   app loads, and without JavaScript; its first-paint script
   (public/first_paint.js: the data's age by today's clock, another page's
   address) goes inline where `<!-- leche:first-paint -->` is, in <head>.
1. index.html: the Content-Security-Policy <meta> gets the SHA-256 of every
   inline <script> (trunk's loader), so the policy allows exactly that
   script and nothing else inline.
2. sw.js: its `const BUILD = …;` line gets every file of the build with the
   SHA-256 of its contents, and a build version hashed from that list: any
   changed file gives a new sw.js, which is how browsers notice a new deploy.
3. Precompression, last (so index.html and sw.js are final): `FILE.gz`
   (gzip -9) and `FILE.br` (brotli 11) next to every text or wasm file they
   make smaller, for servers that send a stored encoding instead of
   compressing on each request (nginx `gzip_static`/`brotli_static`, see
   deploy/; most CDNs). The service worker never lists them: it fetches the
   plain URLs and the server picks the encoding. Brotli needs Debian's
   `brotli` command (scripts/setup.sh installs it); without it only the .gz
   files are written, and the hook says so. Both are byte-reproducible (no
   name or time in the gzip header) and carry their source's mtime, so the
   server's Last-Modified is the same whichever encoding it sends.

Runs on $TRUNK_STAGING_DIR when trunk calls it, or on a directory given as
the argument (tests re-run it on a modified copy of dist/). Idempotent.
"""
import base64
import hashlib
import json
import os
import gzip
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*/?>')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
BUILD_LINE = re.compile(r"^const BUILD = .*;$", re.M)
SNAPSHOT_MARKER = "<!-- leche:snapshot -->"
SNAPSHOT = Path(__file__).resolve().parent.parent / "public" / "snapshot.html"
FIRST_PAINT_MARKER = "<!-- leche:first-paint -->"
FIRST_PAINT = Path(__file__).resolve().parent.parent / "public" / "first_paint.js"
# What compresses: text and wasm (png icons are compressed already).
COMPRESSIBLE = {".html", ".js", ".wasm", ".css", ".json", ".csv", ".log", ".webmanifest", ".svg", ".txt"}
ENCODED = (".gz", ".br")


def fail(message):
    sys.exit(f"pwa_postbuild: {message}")


def put_snapshot(index):
    html = index.read_text(encoding="utf-8")
    if SNAPSHOT_MARKER not in html:
        return  # already put (a re-run on a built copy)
    if not SNAPSHOT.is_file():
        fail(f"{SNAPSHOT} is missing: run `cargo run -p leche --bin snapshot`")
    html = html.replace(SNAPSHOT_MARKER, SNAPSHOT.read_text(encoding="utf-8"), 1)
    if FIRST_PAINT_MARKER not in html:
        fail(f"no {FIRST_PAINT_MARKER} in {index}: the snapshot's first-paint script has nowhere to go")
    script = FIRST_PAINT.read_text(encoding="utf-8").strip()
    if "</script" in script.lower():
        fail(f"{FIRST_PAINT} must not contain </script>")
    html = html.replace(FIRST_PAINT_MARKER, f"<script>{script}</script>", 1)
    index.write_text(html, encoding="utf-8")


def set_csp(index):
    html = index.read_text(encoding="utf-8")
    scripts = INLINE_SCRIPT.findall(html)
    if not scripts:
        fail(f"no inline script in {index}: has trunk's loader changed?")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'" for s in scripts
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP.format(hashes=hashes)}" />'
    html, n = CSP_META.subn(meta, html)
    if n != 1:
        fail(f"expected one Content-Security-Policy <meta> in {index}, found {n}")
    index.write_text(html, encoding="utf-8")


def set_build(root, sw):
    files = {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p != sw and p.suffix not in ENCODED
    }
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    line = "const BUILD = " + json.dumps({"version": version, "files": files}, sort_keys=True) + ";"
    text, n = BUILD_LINE.subn(lambda _: line, sw.read_text(encoding="utf-8"))
    if n != 1:
        fail(f"expected one `const BUILD = …;` line in {sw}, found {n}")
    sw.write_text(text, encoding="utf-8")
    return version, len(files)


def keep_if_smaller(source, encoded):
    """Keeps `encoded` only if it saves bytes; dated like its source."""
    if encoded.stat().st_size >= source.stat().st_size:
        encoded.unlink()
        return 0
    st = source.stat()
    os.utime(encoded, ns=(st.st_atime_ns, st.st_mtime_ns))
    return encoded.stat().st_size


def gzip_file(source):
    encoded = source.with_name(source.name + ".gz")
    encoded.write_bytes(gzip.compress(source.read_bytes(), compresslevel=9, mtime=0))
    return keep_if_smaller(source, encoded)


def brotli_file(brotli, source):
    encoded = source.with_name(source.name + ".br")
    run = subprocess.run([brotli, "--quality=11", "--force", f"--output={encoded}", str(source)], capture_output=True, text=True)
    if run.returncode != 0:
        fail(f"brotli failed on {source}: {run.stderr.strip()}")
    return keep_if_smaller(source, encoded)


def precompress(root):
    for old in [p for p in root.rglob("*") if p.is_file() and p.suffix in ENCODED]:
        old.unlink()
    sources = sorted(p for p in root.rglob("*") if p.is_file() and p.suffix in COMPRESSIBLE)
    brotli = shutil.which("brotli")
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        gz = sum(pool.map(gzip_file, sources))
        br = sum(pool.map(lambda p: brotli_file(brotli, p), sources)) if brotli else None
    if br is None:
        print("pwa_postbuild: no `brotli` command (Debian package brotli): no .br files written", file=sys.stderr)
    return gz, br


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not target:
        fail("usage: pwa_postbuild.py DIR (or run as a trunk post_build hook)")
    root = Path(target)
    put_snapshot(root / "index.html")
    set_csp(root / "index.html")
    version, count = set_build(root, root / "sw.js")
    # A debug build (the crash test's dist-debug/) is never deployed: its
    # tens of megabytes of wasm are not worth a minute of brotli.
    if os.environ.get("TRUNK_PROFILE") == "debug":
        print(f"pwa_postbuild: {root}: snapshot in, CSP hashed, sw.js build {version} ({count} files), debug build: not precompressed")
        return
    gz, br = precompress(root)
    sizes = f"{gz:,} B gzip" + ("" if br is None else f", {br:,} B brotli")
    print(f"pwa_postbuild: {root}: snapshot in, CSP hashed, sw.js build {version} ({count} files), precompressed ({sizes})")


if __name__ == "__main__":
    main()
