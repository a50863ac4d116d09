#!/usr/bin/env bash
# Regenerates the bundled PEO test corpus (corpus/*.pdf) from the sources in corpus/src/,
# and the pdftotext reference output in tests/baseline/pdftotext/<stem>.txt.
#
#   corpus/build.sh                      # everything
#   corpus/build.sh peo-2022-factsheet   # only the named documents (a born-digital name also
#   corpus/build.sh peo-2024-2025-rapport-scan   #   rebuilds its scan; a -scan name only the scan)
#
# Needs: chromium, libreoffice (writer), tesseract-ocr + tesseract-ocr-nld, qpdf, imagemagick,
# poppler-utils, python3-img2pdf (comes with ocrmypdf). `make corpus` installs them.
#
# Producers:
#   *.html  -> Chromium headless "print to PDF" (Skia/PDF): subset TrueType fonts with ToUnicode
#              maps, ligatures (fi, fl, ffi) kept as single glyphs. The web page is printed WITH
#              the browser's default header/footer (date, title, URL, page x/y).
#   *.fodt  -> LibreOffice Writer (soffice --headless --convert-to pdf).
#   *-scan  -> pages rasterised at 300 dpi, degraded (rotation, blur, noise, JPEG), OCR'd with
#              tesseract (-l nld) into a text-only PDF, laid over a 110-150 dpi grayscale JPEG of
#              the degraded page (qpdf --underlay); the factsheet scan has no text layer at all.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
SRC="$HERE/src"
BASELINE="$ROOT/tests/baseline/pdftotext"
WORK="$(mktemp -d /tmp/peo-corpus-build.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$BASELINE"

# ImageMagick 6's convert (a wrapper may stand in front of it on some machines).
IM=convert
IDENTIFY=identify
[ -x /usr/bin/convert ] && IM=/usr/bin/convert
[ -x /usr/bin/identify ] && IDENTIFY=/usr/bin/identify
IMG2PDF=(python3 -m img2pdf)
[ -x /usr/bin/python3 ] && IMG2PDF=(/usr/bin/python3 -m img2pdf)
command -v img2pdf >/dev/null 2>&1 && IMG2PDF=(img2pdf)
export OMP_THREAD_LIMIT=1   # tesseract: one thread (shared machine), one page at a time

