# peo: `make` builds, indexes the bundled corpus and shows a search; `make test` runs the tests
# and the quality check. Nothing here needs more than cargo, except the targets that say so.

CARGO ?= cargo
PEO := target/release/peo
CORPUS ?= corpus
INDEX ?= index
BENCH_N ?= 1000

.PHONY: all build profiling docs man index sample test quality zoo zoo-deps zoo-quality zoo-ci zoo-test corpus scans corpus-deps ocr-deps test-deps robustness fuzz bench clean

all: build index sample

build:
	@[ -x $(PEO) ] || echo "first build: about 10 minutes on 2 cores"
	$(CARGO) build --release --locked

# The release build with debug info, for perf and callgrind: target/profiling/peo.
profiling:
	$(CARGO) build --profile profiling --locked

# Writes each command's help, as the binary prints it, into its page in docs/commands/ (the
# test tests/it/docs.rs, which `make test` runs, fails when a page differs from the binary).
docs: build
	PEO_WRITE_DOCS=1 $(CARGO) test --release --locked --test it docs::

# The man pages, peo.1 and peo-COMMAND.1, into target/man (`man -l target/man/peo.1`).
man: build
	$(PEO) man target/man
	@echo "man pages in target/man: $$(ls target/man | tr '\n' ' ')"

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
	$(MAKE) --no-print-directory zoo-test
	$(MAKE) --no-print-directory quality

# Scores extraction and segmentation of the corpus and of the extra scans in tests/scans against
# tests/gold, normalisation before against after, and search against the researchers'
# questions in tests/relevance.toml, and compound splitting against the judged splits in
# tests/compounds.toml, and what query words match against tests/word-families.toml; fails
# below the thresholds.
quality: build
	$(PEO) quality --corpus $(CORPUS) --gold tests/gold --baseline tests/baseline/pdftotext \
		--fixtures tests/scans --thresholds tests/quality-thresholds.toml \
		--relevance tests/relevance.toml --compounds tests/compounds.toml \
		--families tests/word-families.toml

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

# What the tests run besides peo: tesseract (above), Ghostscript, which re-distils the corpus,
# and pdftotext (poppler-utils), whose word counts peo's are held to, in tests/it/robustness.rs.
test-deps: ocr-deps
	@command -v gs >/dev/null && command -v pdftotext >/dev/null \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ghostscript poppler-utils; }

# ---------------------------------------------------------------- the layout zoo
# Every publication's canonical source (tests/zoo/sources/*.peo) rendered through themes and real
# producers, each render with a gold derived by code (tests/zoo/README.md). A pair is
# PRODUCER[+POST]:SEED; the seed draws the theme. Two families, fixed here:
#   dev      may be looked at while designing a rule;
#   heldout  is never opened to design a rule: only its scores are read. A change that helps dev
#            and not heldout is overfitting and is taken out.
ZOO ?= target/zoo
ZOO_DEV := chromium:11 chromium:12 weasyprint:13 weasyprint:14 libreoffice:15 libreoffice:16 \
	typst:17 typst:18 pandoc:19 chromium+gs:20 typst+scan:21 weasyprint+scanimage:22
ZOO_HELDOUT := chromium:71 chromium:72 weasyprint:73 weasyprint:74 libreoffice:75 libreoffice:76 \
	typst:77 typst:78 pandoc:79 weasyprint+gs:80 chromium+scan:81 libreoffice+scanimage:82
# The small subset committed in tests/zoo/ci and scored by `make test` (one- and two-page
# publications, no scans): made by `make zoo-ci`, never edited by hand.
ZOO_CI_DEV := chromium:11 weasyprint:13 libreoffice:15 typst:18
ZOO_CI_HELDOUT := chromium:72 weasyprint:73 libreoffice:75 typst:77 pandoc:79
ZOO_CI_ONLY := --only peo-2022-webpagina --only peo-2022-factsheet \
	--only peo-2022-2023-samenvatting --only peo-2023-2024-samenvatting

