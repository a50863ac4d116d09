"""The zoo's gold is derived from the canonical sources by code, and stays so.

Run by `make zoo-test` (part of `make test`): python3 -m unittest discover -s tests/zoo
"""

import copy
import json
import re
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from source import SourceError, parse, walk  # noqa: E402
from theme import CAN, Theme, gold  # noqa: E402

SOURCES = sorted((HERE / "sources").glob("*.peo"))
ROOT = HERE.parent.parent


def load(path: Path):
    return parse(path.read_text(encoding="utf-8"), path.stem)


def key(text: str) -> str:
    return re.sub(r"\W", "", (text or "").lower())


class SourcesParse(unittest.TestCase):
    def test_every_source_parses_and_has_content(self):
        self.assertEqual(len(SOURCES), 5)
        for path in SOURCES:
            s = load(path)
            kinds = {b.kind for b in walk(s.blocks)}
            self.assertIn("heading", kinds, path.name)
            self.assertTrue(any(b.kind == "recs" for b in walk(s.blocks)), path.name)

    def test_a_figure_missing_from_the_text_is_refused(self):
        text = "title: T\nwave: 2022\ntype: factsheet\nfigure: 47% | vindt iets\n\nNiets hier.\n"
        with self.assertRaisesRegex(SourceError, "figure '47%' is not in the text"):
            parse(text, "t")

    def test_a_bad_wave_or_type_is_refused(self):
        with self.assertRaisesRegex(SourceError, "wave"):
            parse("title: T\nwave: 2024/2025\ntype: rapport\n\nx\n", "t")
        with self.assertRaisesRegex(SourceError, "type"):
            parse("title: T\nwave: 2024\ntype: brochure\n\nx\n", "t")

    def test_an_unclosed_box_is_refused(self):
        with self.assertRaisesRegex(SourceError, "not closed"):
            parse("title: T\nwave: 2024\ntype: rapport\n\n[box]\n\nx\n", "t")


class GoldFollowsTheSource(unittest.TestCase):
    THEMES = [Theme.draw(seed, p) for p in CAN for seed in (1, 2, 3, 71, 72)]

    def test_one_source_change_moves_into_every_renders_gold(self):
        source = load(HERE / "sources" / "peo-2023-2024-samenvatting.peo")
        changed = copy.deepcopy(source)
        recs = next(b for b in walk(changed.blocks) if b.kind == "recs")
        old = recs.items[0].text
        recs.items[0].text = "Blijf altijd nieuwsgierig naar het vak"
        quote = next(b for b in walk(changed.blocks) if b.kind == "quote")
        quote.text = "Dit is een gewijzigd citaat."
        for theme in self.THEMES:
            before, _ = gold(source, theme)
            after, text = gold(changed, theme)
            rec_texts = [r["text"] for r in after["recommendations"]]
            self.assertIn("Blijf altijd nieuwsgierig naar het vak", rec_texts, theme.name())
            self.assertNotIn(old, rec_texts, theme.name())
            self.assertIn("Blijf altijd nieuwsgierig naar het vak", text, theme.name())
            self.assertIn("Dit is een gewijzigd citaat.", [q["text"] for q in after["quotes"]])
            self.assertEqual(len(before["recommendations"]), len(after["recommendations"]))

    def test_the_gold_text_holds_what_the_theme_prints(self):
        source = load(HERE / "sources" / "peo-2023-2024-samenvatting.peo")
        alpha = Theme.draw(1, "typst")
        alpha.numbers, alpha.quotes, alpha.heading_caps = "alpha", "italic", True
        doc, text = gold(source, alpha)
        self.assertIn("a) Blijf positief en nieuwsgierig", text)
        self.assertIn("AANBEVELINGEN", text)
        self.assertNotIn("“Het ene moment", text)
        first = doc["recommendations"][0]
        self.assertEqual((first["number"], first["text"]), (1, "Blijf positief en nieuwsgierig"))
        self.assertEqual(first["section"], "AANBEVELINGEN")
        typed = Theme.draw(1, "typst")
        typed.numbers, typed.quotes = "typed", "inline"
        _, text = gold(source, typed)
        self.assertIn("1. Blijf positief en nieuwsgierig", text)
        self.assertIn("“Het ene moment", text)

    def test_the_corpus_gold_agrees_with_the_sources(self):
        """tests/gold (hand-made for the bundled corpus) names the same sections,
        recommendations and quotes as the canonical source: one content, two layouts."""
        for path in SOURCES:
            corpus = json.loads((ROOT / "tests" / "gold" / f"{path.stem}.json").read_text())
            derived, _ = gold(load(path), Theme.draw(1, "chromium"))
            title = key(corpus["title"])
            for field, k in (("sections", lambda x: key((x["number"] or "") + x["title"])),
                             ("recommendations", lambda x: key(x["text"]) + "|" + ",".join(x["audiences"])),
                             ("quotes", lambda x: key(x["text"])),
                             ("key_figures", lambda x: key(x["value"] + x["statement"] + (x["group"] or "")))):
                ours = sorted(k(x) for x in derived[field])
                # a web page's title may be annotated as its first section in the corpus gold
                theirs = sorted(k(x) for x in corpus[field] if not (field == "sections" and k(x) == title))
                if field == "sections":
                    ours = [key(x) for x in ours]
                self.assertEqual(ours, theirs, f"{path.stem}: {field}")


class CommittedSubsetIsDerived(unittest.TestCase):
    def test_each_committed_render_has_the_gold_the_code_derives(self):
        ci = HERE / "ci"
        manifest = json.loads((ci / "manifest.json").read_text())
        self.assertGreaterEqual(len(manifest["renders"]), 10)
        for r in manifest["renders"]:
            producer, _, post = r["producer"].partition("+")
            theme = Theme.draw(r["seed"], producer)
            if post:
                theme.tagged = False
            source = load(HERE / "sources" / f"{r['publication']}.peo")
            theme = theme.for_source(source)
            self.assertEqual(theme.summary(), r["theme"], r["name"])
            doc, text = gold(source, theme)
            self.assertEqual(json.loads((ci / "gold" / f"{r['name']}.json").read_text()), doc, r["name"])
            self.assertEqual((ci / "gold" / f"{r['name']}.txt").read_text(encoding="utf-8"), text, r["name"])
            self.assertTrue((ci / r["file"]).stat().st_size > 1000, r["name"])


if __name__ == "__main__":
    unittest.main()
