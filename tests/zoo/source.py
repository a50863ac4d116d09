"""The canonical source of a publication (tests/zoo/sources/<id>.peo) and what a theme prints of it.

A source holds a publication's content and structure once, without layout. `parse` reads it into
a `Source`; `printed` turns it, for one theme, into the exact lines a render shows, each with its
role; `gold` derives the render's ground truth (the JSON and reading-order text that
`peo quality --zoo` scores against) from those printed lines. Renderers (render.py) draw the same
printed lines, so what the gold says and what the PDF shows cannot drift apart.

The source format, one block per paragraph, blocks separated by blank lines:

    title: ...            header lines first (key: value), until the first blank line;
    kicker: Samenvatting  kicker, subtitle, meting and publisher are printed in the title block;
    subtitle: ...         wave and type are metadata; author and publisher repeat;
    meting: ...           figure: VALUE | STATEMENT [| GROUP] lists a key figure of the text
    wave: 2023-2024
    type: samenvatting

    # 1 | Inleiding       a heading, level by the number of #, the printed number (one word)
                          before " | "
    [kader Kader 1 | T]   a box that is a section of its own, up to [/kader]
    [box] ... [/box]      a box or sidebar without a heading of its own
    [site] ... [/site]    the furniture of a web page (site name, navigation, footer)
    - item / 1. item      a bulleted / numbered list, one item a line
    * 47% vindt ...       a list of key figures, the value first
    @ Aan professionals: | professionals
                          first line of a block of recommendations: the audience label as
                          printed, then the canonical audiences; the items follow as list lines
                          or as "= paragraph" lines. "@@" instead of "@": the label is not printed
                          again (it is the heading above, or words inside the item)
    > text                a quote of an interviewed professional, without its marks;
                          "> -- speaker" on the next line gives its attribution
    | a | b |             a table row; a line "|-" after the first row makes it the header row
    ~ text                small print: a footnote, a source line
    anything else         a paragraph (one line)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEADER_KEYS = {"title", "kicker", "subtitle", "meting", "publisher", "wave", "type", "author",
               "isbn", "figure"}
AUDIENCES = {"professionals", "organisaties", "opleidingen", "beleid"}
WAVE = re.compile(r"^\d{4}(-\d{4})?$")
DOC_TYPES = {"rapport", "samenvatting", "factsheet", "webpagina"}


class SourceError(ValueError):
    pass


@dataclass
class Figure:
    value: str
    statement: str
    group: str | None


@dataclass
class Item:
    """A list item, figure line or recommendation: `number` as written in the source."""
    text: str
    number: str | None = None


@dataclass
class Block:
    kind: str  # heading, para, small, bullets, numbers, figures, recs, quote, table, kader, box, site
    text: str = ""
    level: int = 0
    number: str | None = None
    items: list[Item] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    header_row: bool = False
    label: str | None = None
    label_printed: bool = True
    audiences: list[str] = field(default_factory=list)
    rec_style: str = "list"  # recs: list (bullets), numbers, paras
    speaker: str | None = None
    children: list["Block"] = field(default_factory=list)


@dataclass
class Source:
    id: str
    meta: dict
    figures: list[Figure]
    blocks: list[Block]


def parse(text: str, doc_id: str) -> Source:
    lines = text.split("\n")
    meta: dict = {"publisher": [], "author": []}
    figures: list[Figure] = []
    i = 0
    while i < len(lines) and lines[i].strip():
        key, sep, value = lines[i].partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in HEADER_KEYS:
            raise SourceError(f"{doc_id}: line {i + 1}: not a header line: {lines[i]!r}")
        if key == "figure":
            parts = [p.strip() for p in value.split("|")]
            if len(parts) not in (2, 3) or not all(parts):
                raise SourceError(f"{doc_id}: line {i + 1}: figure needs VALUE | STATEMENT [| GROUP]")
            figures.append(Figure(parts[0], parts[1], parts[2] if len(parts) == 3 else None))
        elif key in ("publisher", "author"):
            meta[key].append(value)
        else:
            meta[key] = value
        i += 1
    for key in ("title", "wave", "type"):
        if key not in meta:
            raise SourceError(f"{doc_id}: header has no {key}")
    if not WAVE.match(meta["wave"]):
        raise SourceError(f"{doc_id}: wave {meta['wave']!r} is not like 2022 or 2022-2023")
    if meta["type"] not in DOC_TYPES:
        raise SourceError(f"{doc_id}: type {meta['type']!r} is not one of {sorted(DOC_TYPES)}")

    chunks: list[tuple[int, list[str]]] = []
    cur: list[str] = []
    start = i
    for n in range(i, len(lines)):
        if lines[n].strip():
            if not cur:
                start = n
            cur.append(lines[n].rstrip())
        elif cur:
            chunks.append((start + 1, cur))
            cur = []
    if cur:
        chunks.append((start + 1, cur))

    root: list[Block] = []
    stack: list[list[Block]] = [root]
    for line_no, chunk in chunks:
        where = f"{doc_id}: line {line_no}"
        head = chunk[0]
        m = re.match(r"^\[(kader|box|site)(?:\s+(.*))?\]$", head)
        if m:
            if len(chunk) != 1:
                raise SourceError(f"{where}: [{m.group(1)}] stands alone in its block")
            if len(stack) > 1:
                raise SourceError(f"{where}: boxes do not nest")
            b = Block(kind=m.group(1))
            if m.group(1) == "kader":
                number, sep, title = (m.group(2) or "").partition("|")
                if not sep or not title.strip():
                    raise SourceError(f"{where}: [kader NUMBER | TITLE]")
                b.number, b.text, b.level = number.strip(), title.strip(), 2
            stack[-1].append(b)
            stack.append(b.children)
            continue
        if re.match(r"^\[/(kader|box|site)\]$", head):
            if len(stack) == 1:
                raise SourceError(f"{where}: {head} closes nothing")
            stack.pop()
            continue
        stack[-1].append(parse_block(chunk, where))
    if len(stack) != 1:
        raise SourceError(f"{doc_id}: a box is not closed")
    source = Source(doc_id, meta, figures, root)
    check(source)
    return source


def parse_block(chunk: list[str], where: str) -> Block:
    head = chunk[0]
    m = re.match(r"^(#{1,3}) (.+)$", head)
    if m:
        if len(chunk) != 1:
            raise SourceError(f"{where}: a heading is one line")
        numbered = re.match(r"^(\S+) \| (.+)$", m.group(2))
        number, title = numbered.groups() if numbered else (None, m.group(2))
        return Block(kind="heading", level=len(m.group(1)), number=number, text=title.strip())
    if head.startswith("@"):
        m = re.match(r"^(@@?) (.+?) \| (.+)$", head)
        if not m:
            raise SourceError(f"{where}: @ LABEL | AUDIENCES")
        audiences = sorted(a.strip() for a in m.group(3).split(","))
        if not audiences or not set(audiences) <= AUDIENCES:
            raise SourceError(f"{where}: audiences must be among {sorted(AUDIENCES)}")
        b = Block(kind="recs", label=m.group(2).strip(), label_printed=m.group(1) == "@",
                  audiences=audiences)
        styles = set()
        for line in chunk[1:]:
            item, style = list_item(line)
            if style not in ("bullets", "numbers", "paras"):
                raise SourceError(f"{where}: a recommendation is '- ', '1. ' or '= ': {line!r}")
            styles.add(style)
            b.items.append(item)
        if len(styles) != 1:
            raise SourceError(f"{where}: recommendations of one label share one form")
        b.rec_style = styles.pop()
        return b
    if head.startswith("> "):
        text = head[2:].strip()
        speaker = None
        for line in chunk[1:]:
            if line.startswith("> -- "):
                speaker = line[5:].strip()
            elif line.startswith("> "):
                raise SourceError(f"{where}: a quote is one line (and an optional '> -- speaker')")
            else:
                raise SourceError(f"{where}: a quote block holds only '> ' lines")
        return Block(kind="quote", text=text, speaker=speaker)
    if head.startswith("|"):
        b = Block(kind="table")
        for n, line in enumerate(chunk):
            if line.startswith("|-"):
                if n != 1:
                    raise SourceError(f"{where}: the header rule follows the first row")
                b.header_row = True
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            b.rows.append(cells)
        return b
    if head.startswith("~ "):
        if len(chunk) != 1:
            raise SourceError(f"{where}: small print is one line a block")
        return Block(kind="small", text=head[2:].strip())
    item, style = list_item(head)
    if style:
        b = Block(kind=style)
        for line in chunk:
            it, s = list_item(line)
            if s != style:
                raise SourceError(f"{where}: a list holds one kind of item: {line!r}")
            if s == "figures" and not re.match(r"^[\d.,=N<>%+-]+(\s|$)", it.text):
                raise SourceError(f"{where}: a key-figure line begins with its value: {line!r}")
            b.items.append(it)
        return b
    if len(chunk) != 1:
        raise SourceError(f"{where}: a paragraph is one line: {chunk[1]!r}")
    return Block(kind="para", text=head.strip())


def list_item(line: str) -> tuple[Item, str | None]:
    if line.startswith("- "):
        return Item(line[2:].strip()), "bullets"
    if line.startswith("* "):
        return Item(line[2:].strip()), "figures"
    if line.startswith("= "):
        return Item(line[2:].strip()), "paras"
    m = re.match(r"^(\d+)\. (.+)$", line)
    if m:
        return Item(m.group(2).strip(), m.group(1)), "numbers"
    return Item(line), None


def walk(blocks: list[Block]):
    for b in blocks:
        yield b
        yield from walk(b.children)


def all_text(source: Source) -> str:
    parts = [source.meta.get(k, "") for k in ("title", "kicker", "subtitle", "meting")]
    parts += source.meta["publisher"]
    for b in walk(source.blocks):
        parts += [b.text, b.number or "", b.label or "", b.speaker or ""]
        parts += [i.text for i in b.items] + [c for r in b.rows for c in r]
    return "\n".join(parts)


def check(source: Source) -> None:
    """What a source promises and the text must keep: every key figure is printed."""
    text = " ".join(all_text(source).split())
    folded = text.lower()
    for f in source.figures:
        if f.value.lower() not in folded:
            raise SourceError(f"{source.id}: figure {f.value!r} is not in the text")
        missing = [w for w in re.findall(r"\w+", f.statement.lower()) if w not in folded]
        if missing:
            raise SourceError(f"{source.id}: figure {f.value!r}: statement words {missing} are not in the text")