log() { printf '[corpus] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- producers

chromium_pdf() { # chromium_pdf IN.html OUT.pdf [with-header-footer]
    local in="$1" out="$2" hf="${3:-}" profile
    profile="$(mktemp -d "$WORK/chromium-profile.XXXXXX")"
    local args=(--headless --no-sandbox --disable-gpu --disable-background-networking
                --no-first-run --user-data-dir="$profile" --print-to-pdf="$out")
    [ -z "$hf" ] && args+=(--no-pdf-header-footer)
    rm -f "$out"
    chromium "${args[@]}" "file://$in" >"$WORK/chromium.log" 2>&1 || true
    if [ ! -s "$out" ]; then cat "$WORK/chromium.log" >&2; log "chromium failed on $in"; exit 1; fi
}

soffice_pdf() { # soffice_pdf IN.fodt OUT.pdf
    local in="$1" out="$2" outdir="$WORK/soffice"
    mkdir -p "$outdir"
    soffice -env:UserInstallation="file://$WORK/lo-profile" --headless --norestore \
        --convert-to pdf:writer_pdf_Export --outdir "$outdir" "$in" >"$WORK/soffice.log" 2>&1 || true
    local got="$outdir/$(basename "${in%.*}").pdf"
    if [ ! -s "$got" ]; then cat "$WORK/soffice.log" >&2; log "soffice failed on $in"; exit 1; fi
    mv "$got" "$out"
}

# ---------------------------------------------------------------- scans

# scan_pdf IN.pdf OUT.pdf MODE SEED DPI
#   MODE ocr:   text layer from tesseract on the 300-dpi degraded page, over a DPI-dpi JPEG
#   MODE image: only the DPI-dpi JPEG, no text layer
scan_pdf() {
    local in="$1" out="$2" mode="$3" seed="$4" dpi="$5"
    local dir="$WORK/scan-$(basename "${out%.pdf}")"
    mkdir -p "$dir"
    local pages; pages="$(pdfinfo "$in" | awk '/^Pages:/ {print $2}')"
    local scale; scale="$(awk -v d="$dpi" 'BEGIN { printf "%.6f%%", d * 100 / 300 }')"
    local parts=() p
    for ((p = 1; p <= pages; p++)); do
        local n; n="$(printf '%03d' "$p")"
        # 1. the "scanner": 300 dpi grayscale raster of the page
        pdftoppm -r 300 -gray -png -f "$p" -l "$p" -singlefile "$in" "$dir/raw-$n"
        # 2. degradation, deterministic per document and page: a rotation of 0.3-1.0 degree
        #    (sign alternating), blur, paper tone, gaussian noise with a fixed seed (-seed),
        #    and the scanner's own JPEG compression.
        local ang; ang="$(awk -v s="$seed" -v p="$p" 'BEGIN {
            a = 0.3 + ((s * 7 + p * 13) % 8) / 10.0; if ((s + p) % 2) a = -a; printf "%.2f", a }')"
        local geom; geom="$($IDENTIFY -format '%wx%h' "$dir/raw-$n.png")"
        #    The optics of a cheap office scanner: the page is resampled through about 135 dpi
        #    (45 %, back up to 300 dpi), blurred, and saved as a JPEG of quality 30.
        $IM "$dir/raw-$n.png" -background white -rotate "$ang" +repage \
            -gravity center -extent "$geom" \
            -resize 45% -resize "$geom!" -blur 0x1.2 +level 5%,95% \
            -seed "$((seed * 1000 + p))" -attenuate 0.9 +noise Gaussian \
            -colorspace Gray -strip -density 300 -units PixelsPerInch -quality 30 "$dir/scan-$n.jpg"
        # 3. what goes into the PDF: a lower-resolution grayscale JPEG of the scan
        $IM "$dir/scan-$n.jpg" -resize "$scale" -colorspace Gray -strip \
            -density "$dpi" -units PixelsPerInch -sampling-factor 1x1 -quality 45 "$dir/low-$n.jpg"
        "${IMG2PDF[@]}" --engine internal --nodate --imgsize "${dpi}dpi" -o "$dir/img-$n.pdf" "$dir/low-$n.jpg"
        if [ "$mode" = ocr ]; then
            # 4. OCR (Dutch) on the 300-dpi scan, text only, then the image underneath
            log "  OCR page $p/$pages of $(basename "$out")"
            tesseract "$dir/scan-$n.jpg" "$dir/text-$n" -l nld --dpi 300 \
                -c textonly_pdf=1 pdf >"$dir/tesseract.log" 2>&1 \
                || { cat "$dir/tesseract.log" >&2; exit 1; }
            fix_dates "$dir/text-$n.pdf"
            qpdf --deterministic-id "$dir/text-$n.pdf" --underlay "$dir/img-$n.pdf" -- "$dir/page-$n.pdf"
        else
            qpdf --deterministic-id "$dir/img-$n.pdf" "$dir/page-$n.pdf"
        fi
        parts+=("$dir/page-$n.pdf")
        rm -f "$dir/raw-$n.png"
    done
    qpdf --deterministic-id --object-streams=generate --compress-streams=y \
        "${parts[0]}" --pages "${parts[@]}" -- "$out"
}

fix_dates() { # fix_dates PDF: the producers stamp the time of the build into the Info
    # dictionary; a fixed date of the same length keeps the bytes (and xref offsets) stable
    # (LibreOffice also writes a time-derived /ID and /DocChecksum in the trailer: fixed too)
    perl -0777 -pi -e 's/\(D:\d{14}/(D:20250301000000/g;
        s{/ID \[ <[0-9A-F]{32}>\n<[0-9A-F]{32}> \]}{/ID [ <50454F434F52505553000000000000AA>\n<50454F434F52505553000000000000AA> ]};
        s{/DocChecksum /[0-9A-F]{32}}{/DocChecksum /00000000000000000000000000000000}' "$1"
}

