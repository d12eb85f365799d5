#!/usr/bin/env bash
# Checks deploy/ without a Docker engine (there is none on the project's
# machines): the nginx examples in the layout deploy/Dockerfile gives them on
# Debian's nginx (its /etc/nginx, conf.d/, snippets/, sites-enabled/) pass
# `nginx -t` with no warning, with the CSP snippet generated from a build; and
# the Dockerfile pins the versions scripts/setup.sh installs. What the
# configuration sends is checked by e2e/tests/deploy.spec.js (LECHE_SERVER=nginx).
#   deploy/check.sh [DIST]      (default dist/, built by trunk build --release --offline)
set -euo pipefail
cd "$(dirname "$0")/.."
dist="${1:-dist}"
nginx=/usr/sbin/nginx
fail() { echo "deploy/check: $*" >&2; exit 1; }
[ -x "$nginx" ] || fail "no $nginx: scripts/setup.sh e2e installs Debian's nginx"
[ -d /etc/nginx ] || fail "no /etc/nginx (Debian's nginx-common)"

# Versions: the Dockerfile builds with what setup.sh installs.
want_trunk=$(sed -n 's/.*cargo install trunk --locked --version \([0-9.]*\).*/\1/p' scripts/setup.sh)
got_trunk=$(sed -n 's/^ARG TRUNK_VERSION=//p' deploy/Dockerfile)
[ -n "$want_trunk" ] && [ "$want_trunk" = "$got_trunk" ] || fail "trunk: setup.sh installs '$want_trunk', deploy/Dockerfile '$got_trunk'"
rust=$(rustc --version | awk '{print $2}')
grep -q "^FROM rust:$rust-bookworm AS build\$" deploy/Dockerfile || fail "deploy/Dockerfile does not build with rust $rust (rustc --version here)"
node_major=$(node --version | sed 's/^v\([0-9]*\).*/\1/')
grep -q "^FROM node:$node_major-bookworm-slim AS node\$" deploy/Dockerfile || fail "deploy/Dockerfile does not use node $node_major (node --version here)"
for src in $(awk '/^COPY / && !/--from/ {for (i = 2; i < NF; i++) print $i}' deploy/Dockerfile); do
  case "$src" in *'${SITE_CONF}'*) continue ;; .) continue ;; esac
  [ -e "$src" ] || fail "deploy/Dockerfile copies $src, which does not exist"
done
echo "deploy/check: Dockerfile pins trunk $got_trunk, rust $rust, node $node_major; its COPY sources exist"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 deploy/nginx-csp.py "$dist" > "$tmp/leche-csp.conf"
for site in leche.conf leche-subpath.conf; do
  etc="$tmp/$site/etc-nginx"
  mkdir -p "$tmp/$site"
  cp -a /etc/nginx "$etc"
  rm -f "$etc"/sites-enabled/*
  # As the Dockerfile installs them.
  cp deploy/nginx/leche-http.conf "$etc/conf.d/leche-http.conf"
  cp deploy/nginx/leche-site.conf "$etc/snippets/leche-site.conf"
  cp "deploy/nginx/$site" "$etc/sites-enabled/leche"
  cp "$tmp/leche-csp.conf" "$etc/snippets/leche-csp.conf"
  [ -e /usr/lib/nginx/modules/ngx_http_brotli_static_module.so ] \
    || fail "Debian's libnginx-mod-http-brotli-static is not installed (scripts/setup.sh e2e)"
  # Debian's own nginx.conf, pointed at this copy (and at writable log/pid paths).
  sed -i -e "s#/etc/nginx#$etc#g" -e "s#/var/log/nginx#$tmp/$site#g" -e "s#/run/nginx.pid#$tmp/$site/nginx.pid#g" "$etc/nginx.conf"
  out=$("$nginx" -t -c "$etc/nginx.conf" -e stderr 2>&1) || fail "nginx -t failed for $site: $out"
  ! grep -q '\[warn\]\|\[emerg\]\|\[alert\]' <<<"$out" || fail "nginx -t warns for $site: $out"
  echo "deploy/check: $site: nginx -t ok in the Dockerfile's layout"
done
