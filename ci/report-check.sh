#!/usr/bin/env bash
# Checks the HTML report in a real headless browser (Debian's chromium): the page loads with no
# console message and no script error, every test's charts are drawn, and nothing is fetched.
# Keeps a screenshot (and the DOM after the scripts ran) beside the report as CI artifacts.
#   usage: ci/report-check.sh <reports-dir> [text of the test the screenshot opens]
set -euo pipefail
dir=$(cd "${1:?usage: ci/report-check.sh <reports-dir> [test to open]}" && pwd)
open=${2:-}
page="$dir/index.html"
[ -f "$page" ] || { echo "no report at $page" >&2; exit 1; }

if ! command -v chromium >/dev/null; then
  echo "== installing chromium (headless check of the HTML report)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# Self-contained: no script, style, image or frame comes from anywhere but the page itself.
if grep -Eio '(src|href)=["'"'"']?(https?:)?//[^"'"'"' >]*' "$page" | head -3 | grep .; then
  echo "FAIL: the report refers to something outside itself" >&2; exit 1
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
browse() {  # browse <url> <extra flags...>: chromium's stderr goes to $profile/stderr
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile/data" \
    --enable-logging=stderr --v=0 "${@:2}" "$1" 2>>"$profile/stderr"
}

# 1. Every test opened (#all): the DOM after the scripts ran tells what the page drew.
browse "file://$page#all" --dump-dom > "$dir/index.dom.html"
root=$(grep -o '<html[^>]*>' "$dir/index.dom.html" | head -1)
echo "page: $root"
attr() { sed -n "s/.* $1=\"\([^\"]*\)\".*/\1/p" <<<"$root"; }
tests=$(grep -o '"uniqueId"' "$page" | wc -l)
with_samples=$(grep -o '"samples"' "$page" | wc -l)
fail=0
[ "$(attr data-ready)" = ok ] || { echo "FAIL: the page's script did not finish" >&2; fail=1; }
[ -z "$(attr data-errors)" ] || { echo "FAIL: script error: $(attr data-last-error)" >&2; fail=1; }
[ "$(attr data-tests)" = "$tests" ] || { echo "FAIL: the page shows $(attr data-tests) tests, the data holds $tests" >&2; fail=1; }
# two charts (memory, CPU) for each test with samples, each a drawn path
[ "$(attr data-charts)" = "$((2 * with_samples))" ] && [ "$with_samples" -gt 0 ] \
  || { echo "FAIL: $(attr data-charts) charts drawn for $with_samples tests with samples" >&2; fail=1; }
paths=$(grep -o '<path d="M[0-9.]* [0-9.]*L' "$dir/index.dom.html" | wc -l)
[ "$paths" -ge "$((2 * with_samples))" ] || { echo "FAIL: only $paths chart lines have points" >&2; fail=1; }

# 2. A screenshot with one test opened, kept as an artifact.
browse "file://$page#open=$open" --screenshot="$dir/report-screenshot.png" --window-size=1500,1000 --hide-scrollbars >/dev/null

if grep ':CONSOLE' "$profile/stderr" >&2; then echo "FAIL: the page wrote to the console" >&2; fail=1; fi
[ -s "$dir/report-screenshot.png" ] || { echo "FAIL: no screenshot" >&2; fail=1; }
[ "$fail" = 0 ] || exit 1
echo "report OK in $(chromium --version 2>/dev/null): $tests tests, $(attr data-charts) charts drawn, no console output;" \
     "screenshot $dir/report-screenshot.png"
