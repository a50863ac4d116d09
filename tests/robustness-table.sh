#!/usr/bin/env bash
# `make robustness`, after `peo index` has run over broken-pdfs/corpus: what each file gives
# pdftotext and peo, as a table, and a count of the files that failed apart from those that
# were read with warnings about some of their pages.
#
#   tests/robustness-table.sh DIR    DIR/corpus holds the PDFs, DIR/report.txt the standard
#                                    error of `peo index`; writes DIR/table.md and prints it,
#                                    and writes it into docs/robustness-table.md (DOC)
#
# Words are counted by `wc -w` on pdftotext's text and on `peo extract --format text` (OCR
# off, as pdftotext reads only the text layer; a page heading line of peo's is not counted).
# A file peo reads fewer than 90 % of pdftotext's words from is marked "fewer".
set -uo pipefail
cd "$(dirname "$0")/.."
DIR=${1:?usage: tests/robustness-table.sh DIR}
PEO=${PEO:-target/release/peo}
OUT=$DIR/table.md
DOC=${DOC:-docs/robustness-table.md}
n_files=0 n_pdftotext=0 n_peo=0 n_failed=0 n_warned=0 n_fewer=0
{
  echo "| file | pdftotext words | peo words | peo |"
  echo "|---|---:|---:|---|"
} > "$OUT"
for pdf in "$DIR"/corpus/*.pdf; do
  name=$(basename "$pdf")
  n_files=$((n_files + 1))
  ptt=$(timeout 60 pdftotext -q "$pdf" - 2>/dev/null | wc -w)
  err=$(mktemp)
  peo_words=$(timeout 120 "$PEO" extract "$pdf" --format text --ocr never 2>"$err" \
    | grep -Ev '^--- page [0-9]+( \(label .*\))? ---$' | wc -w)
  code=${PIPESTATUS[0]}
  status=read
  if [ "$code" -ne 0 ]; then
    status="failed: $(grep -m1 '^peo: ' "$err" | sed -E 's/^peo: [^:]+: //' | cut -c1-80)"
    n_failed=$((n_failed + 1))
  elif grep -q ': page [0-9]' "$err"; then
    status="read, with page warnings"
    n_warned=$((n_warned + 1))
  fi
  rm -f "$err"
  [ "$ptt" -gt 0 ] && n_pdftotext=$((n_pdftotext + 1))
  [ "$peo_words" -gt 0 ] && n_peo=$((n_peo + 1))
  if [ "$ptt" -gt 0 ] && [ $((peo_words * 10)) -lt $((ptt * 9)) ]; then
    status="$status; fewer"
    n_fewer=$((n_fewer + 1))
  fi
  echo "| $name | $ptt | $peo_words | $status |" >> "$OUT"
done
{
  echo
  echo "$n_files files: pdftotext reads words from $n_pdftotext, peo from $n_peo."
  echo "peo: $n_failed failed (the file could not be read at all), $n_warned read with warnings about some pages,"
  echo "$n_fewer read with fewer than 90 % of pdftotext's words."
} >> "$OUT"
cat "$OUT"
{
  echo "# Words per file of \`make robustness\`"
  echo
  echo "Written by \`make robustness\` (tests/robustness-table.sh); do not edit by hand. Why peo reads"
  echo "fewer words than pdftotext from the files marked \"fewer\": [robustness.md](robustness.md#files-peo-reads-fewer-words-from)."
  echo
  echo "$(date -u +%Y-%m-%d), peo $($PEO --version | cut -d' ' -f2-), on the PDFs of the source distributions the"
  echo "Makefile names (its \`robustness\` target)."
  echo
  cat "$OUT"
} > "$DOC"
