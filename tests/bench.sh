#!/usr/bin/env bash
# `make bench`: peo against pdftotext and ripgrep-all on a scale corpus made from the bundled
# one, in one run on this machine, reported as ratios. Writes docs/benchmarks.md (never edited
# by hand) and prints it.
#
#   tests/bench.sh [N]    N copies (default 1000), generated under target/bench/corpus
#
# Needs target/release/peo and target/release/examples/bench (`make bench` builds both),
# pdftotext and pdfinfo (poppler-utils), bc, and rga (ripgrep-all) for the search comparison.
# PEO=path/to/peo runs another build of peo (for instance the previous one) the same way.
#
# The copies differ by a comment line appended after %%EOF, so every file has its own blake3
# while PDF readers see the same document. OCR is off (`--ocr never`) so that peo and pdftotext
# do the same work: read the text layer.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PEO=${PEO:-target/release/peo}
BENCH=target/release/examples/bench
OUT=target/bench
CORPUS=$OUT/corpus
QUERIES=tests/bench-queries.txt
CORES=$(nproc)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
rm -rf "$OUT" && mkdir -p "$CORPUS" "$OUT/txt"

sources=(corpus/*.pdf)
for ((i = 0; i < N; i++)); do
  src=${sources[i % ${#sources[@]}]}
  name=$(basename "$src" .pdf)
  cp "$src" "$CORPUS/$name-$i.pdf"
  printf '%% peo bench copy %d\n' "$i" >> "$CORPUS/$name-$i.pdf"
done
total_pages=0
for ((i = 0; i < ${#sources[@]}; i++)); do
  copies=$(( N / ${#sources[@]} + (i < N % ${#sources[@]} ? 1 : 0) ))
  total_pages=$(( total_pages + copies * $(pdfinfo "${sources[i]}" | awk '/^Pages:/ {print $2}') ))
done

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
pps() { echo "scale=0; $total_pages / $1" | bc -l; }
# The largest sum of resident memory of process $1 and its children while it runs, in KiB
# (peo index with its workers), sampled every 0.1 s. Only shell builtins run in the loop: a
# sampler that starts processes (pgrep, awk, sleep) ten times a second took 1.6 s of CPU per
# 10 s, which the measured run lost on a 2-core machine.
peak_tree_kb() {
  local pid=$1 max=0 sum p rss tick fifo
  local -a children more
  fifo=$(mktemp -u) && mkfifo "$fifo" && exec {tick}<> "$fifo" && rm "$fifo"
  while [[ -d /proc/$pid ]]; do
    children=()
    for p in /proc/"$pid"/task/*/children; do
      # The ids stand on one line without a newline, so read reports the end of the file.
      more=()
      read -r -a more < "$p" 2> /dev/null || true
      children+=("${more[@]}")
    done
    sum=0
    for p in "$pid" "${children[@]}"; do
      read -r _ rss _ < "/proc/$p/statm" 2> /dev/null && sum=$(( sum + rss * 4 ))
    done
    (( sum > max )) && max=$sum
    # Waits 0.1 s on a pipe nobody writes to, instead of starting sleep.
    read -r -t 0.1 -u "$tick" _ || true
  done
  exec {tick}<&-
  echo "$max"
}
# p50 and p99 of the numbers in file $1.
percentiles() {
  sort -n "$1" > "$1.sorted"
  local n
  n=$(wc -l < "$1.sorted")
  echo "$(sed -n "$(( (n + 1) / 2 ))p" "$1.sorted") $(sed -n "$(( (n * 99 + 99) / 100 ))p" "$1.sorted")"
}
files() { find "$CORPUS" -name '*.pdf' | sort; }

# Text extraction alone: pdftotext (a process per file, as it is used) against peo's reading
# of the PDF (extract::read, pdf-extract's part of the pipeline; 50 files per process).
t=$(now); files | xargs -P1 -I{} pdftotext {} "$OUT/txt/x1.txt"; pdftotext_1=$(elapsed "$t")
t=$(now); files | xargs -P"$CORES" -I{} sh -c 'pdftotext "$1" "$1.txt"' _ {}; pdftotext_n=$(elapsed "$t")
find "$CORPUS" -name '*.txt' -delete
t=$(now); files | xargs -P1 -n50 "$BENCH" read > /dev/null; read_1=$(elapsed "$t")
t=$(now); files | xargs -P"$CORES" -n50 "$BENCH" read > /dev/null; read_n=$(elapsed "$t")

