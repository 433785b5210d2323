#!/bin/sh
# Regenerates the peer clients in this directory with OpenAPI Generator's `rust` generator
# (reqwest library, async: the generator's defaults) from the workspace's own specs, unchanged.
# Needs the venv `cargo xtask bench` creates (target/bench-venv, with the pinned
# openapi-generator-cli from crates/benchmarks/python/requirements.txt) and `java` on PATH.
# Keeps only what the benchmark compiles (Cargo.toml, src/), the generator's VERSION file and
# the spec's SHA-256 (SPEC_SHA256); adds one line to src/lib.rs and formats the code with
# rustfmt (below).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cli=${OPENAPI_GENERATOR_CLI:-$root/target/bench-venv/bin/openapi-generator-cli}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for api in harmony-sase cipherscale-policy; do
    "$cli" generate -g rust -i "$root/specs/$api.yaml" -o "$scratch/$api" \
        --additional-properties=packageName="$api-peer" >"$scratch/$api.log" 2>&1 ||
        { cat "$scratch/$api.log" >&2; exit 1; }
    rm -rf "${here:?}/$api"
    mkdir -p "$here/$api/.openapi-generator"
    cp -R "$scratch/$api/Cargo.toml" "$scratch/$api/src" "$here/$api/"
    cp "$scratch/$api/.openapi-generator/VERSION" "$here/$api/.openapi-generator/"
    # Which spec it came from, so that `cargo xtask bench` can tell a stale peer.
    sha256sum "$root/specs/$api.yaml" | cut -d' ' -f1 >"$here/$api/.openapi-generator/SPEC_SHA256"
    # The one addition: generated code is not ours to lint, and Cargo lints path dependencies
    # (`cargo clippy --workspace -- -D warnings` would fail on the generator's style).
    printf '%s\n' '#![allow(warnings, clippy::all)] // added by generate.sh' |
        cat - "$scratch/$api/src/lib.rs" >"$here/$api/src/lib.rs"
    # Formatted, so that `cargo fmt --all --check` (which follows path dependencies) passes.
    rustfmt --edition 2021 "$here/$api/src/lib.rs"
done
