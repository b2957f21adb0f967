#!/bin/sh
# Renders the HTML digest of the seed dump (config.example.toml, fixed clock)
# into a throwaway data dir and screenshots it with headless Chromium, to
# check the mail layout by eye. Not part of `cargo test`.
#
#   scripts/screenshot-digest.sh [OUT.png]      (default target/digest.png)
#
# Needs: cargo, and chromium (or chromium-browser / google-chrome) on PATH.
set -eu
cd "$(dirname "$0")/.."
out=${1:-target/digest.png}
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    echo "screenshot-digest: no chromium on PATH (apt-get install chromium)" >&2
    exit 1
fi
cargo build --quiet
data=$(mktemp -d)
trap 'rm -rf "$data"' EXIT
export PAPERTREND_NOW=2026-11-27T08:00:00Z
./target/debug/papertrend --data-dir "$data" --config config.example.toml run --quiet > /dev/null
./target/debug/papertrend --data-dir "$data" --config config.example.toml \
    digest --format html --out "$data/digest.html"
mkdir -p "$(dirname "$out")"
# --force-dark-mode + a second shot show the dark-mode overrides.
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
    --screenshot="$out" --window-size=700,1800 "file://$data/digest.html" 2>/dev/null
dark="${out%.png}-dark.png"
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-dark-mode \
    --blink-settings=preferredColorScheme=0 \
    --screenshot="$dark" --window-size=700,1800 "file://$data/digest.html" 2>/dev/null
echo "wrote $out and $dark"
