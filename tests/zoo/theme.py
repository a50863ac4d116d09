"""A theme: every layout choice of one render, drawn from a seed; and the printed lines it makes.

`Theme.draw(seed, producer)` picks page, columns, fonts, sizes, heading style, list markers,
quote style, boxes, running headers and hyphenation from `random.Random(seed)`, within what the
producer can draw. `printed(source, theme)` gives the lines a render of `source` shows, in
reading order, each with its role and exact text; `gold(source, theme)` derives the ground truth
from them. A renderer must draw exactly the printed lines (and may add only furniture: running
headers, footers, page numbers and decoration, which the gold leaves out, as a reader does).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, asdict, field, replace

from source import Block, Source, walk

FONTS_SANS = ["Liberation Sans", "DejaVu Sans", "DejaVu Sans Condensed", "Carlito", "Open Sans"]
FONTS_SERIF = ["Liberation Serif", "DejaVu Serif", "Caladea"]
COLOURS = ["#1f3a5f", "#7a1f3d", "#2e6b30", "#b35900", "#000000", "#4b2e83"]
PAGES = [("A4", False), ("A4", True), ("Letter", False), ("A5", False)]

# What each producer can draw; a theme never asks a producer for what it cannot do.
CAN = {
    "chromium": {"columns", "cards", "band", "circled", "decorative", "pullbox", "hyphenate", "running"},
    "weasyprint": {"columns", "cards", "band", "circled", "decorative", "pullbox", "hyphenate", "running"},
    "libreoffice": {"band", "decorative", "pullbox"},
    "typst": {"columns", "band", "circled", "decorative", "pullbox", "hyphenate", "running"},
    "pandoc": set(),
}


@dataclass
class Theme:
    seed: int
    producer: str
    page: str = "A4"
    landscape: bool = False
    columns: int = 1          # 1, 2, 3; cards: sections as cards in a grid of `columns`
    cards: bool = False
    font: str = "Liberation Serif"
    heading_font: str = "Liberation Sans"
    size: float = 10.0        # body size in pt
    ratio: float = 1.4        # heading size / body size (level 1; level 2 and 3 step down)
    heading_bold: bool = True
    heading_colour: str = "#000000"
    heading_caps: bool = False
    band: bool = False        # level-1 headings white on a dark band
    numbers: str = "typed"    # typed "1.", paren "1)", auto (the producer numbers), circled, alpha "a)"
    bullet: str = "•"
    quotes: str = "inline"    # inline “…”, decorative (a large mark of its own), italic, pullbox, block
    recs_box: bool = False    # recommendations in a box beside the flow
    running: bool = False     # running header and footer with page numbers
    hyphenate: bool = False
    tagged: bool = True
    label_colon: bool = True  # audience labels printed with their colon

    @staticmethod
    def draw(seed: int, producer: str) -> "Theme":
        r = random.Random(f"{producer}:{seed}")
        can = CAN[producer]
        t = Theme(seed=seed, producer=producer)
        t.page, t.landscape = r.choice(PAGES)
        t.columns = r.choice([1, 1, 2, 2, 3]) if t.page != "A5" else 1
        if "columns" not in can:
            t.columns = 1
        t.cards = "cards" in can and r.random() < 0.3
        if t.cards:
            t.columns = r.choice([2, 3]) if t.landscape else 2
        serif = r.random() < 0.5
        t.font = r.choice(FONTS_SERIF if serif else FONTS_SANS)
        t.heading_font = r.choice(FONTS_SANS + FONTS_SERIF)
        t.size = r.choice([8.5, 9, 9.5, 10, 10.5, 11, 12])
        t.ratio = round(r.uniform(1.05, 2.0), 2)
        t.heading_bold = r.random() < 0.75
        if not t.heading_bold and t.ratio < 1.25:
            t.ratio = 1.25  # a heading neither bold nor larger would not be one
        t.heading_colour = r.choice(COLOURS)
        t.heading_caps = r.random() < 0.2
        t.band = "band" in can and r.random() < 0.25
        t.numbers = r.choice(["typed", "paren", "auto", "auto"]
                             + (["circled"] if "circled" in can else []) + ["alpha"])
        t.bullet = r.choice(["•", "–", "■", "●", "▪"])
        t.quotes = r.choice(["inline", "italic", "block"]
                            + [q for q in ("decorative", "pullbox") if q in can])
        t.recs_box = "pullbox" in can and r.random() < 0.3
        t.running = "running" in can and r.random() < 0.5
        t.hyphenate = "hyphenate" in can and r.random() < 0.4
        t.tagged = r.random() < 0.5
        t.label_colon = r.random() < 0.7
        return t

    def for_source(self, source: Source) -> "Theme":
        """The theme as applied to one publication: a report, tens of pages long, is never set
        as a grid of cards (a card cannot be taller than a page); it flows in columns."""
        if self.cards and source.meta["type"] == "rapport":
            return replace(self, cards=False)
        return self

    def name(self) -> str:
        return f"{self.producer}-{self.seed}"

    def summary(self) -> str:
        """One line that says what the theme is, for tables."""
        layout = f"cards×{self.columns}" if self.cards else f"{self.columns}col"
        return (f"{self.page}{'L' if self.landscape else ''} {layout} {self.font} {self.size:g}pt "
                f"h×{self.ratio:g}{' bold' if self.heading_bold else ''}{' caps' if self.heading_caps else ''}"
                f"{' band' if self.band else ''} list:{self.numbers} quote:{self.quotes}"
                f"{' recbox' if self.recs_box else ''}{' running' if self.running else ''}"
                f"{' hyph' if self.hyphenate else ''} {'tagged' if self.tagged else 'untagged'}")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Line:
    """One printed element: a heading, a paragraph, a list item, a table row..."""
    role: str                  # title kicker subtitle meting publisher heading para small item
                               # figure rec-label rec quote speaker row site
    text: str                  # exactly as printed, marker and quotation marks included
    marker: str | None = None  # a list item's printed enumerator ("1.", "a)", "3"), or None
    level: int = 0
    number: str | None = None  # a heading's printed number
    kind: str = "heading"      # heading or kader
    box: str | None = None     # kader, box, site, recs (a recommendations box), pullquote
    tight: bool = False        # follows the line before without a blank line (list items, rows)
    data: dict = field(default_factory=dict)


def enumerator(theme: Theme, number: str) -> str:
    n = int(number)
    if theme.numbers == "paren":
        return f"{n})"
    if theme.numbers == "alpha":
        return f"{chr(ord('a') + (n - 1) % 26)})"
    if theme.numbers == "circled":
        return str(n)
    return f"{n}."


def caps(theme: Theme, text: str) -> str:
    return text.upper() if theme.heading_caps else text


def quote_text(theme: Theme, text: str) -> str:
    if theme.quotes == "italic":
        return text
    return f"“{text}”"


def printed(source: Source, theme: Theme) -> list[Line]:
    m = source.meta
    out: list[Line] = [Line("title", m["title"])]
    if m.get("kicker"):
        out.append(Line("kicker", m["kicker"]))
    if m.get("subtitle"):
        out.append(Line("subtitle", m["subtitle"]))
    if m.get("meting"):
        out.append(Line("meting", m["meting"]))
    for p in m["publisher"]:
        out.append(Line("publisher", p))
    emit(source.blocks, theme, out, box=None)
    return out


def emit(blocks: list[Block], theme: Theme, out: list[Line], box: str | None) -> None:
    for b in blocks:
        if b.kind == "heading":
            text = caps(theme, b.text)
            shown = f"{b.number} {text}" if b.number else text
            out.append(Line("heading", shown, level=b.level, number=b.number,
                            data={"title": text}, box=box))
        elif b.kind == "kader":
            text = caps(theme, b.text)
            out.append(Line("heading", f"{b.number} {text}", level=2, number=b.number,
                            kind="kader", box="kader", data={"title": text}))
            emit(b.children, theme, out, box="kader")
        elif b.kind in ("box", "site"):
            emit(b.children, theme, out, box=b.kind)
        elif b.kind == "para":
            out.append(Line("para", b.text, box=box))
        elif b.kind == "small":
            out.append(Line("small", b.text, box=box))
        elif b.kind in ("bullets", "numbers", "figures"):
            for n, it in enumerate(b.items):
                marker = enumerator(theme, it.number) if b.kind == "numbers" else None
                text = f"{marker} {it.text}" if marker else it.text
                role = "figure" if b.kind == "figures" else "item"
                out.append(Line(role, text, marker=marker, box=box, tight=n > 0,
                                data={"list": b.kind}))
        elif b.kind == "recs":
            rbox = "recs" if theme.recs_box and box is None else box
            if b.label_printed:
                label = b.label if theme.label_colon or not b.label.endswith(":") else b.label[:-1]
                out.append(Line("rec-label", label, box=rbox))
            for n, it in enumerate(b.items):
                marker = enumerator(theme, it.number) if b.rec_style == "numbers" else None
                text = f"{marker} {it.text}" if marker else it.text
                out.append(Line("rec", text, marker=marker, box=rbox,
                                tight=n > 0 and b.rec_style != "paras",
                                data={"label": b.label.rstrip(":").strip(), "audiences": b.audiences,
                                      "body": it.text, "list": b.rec_style, "number": it.number}))
        elif b.kind == "quote":
            qbox = "pullquote" if theme.quotes == "pullbox" and box is None else box
            out.append(Line("quote", quote_text(theme, b.text), box=qbox, data={"body": b.text}))
            if b.speaker:
                out.append(Line("speaker", f"— {b.speaker}", box=qbox, tight=True))
        elif b.kind == "table":
            for n, row in enumerate(b.rows):
                out.append(Line("row", " ".join(row), box=box, tight=n > 0,
                                data={"cells": row, "header": b.header_row and n == 0}))
        else:
            raise ValueError(f"unknown block kind {b.kind}")


def gold(source: Source, theme: Theme) -> tuple[dict, str]:
    """The ground truth of a render: the gold JSON (the format of tests/gold/README.md, with page
    0 for "not known": a derived gold knows the order of the text, not where pages break) and
    the reading-order text."""
    lines = printed(source, theme)
    text_parts: list[str] = []
    for ln in lines:
        if text_parts and ln.tight:
            text_parts[-1] += "\n" + ln.text
        else:
            text_parts.append(ln.text)
    sections, recs, quotes = [], [], []
    current = None
    for ln in lines:
        if ln.role == "heading":
            ref = f"{ln.number} {ln.data['title']}" if ln.number else ln.data["title"]
            sections.append({"number": ln.number, "title": ln.data["title"], "level": ln.level,
                             "kind": ln.kind, "page": 0})
            current = ref
        elif ln.role == "rec":
            recs.append({"audience_label": ln.data["label"], "audiences": ln.data["audiences"],
                         # the item's ordinal, whatever enumerator printed it ("3.", "c)")
                         "number": int(ln.data["number"]) if ln.data["number"] else None,
                         "text": ln.data["body"], "page": 0, "section": current})
        elif ln.role == "quote":
            quotes.append({"text": ln.data["body"], "page": 0, "section": current})
    m = source.meta
    doc = {
        "id": source.id,
        "title": m["title"],
        "subtitle": m.get("subtitle"),
        "wave": m["wave"],
        "doc_type": m["type"],
        "authors": m["author"],
        "isbn": m.get("isbn"),
        "sections": sections,
        "recommendations": recs,
        "quotes": quotes,
        "key_figures": [{"value": f.value, "statement": f.statement, "group": f.group, "page": 0}
                        for f in source.figures],
    }
    return doc, "\n\n".join(text_parts) + "\n"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
