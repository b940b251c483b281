#!/usr/bin/env bash
# bench/run.sh: timing and memory benchmark for `portreg check` against the real IANA registry.
#
# Usage:  bash bench/run.sh [REGISTRY_XML]
#
#   REGISTRY_XML  the IANA "service-names-port-numbers.xml" to check against
#                 (default: ../shared/registry/service-names-port-numbers.xml, relative to
#                 the repository root; a relative argument is taken from the current folder).
#
# Environment:
#   BENCH_RUNS    timed runs per command (default 20, at least 15)
#   BENCH_WARMUP  warm-up runs per command (default 3)
#   BENCH_NO_HYPERFINE=1  force the bash timing loop (to test the fallback)
#
# What it does, all on this machine in one go:
#   1. builds the release binary (cargo build --release --locked --quiet; target/release/portreg);
#   2. makes sure hyperfine and xmllint exist (tries `apt-get install -y hyperfine
#      libxml2-utils` when running as root); without hyperfine, or without jq/python3 to read
#      its JSON, it falls back to a bash timing loop (warm-up, then 15+ runs, median);
#   3. generates inputs in a temporary folder (removed on exit): 100 copies of
#      examples/user-port-tcp.toml with distinct names (acme-bench-001 ...) and distinct User
#      ports. They may collide with real assignments; that is fine, this is a timing benchmark.
#      Nothing derived from the registry is written into the repository;
#   4. times, with hyperfine -N (no shell), warm-up and medians:
#        portreg check <one draft>    --registry <xml> --format json
#        portreg check <100 drafts>   --registry <xml> --format json
#        xmllint --noout <xml>                  (reference: a full XML parse)
#        grep -c '<record' <xml>                (floor: one pass over the bytes)
#      `portreg check` exits 1 when it reports errors; that counts as a normal run (-i), but
#      exit 2 (a draft or registry error) is checked beforehand and stops the benchmark;
#   5. measures peak memory (max RSS) of each command with GNU `/usr/bin/time -f %M`
#      (apt package `time`), or else python3's resource.getrusage(RUSAGE_CHILDREN);
#   6. prints a table (median ms, ratio to xmllint, ratio to grep, peak RSS MiB) and the
#      targets of the performance issue as PASS/FAIL lines:
#        one-draft check <= 0.25 x xmllint median
#        one-draft peak RSS < 20 MiB
#        aim: ~2 x grep (informational)
#
# The script is a report, not a test: it exits 0 whether the targets pass or fail, and
# non-zero only when a command cannot be run at all.
#
# Needs: cargo, awk, sort; hyperfine, xmllint, jq or python3, GNU time are used when present.
# Note on the fallback loop: it uses bash's $EPOCHREALTIME (bash >= 5) when available and
# `date +%s%N` otherwise; with `date` every sample includes about one extra process start.

set -euo pipefail

die() {
    printf 'bench: error: %s\n' "$*" >&2
    exit 1
}
note() {
    printf 'bench: %s\n' "$*" >&2
}

caller_dir=$(pwd)
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"

# ---- arguments --------------------------------------------------------------------------
if [ "$#" -gt 1 ]; then
    die "usage: bash bench/run.sh [REGISTRY_XML]"
