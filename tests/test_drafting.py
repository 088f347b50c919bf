"""Drafting questions from an article, on a short text written for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from quizapp import drafting
from quizapp.banks.grounding import split_paragraphs
from quizapp.banks.loader import load_bank_text
from quizapp.services.drafts import DraftError, draft_from_text

HARBOUR = Path(__file__).parent / "drafting" / "harbour.md"


@pytest.fixture(scope="module")
def article() -> drafting.Article:
    text = HARBOUR.read_text()
    return drafting.Article("harbour", "Pier", split_paragraphs(text.split("---", 2)[2]),
                            date(2024, 6, 10))


@pytest.fixture(scope="module")
def result(article) -> drafting.DraftResult:
    return drafting.draft_bank(article)


def facts_of(article, kind):
    return [f for f in drafting.find_facts(article) if f.kind == kind]


def test_every_quantity_is_found_with_its_unit_and_hedge(article):
    found = {f.text: f for f in facts_of(article, "quantity")}
    assert set(found) == {"4,000", "180m", "30%", "£2m", "50", "120"}
    assert found["4,000"].hedge == "roughly"
    assert found["4,000"].noun == "people"
    assert found["180m"].unit == "metre"
    assert found["50"].hedge == "fewer than"
    assert found["£2m"].value == 2 and found["£2m"].unit == "million"
    assert found["£2m"].hedge == "about"
    assert found["50"].noun == "boats"
    assert found["30%"].noun == "piles"


def test_dates_are_found_and_placed_in_time(article):
    found = {f.text: f.when for f in facts_of(article, "date")}
    assert found["in March"] == date(2024, 3, 1)
    assert found["in 1921"] == date(1921, 1, 1)
    assert found["January 12th"] == date(2024, 1, 12)
    assert found["in the winter"] == date(2024, 1, 1)


def test_names_with_what_the_article_says_they_are(article):
    roles = {f.text: f.role for f in facts_of(article, "name")}
    assert roles["Maria Lund"] == "the council's engineer"
    assert roles["Port Ellery"] == "a fishing village of roughly 4,000 people"


def test_hedged_claims_are_found(article):
    assert [f.text for f in facts_of(article, "hedge")] == ["probably"]


def test_numeric_drafts_declare_units_tolerance_and_distractors(result):
    by_id = {d.question["id"]: d.question for d in result.drafts}
    people = next(q for qid, q in by_id.items() if qid.startswith("figure-p1-people"))
    assert people["answers"][0] == {"value": 4000.0, "tolerance_percent": 10.0}
    assert people["units"] == {"people": 1}
    assert 40000.0 in [rule["value"] for rule in people["answers"][1:]]
    pier = next(q for qid, q in by_id.items() if "180m" in qid)
    assert pier["units"]["m"] == 1


def test_every_draft_is_marked_and_quotes_at_most_fifteen_words_of_its_paragraph(
        article, result):
    for draft in result.drafts:
        question = draft.question
        assert question["draft"] is True
        evidence = question["evidence"]
        assert len(evidence["quote"].split()) <= 15
        assert evidence["quote"] in article.paragraphs[evidence["paragraph"] - 1]


def test_ordering_puts_the_events_in_time_order(result):
    ordering = next(d.question for d in result.drafts if d.question["type"] == "ordering")
    assert ordering["items"][0].startswith("Was 180m long")


def test_a_cloze_per_paragraph_flags_what_still_copies(article, result):
    clozes = [d for d in result.drafts if d.question["type"] == "cloze"]
    assert {d.paragraph for d in clozes} == {1, 2, 3}
    for draft in clozes:
        question = draft.question
        plain = question["text"]
        for name in question["blanks"]:
            plain = plain.replace("{{" + name + "}}", "|")
        copies = max(drafting.copied_run(part, article.paragraphs[draft.paragraph - 1])
                     for part in plain.split("|"))
        assert (copies > drafting.MAX_COPIED_RUN) == bool(question.get("rewrite"))


def test_the_report_lists_every_paragraph_with_its_facts_and_drafts(result):
    text = result.report_text()
    assert "Paragraph 1:" in text and "Paragraph 3:" in text
    assert "found quantity: 4,000" in text
    assert "drafted cloze-p2" in text


def test_max_keeps_the_most_valuable_kinds(article):
    limited = drafting.draft_bank(article, max_questions=3)
    assert [d.question["type"] for d in limited.drafts] == ["numeric"] * 3


def test_the_copied_run_measure():
    assert drafting.copied_run("a b c d", "x a b c y") == 3
    assert drafting.copied_run("nothing here", "a b c") == 0


def test_the_bank_lints_with_grounding_and_no_errors(tmp_path):
    text, result = draft_from_text(HARBOUR.read_text(), file_name="harbour.md")
    (tmp_path / "harbour.md").write_text(HARBOUR.read_text())
    loaded = load_bank_text("harbour.yaml", text.encode(), sources_dir=tmp_path)
    assert loaded.errors == []
    drafts = [m for m in loaded.warnings if "is a draft" in m.message]
    assert len(drafts) == len(result.drafts)


def test_missing_article_details_are_asked_for():
    with pytest.raises(DraftError, match="url"):
        draft_from_text("# Title\n\nSome text with 5 apples.\n", file_name="a.md",
                        publisher="P", published="2024-01-01")
    with pytest.raises(DraftError, match="http"):
        draft_from_text("# Title\n\nSome text.\n", file_name="a.md", publisher="P",
                        published="2024-01-01", url="example.org")


@pytest.mark.parametrize("text, kind, expected", [
    ("On 3 May 2021 they met.", "date", "3 May 2021"),
    ("Between 2019 and 2021 it grew.", "date", "Between 2019 and 2021"),
    ("The Bank of England may act.", "name", "Bank of England"),
    ("says Emily Ferris of the Royal Institute, a think-tank.", "name", "Emily Ferris"),
    ("The bill was £2m in all.", "quantity", "£2m"),
])
def test_finders_on_everyday_phrasing(text, kind, expected):
    article = drafting.Article("x", "T", (text,), date(2024, 1, 1))
    assert expected in [f.text for f in drafting.find_facts(article) if f.kind == kind]


def test_a_day_of_the_month_is_never_a_quantity():
    article = drafting.Article("x", "T", ("On 3 May 2021 about 40 people came.",),
                               date(2024, 1, 1))
    assert [f.text for f in facts_of(article, "quantity")] == ["40"]
