#!/usr/bin/python3
"""Checks every internal link of the built site: each href and src of the book's pages that
points inside site/ must name a file that exists (and, with a #fragment, an id in it).

Usage: check_links.py SITE_DIR
Exits 1 and lists the broken links, if any. The API reference's own pages (site/api/) are
Doxygen's and are not crawled; links into them from the book are checked.
"""
import html.parser
import pathlib
import sys
import urllib.parse

site = pathlib.Path(sys.argv[1]).resolve()


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        for key in ("href", "src"):
            if attrs.get(key):
                self.links.append(attrs[key])


def parse(path, cache={}):
    if path not in cache:
        page = Page()
        page.feed(path.read_text(encoding="utf-8", errors="replace"))
        cache[path] = page
    return cache[path]


broken, checked = [], 0
for page_path in sorted(site.rglob("*.html")):
    # Doxygen's own pages, and the 404 page (its links are absolute, for any depth), are
    # not crawled.
    if (site / "api") in page_path.parents or page_path.name == "404.html":
        continue
    for link in parse(page_path).links:
        url = urllib.parse.urlparse(link)
        if url.scheme or link.startswith("//") or link.startswith("mailto:"):
            # External: mentioned, never needed. A script, a style sheet or a font from the
            # network would be, so those are errors.
            if link.startswith(("http", "//")) and any(
                    link.endswith(ext) or ext + "?" in link for ext in (".js", ".css", ".woff", ".woff2")):
                broken.append(f"{page_path.relative_to(site)}: {link} (loaded from the network)")
            continue
        checked += 1
        target = page_path if not url.path else (page_path.parent / urllib.parse.unquote(url.path))
        target = target.resolve()
        if target.is_dir():
            target = target / "index.html"
        if site not in target.parents and target != site:
            broken.append(f"{page_path.relative_to(site)}: {link} leaves the site")
        elif not target.exists():
            broken.append(f"{page_path.relative_to(site)}: {link} (no such file)")
        elif url.fragment and target.suffix == ".html" and (site / "api") not in target.parents:
            if url.fragment not in parse(target).ids:
                broken.append(f"{page_path.relative_to(site)}: {link} (no such anchor)")

if broken:
    print(f"{len(broken)} broken links out of {checked}:")
    print("\n".join(broken))
    sys.exit(1)
print(f"all {checked} internal links resolve")
