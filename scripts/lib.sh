# Shared by scripts/serve and scripts/test: a step runner and the idempotent setup.
# Sourced, not run. Everything comes from crates.io, npm and Debian's packages.

set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

TRUNK_VERSION=0.21.14

# step NAME CMD...: runs CMD, and on failure says which step failed and stops.
# CMD runs in a subshell with errexit on, and not as a condition: bash ignores
# errexit inside anything run as `if`'s condition or beside `||`, so a step
# that is a function of several commands would otherwise pass whenever its
# last command did.
step() {
  local name="$1"; shift
  echo "==> $name"
  local rc=0
  set +e
  (set -e; "$@")
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "FAILED: $name" >&2
    exit 1
  fi
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else
    echo "need root (or sudo) to run: $*" >&2; return 1; fi
}

# The wasm-bindgen version Cargo.lock pins: wasm-bindgen-cli must match it exactly.
lock_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_cargo() {
  command -v cargo >/dev/null || { echo "cargo not found: install Rust with rustup first" >&2; return 1; }
}

setup_rust() {
  need_cargo
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    rustup target add wasm32-unknown-unknown
  fi
  for c in rustfmt clippy; do
    rustup component list --installed | grep -q "^$c" || rustup component add "$c"
  done
}

setup_trunk() {
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    cargo install trunk --version "$TRUNK_VERSION" --locked --force
  fi
}

setup_wasm_bindgen() {
  local v; v="$(lock_version wasm-bindgen)"
  [ -n "$v" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; return 1; }
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $v" ]; then
    # Not --locked: its lock pins a crate the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$v" --force
  fi
}

setup_npm() {
  command -v npm >/dev/null || { echo "npm not found: install Node.js 20 or later" >&2; return 1; }
  local want; want="$(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ "$(cat node_modules/.lock-sha 2>/dev/null)" != "$want" ]; then
    npm ci --no-audit --no-fund
    echo "$want" > node_modules/.lock-sha
  fi
}

setup_browser() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v brotli >/dev/null; then
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver brotli
  fi
}

# What `scripts/serve` needs.
setup_build() {
  step "set up Rust (wasm32 target, rustfmt, clippy)" setup_rust
  step "set up npm tools (wasm-opt, playwright-core)" setup_npm
  step "set up Trunk $TRUNK_VERSION" setup_trunk
  step "set up wasm-bindgen-cli (the version in Cargo.lock)" setup_wasm_bindgen
}
