"""Source texts: the articles questions are drawn from, read into front matter and
numbered paragraphs. Grounding, `quizapp lint`, `quizapp sources show` and the pages
that cite a source all read a source file through `parse_source`, so they all number
its paragraphs alike. Pure: text in, values out (no files, no Flask).

The numbering rule (docs/question-format.md, "Source files"):

1. Optional YAML front matter: when the first line is `---`, every line up to the next
   line that is `---` is YAML with the fields `title`, `author`, `publisher`, `date`,
   `url` and `licence` (all optional). It is not part of the text.
2. In the rest of the file, these lines are not paragraphs:
   * blank lines;
   * heading lines, starting with `#` (the first one starting with `# ` is the title);
   * a line that is only an image, `![...](...)`;
   * before the first paragraph only, the byline and date lines: a line starting with
     `>` or with `By ` (such as `> Mar 17th 2023` or `By a correspondent, 2026.`).
3. Every other line is one paragraph, numbered from 1 in order. A paragraph is written
   on one line (as text copied from a web page is); blank lines between paragraphs are
   allowed and change nothing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import StringConstraints, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from quizapp.qtypes.base import StrictModel

FRONT_MATTER_FENCE = "---"
FRONT_MATTER_FIELDS = ("title", "author", "publisher", "date", "url", "licence")
_IMAGE_LINE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")
_BYLINE = re.compile(r"^(>|by\s)", re.IGNORECASE)
FIRST_WORDS = 8

Text = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://[^\s]+$", max_length=2_000)]


class FrontMatter(StrictModel):
    """What a source file says about itself. Nothing is made up: a field not given is None."""

    title: Text | None = None
    author: Text | None = None
    publisher: Text | None = None
    date: datetime.date | None = None
    url: Url | None = None
    licence: Text | None = None


@dataclass(frozen=True)
class Paragraph:
    number: int  # from 1
    line: int  # the line of the file it is on, from 1
    text: str

    def first_words(self, count: int = FIRST_WORDS) -> str:
        words = self.text.split()
        return " ".join(words[:count]) + (" …" if len(words) > count else "")


@dataclass(frozen=True)
class SourceDocument:
    front: FrontMatter
    heading: str | None  # the first `# ` heading, without the `# `
    paragraphs: tuple[Paragraph, ...]
    problems: tuple[str, ...] = field(default=())  # front matter that could not be read

    @property
    def title(self) -> str | None:
        """The front matter's title, else the first `# ` heading."""
        return self.front.title or self.heading


def _split_front_matter(lines: list[str]) -> tuple[str | None, int]:
    """The front matter's YAML (None without one) and the index of the first body line."""
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return None, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == FRONT_MATTER_FENCE:
            return "\n".join(lines[1:index]), index + 1
    return None, 0  # no closing fence: it is not front matter, and problems say so


def _read_front_matter(text: str) -> tuple[FrontMatter, list[str]]:
    try:
        data: Any = YAML(typ="safe", pure=True).load(text)
    except YAMLError as exc:
        return FrontMatter(), [f"the front matter is not valid YAML ({_first_line(exc)})"]
    if data is None:
        return FrontMatter(), []
    if not isinstance(data, dict):
        return FrontMatter(), ["the front matter must be fields (`title: ...`)"]
    problems = []
    kept: dict[str, Any] = {}
    for key, value in data.items():
        if key not in FRONT_MATTER_FIELDS:
            problems.append(f"unknown front matter field `{key}`; the fields are: "
                            + ", ".join(FRONT_MATTER_FIELDS))
            continue
        try:
            FrontMatter.model_validate({key: value})
        except ValidationError as exc:
            problems.append(f"front matter `{key}`: {exc.errors()[0]['msg']}")
            continue
        kept[key] = value
    return FrontMatter.model_validate(kept), problems


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def parse_source(text: str) -> SourceDocument:
    """A source text's front matter, title and numbered paragraphs (see the module doc)."""
    lines = text.splitlines()
    front_text, start = _split_front_matter(lines)
    problems: list[str] = []
    front = FrontMatter()
    if front_text is not None:
        front, problems = _read_front_matter(front_text)
    elif lines and lines[0].strip() == FRONT_MATTER_FENCE:
        problems.append("the front matter starting on line 1 has no closing `---` line")
    heading: str | None = None
    paragraphs: list[Paragraph] = []
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if not stripped or _IMAGE_LINE.match(stripped):
            continue
        if stripped.startswith("#"):
            if heading is None and stripped.startswith("# "):
                heading = stripped[2:].strip() or None
            continue
        if not paragraphs and _BYLINE.match(stripped):
            continue
        paragraphs.append(Paragraph(len(paragraphs) + 1, index + 1, stripped))
    return SourceDocument(front, heading, tuple(paragraphs), tuple(problems))


def format_outline(name: str, document: SourceDocument) -> str:
    """What `quizapp sources show` prints: the metadata, then each paragraph's number
    and first words."""
    front = document.front
    lines = [name]
    facts = [("title", document.title), ("author", front.author),
             ("publisher", front.publisher), ("date", front.date and front.date.isoformat()),
             ("url", front.url), ("licence", front.licence)]
    lines += [f"  {label}: {value}" for label, value in facts if value]
    lines += [f"  problem: {problem}" for problem in document.problems]
    count = len(document.paragraphs)
    lines.append(f"  {count} paragraph{'s' if count != 1 else ''}:")
    width = len(str(count))
    lines += [f"  {p.number:>{width}}  (line {p.line}) {p.first_words()}"
              for p in document.paragraphs]
    return "\n".join(lines)
