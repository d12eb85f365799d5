#!/usr/bin/env python3
"""Prints the nginx snippet that sends a build's Content-Security-Policy as a
response header: `python3 deploy/nginx-csp.py dist > snippets/leche-csp.conf`.

The policy is read from the build's index.html, whose <meta> carries the
SHA-256 of trunk's inline loader (scripts/pwa_postbuild.py writes it after
each build), so header and meta are the same policy and change together;
regenerate the snippet with every deploy. The header adds what a <meta>
cannot do: the policy applies before the page is parsed, to every file the
server sends (including error pages).
"""
import html
import re
import sys
from pathlib import Path

CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"\s*/?>')


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: nginx-csp.py DIST (the built site, e.g. dist)")
    index = Path(sys.argv[1]) / "index.html"
    try:
        page = index.read_text(encoding="utf-8")
    except OSError as error:
        sys.exit(f"nginx-csp: cannot read {index}: {error.strerror} (build the site first: trunk build --release --offline)")
    found = CSP_META.findall(page)
    if len(found) != 1:
        sys.exit(f"nginx-csp: expected one Content-Security-Policy <meta> in {index}, found {len(found)}")
    policy = html.unescape(found[0])
    if "sha256-" not in policy:
        sys.exit(f"nginx-csp: the policy in {index} has no script hash: was it built with the post-build hook?")
    # Inside an nginx double-quoted string `$` starts a variable and `"`/`\` end or escape it.
    if any(c in policy for c in '"$\\\n'):
        sys.exit(f"nginx-csp: the policy in {index} has a character nginx would misread: {policy}")
    print(f"# Generated from {index} by deploy/nginx-csp.py: the page's own policy, as a header.")
    print(f'add_header Content-Security-Policy "{policy}" always;')


if __name__ == "__main__":
    main()
