#!/usr/bin/env bash
# trunk's build hook (see Trunk.toml), for `trunk serve`: puts into the development build what nginx
# gives the app in production — the dashboards folder, listed in nginx's JSON autoindex format (an
# `index.html` per folder, which trunk's server answers for `/dashboards/…/`), and /datasources.yaml.
# The files are symlinks into the checkout, so an edited dashboard shows on the next reload with no
# rebuild; trunk watches dashboards/, so a new or removed file rebuilds the listing by itself.
# Release builds are left alone: nginx serves these paths (deploy/nginx.conf).
set -euo pipefail
[ "${TRUNK_PROFILE:-}" = debug ] || exit 0
source_dir="${TRUNK_SOURCE_DIR:?run by trunk (Trunk.toml [[hooks]])}"
staging="${TRUNK_STAGING_DIR:?run by trunk (Trunk.toml [[hooks]])}"
export LC_ALL=C TZ=UTC

json_string() {
  local text=$1
  text=${text//\\/\\\\}
  text=${text//\"/\\\"}
  printf '"%s"' "$text"
}

# Lists folder $1 of the checkout into folder $2 of the build, recursively.
list_folder() {
  local from=$1 to=$2 kind size mtime name separator=''
  mkdir -p "$to"
  {
    printf '['
    while IFS=$'\t' read -r kind size mtime name; do
      # Hidden files are not dashboards (nor listed by Grafana's file provider); names with
      # control characters cannot be listed safely.
      [[ $name == .* || $name == *[[:cntrl:]]* ]] && continue
      case $kind in
        d) list_folder "$from/$name" "$to/$name"; kind=directory ;;
        f) ln -s "$from/$name" "$to/$name"; kind=file ;;
        *) continue ;;
      esac
      printf '%s{"name":%s,"type":"%s","mtime":"%s GMT","size":%s}' \
        "$separator" "$(json_string "$name")" "$kind" "${mtime%.*}" "$size"
      separator=','
    done < <(find "$from" -mindepth 1 -maxdepth 1 -printf '%y\t%s\t%Ta, %Td %Tb %TY %TH:%TM:%TS\t%f\n' | sort -t $'\t' -k 4)
    printf ']'
  } >"$to/index.html"
}

list_folder "$source_dir/dashboards" "$staging/dashboards"
if [ -f "$source_dir/deploy/provisioning/datasources.yaml" ]; then
  ln -s "$source_dir/deploy/provisioning/datasources.yaml" "$staging/datasources.yaml"
fi
