"""Printed lines as a typst document with a theme's settings."""

from __future__ import annotations

from theme import Line, Theme

PAPER = {"A4": "a4", "Letter": "us-letter", "A5": "a5"}


def s(text: str) -> str:
    """Text as a typst string shown in markup: nothing in it is markup."""
    return '#"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def document(lines: list[Line], t: Theme) -> str:
    title = next(ln.text for ln in lines if ln.role == "title")
    hs = [t.size * t.ratio, t.size * (1 + (t.ratio - 1) * 0.6), t.size * (1 + (t.ratio - 1) * 0.3)]
    weight = '"bold"' if t.heading_bold else '"regular"'
    out = [
        f'#set page(paper: "{PAPER[t.page]}", flipped: {str(t.landscape).lower()}, margin: 16mm, '
        f'columns: {t.columns}'
        + (f', header: align(center, text(size: 7pt, fill: gray)[{s(title)}]), '
           'footer: context align(right, text(size: 8pt)[#counter(page).display()])' if t.running else "")
        + ")",
        f'#set text(font: "{t.font}", size: {t.size}pt, lang: "nl", hyphenate: {str(t.hyphenate).lower()})',
        f"#set par(justify: {str(t.hyphenate).lower()}, leading: 0.5em, spacing: 0.8em)",
        f'#show heading: set text(font: "{t.heading_font}", weight: {weight}, fill: rgb("{t.heading_colour}"))',
        f"#show heading.where(level: 1): set text(size: {hs[0]:.2f}pt)",
        f"#show heading.where(level: 2): set text(size: {hs[1]:.2f}pt)",
        f"#show heading.where(level: 3): set text(size: {hs[2]:.2f}pt)",
    ]
    if t.band:
        out.append("#show heading.where(level: 1): it => block(fill: rgb(\"" + t.heading_colour
                   + "\"), inset: 4pt, width: 100%, text(fill: white, it.body))")
    head = [ln for ln in lines if ln.role in ("title", "kicker", "subtitle", "meting", "publisher")]
    sizes = {"title": t.size * max(t.ratio, 1.3) * 1.5, "kicker": t.size * 1.1,
             "subtitle": t.size * 1.2, "meting": t.size * 0.9, "publisher": t.size * 0.9}
    for ln in head:
        bold = ', weight: "bold"' if ln.role == "title" else ""
        out.append(f"#block(text(size: {sizes[ln.role]:.1f}pt{bold})[{s(ln.text)}])")
    rest = lines[len(head):]
    i = 0
    while i < len(rest):
        box = rest[i].box
        j = i
        while j < len(rest) and rest[j].box == box:
            j += 1
        body = blocks(rest[i:j], t)
        if box == "pullquote":
            out.append('#block(fill: rgb("#fff4e6"), stroke: 1pt + rgb("#cc6600"), inset: 2mm, width: 100%)['
                       + body + "]")
        elif box in ("kader", "box", "recs"):
            fill = "#eef5ff" if box == "recs" else "#f2f2f2"
            out.append(f'#block(fill: rgb("{fill}"), stroke: 0.8pt + gray, inset: 3mm, width: 100%, '
                       f"breakable: true)[" + body + "]")
        elif box == "site":
            out.append("#block(text(size: 0.9em, fill: rgb(\"#444444\"))[" + body + "])")
        else:
            out.append(body)
        i = j
    return "\n".join(out) + "\n"


def blocks(lines: list[Line], t: Theme) -> str:
    out: list[str] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        if ln.role == "heading":
            if ln.kind == "kader":
                out.append(f"#block(text(weight: \"bold\")[{s(ln.text)}])")
            else:
                out.append("\n" + "=" * min(ln.level, 3) + " " + s(ln.text) + "\n")
        elif ln.role in ("item", "figure", "rec"):
            j = i + 1
            while j < len(lines) and lines[j].role == ln.role and lines[j].tight:
                j += 1
            out.append(list_items(lines[i:j], t))
            i = j
            continue
        elif ln.role == "rec-label":
            out.append(f'#block(above: 0.8em, text(weight: "bold")[{s(ln.text)}])')
        elif ln.role == "quote":
            out.append(quote(ln, t))
        elif ln.role == "row":
            j = i
            cells = []
            while j < len(lines) and lines[j].role == "row" and (j == i or lines[j].tight):
                row = lines[j].data["cells"]
                cells += [f"[{s(c)}]" if not lines[j].data["header"] else f"[*{s(c)}*]" for c in row]
                j += 1
            ncol = len(lines[i].data["cells"])
            out.append(f"#table(columns: {ncol}, stroke: (bottom: 0.5pt + gray), " + ", ".join(cells) + ")")
            i = j
            continue
        elif ln.role == "small":
            out.append(f"#block(text(size: 0.8em)[{s(ln.text)}])")
        else:
            out.append(f"#block[{s(ln.text)}]")
        i += 1
    return "\n".join(out)


def list_items(lines: list[Line], t: Theme) -> str:
    first = lines[0]
    kind = first.data.get("list")
    if kind == "figures":
        cells = []
        for ln in lines:
            value, _, rest = ln.text.partition(" ")
            cells += [f'text(size: 1.9em, weight: "bold", fill: rgb("#cc6600"))[{s(value)}]', f"[{s(rest)}]"]
        return "#grid(columns: (auto, 1fr), column-gutter: 0.5em, row-gutter: 0.4em, align: horizon, " \
               + ", ".join(cells) + ")"
    if kind == "paras":
        return "\n".join(f"#block[{s(ln.text)}]" for ln in lines)
    body = lambda ln: ln.text[len(ln.marker) + 1:] if ln.marker else ln.text
    if first.marker is None:
        return f"#list(marker: [{t.bullet}], " + ", ".join(f"[{s(body(ln))}]" for ln in lines) + ")"
    start = int("".join(c for c in first.marker if c.isdigit()) or 1) if t.numbers != "alpha" \
        else ord(first.marker[0]) - ord("a") + 1
    if t.numbers == "circled":
        numbering = ('n => box(circle(radius: 0.55em, fill: rgb("#1f3a5f"), '
                     'align(center + horizon, text(fill: white, size: 0.75em)[#n])))')
    elif t.numbers in ("auto", "typed"):
        numbering = '"1."'
    elif t.numbers == "paren":
        numbering = '"1)"'
    else:
        numbering = '"a)"'
    if t.numbers == "typed":
        # typed numbers: the number is part of the paragraph's text, hanging in the margin
        return "\n".join(f"#par(hanging-indent: 1.2em)[{s(ln.text)}]" for ln in lines)
    return (f"#enum(start: {start}, numbering: {numbering}, "
            + ", ".join(f"[{s(body(ln))}]" for ln in lines) + ")")


def quote(ln: Line, t: Theme) -> str:
    if t.quotes == "decorative":
        return ('#grid(columns: (auto, 1fr), column-gutter: 0.3em, text(size: 3em, fill: rgb("#cc6600"), '
                'font: "DejaVu Serif")[“], [' + s(ln.text[1:]) + "])")
    if t.quotes == "italic":
        return f"#block(inset: (left: 1.5em))[#emph[{s(ln.text)}]]"
    if t.quotes == "block":
        return f"#block(inset: (left: 0.8em), stroke: (left: 2pt + gray))[{s(ln.text)}]"
    return f"#block[{s(ln.text)}]"
