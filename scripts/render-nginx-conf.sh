#!/usr/bin/env bash
# Writes deploy/nginx.conf with its placeholders filled in (paths and ports only).
# Usage: render-nginx-conf.sh LISTEN APP_DIR DASHBOARDS_DIR PROMETHEUS_URL RUNTIME_DIR [PROVISIONING_DIR] > nginx.conf
# PROVISIONING_DIR defaults to deploy/provisioning (the built-in datasource only).
set -euo pipefail
[ $# -eq 5 ] || [ $# -eq 6 ] || {
  echo "usage: $0 LISTEN APP_DIR DASHBOARDS_DIR PROMETHEUS_URL RUNTIME_DIR [PROVISIONING_DIR]" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
provisioning="${6:-$root/deploy/provisioning}"
mime_types="${NGINX_MIME_TYPES:-/etc/nginx/mime.types}"
sed -e "s|@LISTEN@|$1|g" -e "s|@APP_DIR@|$2|g" -e "s|@DASHBOARDS_DIR@|$3|g" \
    -e "s|@PROMETHEUS_URL@|$4|g" -e "s|@RUNTIME_DIR@|$5|g" -e "s|@MIME_TYPES@|$mime_types|g" \
    -e "s|@PROVISIONING_DIR@|$provisioning|g" \
    "$root/deploy/nginx.conf"