baseline() { # baseline NAME: reference output of pdftotext (default mode)
    pdftotext "$HERE/$1.pdf" "$BASELINE/$1.txt"
}

# ---------------------------------------------------------------- documents

build_one() {
    local name="$1"
    case "$name" in
    peo-2022-factsheet | peo-2024-2025-rapport | peo-2024-2025-brochure)
        [ -f "$SRC/$name.html" ] || { log "skip $name: $SRC/$name.html not there"; return 0; }
        log "$name.pdf (Chromium)"
        chromium_pdf "$SRC/$name.html" "$HERE/$name.pdf"
        ;;
    peo-2022-webpagina)
        # printed the way a librarian archives a page: with the browser's own header/footer.
        # The page is served from a fixed path so the printed URL is the same on every build.
        log "$name.pdf (Chromium, with print header/footer)"
        local site=/tmp/peo-web/kennisnetwerk-jeugd-haaglanden/publicaties
        mkdir -p "$site"
        cp "$SRC/$name.html" "$site/jeugdhulp-professionele-ruimte-onder-druk.html"
        chromium_pdf "$site/jeugdhulp-professionele-ruimte-onder-druk.html" "$HERE/$name.pdf" with-header-footer
        ;;
    peo-2022-2023-samenvatting | peo-2023-2024-samenvatting)
        log "$name.pdf (LibreOffice)"
        soffice_pdf "$SRC/$name.fodt" "$HERE/$name.pdf"
        ;;
    peo-2024-2025-rapport-scan)
        [ -f "$HERE/peo-2024-2025-rapport.pdf" ] || build_one peo-2024-2025-rapport
        [ -f "$HERE/peo-2024-2025-rapport.pdf" ] || return 0
        log "$name.pdf (scan, tesseract nld text layer)"
        scan_pdf "$HERE/peo-2024-2025-rapport.pdf" "$HERE/$name.pdf" ocr 3 110
        ;;
    peo-2023-2024-samenvatting-scan)
        [ -f "$HERE/peo-2023-2024-samenvatting.pdf" ] || build_one peo-2023-2024-samenvatting
        log "$name.pdf (scan, tesseract nld text layer)"
        scan_pdf "$HERE/peo-2023-2024-samenvatting.pdf" "$HERE/$name.pdf" ocr 5 130
        ;;
    peo-2022-factsheet-scan)
        [ -f "$HERE/peo-2022-factsheet.pdf" ] || build_one peo-2022-factsheet
        log "$name.pdf (scan, image only)"
        scan_pdf "$HERE/peo-2022-factsheet.pdf" "$HERE/$name.pdf" image 7 150
        ;;
    *)
        log "unknown document: $name"; exit 2 ;;
    esac
    [ -f "$HERE/$name.pdf" ] || return 0
    case "$name" in *-scan) ;; *) fix_dates "$HERE/$name.pdf" ;; esac
    baseline "$name"
    return 0
}

ALL=(peo-2022-webpagina peo-2022-factsheet peo-2022-2023-samenvatting peo-2023-2024-samenvatting
     peo-2024-2025-rapport peo-2024-2025-brochure
     peo-2022-factsheet-scan peo-2023-2024-samenvatting-scan peo-2024-2025-rapport-scan)

if [ $# -eq 0 ]; then
    targets=("${ALL[@]}")
else
    targets=()
    for a in "$@"; do
        a="$(basename "${a%.pdf}")"
        targets+=("$a")
        # a born-digital document's scan is made from it: rebuild that too
        case "$a" in *-scan) ;; *) for t in "${ALL[@]}"; do [ "$t" = "$a-scan" ] && targets+=("$t"); done ;; esac
    done
fi

for t in "${targets[@]}"; do build_one "$t"; done
log "done: $(du -ch "$HERE"/*.pdf 2>/dev/null | tail -1 | cut -f1) in corpus/*.pdf"
