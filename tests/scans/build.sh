#!/usr/bin/env bash
# Regenerates the extra scanned fixtures in tests/scans/ from corpus PDFs. They are scored by
# `peo quality` (against the gold of the document they were scanned from) but never indexed:
# evidence that the OCR normaliser holds on scans made another way than the corpus's.
#
#   tests/scans/build.sh
#
# Where corpus/build.sh OCRs with tesseract's own PDF renderer over a blurred office scan, these
# are photocopies (hard contrast, speckles, a stronger skew, a 200 dpi raster) whose text layer
# comes from OCRmyPDF (hOCR through its own renderer, a different content stream and font).
# Needs: poppler-utils, imagemagick, python3-img2pdf, ocrmypdf, tesseract-ocr-nld
# (`make corpus-deps` installs them).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
WORK="$(mktemp -d /tmp/peo-scans-build.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

IM=convert
[ -x /usr/bin/convert ] && IM=/usr/bin/convert
IMG2PDF=(python3 -m img2pdf)
[ -x /usr/bin/python3 ] && IMG2PDF=(/usr/bin/python3 -m img2pdf)
command -v img2pdf >/dev/null 2>&1 && IMG2PDF=(img2pdf)
export OMP_THREAD_LIMIT=1

log() { printf '[scans] %s\n' "$*" >&2; }

# photocopy IN.pdf OUT.pdf SEED: every page through a photocopier, then OCRmyPDF (Dutch).
photocopy() {
    local in="$1" out="$2" seed="$3"
    local dir="$WORK/$(basename "${out%.pdf}")"
    mkdir -p "$dir"
    local pages; pages="$(pdfinfo "$in" | awk '/^Pages:/ {print $2}')"
    local images=() p
    for ((p = 1; p <= pages; p++)); do
        local n; n="$(printf '%03d' "$p")"
        pdftoppm -r 200 -gray -png -f "$p" -l "$p" -singlefile "$in" "$dir/raw-$n"
        # a skew of 1.0-1.6 degrees, alternating; toner contrast; speckles; JPEG of quality 50
        local ang; ang="$(awk -v s="$seed" -v p="$p" 'BEGIN {
            a = 1.0 + ((s * 5 + p * 3) % 7) / 10.0; if ((s + p) % 2) a = -a; printf "%.2f", a }')"
        $IM "$dir/raw-$n.png" -background white -rotate "$ang" +repage \
            -level 25%,75% -seed "$((seed * 1000 + p))" -attenuate 0.35 +noise Impulse \
            -colorspace Gray -strip -density 200 -units PixelsPerInch -quality 50 "$dir/copy-$n.jpg"
        images+=("$dir/copy-$n.jpg")
    done
    "${IMG2PDF[@]}" --engine internal --nodate -o "$dir/images.pdf" "${images[@]}"
    log "OCRmyPDF on $(basename "$out") ($pages pages)"
    ocrmypdf -l nld --jobs 1 --output-type pdf --optimize 0 --quiet "$dir/images.pdf" "$out"
}

photocopy "$ROOT/corpus/peo-2022-2023-samenvatting.pdf" "$HERE/peo-2022-2023-samenvatting-kopie.pdf" 11
photocopy "$ROOT/corpus/peo-2024-2025-brochure.pdf" "$HERE/peo-2024-2025-brochure-kopie.pdf" 13
photocopy "$ROOT/corpus/peo-2022-webpagina.pdf" "$HERE/peo-2022-webpagina-kopie.pdf" 17
log "done: $(du -ch "$HERE"/*.pdf | tail -1 | cut -f1) in tests/scans/*.pdf"
