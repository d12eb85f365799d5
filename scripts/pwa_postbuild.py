#!/usr/bin/env python3
"""Finishes a build for offline use and a strict CSP (trunk post_build hook).

Trunk writes the final index.html, with its inline module loader, only at
the end of the build, so both steps run on the built files:

1. index.html: the Content-Security-Policy <meta> gets the SHA-256 of every
   inline <script> (trunk's loader), so the policy allows exactly that
   script and nothing else inline.
2. sw.js: its `const BUILD = …;` line gets every file of the build with the
   SHA-256 of its contents, and a build version hashed from that list: any
   changed file gives a new sw.js, which is how browsers notice a new deploy.

Runs on $TRUNK_STAGING_DIR when trunk calls it, or on a directory given as
the argument (tests re-run it on a modified copy of dist/). Idempotent.
"""
import base64
import hashlib
import json
import os
import re
import sys
from pathlib import Path

CSP = (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' {hashes}; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'"
)
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*"\s*/?>')
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
BUILD_LINE = re.compile(r"^const BUILD = .*;$", re.M)


def fail(message):
    sys.exit(f"pwa_postbuild: {message}")


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
        if p.is_file() and p != sw
    }
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    line = "const BUILD = " + json.dumps({"version": version, "files": files}, sort_keys=True) + ";"
    text, n = BUILD_LINE.subn(lambda _: line, sw.read_text(encoding="utf-8"))
    if n != 1:
        fail(f"expected one `const BUILD = …;` line in {sw}, found {n}")
    sw.write_text(text, encoding="utf-8")
    return version, len(files)


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("TRUNK_STAGING_DIR")
    if not target:
        fail("usage: pwa_postbuild.py DIR (or run as a trunk post_build hook)")
    root = Path(target)
    set_csp(root / "index.html")
    version, count = set_build(root, root / "sw.js")
    print(f"pwa_postbuild: {root}: CSP hashed, sw.js build {version} ({count} files)")


if __name__ == "__main__":
    main()
