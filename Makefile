# peo: `make` builds, indexes the bundled corpus and shows a search; `make test` runs the tests
# and the quality check. Nothing here needs more than cargo, except the targets that say so.

CARGO ?= cargo
PEO := target/release/peo
CORPUS ?= corpus
INDEX ?= index

.PHONY: all build index sample test quality corpus corpus-deps ocr-deps clean

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

test: build ocr-deps
	$(CARGO) test --release --locked
	$(MAKE) --no-print-directory quality

# Scores extraction and segmentation against tests/gold; fails below the thresholds.
quality: build
	$(PEO) quality --corpus $(CORPUS) --gold tests/gold --baseline tests/baseline/pdftotext \
		--thresholds tests/quality-thresholds.toml

# Regenerates corpus/*.pdf and tests/baseline from corpus/src (needs the PDF producers).
corpus: corpus-deps
	bash corpus/build.sh

corpus-deps:
	@command -v chromium >/dev/null && command -v soffice >/dev/null && command -v tesseract >/dev/null \
		&& command -v qpdf >/dev/null && command -v pdftotext >/dev/null && [ -x /usr/bin/convert ] \
		&& python3 -c 'import img2pdf' 2>/dev/null \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium \
			libreoffice-writer-nogui tesseract-ocr tesseract-ocr-nld ocrmypdf qpdf imagemagick \
			poppler-utils python3-img2pdf perl fonts-dejavu fonts-liberation; }

# tesseract with Dutch data, for pages without a text layer.
ocr-deps:
	@command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx nld \
		|| { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y tesseract-ocr tesseract-ocr-nld; }

clean:
	$(CARGO) clean
	find $(INDEX) -mindepth 1 ! -name .gitkeep -delete
