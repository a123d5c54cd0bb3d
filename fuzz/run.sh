#!/usr/bin/env bash
# run.sh SECONDS [BUILD_DIR] [lsp]: builds the libFuzzer target with clang and runs
# it for SECONDS on a seed corpus of the golden inputs (and ../shared/corpus
# when present), with the compose-key dictionary. Crashes land in
# BUILD_DIR/crashes/ and make the run fail; each becomes a regression case
# under golden/. With `lsp`: the LSP server's message handling instead
# (fuzz/fuzz_lsp.c), seeded with the sessions in fuzz/lsp-seeds/.
set -eu
secs=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../build-fuzz}
CC=clang cmake -S "$here/.." -B "$build" -DHC_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
if [ "${3:-}" = lsp ]; then
  cmake --build "$build" --target fuzz_lsp -j"$(nproc)" >/dev/null
  mkdir -p "$build/crashes-lsp" "$build/corpus-lsp"
  "$build/fuzz_lsp" -dict="$here/lsp.dict" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
    -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$build/crashes-lsp/" \
    "$build/corpus-lsp" "$here/lsp-seeds" 2>&1 | grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)' || true
  n=$(ls "$build/crashes-lsp" | wc -l)
  echo "fuzz lsp: $secs s, $n crash file(s)"
  [ "$n" -eq 0 ]
  exit
fi
cmake --build "$build" --target fuzz_pipeline -j"$(nproc)" >/dev/null
seeds=$build/seeds; mkdir -p "$seeds" "$build/crashes" "$build/corpus"
i=0
for f in "$here"/../golden/*/*/input.yml "$here"/../../shared/corpus/files/*; do
  [ -f "$f" ] || continue
  i=$((i+1)); cp "$f" "$seeds/seed$i"
done
"$build/fuzz_pipeline" -dict="$here/compose.dict" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$build/crashes/" \
  "$build/corpus" "$seeds" 2>&1 | grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|==[0-9]+== ERROR|SUMMARY)' || true
n=$(ls "$build/crashes" | wc -l)
echo "fuzz: $secs s, $n crash file(s)"
[ "$n" -eq 0 ]
