#!/usr/bin/python3
"""Gathers the book's pages into one MkDocs source folder (build/docs-src/docs).

Usage: assemble.py ROOT OUT COURSE_CUT DOXYGEN_HTML TRACE_MD

- docs/*.md are copied as they are, except that the closing page gets TRACE_MD (what
  trace-one-record printed during this build) where it says <!-- trace-one-record -->;
- each chapters/NN-slug/README.md becomes chapters/NN-slug.md, with its code excerpts cut
  again from src/ as of its chapter (course-cut excerpts, on copies), each captioned with its
  file and block name; then the chapter's whole change (course-cut diff: stage N-1 against
  stage N), folded; and a closing section that links the classes it quotes to the API
  reference (copied in, under api/);
- docs/diagrams/*.dot are rendered to SVG with graphviz's dot;
- the Chinese characters the book uses are cut out of a CJK font from a Debian package
  (fonts-droid-fallback) into fonts/book-cjk.woff, which stylesheets/book.css puts behind the
  page's fonts: the titles read the same on a machine that has no CJK font of its own.
"""
import pathlib
import re
import shutil
import subprocess
import sys

root, out, course_cut, doxygen_html, trace = (pathlib.Path(a) for a in sys.argv[1:6])

if out.exists():
    shutil.rmtree(out)
docs = out / "docs"
(docs / "chapters").mkdir(parents=True)
(docs / "diagrams").mkdir()
for page in (root / "docs").glob("*.md"):
    shutil.copy(page, docs / page.name)
# The closing page's end-to-end trace comes from a real run made for this build.
closing = docs / "closing.md"
closing_text = closing.read_text(encoding="utf-8")
if "<!-- trace-one-record -->" not in closing_text:
    sys.exit("docs/closing.md lost its <!-- trace-one-record --> marker")
closing.write_text(closing_text.replace("<!-- trace-one-record -->",
                                        trace.read_text(encoding="utf-8")), encoding="utf-8")

# The chapters, on a copy of the tree's shape, so that refreshing excerpts touches no source.
scratch = out / "root"
(scratch / "chapters").mkdir(parents=True)
(scratch / "src").symlink_to(root / "src")
(scratch / "tests").symlink_to(root / "tests")
for chapter in sorted((root / "chapters").glob("[0-3][0-9]-*")):
    (scratch / "chapters" / chapter.name).mkdir()
    shutil.copy(chapter / "README.md", scratch / "chapters" / chapter.name / "README.md")
subprocess.run([str(course_cut), "excerpts", "--root", str(scratch)], check=True,
               stdout=subprocess.DEVNULL)

EXCERPT = re.compile(r"<!-- excerpt: (src/\S+) \S+(?: lab)? -->")
# A tag and the fenced block under it, which gets a caption between the two.
EXCERPT_BLOCK = re.compile(r"^(<!-- excerpt: (\S+) (\S+)( lab)? -->)\n(?=```)", re.M)
# A link from one chapter's README to another's (it works on GitHub), and the page the site
# makes of that README.
CHAPTER_LINK = re.compile(r"\]\(\.\./([0-3][0-9]-[a-z0-9-]+)/README\.md(#[^)]*)?\)")


def caption_excerpts(text):
    """Each excerpt's block captioned with the file and the block it is cut from."""
    return EXCERPT_BLOCK.sub(lambda m: f"{m[1]}\n<p class=\"excerpt-caption\"><code>{m[2]}</code>, "
                             f"block <code>{m[3]}</code>{', as the lab hands it out' if m[4] else ''}"
                             f"</p>\n\n", text)


# A link from a chapter's README to a page of docs/ (../../docs/closing.md on GitHub).
DOCS_LINK = re.compile(r"\]\(\.\./\.\./docs/([a-z0-9-]+\.md(?:#[^)]*)?)\)")


def site_links(text):
    """Links between chapters' READMEs, and from them to docs/, pointed at the site's pages."""
    text = CHAPTER_LINK.sub(lambda m: f"]({m[1]}.md{m[2] or ''})", text)
    return DOCS_LINK.sub(lambda m: f"](../{m[1]})", text)


