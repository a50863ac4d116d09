"""Printed lines as an HTML page with a theme's CSS, for Chromium and WeasyPrint."""

from __future__ import annotations

from html import escape

from theme import Line, Theme

PAGE = {"A4": (210, 297), "Letter": (216, 279), "A5": (148, 210)}


def css(t: Theme, running_title: str) -> str:
    w, h = PAGE[t.page]
    if t.landscape:
        w, h = h, w
    hs = [t.size * t.ratio, t.size * (1 + (t.ratio - 1) * 0.6), t.size * (1 + (t.ratio - 1) * 0.3)]
    weight = "bold" if t.heading_bold else "normal"
    band = (f"h1 {{ background: {t.heading_colour}; color: #fff; padding: 0.25em 0.4em; }}"
            if t.band else f"h1 {{ color: {t.heading_colour}; }}")
    columns = ""
    if t.cards:
        columns = (f"main {{ display: grid; grid-template-columns: repeat({t.columns}, 1fr); gap: 4mm; }}"
                   ".card { border: 0.6pt solid #999; border-radius: 3mm; padding: 3mm; "
                   "break-inside: avoid; }")
    elif t.columns > 1:
        columns = f"main {{ column-count: {t.columns}; column-gap: 7mm; }}"
    running = ""
    if t.running and t.producer == "weasyprint":
        running = (f"@page {{ @top-center {{ content: \"{escape(running_title)}\"; font-size: 7pt; color: #666; }}"
                   " @bottom-right { content: counter(page); font-size: 8pt; } }")
    elif t.running:
        running = (".runhead { position: fixed; top: -9mm; left: 0; right: 0; text-align: center; "
                   "font-size: 7pt; color: #666; } .runfoot { position: fixed; bottom: -9mm; right: 0; "
                   "font-size: 8pt; color: #666; }")
    quotes = {
        "inline": "blockquote { margin: 0.6em 0; }",
        "italic": "blockquote { font-style: italic; margin: 0.6em 1.5em; }",
        "block": "blockquote { margin: 0.6em 0 0.6em 2em; padding-left: 0.6em; border-left: 2pt solid #bbb; }",
        "decorative": ("blockquote { margin: 0.8em 0 0.8em 0; display: flex; gap: 0.3em; } "
                       "blockquote .mark { font-size: 3.2em; line-height: 0.9; color: #c60; "
                       "font-family: 'DejaVu Serif'; }"),
        "pullbox": ("blockquote.pull { border: 1pt solid #c60; background: #fff4e6; padding: 2mm 3mm; "
                    "margin: 0.8em 0; font-size: 1.1em; break-inside: avoid; }"),
    }[t.quotes]
    circled = ("p.circled { text-indent: 0; margin-left: 0; } "
               "p.circled .num { display: inline-block; width: 1.5em; height: 1.5em; margin-right: 0.3em; "
               "border-radius: 50%; background: #1f3a5f; color: #fff; text-align: center; "
               "font-size: 0.8em; line-height: 1.5em; }")
    return f"""
@page {{ size: {w}mm {h}mm; margin: 16mm 15mm 16mm 15mm; {'' if t.producer == 'weasyprint' else ''} }}
{running}
body {{ font-family: '{t.font}'; font-size: {t.size}pt; line-height: 1.35; margin: 0;
       hyphens: {'auto' if t.hyphenate else 'manual'}; text-align: {'justify' if t.hyphenate else 'left'}; }}
h1, h2, h3, .kader-title {{ font-family: '{t.heading_font}'; font-weight: {weight}; margin: 0.9em 0 0.35em;
       line-height: 1.2; break-after: avoid; }}
h1 {{ font-size: {hs[0]:.2f}pt; }} h2 {{ font-size: {hs[1]:.2f}pt; color: {t.heading_colour}; }}
h3 {{ font-size: {hs[2]:.2f}pt; }}
{band}
.titleblock {{ margin-bottom: 6mm; }}
.titleblock .title {{ font-family: '{t.heading_font}'; font-size: {t.size * max(t.ratio, 1.3) * 1.5:.1f}pt;
       font-weight: bold; margin: 0; line-height: 1.15; }}
.titleblock .kicker {{ text-transform: none; color: #666; font-size: {t.size * 1.1:.1f}pt; margin: 0.2em 0; }}
.titleblock .subtitle {{ font-size: {t.size * 1.2:.1f}pt; margin: 0.4em 0; }}
.titleblock .meting, .titleblock .publisher {{ font-size: {t.size * 0.9:.1f}pt; margin: 0.2em 0; color: #333; }}
p {{ margin: 0 0 0.55em; }}
.small {{ font-size: {t.size * 0.8:.1f}pt; color: #333; }}
.box, .kader, .recs {{ border: 0.8pt solid #888; background: #f2f2f2; padding: 2.5mm 3mm; margin: 0.8em 0;
       break-inside: avoid; }}
.kader-title {{ font-size: {hs[2]:.2f}pt; }}
.recs {{ background: #eef5ff; }}
.site {{ font-size: {t.size * 0.9:.1f}pt; color: #444; border-bottom: 0.6pt solid #aaa; margin-bottom: 4mm; }}
.site p.li {{ display: inline-block; margin-right: 1.2em; }}
.label {{ font-weight: bold; margin: 0.6em 0 0.2em; }}
p.li {{ margin: 0 0 0.2em 1.4em; text-indent: -1.1em; }}
ol {{ padding-left: 2em; }} ol.auto li {{ margin-bottom: 0.2em; }}
{circled}
.figures {{ list-style: none; padding: 0; }}
.figures li {{ display: flex; align-items: baseline; gap: 0.4em; margin-bottom: 0.3em; }}
.figures .value {{ font-size: 1.9em; font-weight: bold; color: #c60; min-width: 3.2em; }}
table {{ border-collapse: collapse; margin: 0.6em 0; width: 100%; break-inside: avoid; }}
td, th {{ border-bottom: 0.5pt solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }}
td.n {{ text-align: right; }}
{quotes}
{columns}
"""


