"""Drafting a bank from an article's text, for the command line and the teacher's page.

The drafting rules are in `quizapp.drafting` (pure); this puts their result into a bank
file, written as YAML and loaded back through the one bank loader, so a draft bank is
checked exactly as an upload is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from quizapp import drafting
from quizapp.banks.grounding import split_paragraphs
from quizapp.banks.interchange import bank_yaml, slug


class DraftError(ValueError):
    """The article cannot be drafted from; the message says what to give."""


@dataclass(frozen=True)
class DraftSource:
    """The article as the bank's `sources:` will name it."""

    source_id: str
    title: str
    publisher: str
    published: date
    url: str
    file_name: str

    def as_source(self) -> dict[str, Any]:
        return {"id": self.source_id, "title": self.title, "publisher": self.publisher,
                "date": self.published, "url": self.url, "file": self.file_name}


def describe_source(text: str, *, file_name: str, title: str | None = None,
                    publisher: str | None = None, published: str | date | None = None,
                    url: str | None = None) -> DraftSource:
    """What the article says about itself, completed by what the teacher gives."""
    info = drafting.article_info(text)
    when = drafting._as_date(published) if published else info.published
    found = {"title": title or info.title, "publisher": publisher or info.publisher,
             "date": when, "url": url or info.url}
    missing = [name for name, value in found.items() if not value]
    if missing:
        raise DraftError(
            "the article does not say its " + ", ".join(missing) + ": give "
            + " ".join(f"--{'date' if m == 'date' else m} ..." for m in missing)
            + " or add them to its front matter")
    if not str(found["url"]).startswith(("http://", "https://")):
        raise DraftError(f"the link {found['url']!r} must start with http:// or https://")
    stem = file_name.rsplit(".", 1)[0]
    assert when is not None  # a missing date was refused above
    return DraftSource(slug(stem, "article")[:64], str(found["title"]),
                       str(found["publisher"]), when, str(found["url"]), file_name)


def draft_from_text(text: str, *, file_name: str, bank_id: str = "",
                    max_questions: int | None = None, **source: Any,
                    ) -> tuple[str, drafting.DraftResult]:
    """A bank file of drafts for the article `text` (saved as `file_name`)."""
    described = describe_source(text, file_name=file_name, **source)
    paragraphs = split_paragraphs(text)
    if not paragraphs:
        raise DraftError("the article has no paragraphs to draft from")
    article = drafting.Article(described.source_id, described.title, paragraphs,
                               described.published)
    result = drafting.draft_bank(article, max_questions=max_questions)
    if not result.drafts:
        raise DraftError("no fact to draft a question from was found in the article")
    bank_id = bank_id or slug(file_name.rsplit(".", 1)[0], "draft")[:64]
    document = drafting.bank_document(result, bank_id=bank_id,
                                      title=f"Drafts: {described.title}"[:300],
                                      source=described.as_source())
    questions = document.pop("questions")
    header = (f"# Drafted by `quizapp draft` from {file_name}: every question is a draft\n"
              "# to check against the article, edit, and keep by removing `draft: true`.\n")
    text_out, _ = bank_yaml(document, questions, header)
    return text_out, result


@dataclass(frozen=True)
class ReviewedDraft:
    """A draft as the teacher left it on the review page: kept or not, maybe edited."""

    keep: bool
    yaml_text: str


def article_file_name(title: str, folder_names: set[str], text: str,
                      existing: dict[str, str]) -> str:
    """A file name for the article in the sources folder: from its title, and never one
    that already holds a different text."""
    base = slug(title, "article")[:56]
    name, n = f"{base}.md", 1
    while name in folder_names and existing.get(name) != text:
        n += 1
        name = f"{base}-{n}.md"
    return name


def reviewed_bank(header: dict[str, Any], reviewed: list[ReviewedDraft]) -> str:
    """The bank file made of the drafts the teacher kept, as they edited them.

    A kept draft counts as reviewed, so its `draft: true` goes; a `rewrite: true` stays
    until the teacher removes it, and lint says so.
    """
    from io import StringIO

    from ruamel.yaml import YAML

    kept = [r for r in reviewed if r.keep]
    if not kept:
        raise DraftError("tick at least one draft to keep")
    yaml = YAML()
    questions = []
    for index, draft in enumerate(kept, start=1):
        try:
            question = yaml.load(StringIO(draft.yaml_text))
        except Exception as exc:  # ruamel's many error types all mean "not YAML"
            raise DraftError(f"kept draft {index} is not valid YAML: {exc}") from None
        if not isinstance(question, dict) or "id" not in question:
            raise DraftError(f"kept draft {index} must be one question with an `id:`")
        question.pop("draft", None)
        questions.append(question)
    text, _ = bank_yaml(header, questions,
                        "# Drafted by `quizapp draft` and reviewed in the browser.\n")
    return text


def question_yaml(question: dict[str, Any]) -> str:
    """One draft question as YAML a teacher can edit in a text box."""
    from io import StringIO

    from quizapp.banks.interchange import _yaml

    out = StringIO()
    _yaml().dump(question, out)
    return out.getvalue()
