#!/usr/bin/env bash
# bench/run.sh [DIR]: portreg's command line side by side with `grep -c '<record'` and
# `xmllint --noout` on the same registry files, in one hyperfine run, with the ratios the
# performance targets are set in, and peak memory. DIR holds the real registry files
# (default: $PORTREG_REAL_REGISTRY_DIR, else ../shared/registry beside the repository).
# Finer measurements of the library: `cargo bench --bench portreg` (benches/portreg.rs).
#
# Needs hyperfine (`apt-get install -y hyperfine`), xmllint (`apt-get install -y
# libxml2-utils`) and GNU time (`apt-get install -y time`). BENCH_RUNS (default 30) sets the
# runs per command. A report, not a test: exits 0 whether the targets are met or not.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-${PORTREG_REAL_REGISTRY_DIR:-$root/../shared/registry}}
dir=$(cd "$dir" && pwd)
xml=$dir/service-names-port-numbers.xml old=$dir/service-names-port-numbers-2026-07-19.xml
for tool in hyperfine xmllint /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the top of $0 to install it)" >&2; exit 2; }
done
[ -f "$xml" ] && [ -f "$old" ] || { echo "bench: no registry files in $dir" >&2; exit 2; }
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target} PORTREG_TODAY=2026-12-02 NO_COLOR=1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portreg-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The index cache lives in its own folder, warmed by the sanity pass below.
export XDG_CACHE_HOME=$tmp/cache
cd "$root"
cargo build --release --locked --quiet
# The 100 drafts and the registry ten times larger (large.xml), written by the bench binary.
PORTREG_BENCH_WRITE=$tmp PORTREG_REAL_REGISTRY_DIR=$dir cargo bench --locked --quiet --bench portreg
p=$CARGO_TARGET_DIR/release/portreg one=$tmp/drafts/acme-bench-001.toml large=$tmp/large.xml
labels=(grep xmllint check-1 check-100 check-1-nocache lint diff grep-10x xmllint-10x check-1-10x lint-10x)
cmds=(
    "grep -c '<record' $xml"
    "xmllint --noout $xml"
    "$p check $one --registry $xml --format json"
    "$p check $(echo "$tmp"/drafts/*.toml) --registry $xml --format json"
    "env PORTREG_NO_INDEX_CACHE=1 $p check $one --registry $xml --format json"
    "$p registry lint $xml --format json"
    "$p registry diff $old $xml --format json"
    "grep -c '<record' $large"
    "xmllint --noout $large"
    "$p check $one --registry $large --format json"
    "$p registry lint $large --format json"
)
# Sanity pass (portreg exits 1 when it reports errors; 2 would be a failure) and peak RSS.
declare -A rss
for i in "${!cmds[@]}"; do
    set +e; eval "/usr/bin/time -f %M -o $tmp/rss ${cmds[$i]}" >/dev/null 2>"$tmp/err"; code=$?; set -e
    [ "$code" -le 1 ] || { echo "bench: ${labels[$i]} failed ($code):" >&2; cat "$tmp/err" >&2; exit 1; }
    rss[${labels[$i]}]=$(tail -1 "$tmp/rss")
done
args=()
for i in "${!cmds[@]}"; do args+=(-n "${labels[$i]}" "${cmds[$i]}"); done
# Every command writes to a pipe: with its output on /dev/null GNU grep stops at the first
# match, which times only its start-up (see grep-null below).
hyperfine -N -i --output=pipe --style basic -w 3 -r "${BENCH_RUNS:-30}" --export-csv "$tmp/t.csv" "${args[@]}" >"$tmp/hyperfine.txt"
hyperfine -N -i --style basic -w 3 -r "${BENCH_RUNS:-30}" --export-csv "$tmp/null.csv" \
    -n grep-null "${cmds[0]}" -n check-1-null "${cmds[2]}" >>"$tmp/hyperfine.txt"
tail -n +2 "$tmp/null.csv" >>"$tmp/t.csv"
awk -F, -v rss="$(for k in "${!rss[@]}"; do printf '%s=%s ' "$k" "${rss[$k]}"; done)" '
    BEGIN { n = split(rss, kv, " "); for (i = 1; i <= n; i++) { split(kv[i], a, "="); mem[a[1]] = a[2] } }
    NR > 1 { t[$1] = $4 * 1000; order[++k] = $1 }
    END {
        printf "%-16s %10s %9s %10s %10s\n", "command", "median ms", "x grep", "x xmllint", "peak MiB"
        for (i = 1; i <= k; i++) {
            c = order[i]; if (c ~ /null/) continue; g = (c ~ /10x/) ? "grep-10x" : "grep"; x = (c ~ /10x/) ? "xmllint-10x" : "xmllint"
            printf "%-16s %10.2f %9.2f %10.3f %10.1f\n", c, t[c], t[c] / t[g], t[c] / t[x], mem[c] / 1024
        }
        print ""
        target("one-draft check <= 2x grep -c", t["check-1"] / t["grep"], 2, 1)
        target("100 drafts < 1.5x one draft", t["check-100"] / t["check-1"], 1.5, 0)
        target("check, 10x registry <= 11x", t["check-1-10x"] / t["check-1"], 11, 1)
        target("lint, 10x registry <= 11x", t["lint-10x"] / t["lint"], 11, 1)
        printf "%-34s %6.2fx  (both writing to /dev/null: %.2f ms and %.2f ms)\n", "one-draft check vs grep, /dev/null", t["check-1-null"] / t["grep-null"], t["check-1-null"], t["grep-null"]
        printf "%-34s %6.2fx xmllint (%.1f ms)\n", "registry lint", t["lint"] / t["xmllint"], t["lint"]
        printf "%-34s %6.2fx xmllint (%.1f ms)\n", "registry diff", t["diff"] / t["xmllint"], t["diff"]
        # Issue 16: lint (schema check included) at most 0.5x xmllint (aim 0.25x), also on the
        # registry ten times larger; diff at most 1x.
        target("lint <= 0.5x xmllint", t["lint"] / t["xmllint"], 0.5, 1)
        target("lint, 10x registry <= 0.5x xmllint", t["lint-10x"] / t["xmllint-10x"], 0.5, 1)
        target("diff <= 1x xmllint", t["diff"] / t["xmllint"], 1, 1)
    }
    function target(what, r, limit, inclusive) {
        ok = inclusive ? r <= limit : r < limit
        printf "%-34s %6.2fx  %s\n", what, r, ok ? "MET" : "NOT MET"
    }' "$tmp/t.csv"
# The language server: diagnostics for a one-entry draft after a change, real registry loaded.
PORTREG_BENCH_LSP=1 PORTREG_REAL_REGISTRY_DIR=$dir cargo bench --locked --quiet --bench portreg