def list_items(lines: list[Line], t: Theme) -> str:
    """A run of list items (or recommendations) of one list as HTML."""
    first = lines[0]
    kind = first.data.get("list")
    if kind == "figures":
        out = []
        for ln in lines:
            value, _, rest = ln.text.partition(" ")
            out.append(f"<li><span class=value>{escape(value)}</span> <span>{escape(rest)}</span></li>")
        return "<ul class=figures>" + "".join(out) + "</ul>"
    if kind == "paras":
        return "".join(f"<p>{escape(ln.text)}</p>" for ln in lines)
    if first.marker is None:
        # the bullet is a character of the text, so no producer adds a marker of its own
        return "".join(f"<p class=li><span class=bullet>{escape(t.bullet)}</span> {escape(ln.text)}</p>"
                       for ln in lines)
    if t.numbers == "auto":
        start = first.marker.rstrip(".")
        return (f"<ol class=auto start={start}>"
                + "".join(f"<li>{escape(ln_body(ln))}</li>" for ln in lines) + "</ol>")
    if t.numbers == "circled":
        return "".join(f"<p class='li circled'><span class=num>{escape(ln.marker)}</span> {escape(ln_body(ln))}</p>"
                       for ln in lines)
    return "".join(f"<p class=li>{escape(ln.text)}</p>" for ln in lines)


def ln_body(ln: Line) -> str:
    return ln.text[len(ln.marker) + 1:] if ln.marker else ln.text


def page(lines: list[Line], t: Theme, lang: str = "nl") -> str:
    title = next(ln.text for ln in lines if ln.role == "title")
    body: list[str] = []
    if t.running and t.producer != "weasyprint":
        body.append(f"<div class=runhead>{escape(title)} · Kennisnetwerk Jeugd Haaglanden</div>")
    head = [ln for ln in lines if ln.role in ("title", "kicker", "subtitle", "meting", "publisher")]
    rest = lines[len(head):]
    body.append("<header class=titleblock>" + "".join(
        f"<p class={ln.role}>{escape(ln.text)}</p>" for ln in head) + "</header>")
    body.append("<main>")
    open_box: str | None = None
    card_open = False
    i = 0
    while i < len(rest):
        ln = rest[i]
        box = ln.box
        if box != open_box:
            if open_box:
                body.append("</div>" if open_box != "site" else "</nav>")
            if box:
                cls = {"pullquote": "pq"}.get(box, box)
                body.append("<nav class=site>" if box == "site" else f"<div class={cls}>")
            open_box = box
        if ln.role == "heading" and ln.level == 1 and t.cards and not box:
            if card_open:
                if open_box:
                    body.append("</div>")
                    open_box = None
                body.append("</section>")
            body.append("<section class=card>")
            card_open = True
        if ln.role == "heading":
            if ln.kind == "kader":
                body.append(f"<p class=kader-title><b>{escape(ln.text)}</b></p>")
            else:
                tag = f"h{min(ln.level, 3)}"
                body.append(f"<{tag}>{escape(ln.text)}</{tag}>")
        elif ln.role in ("item", "figure", "rec"):
            j = i + 1
            while j < len(rest) and rest[j].role == ln.role and rest[j].tight and rest[j].box == box:
                j += 1
            body.append(list_items(rest[i:j], t))
            i = j
            continue
        elif ln.role == "rec-label":
            body.append(f"<p class=label>{escape(ln.text)}</p>")
        elif ln.role == "quote":
            body.append(quote(ln, t))
        elif ln.role == "speaker":
            body.append(f"<p class=speaker>{escape(ln.text)}</p>")
        elif ln.role == "row":
            j = i
            rows = []
            while j < len(rest) and rest[j].role == "row" and (j == i or rest[j].tight):
                cells = rest[j].data["cells"]
                tag = "th" if rest[j].data["header"] else "td"
                rows.append("<tr>" + "".join(
                    f"<{tag}{' class=n' if k and is_number(c) else ''}>{escape(c)}</{tag}>"
                    for k, c in enumerate(cells)) + "</tr>")
                j += 1
            body.append("<table>" + "".join(rows) + "</table>")
            i = j
            continue
        elif ln.role == "small":
            body.append(f"<p class=small>{escape(ln.text)}</p>")
        else:
            body.append(f"<p>{escape(ln.text)}</p>")
        i += 1
    if open_box:
        body.append("</div>" if open_box != "site" else "</nav>")
    if card_open:
        body.append("</section>")
    body.append("</main>")
    if t.running and t.producer != "weasyprint":
        body.append("<div class=runfoot>PEO</div>")
    return (f"<!DOCTYPE html><html lang={lang}><head><meta charset=utf-8><title>{escape(title)}</title>"
            f"<style>{css(t, title)}</style></head><body>{''.join(body)}</body></html>")


def quote(ln: Line, t: Theme) -> str:
    text = escape(ln.text)
    if t.quotes == "decorative":
        # the opening mark drawn large and on its own; the text keeps the closing mark
        return (f"<blockquote><span class=mark>“</span><p>{escape(ln.text[1:])}</p></blockquote>")
    if ln.box == "pullquote":
        return f"<blockquote class=pull><p>{text}</p></blockquote>"
    return f"<blockquote><p>{text}</p></blockquote>"


def is_number(cell: str) -> bool:
    return cell.replace(",", "").replace("%", "").replace("x", "").strip().isdigit()