def diff_counts(diff):
    """Files, added lines and removed lines of a unified diff, read hunk by hunk."""
    files = added = removed = 0
    lines = diff.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("+++ ") or lines[i].startswith("Binary files "):
            files += 1
        hunk = HUNK.match(lines[i])
        if hunk:
            old, new = int(hunk[1] or 1), int(hunk[2] or 1)
            i += 1
            while old or new:
                mark = lines[i][0]
                old -= mark in " -"
                new -= mark in " +"
                added += mark == "+"
                removed += mark == "-"
                i += 1
            continue
        i += 1
    return files, added, removed


HUNK = re.compile(r"^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def whole_change(number):
    """Chapter `number`'s whole change, folded: stage N-1 against stage N, as ./course diff
    prints it, cut afresh at every build and never stored in a README."""
    diff = subprocess.run([str(course_cut), "diff", "--root", str(root), "--chapter", str(number)],
                          check=True, capture_output=True, text=True).stdout
    if not diff:
        return ""
    files, added, removed = diff_counts(diff)
    before = f"adds to the code of chapter {number - 1}" if number > 1 else "writes"
    body = "".join(f"    {line}\n" for line in diff.splitlines())
    return (f"\n## The whole change\n\n"
            f"Everything this chapter {before}, cut from the same source as the excerpts above "
            f"(`./course diff {number}` prints it): {files} files, {added} lines added, "
            f"{removed} removed.\n\n"
            f"??? note \"The whole change of chapter {number}\"\n\n    ```diff\n{body}    ```\n")


def api_page(source):
    """The Doxygen page of the class a source file holds, or of the file itself."""
    path = pathlib.PurePosixPath(source)
    namespace = "_1_1".join(path.parent.parts[1:])  # src/kafka/common/x -> kafka_1_1common_1_1x
    candidate = f"class{namespace}_1_1{path.stem}.html"
    if (doxygen_html / candidate).exists():
        return candidate, f"{'::'.join(path.parent.parts[1:])}::{path.stem}"
    for struct in (f"struct{namespace}_1_1{path.stem}.html",):
        if (doxygen_html / struct).exists():
            return struct, f"{'::'.join(path.parent.parts[1:])}::{path.stem}"
    return None, None


for chapter in sorted((scratch / "chapters").iterdir()):
    text = site_links(caption_excerpts((chapter / "README.md").read_text(encoding="utf-8")))
    text += whole_change(int(chapter.name[:2]))
    links = []
    for source in dict.fromkeys(EXCERPT.findall(text)):
        page, name = api_page(source)
        if page:
            links.append(f"- [`{name}`](../api/{page}) (`{source}`)")
    if links:
        text += "\n## In the API reference\n\n" + "\n".join(links) + "\n"
    (docs / "chapters" / f"{chapter.name}.md").write_text(text, encoding="utf-8")

# Images kept as files (the benchmark's chart, written by ./course bench).
(docs / "images").mkdir()
for image in (root / "docs" / "images").glob("*.svg"):
    shutil.copy(image, docs / "images" / image.name)

for diagram in (root / "docs" / "diagrams").glob("*.dot"):
    subprocess.run(["dot", "-Tsvg", str(diagram), "-o", str(docs / "diagrams" / (diagram.stem + ".svg"))],
                   check=True)
# The book's own font for Chinese: only the characters it uses (a few hundred of the fallback
# font's 20,000), so the site stays small and needs nothing from the network.
CJK_FONT = pathlib.Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def book_cjk_font():
    from fontTools import subset  # python3-fonttools

    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text += "".join(page.read_text(encoding="utf-8") for page in docs.rglob("*.md"))
    characters = "".join(sorted(set(CJK.findall(text))))
    (docs / "fonts").mkdir()
    options = subset.Options()
    options.flavor = "woff"  # zlib: no brotli needed
    options.layout_features = ["*"]
    font = subset.load_font(str(CJK_FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    subset.save_font(font, str(docs / "fonts" / "book-cjk.woff"), options)
    return len(characters)


cjk_characters = book_cjk_font()
(docs / "stylesheets").mkdir()
shutil.copy(root / "docs" / "stylesheets" / "book.css", docs / "stylesheets" / "book.css")

# The API reference goes in as static files, so that links into it are checked like the rest.
shutil.copytree(doxygen_html, docs / "api")
print(f"assembled {len(list((docs / 'chapters').iterdir()))} chapters into {docs}, "
      f"with the {cjk_characters} Chinese characters they use in fonts/book-cjk.woff")
