#!/usr/bin/python3
"""Gathers the book's pages into one MkDocs source folder (build/docs-src/docs).

Usage: assemble.py ROOT OUT COURSE_CUT DOXYGEN_HTML

- docs/*.md are copied as they are;
- each chapters/NN-slug/README.md becomes chapters/NN-slug.md, with its code excerpts cut
  again from src/ as of its chapter (course-cut excerpts, on copies), and a closing section
  that links the classes it quotes to the API reference (copied in, under api/);
- docs/diagrams/*.dot are rendered to SVG with graphviz's dot.
"""
import pathlib
import re
import shutil
import subprocess
import sys

root, out, course_cut, doxygen_html = (pathlib.Path(a) for a in sys.argv[1:5])

if out.exists():
    shutil.rmtree(out)
docs = out / "docs"
(docs / "chapters").mkdir(parents=True)
(docs / "diagrams").mkdir()
for page in (root / "docs").glob("*.md"):
    shutil.copy(page, docs / page.name)

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

EXCERPT = re.compile(r"<!-- excerpt: (src/\S+) \S+ -->")


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
    text = (chapter / "README.md").read_text(encoding="utf-8")
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
# The API reference goes in as static files, so that links into it are checked like the rest.
shutil.copytree(doxygen_html, docs / "api")
print(f"assembled {len(list((docs / 'chapters').iterdir()))} chapters into {docs}")
