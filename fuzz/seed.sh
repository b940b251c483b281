#!/usr/bin/env bash
# Fills fuzz/corpus/<target>/ with the repository's own fixtures and examples (and the small
# hand-written seeds in fuzz/seeds/). Run from anywhere; safe to run again (files are copied
# under content-hash names, so nothing is duplicated). Never put real registry data here.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"

add() { # add TARGET FILE...
    local dir="$fuzz/corpus/$1"
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
    done
}

shopt -s nullglob globstar
drafts=("$root"/examples/*.toml "$root"/examples/**/*.toml "$root"/tests/fixtures/rules/**/*.toml
    "$root"/tests/fixtures/cli/*.toml "$root"/tests/fixtures/bad/*.toml)
add draft_render "${drafts[@]}"
add draft_registry "${drafts[@]}"
# Two drafts checked together (the input holds both, split at "\n#---\n").
pair="$fuzz/corpus/draft_registry/seed-pair-in-drafts"
mkdir -p "$(dirname "$pair")"
{
    cat "$root"/tests/fixtures/rules/conflict/in-drafts.cross-file.fires.toml
    printf '\n#---\n'
    cat "$root"/tests/fixtures/rules/conflict/in-drafts.cross-file.part2.toml
} >"$pair"

add registry_load "$root"/tests/fixtures/registry/* "$root"/tests/fixtures/fork/*.xml \
    "$root"/tests/fixtures/bad/*.xml "$root"/tests/fixtures/bad/*.html \
    "$root"/tests/fixtures/cli/registry.xml "$root"/tests/fixtures/suggest/registry.xml \
    "$root"/tests/fixtures/update/*.xml
add registry_load "$root"/tests/fixtures/schema/*.xml
add service_codes "$root"/tests/fixtures/**/*service-codes*.xml "$root"/tests/fixtures/codes/*.xml
add config "$fuzz"/seeds/config/* "$root"/examples/fork/portreg.toml
add custom_rules "$fuzz"/seeds/custom_rules/* "$root"/examples/fork/custom-rules.toml
add baseline "$fuzz"/seeds/baseline/*
echo "corpus seeded in $fuzz/corpus"
