#!/usr/bin/env bash
# Builds the fuzz harnesses (clang + libFuzzer + ASan/UBSan) and runs each on its
# corpus for SECONDS, after replaying fuzz/regressions/<harness>/ (inputs that once
# crashed a reader: each must now pass). New inputs go to BUILD/corpus/<harness> (the repository's
# corpus is only read); crashes, hangs, leaks and out-of-memory inputs go to
# BUILD/findings/<harness>/ and make the script fail. Executions per harness are
# printed and appended to BUILD/fuzz-stats.csv (two runs with different harnesses may
# share BUILD, one per core).
#   bash fuzz/run.sh [BUILD=build-fuzz] [SECONDS=5] [HARNESS...]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build-fuzz}
seconds=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
if [ ! -f "$build/build.ninja" ]; then
  CXX=${CXX:-clang++} cmake -S fuzz -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
fi
cmake --build "$build" > /dev/null
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(case_file case_override materials_file sweep_file hotspot_files hotspot_import threedice_import tables checkpoint_record model_record)
[ -f "$build/fuzz-stats.csv" ] || echo "date,harness,seconds,executions,corpus,findings" > "$build/fuzz-stats.csv"
failed=0
for h in "${harnesses[@]}"; do
  mkdir -p "$build/corpus/$h" "$build/findings/$h"
  log="$build/findings/$h.log"
  if [ -d "fuzz/regressions/$h" ] && ! "$build/fuzz_$h" -rss_limit_mb=2048 fuzz/regressions/$h/* > "$log" 2>&1; then
    echo "$h: an input of fuzz/regressions/$h fails again:"; grep -m3 -E "ERROR|SUMMARY|terminate" "$log" | sed 's/^/    /'
    failed=1
    continue
  fi
  before=$(find "$build/findings/$h" -type f | wc -l)   # earlier runs' findings stay for inspection
  # -rss_limit_mb: a reader that needs 2 GB for a small file is a finding, as is 10 s on one input.
  if ! "$build/fuzz_$h" "$build/corpus/$h" "fuzz/corpus/$h" -max_total_time="$seconds" -timeout=10 \
       -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/findings/$h/" \
       > "$log" 2>&1; then
    failed=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  found=$(( $(find "$build/findings/$h" -type f | wc -l) - before ))
  corpus=$(find "$build/corpus/$h" -type f | wc -l)
  printf '%-18s %6s s %10s executions, corpus %5s, findings %s\n' "$h" "$seconds" "$runs" "$corpus" "$found"
  echo "$(date -u +%FT%TZ),$h,$seconds,$runs,$corpus,$found" >> "$build/fuzz-stats.csv"
  if [ "$found" -gt 0 ]; then
    failed=1
    grep -m3 -E "ERROR|SUMMARY|terminate|abort" "$log" | sed 's/^/    /' || true
  fi
done
exit $failed
