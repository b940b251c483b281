#!/usr/bin/env bash
# tests/schema/jing-verdicts.sh [--history]: records jing's verdict on every fixture in
# tests/fixtures/schema/ into tests/fixtures/schema/jing-verdicts.txt, the expected results of
# tests/it/registry_schema.rs (which checks that `registry/schema` agrees, file by file).
# A developer tool, never run by CI or portreg: jing (`apt-get install -y jing`, Java) is the
# reference RELAX NG validator; portreg's check is native.
#
# IANA's schema is read from $PORTREG_REAL_REGISTRY_DIR/schema (default ../shared/registry
# beside the repository): service-names-port-numbers.rng includes ../_support/iana-registry.rng,
# so both are laid out that way in a temporary folder.
#
# --history: instead, validate the real registry files in that folder and its history/ with
# jing and with `portreg registry lint`, and print both verdicts side by side (nothing written).
# Line format of the verdicts file: `NAME.xml<TAB>valid`, or `NAME.xml<TAB>invalid<TAB>L1,L2…`
# with the lines jing reported.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PORTREG_REAL_REGISTRY_DIR:-$root/../shared/registry}
command -v jing >/dev/null || { echo "jing is missing: apt-get install -y jing" >&2; exit 2; }
[ -f "$dir/schema/service-names-port-numbers.rng" ] || { echo "no schema in $dir/schema" >&2; exit 2; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/portreg-jing.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rng/service-names-port-numbers" "$tmp/rng/_support"
cp "$dir/schema/service-names-port-numbers.rng" "$tmp/rng/service-names-port-numbers/"
cp "$dir/schema/iana-registry.rng" "$tmp/rng/_support/"
rng=$tmp/rng/service-names-port-numbers/service-names-port-numbers.rng

# jing prints `FILE:LINE:COL: error: …` per error and nothing for a valid file.
verdicts() {
    jing "$rng" "$@" 2>/dev/null >"$tmp/jing.txt" || true
    for f in "$@"; do
        lines=$(grep -F "$f:" "$tmp/jing.txt" | sed -E "s|^.*\.xml:([0-9]+):[0-9]+: .*|\1|" | paste -sd, - || true)
        if [ -n "$lines" ]; then printf '%s\tinvalid\t%s\n' "$(basename "$f")" "$lines"; else printf '%s\tvalid\n' "$(basename "$f")"; fi
    done
}

if [ "${1:-}" = "--history" ]; then
    export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$root/target}
    (cd "$root" && cargo build --release --locked --quiet)
    files=("$dir"/service-names-port-numbers*.xml "$dir"/history/*.xml)
    verdicts "${files[@]}" >"$tmp/v.txt"
    agree=0 total=0
    while IFS=$'\t' read -r name verdict lines; do
        f=$(printf '%s\n' "${files[@]}" | grep -F "/$name" | head -1)
        ours=$("$CARGO_TARGET_DIR/release/portreg" registry lint "$f" --format json -A all -D registry/schema 2>/dev/null |
            grep -c '"rule": "registry/schema"' || true)
        [ "$ours" -gt 0 ] && mine=invalid || mine=valid
        total=$((total + 1)); [ "$mine" = "$verdict" ] && agree=$((agree + 1))
        printf '%-48s jing %-7s %-12s portreg %-7s (%s)\n' "$name" "$verdict" "${lines:-}" "$mine" "$ours"
    done <"$tmp/v.txt"
    echo "agree on $agree of $total files"
    exit 0
fi

out=$root/tests/fixtures/schema/jing-verdicts.txt
verdicts "$root"/tests/fixtures/schema/*.xml | sort >"$out"
echo "wrote $(wc -l <"$out") verdicts to $out ($(grep -c $'\tinvalid' "$out") invalid)"
