"""Renders the layout zoo: every publication of tests/zoo/sources through themes and real producers.

    python3 tests/zoo/render.py OUT --family dev --pairs "chromium:11 typst:12 ..." [--only ID]

A pair PRODUCER[+POST]:SEED names a producer (chromium, weasyprint, libreoffice, pandoc, typst),
optional post-processing (gs: re-distilled by Ghostscript, which drops tags and rewrites the
content streams; scan: printed, degraded and OCR'd into a text layer; scanimage: the same without
a text layer) and the seed of the theme. For each pair and publication it writes
OUT/pdf/<name>.pdf, the gold derived from the source (OUT/gold/<name>.json and .txt), pdftotext's
text of the PDF (OUT/pdftotext/<name>.txt) and a line of OUT/manifest.json. Producers are run
with fixed dates where they take one; a render that fails stops the run with the producer's words.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import webpage as html_writer  # noqa: E402
import typ  # noqa: E402
from source import parse  # noqa: E402
from theme import Line, Theme, gold, printed  # noqa: E402

PRODUCERS = ("chromium", "weasyprint", "libreoffice", "pandoc", "typst")
POSTS = ("gs", "scan", "scanimage")


def run(cmd: list[str], **kw) -> None:
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({r.returncode}): {r.stderr.strip()[-800:]}")


def chromium(page: str, out: Path, tmp: Path, tagged: bool) -> None:
    src = tmp / "page.html"
    src.write_text(page, encoding="utf-8")
    args = ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            f"--user-data-dir={tmp / 'profile'}", "--no-pdf-header-footer",
            f"--print-to-pdf={out}"]
    if not tagged:
        args.append("--disable-pdf-tagging")
    run(args + [src.as_uri()])
    if not out.exists() or out.stat().st_size == 0:
        raise RuntimeError("chromium wrote no PDF")


def weasyprint(page: str, out: Path, tagged: bool) -> None:
    import weasyprint as wp
    options = {"pdf_tags": True, "pdf_variant": "pdf/ua-1"} if tagged else {}
    wp.HTML(string=page, base_url=str(HERE)).write_pdf(str(out), **options)


def soffice(src: Path, out: Path, tmp: Path, tagged: bool, infilter: str | None = None) -> None:
    export = ('pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"%s"}}'
              % ("true" if tagged else "false"))
    cmd = ["soffice", f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--norestore"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    run(cmd + ["--convert-to", export, "--outdir", str(tmp / "lo-out"), str(src)])
    got = tmp / "lo-out" / (src.stem + ".pdf")
    if not got.exists():
        raise RuntimeError(f"soffice wrote no PDF for {src.name}")
    shutil.move(got, out)


def markdown(lines: list[Line]) -> str:
    """Printed lines as pandoc markdown (its own list numbering, block quotes and pipe tables)."""
    out: list[str] = []
    i = 0
    esc = lambda t: re.sub(r"([\\`*_{}\[\]<>#+!|~^$@])", r"\\\1", t)
    while i < len(lines):
        ln = lines[i]
        if ln.role in ("title", "kicker", "subtitle", "meting", "publisher", "para", "small",
                       "rec-label", "speaker"):
            text = esc(ln.text)
            text = re.sub(r"^(\d+)\.", r"\1\\.", text)
            out.append(f"**{text}**" if ln.role in ("title", "rec-label") else text)
        elif ln.role == "heading":
            out.append("#" * min(ln.level + (1 if ln.kind == "kader" else 0), 4) + " " + esc(ln.text))
        elif ln.role in ("item", "figure", "rec"):
            j = i + 1
            while j < len(lines) and lines[j].role == ln.role and lines[j].tight:
                j += 1
            items = []
            for k, it in enumerate(lines[i:j]):
                if it.data.get("list") == "paras":
                    items.append(esc(it.text) + "\n")
                elif it.marker:
                    body = it.text[len(it.marker) + 1:]
                    items.append(f"{it.marker} {esc(body)}")
                else:
                    items.append(f"- {esc(it.text)}")
            out.append("\n".join(items))
            i = j
            continue
        elif ln.role == "quote":
            out.append("> " + (f"*{esc(ln.text)}*" if ln.text == ln.data["body"] else esc(ln.text)))
        elif ln.role == "row":
            j = i
            rows = []
            while j < len(lines) and lines[j].role == "row" and (j == i or lines[j].tight):
                rows.append("| " + " | ".join(esc(c) for c in lines[j].data["cells"]) + " |")
                j += 1
            ncol = len(lines[i].data["cells"])
            header = rows[0] if lines[i].data["header"] else "| " + " | ".join([" "] * ncol) + " |"
            body = rows[1:] if lines[i].data["header"] else rows
            out.append("\n".join([header, "|" + "---|" * ncol] + body))
            i = j
            continue
        i += 1
    return "\n\n".join(out) + "\n"


TWIPS = {"A4": (11906, 16838), "Letter": (12240, 15840), "A5": (8391, 11906)}


def reference_docx(t: Theme, tmp: Path) -> Path:
    """pandoc's own reference.docx with the theme's page, fonts, sizes and heading style."""
    import zipfile
    ref = tmp / "default-reference.docx"
    with open(ref, "wb") as f:
        subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"], stdout=f, check=True)
    out = tmp / "reference.docx"
    w, h = TWIPS[t.page]
    if t.landscape:
        w, h = h, w
    fonts = lambda name: f'<w:rFonts w:ascii="{name}" w:hAnsi="{name}" w:cs="{name}" w:eastAsia="{name}" />'
    with zipfile.ZipFile(ref) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename).decode("utf-8") if item.filename.endswith(".xml") else None
            if item.filename == "word/styles.xml":
                data = re.sub(r'<w:rFonts w:asciiTheme="minorHAnsi"[^>]*/>', fonts(t.font), data)
                data = re.sub(r'<w:rFonts w:asciiTheme="majorHAnsi"[^>]*/>', fonts(t.heading_font), data)
                data = data.replace('<w:sz w:val="24" />\n        <w:szCs w:val="24" />',
                                    f'<w:sz w:val="{round(t.size * 2)}" />\n        <w:szCs w:val="{round(t.size * 2)}" />', 1)
                for level, factor in ((1, 1.0), (2, 0.6), (3, 0.3)):
                    size = round(t.size * (1 + (t.ratio - 1) * factor) * 2)
                    data = re.sub(rf'(w:styleId="Heading{level}".*?)<w:sz w:val="\d+" />\s*<w:szCs w:val="\d+" />',
                                  rf'\g<1><w:sz w:val="{size}" /><w:szCs w:val="{size}" />', data, count=1, flags=re.S)
                data = re.sub(r'<w:color w:val="[0-9A-F]{6}" w:themeColor="accent1" />',
                              f'<w:color w:val="{t.heading_colour[1:].upper()}" />', data)
                if not t.heading_bold:
                    data = re.sub(r'(w:styleId="Heading\d".*?)<w:b />\s*<w:bCs />', r"\g<1>", data, flags=re.S)
            elif item.filename == "word/document.xml":
                orient = ' w:orient="landscape"' if t.landscape else ""
                data = data.replace("<w:sectPr />", f'<w:sectPr><w:pgSz w:w="{w}" w:h="{h}"{orient} />'
                                    '<w:pgMar w:top="1000" w:right="900" w:bottom="1000" w:left="900" '
                                    'w:header="500" w:footer="500" w:gutter="0" /></w:sectPr>')
            zout.writestr(item, data.encode("utf-8") if data is not None else zin.read(item.filename))
    return out


def render(theme: Theme, lines: list[Line], out: Path, tmp: Path) -> None:
    p = theme.producer
    if p == "chromium":
        chromium(html_writer.page(lines, theme), out, tmp, theme.tagged)
    elif p == "weasyprint":
        weasyprint(html_writer.page(lines, theme), out, theme.tagged)
    elif p == "libreoffice":
        src = tmp / "doc.html"
        src.write_text(html_writer.page(lines, theme), encoding="utf-8")
        soffice(src, out, tmp, theme.tagged, infilter="HTML (StarWriter)")
    elif p == "pandoc":
        md = tmp / "doc.md"
        md.write_text(markdown(lines), encoding="utf-8")
        docx = tmp / "doc.docx"
        run(["pandoc", "-f", "markdown-auto_identifiers-smart", f"--reference-doc={reference_docx(theme, tmp)}",
             "-o", str(docx), str(md)])
        soffice(docx, out, tmp, theme.tagged)
    elif p == "typst":
        import typst as typst_compiler
        src = tmp / "doc.typ"
        src.write_text(typ.document(lines, theme), encoding="utf-8")
        typst_compiler.compile(str(src), output=str(out), pdf_tags=theme.tagged,
                                font_paths=["/usr/share/fonts"])
    else:
        raise ValueError(f"unknown producer {p}")


def ghostscript(pdf: Path, tmp: Path) -> None:
    out = tmp / "gs.pdf"
    run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=pdfwrite", f"-sOutputFile={out}", str(pdf)])
    shutil.move(out, pdf)


def scan(pdf: Path, tmp: Path, seed: int, with_text: bool) -> None:
    """The corpus's scan path: a 300-dpi grey raster, rotated, blurred, noised and JPEG'd, kept at a
    lower resolution; with a text layer from tesseract (nld) laid under it, or none."""
    r = random.Random(f"scan:{seed}")
    dpi = r.choice([100, 120, 150, 200])
    convert = "/usr/bin/convert" if Path("/usr/bin/convert").exists() else "convert"
    work = tmp / "scan"
    work.mkdir()
    run(["pdftoppm", "-r", "300", "-gray", "-png", str(pdf), str(work / "raw")])
    pages = []
    for n, raw in enumerate(sorted(work.glob("raw-*.png")), 1):
        angle = round(r.uniform(0.2, 1.0) * r.choice([-1, 1]), 2)
        scanned = work / f"scan-{n:03}.jpg"
        run([convert, str(raw), "-background", "white", "-rotate", str(angle), "+repage",
             "-resize", "50%", "-resize", "200%", "-blur", f"0x{r.uniform(0.6, 1.2):.2f}",
             "+level", "5%,95%", "-seed", str(seed * 1000 + n), "-attenuate", "0.8", "+noise", "Gaussian",
             "-colorspace", "Gray", "-strip", "-density", "300", "-units", "PixelsPerInch",
             "-quality", "35", str(scanned)])
        low = work / f"low-{n:03}.jpg"
        run([convert, str(scanned), "-resize", f"{dpi * 100 / 300:.4f}%", "-colorspace", "Gray", "-strip",
             "-density", str(dpi), "-units", "PixelsPerInch", "-quality", "45", str(low)])
        img = work / f"img-{n:03}.pdf"
        run(["img2pdf", "--nodate", "--imgsize", f"{dpi}dpi", "-o", str(img), str(low)])
        page = work / f"page-{n:03}.pdf"
        if with_text:
            env = dict(os.environ, OMP_THREAD_LIMIT="1")
            run(["tesseract", str(scanned), str(work / f"text-{n:03}"), "-l", "nld", "--dpi", "300",
                 "-c", "textonly_pdf=1", "pdf"], env=env)
            run(["qpdf", "--deterministic-id", str(work / f"text-{n:03}.pdf"), "--underlay", str(img), "--",
                 str(page)])
        else:
            shutil.copy(img, page)
        pages.append(str(page))
    run(["qpdf", "--deterministic-id", "--empty", "--pages", *pages, "--", str(pdf)])


def pdftotext(pdf: Path) -> str:
    r = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
    return r.stdout if r.returncode == 0 else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--family", required=True)
    ap.add_argument("--pairs", required=True, help="PRODUCER[+POST]:SEED ...")
    ap.add_argument("--only", action="append", help="render only these publications")
    ap.add_argument("--sources", type=Path, default=HERE / "sources")
    args = ap.parse_args()
    for d in ("pdf", "gold", "pdftotext"):
        (args.out / d).mkdir(parents=True, exist_ok=True)
    manifest_path = args.out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"renders": []}
    sources = sorted(args.sources.glob("*.peo"))
    for pair in args.pairs.split():
        chain, _, seed = pair.rpartition(":")
        producer, _, post = chain.partition("+")
        if producer not in PRODUCERS or (post and post not in POSTS) or not seed.isdigit():
            sys.exit(f"render.py: bad pair {pair!r}: PRODUCER[+POST]:SEED with producer in {PRODUCERS}, post in {POSTS}")
        theme = Theme.draw(int(seed), producer)
        if post:
            theme.tagged = False  # Ghostscript and the scan path keep no structure tree
        for src in sources:
            doc_id = src.stem
            if args.only and doc_id not in args.only:
                continue
            name = f"{doc_id}--{producer}{'-' + post if post else ''}-{seed}"
            source = parse(src.read_text(encoding="utf-8"), doc_id)
            applied = theme.for_source(source)
            lines = printed(source, applied)
            pdf = args.out / "pdf" / f"{name}.pdf"
            with tempfile.TemporaryDirectory(prefix="peo-zoo-") as tmp:
                tmp = Path(tmp)
                print(f"[zoo] {name}: {applied.summary()}", file=sys.stderr, flush=True)
                render(applied, lines, pdf, tmp)
                if post == "gs":
                    ghostscript(pdf, tmp)
                elif post in ("scan", "scanimage"):
                    scan(pdf, tmp, int(seed), with_text=post == "scan")
            g, text = gold(source, applied)
            (args.out / "gold" / f"{name}.json").write_text(json.dumps(g, ensure_ascii=False, indent=1))
            (args.out / "gold" / f"{name}.txt").write_text(text, encoding="utf-8")
            (args.out / "pdftotext" / f"{name}.txt").write_text(pdftotext(pdf), encoding="utf-8")
            entry = {"name": name, "file": f"pdf/{name}.pdf", "publication": doc_id, "family": args.family,
                     "producer": producer + (f"+{post}" if post else ""), "seed": int(seed),
                     "theme": applied.summary(),
                     "tagged": theme.tagged,
                     "variant": {"scan": "scan-ocr", "scanimage": "scan-image"}.get(post, "born-digital"),
                     "source_sha": hashlib.sha256(src.read_bytes()).hexdigest()[:16]}
            manifest["renders"] = [r for r in manifest["renders"] if r["name"] != name] + [entry]
            manifest["renders"].sort(key=lambda r: r["name"])
            manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
