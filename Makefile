# peo: `make` builds, indexes the bundled corpus and shows a search; `make test` runs the tests
# and the quality check. Nothing here needs more than cargo, except the targets that say so.

CARGO ?= cargo
PEO := target/release/peo
CORPUS ?= corpus
INDEX ?= index
BENCH_N ?= 1000

.PHONY: all build index sample test quality corpus scans corpus-deps ocr-deps test-deps robustness fuzz bench clean

all: build index sample

build:
	$(CARGO) build --release --locked

index: build
	$(PEO) index --corpus $(CORPUS) --index $(INDEX)

sample: index
	@echo
	@echo '$$ peo search werkdruk --limit 5'
	@$(PEO) search werkdruk --limit 5 --index $(INDEX)
	@echo '$$ peo recs --audience opleidingen --wave 2024-2025'
	@$(PEO) recs --audience opleidingen --wave 2024-2025 --index $(INDEX)

test: build test-deps
	$(CARGO) test --release --locked
	$(MAKE) --no-print-directory quality

# Scores extraction and segmentation of the corpus and of the extra scans in tests/scans against
# tests/gold, normalisation before against after, and search against the researchers'
# questions in tests/relevance.toml; fails below the thresholds.
quality: build
	$(PEO) quality --corpus $(CORPUS) --gold tests/gold --baseline tests/baseline/pdftotext \
		--fixtures tests/scans --thresholds tests/quality-thresholds.toml \
		--relevance tests/relevance.toml

# Regenerates corpus/*.pdf and tests/baseline from corpus/src (needs the PDF producers).
corpus: corpus-deps
	bash corpus/build.sh

# Regenerates the photocopied fixtures in tests/scans from corpus/*.pdf (needs OCRmyPDF).
scans: corpus-deps
	bash tests/scans/build.sh

corpus-deps:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v tesseract >/dev/null \
		&& command -v qpdf >/dev/null && command -v pdftotext >/dev/null && [ -x /usr/bin/convert ] \
		&& command -v ocrmypdf >/dev/null \
		&& python3 -c 'import img2pdf' 2>/dev/null \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
			libreoffice-writer-nogui tesseract-ocr tesseract-ocr-nld ocrmypdf qpdf imagemagick \
			poppler-utils python3-img2pdf perl fonts-dejavu fonts-liberation; }

# tesseract with Dutch data, for pages without a text layer.
ocr-deps:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx nld \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tesseract-ocr tesseract-ocr-nld; }

# What the tests run besides peo: tesseract (above) and Ghostscript, which re-distils the
# corpus in tests/robustness.rs.
test-deps: ocr-deps
	@command -v gs >/dev/null \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ghostscript; }

clean:
	$(CARGO) clean
	rm -rf $(INDEX)

# Runs peo over the odd and broken PDFs that pypdf, pikepdf and ocrmypdf ship in their source
# distributions (downloaded from PyPI into broken-pdfs/, never committed): every file must be
# read or fail with one clear line, and nothing may crash or hang the run. Then a table of the
# words pdftotext and peo read from each file (tests/robustness-table.sh, broken-pdfs/table.md).
BROKEN := broken-pdfs
robustness: build
	@mkdir -p $(BROKEN)/src $(BROKEN)/corpus
	@for pkg in pypdf==7.1.0 pikepdf==10.17.0 ocrmypdf==17.13.0; do \
		ls $(BROKEN)/src/$${pkg%%==*}-* >/dev/null 2>&1 || \
		python3 -m pip download --quiet --no-deps --no-binary $${pkg%%==*} $$pkg -d $(BROKEN)/src; \
	done
	@for a in $(BROKEN)/src/*.tar.gz; do \
		name=$$(basename $$a .tar.gz); \
		tar -xzf $$a -C $(BROKEN)/src --wildcards '*.pdf' 2>/dev/null; \
		find $(BROKEN)/src/$$name -name '*.pdf' -type f | while read f; do \
			cp "$$f" "$(BROKEN)/corpus/$$name--$$(echo $${f#$(BROKEN)/src/$$name/} | tr / _)"; done; \
	done
	@echo "$$(ls $(BROKEN)/corpus | wc -l) PDFs in $(BROKEN)/corpus"
	-$(PEO) index --corpus $(BROKEN)/corpus --index $(BROKEN)/index --force --timeout 60 2> $(BROKEN)/report.txt; \
		echo "exit code $$?"; tail -1 $(BROKEN)/report.txt; \
		echo "failed files by cause (pages with warnings apart):"; grep '^peo: ' $(BROKEN)/report.txt \
		| grep -Ev ': page [0-9]+[: ]' | sed -E 's/^peo: [^:]+: //; s/: .*//' | sort | uniq -c | sort -rn
	@bash tests/robustness-table.sh $(BROKEN)

# Fuzzes layout (on arbitrary glyph boxes), the normaliser, the segmenter and the parsers of
# the vendored pdf-extract against lopdf's and adobe_cmap_parser's (fuzz/fuzz_targets) for
# FUZZ_SECONDS each with cargo fuzz, installed when missing. cargo fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the
# stable toolchain use them. Overflow checks are on, no sanitizer (peo's code is safe Rust).
# fuzz/corpus/<target> holds the seeds (excerpts of `peo extract --format lines`); what the
# fuzzer finds goes to fuzz/target/corpus (ignored), a crash to fuzz/artifacts/<target>.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := layout normalize segment parsers
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p fuzz/target/corpus/$$t; \
		RUSTC_BOOTSTRAP=1 $(CARGO) fuzz run --sanitizer none --debug-assertions $$t \
			fuzz/target/corpus/$$t fuzz/corpus/$$t -- \
			-max_total_time=$(FUZZ_SECONDS) -max_len=8192 -print_final_stats=1 || exit 1; \
	done

# Speed and memory against pdftotext and ripgrep-all on a generated scale corpus (target/bench,
# not committed); writes target/bench/results.md. Installs what it needs when missing:
# poppler-utils (pdftotext, pdfinfo), bc, procps and ripgrep (apt-get, as root; rga runs rg and
# pdftotext), rga (cargo install).
bench: build
	$(CARGO) build --release --locked --example bench
	@command -v pdftotext >/dev/null && command -v bc >/dev/null && command -v pgrep >/dev/null \
		&& command -v rg >/dev/null && [ -x /usr/bin/time ] \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils bc procps time ripgrep; }
	@command -v rga >/dev/null || $(CARGO) install ripgrep_all --locked
	bash tests/bench.sh $(BENCH_N)
