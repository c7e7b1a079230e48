#!/usr/bin/python3
"""Reads the built book as a reader would: each chapter page is opened in headless Chromium
(Debian's `chromium`), and the page it renders must show the chapter's title, its code
excerpts (as many code blocks as the README has excerpts, each with the code in it) and at
least one diagram drawn as an SVG image (a drawing in a text block alone is not enough). And
the book's own CJK font (fonts/book-cjk.woff) has every Chinese character of every title, so
that the titles read on a machine with no CJK font.

Usage: browser_check.py ROOT SITE_DIR
Exits 1 and names each page and what it lacks.
"""
import html.parser
import pathlib
import re
import subprocess
import sys

root, site = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).resolve()
EXCERPT = re.compile(r"<!-- excerpt: \S+ \S+(?: lab)? -->\n```\w*\n(.*?)\n```", re.S)


class Rendered(html.parser.HTMLParser):
    """The h1's text, the text of each <pre>, and the images of a rendered page."""

    def __init__(self):
        super().__init__()
        self.h1, self.pres, self.images = "", [], []
        self._in_h1, self._in_pre = False, False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self._in_h1 = True
        elif tag == "pre":
            self._in_pre = True
            self.pres.append("")
        elif tag in ("img", "svg"):
            self.images.append(dict(attrs).get("src", tag))

    def handle_endtag(self, tag):
        if tag == "h1":
            self._in_h1 = False
        elif tag == "pre":
            self._in_pre = False

    def handle_data(self, data):
        if self._in_h1:
            self.h1 += data
        if self._in_pre:
            self.pres[-1] += data


def render(page):
    """The DOM after Chromium has loaded the page and run its scripts."""
    result = subprocess.run(
        ["chromium", "--headless", "--disable-gpu", "--no-sandbox", "--disable-dev-shm-usage",
         "--no-first-run",
         "--allow-file-access-from-files", "--virtual-time-budget=3000", "--dump-dom",
         page.as_uri()],
        capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or "<h1" not in result.stdout:
        raise RuntimeError(f"chromium could not render {page}: {result.stderr[-500:]}")
    return result.stdout


CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def book_font_characters():
    from fontTools.ttLib import TTFont  # python3-fonttools

    return {chr(code) for code in TTFont(str(site / "fonts" / "book-cjk.woff")).getBestCmap()}


problems = []
in_font = book_font_characters()
chapters = sorted((root / "chapters").glob("[0-3][0-9]-*"))
for chapter in chapters:
    readme = (chapter / "README.md").read_text(encoding="utf-8")
    title = readme.splitlines()[0].lstrip("# ").strip()
    page = site / "chapters" / f"{chapter.name}.html"
    dom = Rendered()
    dom.feed(render(page))
    shown = " ".join(dom.h1.split()).replace("¶", "").strip()
    if shown != title:
        problems.append(f"{page.name}: title '{shown}', expected '{title}'")
    missing = sorted(set(CJK.findall(title)) - in_font)
    if missing:
        problems.append(f"{page.name}: the book's CJK font lacks {''.join(missing)} of its title")
    excerpts = EXCERPT.findall(readme)
    for code in excerpts:
        first = next((line.strip() for line in code.splitlines() if line.strip()), "")
        if not any(first in pre for pre in dom.pres):
            problems.append(f"{page.name}: an excerpt starting '{first}' is not shown")
    if len(excerpts) == 0:
        problems.append(f"{page.name}: no code excerpt")
    svgs = [image for image in dom.images if str(image).endswith(".svg")]
    if not svgs:
        problems.append(f"{page.name}: no SVG diagram")
    for image in svgs:  # drawn, not only linked: the file is there beside the page
        if not (page.parent / str(image)).resolve().is_file():
            problems.append(f"{page.name}: the diagram {image} is missing")

if problems:
    print("\n".join(problems))
    sys.exit(1)
print(f"{len(chapters)} chapter pages render with their title (its Chinese in the book's own font), code excerpts and an SVG diagram")
