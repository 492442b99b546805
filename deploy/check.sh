#!/usr/bin/env bash
# `make deploy-check`: nginx and systemd read the files under deploy/ as they are.
#
# nginx -t loads deploy/nginx/civic-portal.conf inside a throwaway nginx.conf, with a
# self-signed certificate made here in place of the real one. systemd-analyze verify
# reads the units, with /srv/civic-portal pointed at this checkout (its .venv provides
# gunicorn and celery). Needs nginx (Debian's `nginx` package) and openssl; without
# systemd-analyze the unit check is skipped with one line.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
VENV="$(cd "${VENV:-$ROOT/.venv}" 2>/dev/null && pwd)" || { echo "deploy-check: no virtualenv at ${VENV:-$ROOT/.venv}" >&2; exit 1; }
NGINX="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "== nginx -t (deploy/nginx/civic-portal.conf)"
[ -x "$NGINX" ] || { echo "deploy-check: nginx not found (apt-get install nginx)" >&2; exit 1; }
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=portal.example.org" -keyout "$TMP/civic-portal.key" -out "$TMP/civic-portal.crt" 2>/dev/null
sed -e "s|/etc/ssl/certs/civic-portal.crt|$TMP/civic-portal.crt|" \
    -e "s|/etc/ssl/private/civic-portal.key|$TMP/civic-portal.key|" \
    "$ROOT/deploy/nginx/civic-portal.conf" >"$TMP/civic-portal.conf"
# What Debian's /etc/nginx/nginx.conf puts around a site, with every path in the temp folder.
cat >"$TMP/nginx.conf" <<EOF
pid $TMP/nginx.pid;
error_log $TMP/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    gzip on;
    access_log off;
    client_body_temp_path $TMP/body;
    proxy_temp_path $TMP/proxy;
    fastcgi_temp_path $TMP/fastcgi;
    uwsgi_temp_path $TMP/uwsgi;
    scgi_temp_path $TMP/scgi;
    include $TMP/civic-portal.conf;
}
EOF
# -q: nginx prints only problems; a warning fails the check too.
out="$("$NGINX" -t -q -p "$TMP" -e "$TMP/error.log" -c "$TMP/nginx.conf" 2>&1)" || { echo "$out"; exit 1; }
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
echo "nginx: civic-portal.conf is valid ($("$NGINX" -v 2>&1 | sed 's/.*: //'))"

echo "== systemd-analyze verify (deploy/systemd/)"
if ! command -v systemd-analyze >/dev/null 2>&1; then
  echo "systemd-analyze not found: unit check skipped"
  exit 0
fi
UNITS="$TMP/units"
mkdir -p "$UNITS"
for unit in "$ROOT"/deploy/systemd/*; do
  sed -e "s|/srv/civic-portal/.venv|$VENV|g" -e "s|/srv/civic-portal|$ROOT|g" "$unit" >"$UNITS/$(basename "$unit")"
done
# Verify reports every problem (an unknown key, a missing program) on stderr; any output fails.
out="$(cd "$UNITS" && systemd-analyze verify --man=no ./*.service ./*.target 2>&1)" || { echo "$out"; exit 1; }
if [ -n "$out" ]; then
  echo "$out"
  exit 1
fi
echo "systemd: $(cd "$UNITS" && ls | tr '\n' ' ')verified ($(systemd-analyze --version | head -n1))"
