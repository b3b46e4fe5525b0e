# shellcheck shell=bash
# Shared environment for promboard's scripts: where our pinned tools live and how to find them.
# Sourced, never executed. Keeps one list of tool versions (see ../shared/TOOLCHAIN.md for why these).

PROMBOARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROMBOARD_TOOLS="${PROMBOARD_TOOLS:-$HOME/.cache/promboard-tools}"

TRUNK_VERSION="0.21.14"
WASM_BINDGEN_VERSION="0.2.130"
BINARYEN_VERSION="132.0.0"
# The chart library Grafana and the Prometheus UI draw with; only the benchmark loads it.
UPLOT_VERSION="1.6.32"

# Our pinned tools come first on PATH so that a Debian wasm-opt 108 (which silently breaks the app)
# can never be picked up by trunk.
export PATH="$PROMBOARD_TOOLS/bin:$PROMBOARD_TOOLS/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_TOOLS_WASM_BINDGEN="$WASM_BINDGEN_VERSION"
export TRUNK_TOOLS_WASM_OPT="version_${BINARYEN_VERSION%%.*}"
# trunk exits 2 when NO_COLOR is set; it has its own switch.
unset NO_COLOR
export TRUNK_COLOR=never

log() { printf '\033[1m[promboard]\033[0m %s\n' "$*" >&2; }
die() { printf '[promboard] error: %s\n' "$*" >&2; exit 1; }
