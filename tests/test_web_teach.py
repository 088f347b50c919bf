"""Teacher pages: bank status, reload, upload, preview with a try box."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from helpers import SAMPLE_BANK, Browser
from htmlform import by_label


def upload(teacher: Browser, name: str, data: bytes):  # type: ignore[no-untyped-def]
    import io

    return teacher.post("/teach/upload", {"bank_file": (io.BytesIO(data), name)},
                        token_from="/teach/", content_type="multipart/form-data")


def test_students_cannot_see_teacher_pages(browser: Browser) -> None:
    browser.register("stu")
    assert browser.get("/teach/").status_code == 403
    assert browser.post("/teach/reload", token_from="/").status_code == 403


def test_bank_list_shows_status(teacher: Browser) -> None:
    page = teacher.get("/teach/").get_data(as_text=True)
    assert "sample.yaml" in page and "OK" in page and "Sample bank" in page


def test_upload_with_an_error_shows_it_at_its_line(teacher: Browser, questions_dir: Path) -> None:
    broken = SAMPLE_BANK.replace("id: sample", "id: other").replace(
        "    explanation: Belarus uses", "    explantion: Belarus uses")
    response = upload(teacher, "other.yaml", broken.encode())
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    line = broken.splitlines().index("    explantion: Belarus uses the Russian broad gauge.") + 1
    assert f"other.yaml:{line}:5" in page
    assert "explanation" in page  # the did-you-mean hint
    # Backticks show as code, and the offending line is shown with a caret under it.
    assert "unknown field <code>explantion</code>" in page
    assert ('<pre class="lint-excerpt"><code>    explantion: Belarus uses the Russian broad '
            'gauge.\n    ^</code></pre>') in page
    assert not (questions_dir / "other.yaml").exists()


def test_upload_of_a_clean_file_saves_and_serves_it(
    teacher: Browser, questions_dir: Path, app: Flask
) -> None:
    fixed = SAMPLE_BANK.replace("id: sample", "id: other").replace("Sample", "Other")
    response = upload(teacher, "other.yaml", fixed.encode())
    assert response.status_code == 302
    assert (questions_dir / "other.yaml").read_text(encoding="utf-8") == fixed
    assert "Other practice" in app.test_client().get("/").get_data(as_text=True)


def test_upload_refuses_odd_names_and_duplicate_bank_ids(teacher: Browser) -> None:
    assert upload(teacher, "../evil.yaml", b"id: x").status_code == 422
    assert upload(teacher, "notes.txt", SAMPLE_BANK.encode()).status_code == 422
    response = upload(teacher, "copy.yaml", SAMPLE_BANK.encode())
    assert response.status_code == 422
    assert "already used by sample.yaml" in response.get_data(as_text=True)


def test_upload_refuses_binary_garbage(teacher: Browser) -> None:
    response = upload(teacher, "junk.yaml", b"\xff\xfe\x00garbage")
    assert response.status_code == 422


def test_preview_shows_the_answer_and_tries_responses(teacher: Browser) -> None:
    page = teacher.get("/teach/banks/sample").get_data(as_text=True)
    assert "gauge" in page and "city" in page
    url = "/teach/banks/sample/questions/city"
    preview = teacher.get(url).get_data(as_text=True)
    assert "Gomel" in preview
    gomel = by_label(preview, "Gomel")
    tried = teacher.post(url, {gomel.name: gomel.value}, token_from=url)
    assert tried.status_code == 200
    assert "Right" in tried.get_data(as_text=True)
    gauge = "/teach/banks/sample/questions/gauge"
    tried = teacher.post(gauge, {"r": "1.52 m"}, token_from=gauge)
    assert "Right" in tried.get_data(as_text=True)
    tried = teacher.post(gauge, {"r": "12abc"}, token_from=gauge)
    assert tried.status_code == 422


def test_reload_picks_up_edits(teacher: Browser, questions_dir: Path, app: Flask) -> None:
    edited = SAMPLE_BANK.replace("title: Sample practice", "title: Renamed practice")
    (questions_dir / "sample.yaml").write_text(edited, encoding="utf-8")
    response = teacher.post("/teach/reload", token_from="/teach/")
    assert response.status_code == 302
    assert "Renamed practice" in app.test_client().get("/").get_data(as_text=True)


def test_unknown_bank_or_question_is_404(teacher: Browser) -> None:
    assert teacher.get("/teach/banks/nope").status_code == 404
    assert teacher.get("/teach/banks/sample/questions/nope").status_code == 404


def test_preview_keeps_the_tried_answer_and_names_the_source(teacher: Browser) -> None:
    gauge = "/teach/banks/sample/questions/gauge"
    page = teacher.post(gauge, {"r": "1.52 m"}, token_from=gauge).get_data(as_text=True)
    assert 'value="1.52 m"' in page
    assert "Marks: 1 of 1 (100%)" in page and "Fraction" not in page
    assert '<a href="https://example.org/article" rel="noopener noreferrer">An article</a>' in page
    city = "/teach/banks/sample/questions/city"
    minsk = by_label(teacher.get(city).get_data(as_text=True), "Minsk")
    page = teacher.post(city, {minsk.name: minsk.value}, token_from=city).get_data(as_text=True)
    assert re.search(rf'value="{minsk.value}"\s+checked', page)
    assert "Marks: 0 of 2 (0%)" in page


def test_a_gift_upload_is_converted_and_shown_before_it_is_saved(
    teacher: Browser, questions_dir: Path, app: Flask
) -> None:
    gift = b"::Capital::What is the capital of France?{=Paris ~Lyon}\n\nEssay.{}\n"
    response = upload(teacher, "capitals.gift", gift)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "id: capitals" in page and "Line 3: an essay" in page
    assert not (questions_dir / "capitals.yaml").exists()
    import html
    import re

    text = html.unescape(re.search(r'<textarea id="bank_text"[^>]*>(.*?)</textarea>', page,
                                   re.DOTALL).group(1))
    saved = teacher.post("/teach/import/save", {"bank_text": text,
                                                "bank_file": "capitals.yaml"},
                         token_from="/teach/")
    assert saved.status_code == 302
    assert "What is the capital of France?" in (questions_dir / "capitals.yaml").read_text()


def test_a_malformed_gift_upload_lists_its_lines_and_saves_nothing(
    teacher: Browser, questions_dir: Path
) -> None:
    response = upload(teacher, "bad.gift", b"Good?{T}\n\nBad?{=a ~b\n")
    assert response.status_code == 422
    assert "bad.gift:3</code>: the answer block" in response.get_data(as_text=True)
    assert not list(questions_dir.glob("bad*"))


def test_an_aiken_upload_is_converted(teacher: Browser) -> None:
    response = upload(teacher, "quiz.txt", b"Capital of Italy?\nA. Rome\nB. Milan\nANSWER: A\n")
    assert response.status_code == 200
    assert "Read as Aiken: 1 question." in " ".join(response.get_data(as_text=True).split())