fi
if [ "$#" -eq 1 ]; then
    case "$1" in
        /*) registry=$1 ;;
        *) registry=$caller_dir/$1 ;;
    esac
else
    registry=$repo_root/../shared/registry/service-names-port-numbers.xml
fi
if [ ! -f "$registry" ] || [ ! -r "$registry" ]; then
    die "registry XML not found or not readable: $registry
  pass its path as the first argument, e.g.  bash bench/run.sh /path/to/service-names-port-numbers.xml
  (the default is ../shared/registry/service-names-port-numbers.xml beside the repository)"
fi
registry=$(cd "$(dirname "$registry")" && pwd)/$(basename "$registry")

runs=${BENCH_RUNS:-20}
warmup=${BENCH_WARMUP:-3}
case "$runs" in '' | *[!0-9]*) die "BENCH_RUNS must be a number" ;; esac
case "$warmup" in '' | *[!0-9]*) die "BENCH_WARMUP must be a number" ;; esac
if [ "$runs" -lt 15 ]; then
    note "BENCH_RUNS=$runs raised to 15 (medians need at least 15 runs)"
    runs=15
fi

draft_src=examples/user-port-tcp.toml
[ -f "$draft_src" ] || die "$draft_src is missing"

# ---- 1. build ---------------------------------------------------------------------------
command -v cargo >/dev/null 2>&1 || die "cargo not found (install Rust: https://rustup.rs)"
note "building the release binary (cargo build --release --locked --quiet) ..."
cargo build --release --locked --quiet || die "cargo build --release failed"
portreg=$repo_root/target/release/portreg
[ -x "$portreg" ] || die "the build did not produce $portreg"

# ---- 2. tools ---------------------------------------------------------------------------
have() { command -v "$1" >/dev/null 2>&1; }

gnu_time=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/null true >/dev/null 2>&1; then
    gnu_time=/usr/bin/time
fi

missing_pkgs=()
have hyperfine || missing_pkgs+=(hyperfine)
have xmllint || missing_pkgs+=(libxml2-utils)
[ -n "$gnu_time" ] || missing_pkgs+=(time)
if [ "${#missing_pkgs[@]}" -gt 0 ]; then
    note "missing: ${missing_pkgs[*]}; to get them:  apt-get install ${missing_pkgs[*]}"
    if [ "$(id -u)" -eq 0 ] && have apt-get; then
        note "running as root: trying apt-get install -y ${missing_pkgs[*]} ..."
        export DEBIAN_FRONTEND=noninteractive
        if ! apt-get install -y -q "${missing_pkgs[@]}" >/dev/null 2>&1; then
            apt-get update -q >/dev/null 2>&1 || true
            apt-get install -y -q "${missing_pkgs[@]}" >/dev/null 2>&1 ||
                note "apt-get install failed; continuing with fallbacks"
        fi
        if [ -z "$gnu_time" ] && [ -x /usr/bin/time ] &&
            /usr/bin/time -f %M -o /dev/null true >/dev/null 2>&1; then
            gnu_time=/usr/bin/time
        fi
    fi
fi

json_tool=
if have jq; then
    json_tool=jq
elif have python3; then
    json_tool=python3
fi

use_hyperfine=0
if [ -n "${BENCH_NO_HYPERFINE:-}" ]; then
    note "BENCH_NO_HYPERFINE is set; using the bash timing loop"
elif have hyperfine && [ -n "$json_tool" ]; then
    use_hyperfine=1
elif have hyperfine; then
    note "hyperfine found but neither jq nor python3 to read its JSON; using the bash timing loop"
else
    note "hyperfine unavailable; using the bash timing loop"
fi
have_xmllint=0
have xmllint && have_xmllint=1
[ "$have_xmllint" -eq 1 ] || note "xmllint unavailable; its reference row and ratio are skipped"

# ---- 3. inputs --------------------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portreg-bench.XXXXXX")
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! grep -q '^name = "acme-telemetry"$' "$draft_src" || ! grep -q '^port = 4873$' "$draft_src"; then
    die "$draft_src no longer has the lines 'name = \"acme-telemetry\"' and 'port = 4873' the generator rewrites"
fi

one_draft=$repo_root/$draft_src
drafts=()
for i in $(seq 1 100); do
    n=$(printf '%03d' "$i")
    # Distinct User ports spread over 4806..48806 (all inside 1024..49151).
    port=$((4805 + i * 440 + i % 7))
    f=$tmp/acme-bench-$n.toml
    sed -e "s/^name = \"acme-telemetry\"\$/name = \"acme-bench-$n\"/" \
        -e "s/^port = 4873\$/port = $port/" "$draft_src" >"$f"
    drafts+=("$f")
done

# ---- commands ---------------------------------------------------------------------------
# Each command is an array; hyperfine gets a single-quoted string of it (it splits words
# like a POSIX shell when run with -N).
# shellcheck disable=SC2034  # read through `declare -n cmd=...`
{
    cmd_one=("$portreg" check "$one_draft" --registry "$registry" --format json)
    cmd_hundred=("$portreg" check "${drafts[@]}" --registry "$registry" --format json)
    cmd_xmllint=(xmllint --noout "$registry")
    cmd_grep=(grep -c '<record' "$registry")
}

labels=("portreg check (1 draft)" "portreg check (100 drafts)")
arrays=(cmd_one cmd_hundred)
if [ "$have_xmllint" -eq 1 ]; then
    labels+=("xmllint --noout")
    arrays+=(cmd_xmllint)
fi
labels+=("grep -c '<record'")
arrays+=(cmd_grep)

shell_quote() {
    local out='' w
    for w in "$@"; do
        out+="'${w//\'/\'\\\'\'}' "
    done
    printf '%s' "${out% }"
}

# Sanity pass: every command must run; portreg may exit 0 (clean) or 1 (errors reported).
summary_of() { # file with portreg's JSON report -> one line
    case "$json_tool" in
        jq) jq -r '.summary | "\(.files) files, \(.entries) entries, \(.errors) errors, \(.warnings) warnings"' "$1" ;;
        python3) python3 -c 'import json,sys; s=json.load(open(sys.argv[1]))["summary"]; print("%s files, %s entries, %s errors, %s warnings" % (s["files"], s["entries"], s["errors"], s["warnings"]))' "$1" ;;
        *) echo "(no jq/python3 to read the report)" ;;
    esac
}
for idx in "${!arrays[@]}"; do
    declare -n cmd="${arrays[$idx]}"
    rc=0
    "${cmd[@]}" >"$tmp/out.txt" 2>"$tmp/err.txt" || rc=$?
    case "${arrays[$idx]}:$rc" in
        cmd_one:0 | cmd_one:1 | cmd_hundred:0 | cmd_hundred:1)
            note "${labels[$idx]}: exit $rc; $(summary_of "$tmp/out.txt" 2>/dev/null || echo 'unreadable JSON report')"
            ;;
        *:0) ;;
        *)
            cat "$tmp/err.txt" >&2
            if [ "${arrays[$idx]}" = cmd_one ] || [ "${arrays[$idx]}" = cmd_hundred ]; then
                die "${labels[$idx]} failed with exit $rc (a draft or registry error; see above) — nothing to benchmark"
            fi
            die "${labels[$idx]} failed with exit $rc"
            ;;
    esac
    unset -n cmd
done

# ---- 4. timing --------------------------------------------------------------------------
medians_ms=()
if [ "$use_hyperfine" -eq 1 ]; then
    hf_args=(-N -i --warmup "$warmup" --runs "$runs" --style basic --export-json "$tmp/hyperfine.json")
    for idx in "${!arrays[@]}"; do
        declare -n cmd="${arrays[$idx]}"
        hf_args+=(--command-name "${labels[$idx]}" "$(shell_quote "${cmd[@]}")")
        unset -n cmd
    done
    echo "== hyperfine (-N, warm-up $warmup, $runs runs per command)"
    hyperfine "${hf_args[@]}" || die "hyperfine failed"
    echo
    if [ "$json_tool" = jq ]; then
        mapfile -t medians_ms < <(jq -r '.results[] | .median * 1000' "$tmp/hyperfine.json")
    else
        mapfile -t medians_ms < <(python3 -c 'import json,sys
for r in json.load(open(sys.argv[1]))["results"]: print(r["median"] * 1000)' "$tmp/hyperfine.json")
    fi
    [ "${#medians_ms[@]}" -eq "${#arrays[@]}" ] || die "unexpected hyperfine JSON in $tmp/hyperfine.json"
    timing_method="hyperfine -N, warm-up $warmup, $runs runs"
else
    now_ns() {
        if [ -n "${EPOCHREALTIME:-}" ]; then
            local t=${EPOCHREALTIME/[.,]/}
            printf '%s\n' "${t}000"
        else
            date +%s%N
        fi
    }
    # 15 runs unless BENCH_RUNS asks for more (runs is already >= 15).
    fb_runs=15
    [ -z "${BENCH_RUNS:-}" ] || fb_runs=$runs
    for idx in "${!arrays[@]}"; do
        declare -n cmd="${arrays[$idx]}"
        for ((k = 0; k < warmup; k++)); do "${cmd[@]}" >/dev/null 2>&1 || true; done
        samples=()
        for ((k = 0; k < fb_runs; k++)); do
            t0=$(now_ns)
            "${cmd[@]}" >/dev/null 2>&1 || true
            t1=$(now_ns)
            samples+=($((t1 - t0)))
        done
        unset -n cmd
        medians_ms+=("$(printf '%s\n' "${samples[@]}" | sort -n |
            awk '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "%.6f\n", m / 1e6}')")
    done
    timing_method="bash loop, warm-up $warmup, $fb_runs runs"
fi

# ---- 5. peak memory ---------------------------------------------------------------------
peak_kib() { # command... -> max RSS in KiB (largest of 3 runs)
    local best=0 v k
    for k in 1 2 3; do
        if [ -n "$gnu_time" ]; then
            "$gnu_time" -f %M -o "$tmp/rss.txt" "$@" >/dev/null 2>&1 || true
            v=$(tail -n 1 "$tmp/rss.txt")
        elif have python3; then
            v=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
        else
            echo "n/a"
            return
        fi
        case "$v" in '' | *[!0-9]*) echo "n/a"; return ;; esac
        [ "$v" -gt "$best" ] && best=$v
    done
    echo "$best"
}
if [ -n "$gnu_time" ]; then
    rss_method="GNU time -f %M, max of 3 runs"
elif have python3; then
    rss_method="python3 getrusage(RUSAGE_CHILDREN), max of 3 runs"
else
    rss_method="unavailable"
fi
peaks_kib=()
for idx in "${!arrays[@]}"; do
    declare -n cmd="${arrays[$idx]}"
    peaks_kib+=("$(peak_kib "${cmd[@]}")")
    unset -n cmd
done

# ---- 6. report --------------------------------------------------------------------------
index_of() {
    local i
    for i in "${!arrays[@]}"; do
        [ "${arrays[$i]}" = "$1" ] && { echo "$i"; return; }
    done
    echo -1
}
i_one=$(index_of cmd_one)
i_xml=$(index_of cmd_xmllint)
i_grep=$(index_of cmd_grep)
xml_ms=n/a
[ "$i_xml" -ge 0 ] && xml_ms=${medians_ms[$i_xml]}
grep_ms=${medians_ms[$i_grep]}

ratio() { # a b -> a/b with 2 decimals, or n/a
    awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 <= 0) print "n/a"; else printf "%.2f\n", a / b }'
}
mib() {
    awk -v k="$1" 'BEGIN { if (k == "n/a") print "n/a"; else printf "%.1f\n", k / 1024 }'
}

records=$(grep -c '<record' "$registry" || true)
echo "== portreg benchmark"
echo "registry: $registry ($(wc -c <"$registry" | tr -d ' ') bytes, $records <record> lines)"
echo "binary:   $portreg ($("$portreg" --version 2>/dev/null || echo 'version unknown'))"
echo "machine:  $(uname -srm), $(nproc 2>/dev/null || echo '?') CPUs"
echo "timing:   $timing_method; peak RSS: $rss_method"
echo
fmt='%-28s | %10s | %11s | %9s | %13s\n'
# shellcheck disable=SC2059
printf "$fmt" "command" "median ms" "x xmllint" "x grep" "peak RSS MiB"
# shellcheck disable=SC2059
printf "$fmt" "----------------------------" "----------" "-----------" "---------" "-------------"
for idx in "${!arrays[@]}"; do
    # shellcheck disable=SC2059
    printf "$fmt" "${labels[$idx]}" "$(awk -v m="${medians_ms[$idx]}" 'BEGIN { printf "%.2f", m }')" \
        "$(ratio "${medians_ms[$idx]}" "$xml_ms")" "$(ratio "${medians_ms[$idx]}" "$grep_ms")" \
        "$(mib "${peaks_kib[$idx]}")"
done
echo

one_ms=${medians_ms[$i_one]}
one_kib=${peaks_kib[$i_one]}
if [ "$xml_ms" = n/a ]; then
    echo "SKIP  one-draft check <= 0.25 x xmllint median (xmllint unavailable)"
else
    verdict=$(awk -v a="$one_ms" -v b="$xml_ms" 'BEGIN { print (a <= 0.25 * b) ? "PASS" : "FAIL" }')
    printf '%s  one-draft check <= 0.25 x xmllint median (%.2f ms vs limit %.2f ms; ratio %s)\n' \
        "$verdict" "$one_ms" "$(awk -v b="$xml_ms" 'BEGIN { print 0.25 * b }')" "$(ratio "$one_ms" "$xml_ms")"
fi
if [ "$one_kib" = n/a ]; then
    echo "SKIP  one-draft peak RSS < 20 MiB (no way to measure peak RSS)"
else
    verdict=$(awk -v k="$one_kib" 'BEGIN { print (k < 20 * 1024) ? "PASS" : "FAIL" }')
    printf '%s  one-draft peak RSS < 20 MiB (%s MiB)\n' "$verdict" "$(mib "$one_kib")"
fi
printf 'INFO  aim: one-draft check ~= 2 x grep (now %s x grep: %.2f ms vs %.2f ms)\n' \
    "$(ratio "$one_ms" "$grep_ms")" "$one_ms" "$grep_ms"
exit 0
