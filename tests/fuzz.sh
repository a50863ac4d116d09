#!/usr/bin/env bash
# `make fuzz`: runs each cargo fuzz target of fuzz/ for SECONDS, one after the other, and writes
# what each run did into docs/fuzzing.md (never edited by hand): seconds run, executions, corpus
# size, crashes, timeouts and slow inputs found. A row is written as soon as its target
# ends, so a run stopped early keeps the rows of the targets that ended.
#
#   tests/fuzz.sh SECONDS TARGET...
#
# libFuzzer runs in fork mode (-fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1):
# a crash, a timeout (an input over TIMEOUT seconds, default 30) or an out-of-memory is written
# to fuzz/artifacts/TARGET/ and counted, and fuzzing goes on, so one finding does not end the
# target's time. An input slower than SLOW seconds (default 5) is kept as
# fuzz/artifacts/TARGET/slow-unit-* (-report_slow_units; each new slowest one). The logs are in
# fuzz/target/logs/TARGET.log. Needs cargo-fuzz (`make fuzz` installs it).
set -uo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:?seconds per target}
shift
TIMEOUT=${TIMEOUT:-30}
SLOW=${SLOW:-5}
DOC=docs/fuzzing.md
LOGS=fuzz/target/logs
mkdir -p "$LOGS"

if [[ ! -f $DOC ]]; then
  cat > "$DOC" <<EOF
# Fuzzing

Written by \`make fuzz\` (tests/fuzz.sh), one row per target run, the newest last. Each target
runs with the seeds of \`fuzz/corpus/\` and what earlier runs found (\`fuzz/target/corpus/\`),
\`--sanitizer none --debug-assertions\`, libFuzzer in fork mode: a crash, a timeout (an input
over the time limit) or an out-of-memory is written to \`fuzz/artifacts/TARGET/\` and fuzzing
goes on. "executions" is libFuzzer's count of inputs run; "corpus" the inputs kept for new
coverage, after the run; "slow inputs" the inputs kept as \`slow-unit-*\` for taking longer than
the slow threshold (each one slower than those before it); "commit" the peo fuzzed. What a finding was, and what was changed
for it, is in [robustness.md](robustness.md).

| date (UTC) | commit | target | seconds asked | seconds run | executions | corpus | crashes | timeouts | out of memory | slow inputs | time limit / slow threshold |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|
EOF
fi

# The commit fuzzed: this checkout's, or, in a copy of the sources without git, the one its
# file REVISION names.
commit=$(git rev-parse --short HEAD 2> /dev/null || cat REVISION 2> /dev/null || echo unknown)

count() { find "$1" -maxdepth 1 -name "$2" -newer "$3" 2> /dev/null | wc -l; }

for t in "$@"; do
  corpus=fuzz/target/corpus/$t
  artifacts=fuzz/artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  stamp=$(mktemp) && touch "$stamp"
  max_len=8192
  [[ $t == structure ]] && max_len=65536
  log=$LOGS/$t.log
  start=$(date +%s)
  RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none --debug-assertions "$t" \
    "$corpus" "fuzz/corpus/$t" -- \
    -max_total_time="$SECONDS_EACH" -max_len="$max_len" -timeout="$TIMEOUT" \
    -report_slow_units="$SLOW" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -artifact_prefix="$artifacts/" > "$log" 2>&1
  status=$?
  ran=$(( $(date +%s) - start ))
  # Fork mode reports "#EXECUTIONS: cov: ... corp: N/SIZE ... oom/timeout/crash: O/T/C ...".
  last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -1)
  execs=$(sed -E 's/^#([0-9]+):.*/\1/' <<< "$last")
  otc=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+/[0-9]+' <<< "$last" | cut -d' ' -f2)
  ooms=$(cut -d/ -f1 <<< "$otc")
  timeouts=$(cut -d/ -f2 <<< "$otc")
  crashes=$(cut -d/ -f3 <<< "$otc")
  # The counts of artifacts written, when the log has no fork-mode line (an early end).
  [[ -z $crashes ]] && crashes=$(count "$artifacts" 'crash-*' "$stamp")
  [[ -z $timeouts ]] && timeouts=$(count "$artifacts" 'timeout-*' "$stamp")
  [[ -z $ooms ]] && ooms=$(count "$artifacts" 'oom-*' "$stamp")
  slow=$(count "$artifacts" 'slow-unit-*' "$stamp")
  files=$(find "$corpus" -type f | wc -l)
  rm -f "$stamp"
  note=""
  [[ $status -ne 0 ]] && note=" (libFuzzer exit code $status, see the log)"
  printf '| %s | %s | `%s` | %s | %s | %s | %s | %s | %s | %s | %s | %s s / %s s%s |\n' \
    "$(date -u +'%Y-%m-%d %H:%M')" "$commit" "$t" "$SECONDS_EACH" "$ran" "${execs:-?}" "$files" \
    "$crashes" "$timeouts" "$ooms" "$slow" "$TIMEOUT" "$SLOW" \
    "$note" >> "$DOC"
  echo "$t: ${ran} s, ${execs:-?} executions, corpus $files, crashes $crashes, timeouts $timeouts, out of memory $ooms, slow inputs $slow"
done
