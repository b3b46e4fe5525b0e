#!/usr/bin/env bash
# Installs everything promboard needs to build, run and test, skipping what is already present.
# Idempotent: a second run does nothing but check versions. Used by scripts/run and scripts/test.
set -euo pipefail
source "$(dirname "$0")/env.sh"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=(prometheus prometheus-alertmanager prometheus-node-exporter victoria-metrics nginx chromium chromium-driver curl gcc libc6-dev)
# npm installs wasm-opt; use the machine's Node.js when it has one.
command -v npm >/dev/null 2>&1 || apt_packages+=(nodejs npm)
missing=()
for package in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  # apt does not start services in this environment; we run our own processes anyway.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  # Debian's own Rust is too old for this crate (edition 2024): install rustup's stable toolchain.
  log "installing Rust with rustup"
  curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal -c rustfmt,clippy \
    || die "could not install Rust; install it from https://rustup.rs and run this again"
  source "$HOME/.cargo/env"
fi
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

mkdir -p "$PROMBOARD_TOOLS/bin"
if ! "$PROMBOARD_TOOLS/bin/trunk" --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
  log "installing trunk $TRUNK_VERSION (about 6 minutes on 2 cores)"
  cargo install --quiet --locked --root "$PROMBOARD_TOOLS" trunk --version "$TRUNK_VERSION"
fi
if ! "$PROMBOARD_TOOLS/bin/wasm-bindgen" --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  log "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 2 minutes)"
  # Not --locked: its lockfile names a crate version the registry mirror lacks (TOOLCHAIN.md).
  cargo install --quiet --root "$PROMBOARD_TOOLS" wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
if ! "$PROMBOARD_TOOLS/binaryen/node_modules/.bin/wasm-opt" --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  log "installing wasm-opt from npm binaryen@$BINARYEN_VERSION"
  mkdir -p "$PROMBOARD_TOOLS/binaryen"
  npm install --silent --no-audit --no-fund --prefix "$PROMBOARD_TOOLS/binaryen" "binaryen@$BINARYEN_VERSION" >/dev/null
fi
# So that a plain `trunk serve` works in any shell (README, "Development"): trunk, and the two
# tools it looks up on PATH, linked where cargo puts installed commands (~/.cargo/bin, on PATH
# after rustup's set-up). A command of the same name that is not our link is left alone.
mkdir -p "$HOME/.cargo/bin"
for tool in "$PROMBOARD_TOOLS/bin/trunk" "$PROMBOARD_TOOLS/bin/wasm-bindgen" \
            "$PROMBOARD_TOOLS/binaryen/node_modules/.bin/wasm-opt"; do
  link="$HOME/.cargo/bin/$(basename "$tool")"
  if [ -L "$link" ] || [ ! -e "$link" ]; then
    ln -sfn "$tool" "$link"
  elif [ "$(readlink -f "$link")" != "$(readlink -f "$tool")" ]; then
    log "leaving your own $link in place (trunk needs $(basename "$tool") as pinned in scripts/env.sh)"
  fi
done
log "tools ready: $(trunk --version), $(wasm-bindgen --version), $(wasm-opt --version)"