# The whole pipeline into an index: 1 job, all cores (workers, peak memory sampled), all cores
# in this process.
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index1" --ocr never --jobs 1 2> /dev/null || true; index_1=$(elapsed "$t")
t=$(now)
/usr/bin/time -v $PEO index --corpus "$CORPUS" --index "$OUT/index" --ocr never --jobs "$CORES" 2> "$OUT/time.txt" &
index_pid=$!
# /usr/bin/time's child is peo index; its children are the workers.
sleep 0.05
peo_pid=$(pgrep -P "$index_pid" | head -1)
peak_kb=$(peak_tree_kb "${peo_pid:-$index_pid}")
wait "$index_pid" || true
index_n=$(elapsed "$t")
single_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index2" --ocr never --jobs "$CORES" --in-process 2> /dev/null || true; index_n_inproc=$(elapsed "$t")

# What a worker sends back per document, as `peo index` asks (the request's default part), against
# the size of the PDF: each bundled PDF once, OCR off.
reply_bytes=0
pdf_bytes=0
for f in corpus/*.pdf; do
  printf '{"path":"%s","known":{},"ocr":"never"}\n' "$PWD/$f"
  pdf_bytes=$(( pdf_bytes + $(stat -c %s "$f") ))
done > "$OUT/requests.jsonl"
reply_bytes=$($PEO worker < "$OUT/requests.jsonl" | wc -c)
n_sources=${#sources[@]}

# Adding one publication to the index of N.
cp corpus/peo-2022-webpagina.pdf "$CORPUS/nieuw.pdf" && printf '%% new\n' >> "$CORPUS/nieuw.pdf"
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index" --ocr never 2> /dev/null || true; add_one=$(elapsed "$t")

# Layout of one page of a statistical table of 4,000 cells (200 rows of a label and 19
# values, tests/table_page.rs), in this process: what a page costs in the number of its words.
table_line=$("$BENCH" table 200 19)
# Layout of a page of one line of words set over one another (tests/table_page.rs, a line as a
# negative character spacing sets it), at two lengths: what a line costs in its words.
line_short=$("$BENCH" line 10000)
line_long=$("$BENCH" line 40000)

# Query latency: in this process (the index opened once, 20 runs of each query), `peo search`
# end to end, and rga over the same PDFs with its cache filled by a first run.
mapfile -t queries < "$QUERIES"
n_q=${#queries[@]}
"$BENCH" queries "$OUT/index" "$QUERIES" 20 > "$OUT/latency-inproc.txt"
read -r inproc_p50 inproc_p99 <<< "$(percentiles "$OUT/latency-inproc.txt")"
: > "$OUT/latency-peo.txt"
for q in "${queries[@]}"; do
  t=$(now); $PEO search "$q" --index "$OUT/index" --limit 10 --no-fuzzy > /dev/null
  echo "$(elapsed "$t") * 1000" | bc -l >> "$OUT/latency-peo.txt"
done
read -r peo_p50 peo_p99 <<< "$(percentiles "$OUT/latency-peo.txt")"
rga_line="rga (ripgrep-all) is not installed: \`cargo install ripgrep_all --locked\` (\`make bench\` does)."
if command -v rga > /dev/null; then
  RGA=(rga --rga-cache-path="$OUT/rga-cache" --ignore-case --fixed-strings)
  # rga exits with 1 when nothing matches, 2 on an error (no pdftotext, no rg).
  t=$(now); "${RGA[@]}" -- werkdruk "$CORPUS" > /dev/null || (( $? == 1 )); rga_cold=$(elapsed "$t")
  : > "$OUT/latency-rga.txt"
  for q in "${queries[@]}"; do
    t=$(now); "${RGA[@]}" -- "${q//\"/}" "$CORPUS" > /dev/null || (( $? == 1 ))
    echo "$(elapsed "$t") * 1000" | bc -l >> "$OUT/latency-rga.txt"
  done
  read -r rga_p50 rga_p99 <<< "$(percentiles "$OUT/latency-rga.txt")"
  rga_line=$(printf '| rga, cache warm (first run, filling the cache: %.1f s) | %.1f | %.1f | %s |' \
    "$rga_cold" "$rga_p50" "$rga_p99" "$(ratio "$rga_p50" "$peo_p50")")
fi

{
  echo "# Benchmarks"
  echo
  echo "Written by \`make bench\` (tests/bench.sh); do not edit by hand. How the runs are made and"
  echo "what they measure: tests/bench.sh. The decisions these figures informed: [decisions.md](decisions.md)."
  echo
  echo "$(date -u +%Y-%m-%d), $CORES cores ($(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)), load $LOAD_START at the start, $N PDFs ($total_pages pages) made from corpus/, \`bash tests/bench.sh $N\`, peo $($PEO --version | cut -d' ' -f2-)."
  echo
  echo "| measure | seconds | pages/s | ratio to pdftotext |"
  echo "|---|---|---|---|"
  printf '| pdftotext, 1 job | %.1f | %s | 1.00 |\n' "$pdftotext_1" "$(pps "$pdftotext_1")"
  printf '| pdftotext, %d jobs | %.1f | %s | 1.00 |\n' "$CORES" "$pdftotext_n" "$(pps "$pdftotext_n")"
  printf '| peo reading the PDFs alone (extract::read), 1 job | %.1f | %s | %s |\n' "$read_1" "$(pps "$read_1")" "$(ratio "$read_1" "$pdftotext_1")"
  printf '| peo reading the PDFs alone (extract::read), %d jobs | %.1f | %s | %s |\n' "$CORES" "$read_n" "$(pps "$read_n")" "$(ratio "$read_n" "$pdftotext_n")"
  printf '| peo index, whole pipeline, 1 job | %.1f | %s | %s |\n' "$index_1" "$(pps "$index_1")" "$(ratio "$index_1" "$pdftotext_1")"
  printf '| peo index, whole pipeline, %d jobs (worker processes) | %.1f | %s | %s |\n' "$CORES" "$index_n" "$(pps "$index_n")" "$(ratio "$index_n" "$pdftotext_n")"
  printf '| peo index, whole pipeline, %d jobs, --in-process | %.1f | %s | %s |\n' "$CORES" "$index_n_inproc" "$(pps "$index_n_inproc")" "$(ratio "$index_n_inproc" "$pdftotext_n")"
  echo
  printf 'Adding one publication to the index of %d: %.2f s (the full index: %.1f s).\n' "$N" "$add_one" "$index_n"
  echo
  printf 'What a worker sends back per document for the index (one line of JSON), over the %d PDFs of corpus/ read once each, OCR off: %d KB on average, against %d KB for the PDF (%s times its size).\n' \
    "$n_sources" "$(( reply_bytes / n_sources / 1024 ))" "$(( pdf_bytes / n_sources / 1024 ))" "$(ratio "$reply_bytes" "$pdf_bytes")"
  echo
  echo "Layout of one page of a statistical table of 4,000 cells (\`bench table 200 19\`): $table_line."
  echo
  printf 'Layout of a page of one line of words set over one another (`bench line`): %s for 10,000 words, %s for 40,000 (%s times as long for 4 times the words).\n' \
    "${line_short%%,*}" "${line_long%%,*}" "$(ratio "${line_long%% ms*}" "${line_short%% ms*}")"
  echo
  echo "Peak resident memory of \`peo index\`, $CORES jobs: $(( peak_kb / 1024 )) MB for the process and its workers together (sampled every 0.1 s); $(( single_kb / 1024 )) MB for the largest single process."
  echo
  echo "Query latency over $n_q queries (tests/bench-queries.txt), top 10 hits:"
  echo
  echo "| search | p50 ms | p99 ms | ratio of p50 to peo search |"
  echo "|---|---|---|---|"
  printf '| peo, in-process (index opened once, 20 runs of each query) | %.2f | %.2f | |\n' "$inproc_p50" "$inproc_p99"
  printf '| peo search, end to end (process start included) | %.1f | %.1f | 1.00 |\n' "$peo_p50" "$peo_p99"
  echo "$rga_line"
} > docs/benchmarks.md
cat docs/benchmarks.md
