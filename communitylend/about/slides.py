"""docs/design.md as slides: each ``##`` heading starts one. The file is written in a small
subset of Markdown (paragraphs, ``-`` lists, inline code and bold, ```mermaid blocks) so that
GitHub shows it as a document and this module shows it as a deck, from one source."""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_INLINE = [(re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
           (re.compile(r"\*\*([^*]+)\*\*"), r"<strong>\1</strong>")]


@dataclass
class Slide:
    title: str
    blocks: list[tuple[str, object]] = field(default_factory=list)  # (kind, content)

    @property
    def diagrams(self) -> list[str]:
        return [content for kind, content in self.blocks if kind == "mermaid"]


def inline(text: str) -> SafeString:
    html = escape(text)
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return mark_safe(html)  # noqa: S308 - escaped above; only our own tags added


def parse(text: str) -> list[Slide]:
    slides: list[Slide] = []
    lines = text.splitlines()
    i = 0
    paragraph: list[str] = []
    items: list[str] = []

    def flush():
        if paragraph:
            slides[-1].blocks.append(("p", inline(" ".join(paragraph))))
            paragraph.clear()
        if items:
            slides[-1].blocks.append(("ul", [inline(item) for item in items]))
            items.clear()

    while i < len(lines):
        line = lines[i]
        if line.startswith("# ") or line.startswith("## "):
            if slides:
                flush()
            slides.append(Slide(title=line.split(" ", 1)[1].strip()))
        elif not slides:
            pass
        elif line.startswith("```mermaid"):
            flush()
            body = []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            slides[-1].blocks.append(("mermaid", "\n".join(body)))
        elif line.startswith("- "):
            if paragraph:
                flush()
            items.append(line[2:].strip())
        elif line.startswith("  ") and items:
            items[-1] += " " + line.strip()
        elif not line.strip():
            flush()
        else:
            if items:
                flush()
            paragraph.append(line.strip())
        i += 1
    if slides:
        flush()
    return slides


@lru_cache(maxsize=4)
def _cached(path: str, mtime: float) -> tuple[Slide, ...]:
    return tuple(parse(Path(path).read_text(encoding="utf-8")))


def design_slides(path: Path) -> list[Slide]:
    """The deck's slides, read again when the file changes."""
    return list(_cached(str(path), path.stat().st_mtime))
