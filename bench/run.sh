#!/bin/sh
# Builds the benchmark, generates the corpus (once) and runs every engine.
# Usage: bench/run.sh [RECORDS]   (default 1000000; run from anywhere)
set -eu
n="${1:-1000000}"
root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="$root/target"
cargo build --release --manifest-path "$root/bench/Cargo.toml"
bin="$CARGO_TARGET_DIR/release/papertrend-bench"
out="$CARGO_TARGET_DIR/bench"
mkdir -p "$out"
corpus="$out/corpus-$n.jsonl"
[ -s "$corpus" ] || "$bin" gen "$n" "$corpus"
"$bin" run --corpus "$corpus" --work "$out/work-$n"
