#!/usr/bin/env bash
# `make bench`: peo against pdftotext on a scale corpus made from the bundled one, in one run on
# this machine, reported as ratios. Writes target/bench/results.md and prints it.
#
#   tests/bench.sh [N]    N copies (default 1000), generated under target/bench/corpus
#
# The copies differ by a comment line appended after %%EOF, so every file has its own blake3
# while PDF readers see the same document. OCR is off (`--ocr never`) so that peo and pdftotext
# do the same work: read the text layer.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
PEO=target/release/peo
OUT=target/bench
CORPUS=$OUT/corpus
rm -rf "$OUT" && mkdir -p "$CORPUS" "$OUT/txt"

sources=(corpus/*.pdf)
for ((i = 0; i < N; i++)); do
  src=${sources[i % ${#sources[@]}]}
  name=$(basename "$src" .pdf)
  cp "$src" "$CORPUS/$name-$i.pdf"
  printf '%% peo bench copy %d\n' "$i" >> "$CORPUS/$name-$i.pdf"
done
pages=$(for f in "${sources[@]}"; do pdfinfo "$f" | awk '/^Pages:/ {print $2}'; done | paste -sd+ | bc)
total_pages=$(( (N / ${#sources[@]}) * pages ))
for ((i = 0; i < N % ${#sources[@]}; i++)); do
  total_pages=$(( total_pages + $(pdfinfo "${sources[i]}" | awk '/^Pages:/ {print $2}') ))
done

now() { date +%s.%N; }
elapsed() { echo "$(now) - $1" | bc -l; }
ratio() { echo "scale=2; $1 / $2" | bc -l; }
pps() { echo "scale=0; $total_pages / $1" | bc -l; }

t=$(now); find "$CORPUS" -name '*.pdf' | xargs -P1 -I{} pdftotext {} "$OUT/txt/x1.txt"; pdftotext_1=$(elapsed "$t")
t=$(now); find "$CORPUS" -name '*.pdf' | xargs -P2 -I{} sh -c 'pdftotext "$1" "$1.txt"' _ {}; pdftotext_2=$(elapsed "$t")
find "$CORPUS" -name '*.txt' -delete

t=$(now); find "$CORPUS" -name '*.pdf' | xargs -P2 -n1 $PEO extract --ocr never --format text > /dev/null 2>&1; extract_2=$(elapsed "$t")
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index1" --ocr never --jobs 1 2> /dev/null || true; index_1=$(elapsed "$t")
t=$(now); /usr/bin/time -v $PEO index --corpus "$CORPUS" --index "$OUT/index" --ocr never --jobs 2 2> "$OUT/time.txt" || true; index_2=$(elapsed "$t")
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index2" --ocr never --jobs 2 --in-process 2> /dev/null || true; index_2_inproc=$(elapsed "$t")
peak_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/time.txt")

cp corpus/peo-2022-webpagina.pdf "$CORPUS/nieuw.pdf" && printf '%% new\n' >> "$CORPUS/nieuw.pdf"
t=$(now); $PEO index --corpus "$CORPUS" --index "$OUT/index" --ocr never 2> /dev/null || true; add_one=$(elapsed "$t")

queries=(werkdruk reflectie "professionele ruimte" zelfzorg kostenbewustzijn rapportcijfer caseload "gedwongen kader"
  stage ingewerkt SKJ burn-out intervisie feedback langetermijnvisie psycho-educatie buddysysteem "leven lang leren"
  cliënten clienten werkplezier jeugdbescherming opleiding praktijk collega leidinggevende organisaties gemeenten
  aanbevelingen "grijze gebied" Nora ouders jeugdigen gezinnen reflecteren casuïstiek supervisie coaching training
  cursus mbo hbo "social work" wijkteam GI lef intuïtie waarden vakmanschap zelfreflectie "moeilijke gesprekken"
  kindermishandeling scheidingen)
: > "$OUT/latency.txt"
for q in "${queries[@]}"; do
  t=$(now); $PEO search "$q" --index "$OUT/index" --limit 10 --no-fuzzy > /dev/null; echo "$(elapsed "$t") * 1000" | bc -l >> "$OUT/latency.txt"
done
sort -n "$OUT/latency.txt" > "$OUT/latency.sorted"
n_q=$(wc -l < "$OUT/latency.sorted")
p50=$(sed -n "$(( (n_q + 1) / 2 ))p" "$OUT/latency.sorted")
p99=$(sed -n "$(( (n_q * 99 + 99) / 100 ))p" "$OUT/latency.sorted")

{
  echo "# peo benchmark"
  echo
  echo "$(date -u +%Y-%m-%d), $(nproc) cores, $N PDFs ($total_pages pages) made from corpus/, \`make bench\`."
  echo
  echo "| measure | seconds | pages/s | ratio to pdftotext |"
  echo "|---|---|---|---|"
  printf '| pdftotext, 1 job | %.1f | %s | 1.00 |\n' "$pdftotext_1" "$(pps "$pdftotext_1")"
  printf '| pdftotext, 2 jobs | %.1f | %s | 1.00 |\n' "$pdftotext_2" "$(pps "$pdftotext_2")"
  printf '| peo extract (whole pipeline, no index), 2 jobs | %.1f | %s | %s |\n' "$extract_2" "$(pps "$extract_2")" "$(ratio "$extract_2" "$pdftotext_2")"
  printf '| peo index, 1 job | %.1f | %s | %s |\n' "$index_1" "$(pps "$index_1")" "$(ratio "$index_1" "$pdftotext_1")"
  printf '| peo index, 2 jobs (worker process per file) | %.1f | %s | %s |\n' "$index_2" "$(pps "$index_2")" "$(ratio "$index_2" "$pdftotext_2")"
  printf '| peo index, 2 jobs, --in-process | %.1f | %s | %s |\n' "$index_2_inproc" "$(pps "$index_2_inproc")" "$(ratio "$index_2_inproc" "$pdftotext_2")"
  printf '| peo index after adding one file to %d | %.2f | | |\n' "$N" "$add_one"
  echo
  echo "Peak resident memory of \`peo index\` (2 jobs, largest of the process and its workers): $(( peak_kb / 1024 )) MB."
  echo
  printf '`peo search` end to end (process start included), %d queries: p50 %.1f ms, p99 %.1f ms.\n' "$n_q" "$p50" "$p99"
} > "$OUT/results.md"
cat "$OUT/results.md"