# The producers: Chromium, LibreOffice Writer, pandoc, Ghostscript, tesseract and the scan tools
# from Debian; WeasyPrint (which draws with Pango) and typst from PyPI; the fonts the themes
# draw from.
zoo-deps:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v pandoc >/dev/null \
		&& command -v gs >/dev/null && command -v tesseract >/dev/null && command -v qpdf >/dev/null \
		&& command -v pdftotext >/dev/null && command -v img2pdf >/dev/null && [ -x /usr/bin/convert ] \
		&& fc-list | grep -q Carlito && fc-list | grep -q 'Open Sans' \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
			libreoffice-writer-nogui pandoc ghostscript tesseract-ocr tesseract-ocr-nld qpdf \
			imagemagick poppler-utils img2pdf fonts-dejavu fonts-liberation \
			fonts-crosextra-carlito fonts-crosextra-caladea fonts-open-sans \
			libpango-1.0-0 libpangoft2-1.0-0; }
	@python3 -c 'import weasyprint, typst' 2>/dev/null \
		|| python3 -m pip install --quiet weasyprint==70.0 typst==0.15.2

# Renders the whole zoo into $(ZOO) (about 15 minutes on 2 cores; scans are most of it).
zoo: zoo-deps
	rm -rf $(ZOO)
	python3 tests/zoo/render.py $(ZOO) --family dev --pairs "$(ZOO_DEV)"
	python3 tests/zoo/render.py $(ZOO) --family heldout --pairs "$(ZOO_HELDOUT)"

# Scores the zoo and writes the table to docs/quality.md.
zoo-quality: build
	@mkdir -p docs
	$(PEO) quality --zoo $(ZOO) --markdown docs/quality.md

# Regenerates the committed subset in tests/zoo/ci.
zoo-ci: zoo-deps
	rm -rf tests/zoo/ci
	python3 tests/zoo/render.py tests/zoo/ci --family dev --pairs "$(ZOO_CI_DEV)" $(ZOO_CI_ONLY)
	python3 tests/zoo/render.py tests/zoo/ci --family heldout --pairs "$(ZOO_CI_HELDOUT)" $(ZOO_CI_ONLY)

# The zoo's own tests (gold derived from the sources, the committed subset unchanged) and the
# committed subset scored against tests/zoo/thresholds.toml.
zoo-test: build
	python3 -m unittest discover -s tests/zoo -p 'test_*.py'
	$(PEO) quality --zoo tests/zoo/ci --zoo-thresholds tests/zoo/thresholds.toml

clean:
	$(CARGO) clean
	rm -rf $(INDEX)

# Runs peo over the odd and broken PDFs that pypdf, pikepdf and ocrmypdf ship in their source
# distributions (downloaded from PyPI into broken-pdfs/, never committed): every file must be
# read or fail with one clear line, and nothing may crash or hang the run. Then a table of the
# words pdftotext and peo read from each file (tests/robustness-table.sh, broken-pdfs/table.md and
# docs/robustness-table.md).
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

# Fuzzes layout (on arbitrary glyph boxes), the normaliser, the segmenter, the parsers of the
# vendored pdf-extract against lopdf's and adobe_cmap_parser's, and the whole pipeline on tagged
# PDFs (structure tree and marked content) (fuzz/fuzz_targets) for FUZZ_SECONDS each, one target
# after the other, with cargo fuzz, installed when missing; tests/fuzz.sh writes what each run
# did into docs/fuzzing.md. cargo fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable
# toolchain use them. Overflow checks are on, no sanitizer (peo's code is safe Rust).
# fuzz/corpus/<target> holds the seeds (excerpts of `peo extract --format lines`); what the
# fuzzer finds goes to fuzz/target/corpus (ignored), a crash, a timeout or a slow input to
# fuzz/artifacts/<target>.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := layout normalize segment parsers structure
fuzz:
	@command -v cargo-fuzz >/dev/null || $(CARGO) install cargo-fuzz --locked
	bash tests/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Speed and memory against pdftotext and ripgrep-all on a generated scale corpus (target/bench,
# not committed); writes docs/benchmarks.md. Installs what it needs when missing:
# poppler-utils (pdftotext, pdfinfo), bc, procps and ripgrep (apt-get, as root; rga runs rg and
# pdftotext), rga (cargo install).
bench: build
	$(CARGO) build --release --locked --example bench
	@command -v pdftotext >/dev/null && command -v bc >/dev/null && command -v pgrep >/dev/null \
		&& command -v rg >/dev/null && [ -x /usr/bin/time ] \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y poppler-utils bc procps time ripgrep; }
	@command -v rga >/dev/null || $(CARGO) install ripgrep_all --locked
	bash tests/bench.sh $(BENCH_N)
