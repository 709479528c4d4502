#!/usr/bin/env bash
# Conformance of `zhibiao sql` on real engines: DuckDB and Spark (PyPI),
# PostgreSQL (Debian's package), each installed here when absent. Every
# rule file in rules/ on its example data, the check tests' fixtures, the
# national targets, and the
# benchmark rules on a generated national dataset (--indicators 8; set
# ENGINE_INDICATORS for more) are checked natively and in each engine,
# outcome for outcome. One PASS/FAIL line per engine; exit 1 on a mismatch.
# ENGINES=duckdb,postgres,spark chooses the engines; CASES a subset of
# the cases by their rule file; RELEASE=1 and TIMINGS=1 for timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
engines="${ENGINES:-duckdb,postgres,spark}"
started=$(date +%s)

# Each engine installed when absent, timed on its own.
install() {
    local began
    began=$(date +%s)
    case "$1" in
    duckdb) python3 -c "import duckdb" 2>/dev/null || pip install --quiet duckdb ;;
    spark)
        python3 -c "import pyspark" 2>/dev/null || pip install --quiet pyspark
        java -version >/dev/null 2>&1 || { echo "Spark needs Java 17 (java not found)"; exit 2; } ;;
    postgres)
        if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        fi ;;
    *) echo "unknown engine $1 (use duckdb, postgres, spark)"; exit 2 ;;
    esac
    echo "$1: installed in $(( $(date +%s) - began )) s"
}
IFS=, read -ra wanted <<<"$engines"
for engine in "${wanted[@]}"; do install "$engine"; done

# RELEASE=1 checks natively with the release build (for timings).
if [[ -n "${RELEASE:-}" ]]; then
    cargo build --locked --quiet --release
    bin=target/release/zhibiao
else
    cargo build --locked --quiet
    bin=target/debug/zhibiao
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 benches/gen_data.py --indicators "${ENGINE_INDICATORS:-8}" --out "$work/national.csv" >/dev/null

cases=()
for rules in rules/*.rules; do
    base=$(basename "$rules" .rules)
    found=
    for dir in examples/*/; do
        region=$(basename "$dir")
        if [[ "$base" == "$region"-* && -f "$dir/data.csv" ]]; then
            cases+=(--case "$rules" --data "$dir/data.csv")
            found=1
        fi
    done
    [[ -n "$found" ]] || { echo "FAIL: no example data for $rules"; exit 1; }
done
# The check tests' fixtures exercise every construct and status.
for name in entities functions statuses timing trends values; do
    cases+=(--case "tests/check/$name.rules" --data tests/check/region.csv)
done
# Ranks, tops, peers, sets under an entity and groups.
cases+=(--case tests/engines/sets.rules --data tests/check/region.csv)
# Year-on-year change(X) and growth(X).
cases+=(--case tests/engines/yearly.rules --data tests/check/region.csv)
cases+=(--case tests/check/units.rules --data tests/check/units-wide.csv tests/check/units-long.csv)
cases+=(--case examples/national/targets.rules --data examples/national/data.csv)
cases+=(--case benches/data/national.rules --data "$work/national.csv")

# CASES (an extended regular expression) keeps only the cases whose rule
# file matches it; the others are named, not silently dropped.
if [[ -n "${CASES:-}" ]]; then
    kept=()
    for (( at = 0; at < ${#cases[@]}; at++ )); do
        if [[ "${cases[at]}" == --case ]]; then
            group=("${cases[at]}")
            while (( at + 1 < ${#cases[@]} )) && [[ "${cases[at + 1]}" != --case ]]; do
                at=$(( at + 1 ))
                group+=("${cases[at]}")
            done
            if [[ "${group[1]}" =~ $CASES ]]; then
                kept+=("${group[@]}")
            else
                echo "not run on $engines (CASES=$CASES): ${group[1]}"
            fi
        fi
    done
    cases=("${kept[@]}")
fi

python3 tests/engines/driver.py --bin "$bin" --engines "$engines" ${TIMINGS:+--timings} "${cases[@]}"
echo "engine tests took $(( $(date +%s) - started )) s"
