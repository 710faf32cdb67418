"""Articles from raw text, files, folders and JSON Lines: paragraphs, offsets, title, dateline,
boilerplate, and one-line errors that name the bad input. No spaCy model needed here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import kg.article as article_mod
from kg.article import (
    Article,
    ArticleError,
    is_boilerplate,
    iter_articles,
    make_article,
    read_file,
    read_jsonl,
)

BODY_1 = "Finance Minister Anna Berg said on Tuesday that inflation had peaked."
BODY_2 = "She added that wages would rise by four percent next year."




def one_line_naming(err: ArticleError, path: Path) -> str:
    msg = str(err)
    assert "\n" not in msg, msg
    assert str(path) in msg, msg
    return msg


# ------------------------------------------------------------------- paragraphs and offsets

@pytest.mark.parametrize(("raw", "expected"), [
    pytest.param(f"Inflation peaks\n\n{BODY_1}\n\n{BODY_2}",
                 ["Inflation peaks", BODY_1, BODY_2], id="blank-line-separated"),
    pytest.param(f"Inflation peaks\r\n\r\n{BODY_1}\r\n\r\n{BODY_2}\r\n",
                 ["Inflation peaks", BODY_1, BODY_2], id="crlf"),
    pytest.param(f"\n\n  Inflation peaks  \n\n\n\n   {BODY_1}\n \n\t\n{BODY_2}\n\n",
                 ["Inflation peaks", BODY_1, BODY_2], id="extra-blank-lines-and-indent"),
    pytest.param("Inflation peaks\n\nFinance Minister Anna Berg   said on Tuesday that\tinflation "
                 "had peaked.",
                 ["Inflation peaks", BODY_1], id="inner-whitespace-collapsed"),
    pytest.param("Markets today\n\nBanks rally after rate decision\nOil slips as demand "
                 "cools\nTech shares lead gains",
                 ["Markets today", "Banks rally after rate decision", "Oil slips as demand cools",
                  "Tech shares lead gains"], id="headline-list-one-per-line"),
    pytest.param("Inflation peaks\n\n"
          "Finance Minister Anna Berg said on Tuesday that inflation had peaked and\n"
          "that the central bank would begin to cut interest rates before the end\n"
          "of the summer, easing pressure on households.",
          ["Inflation peaks",
           "Finance Minister Anna Berg said on Tuesday that inflation had peaked and that the "
           "central bank would begin to cut interest rates before the end of the summer, easing "
           "pressure on households."],
          id="hard-wrapped-prose-is-one-paragraph"),
])
def test_paragraphs(raw: str, expected: list[str]) -> None:
    art = make_article(raw, id="a")
    assert [p.text for p in art.paragraphs] == expected


@pytest.mark.parametrize("raw", [
    f"Inflation peaks\n\nOSLO, 4 March 2025\n\n{BODY_1}\n\n{BODY_2}",
    f"Inflation peaks\r\n\r\n{BODY_1}\r\nREAD MORE: Berg says rates will stay high\r\n\r\n{BODY_2}",
    f"{BODY_1}   {BODY_2}",
    f"Markets today\n\nBanks rally after rate decision\nSource link\nOil slips\n\n{BODY_2}",
])
def test_paragraph_offsets_slice_the_text(raw: str) -> None:
    art = make_article(raw, id="a")
    assert art.paragraphs
    for p in art.paragraphs:
        assert art.text[p.start:p.end] == p.text
    assert art.text == "\n\n".join(p.text for p in art.paragraphs)
    starts = [p.start for p in art.paragraphs]
    assert starts == sorted(starts) and starts[0] == 0


def test_article_sha256_is_of_the_cleaned_text() -> None:
    a = make_article(f"Inflation peaks\n\n{BODY_1}", id="a")
    b = make_article(f"Inflation peaks\r\n\r\n\r\n{BODY_1}\r\n\r\nSource link\r\n", id="b")
    assert a.sha256 == b.sha256 and len(a.sha256) == 64


# ------------------------------------------------------------------- title and dateline

@pytest.mark.parametrize(("raw", "kwargs", "title"), [
    pytest.param(f"Inflation peaks, says minister\n\n{BODY_1}", {},
                 "Inflation peaks, says minister", id="first-block-of-several"),
    pytest.param(f"\n\n   Inflation peaks, says minister\n\n{BODY_1}", {},
                 "Inflation peaks, says minister", id="leading-blank-lines"),
    pytest.param(f"{BODY_1} {BODY_2}", {}, None, id="single-block-has-no-title"),
    pytest.param(f"{BODY_1}\n\n{BODY_2}", {"title": "Given title"}, "Given title",
                 id="explicit-title-wins"),
])
def test_title_detection(raw: str, kwargs: dict, title: str | None) -> None:
    assert make_article(raw, id="a", **kwargs).title == title


@pytest.mark.parametrize(("raw", "kwargs", "date"), [
    pytest.param(f"Inflation peaks\n\nOSLO, 4 March 2025\n\n{BODY_1}", {}, "4 March 2025",
                 id="city-day-month-year"),
    pytest.param(f"Inflation peaks\n\nMarch 4, 2025\n\n{BODY_1}", {}, "March 4, 2025",
                 id="month-day-comma-year"),
    pytest.param(f"Inflation peaks\n\nNEW YORK, March 4 2025\n\n{BODY_1}", {}, "March 4 2025",
                 id="two-word-city-month-day-year"),
    pytest.param(f"Inflation peaks\n\nBy Lena Okafor\n\n12 May 2024\n\n{BODY_1}", {},
                 "12 May 2024", id="third-line"),
    pytest.param(f"Inflation peaks\n\n{BODY_1}\n\n{BODY_2}\n\n4 March 2025", {}, None,
                 id="too-late-for-a-dateline"),
    pytest.param(f"Inflation peaks\n\nThe budget of 4 March 2025 was passed.\n\n{BODY_1}", {},
                 None, id="date-inside-a-sentence"),
    pytest.param(f"Inflation peaks\n\nOSLO, 4 March 2025\n\n{BODY_1}", {"date": "2025-03-04"},
                 "2025-03-04", id="explicit-date-wins"),
])
def test_dateline_date(raw: str, kwargs: dict, date: str | None) -> None:
    assert make_article(raw, id="a", **kwargs).date == date


# ------------------------------------------------------------------- boilerplate

BOILERPLATE = [
    "READ MORE: Berg says interest rates will stay high",
    "Read more: Central bank holds rates",
    "Pensions row deepens as unions walk out [NEWS]",
    "Budget chief quits after row [VIDEO]",
    "Source link",
    "Leave a Reply",
    "Leave a comment",
    "Sign up to our newsletter",
    "Sign up for the daily politics newsletter",
    "Related stories",
    "Your email address will not be published.",
    "Required fields are marked *",
    "Advertisement",
    "Follow us on Twitter",
]


@pytest.mark.parametrize("line", BOILERPLATE)
def test_boilerplate_line_is_dropped(line: str) -> None:
    assert is_boilerplate(line)
    art = make_article(f"Inflation peaks\n\n{BODY_1}\n\n{line}\n\n{BODY_2}", id="a")
    assert [p.text for p in art.paragraphs] == ["Inflation peaks", BODY_1, BODY_2]
    assert line not in art.text


def test_boilerplate_inside_a_headline_list_is_dropped_line_by_line() -> None:
    raw = (f"Inflation peaks\n\n{BODY_1}\n\n"
           "READ MORE: Berg says rates will stay high\n"
           "Pensions row deepens as unions walk out [NEWS]\n"
           "Banks rally after rate decision\n\n"
           f"{BODY_2}\n\nSource link\nLeave a Reply")
    art = make_article(raw, id="a")
    assert [p.text for p in art.paragraphs] == [
        "Inflation peaks", BODY_1, "Banks rally after rate decision", BODY_2]


@pytest.mark.parametrize("line", [
    pytest.param("Share prices fell sharply after the announcement.", id="share-prices"),
    pytest.param("More than 300 workers lost their jobs.", id="more-than"),
    pytest.param("Sources said the link between the two banks was weak.", id="sources-link"),
    pytest.param("Leave to remain was granted to 4,000 applicants.", id="leave-to-remain"),
    pytest.param("Related parties must disclose their holdings.", id="related-parties"),
    pytest.param("Comments by the finance minister angered the unions.", id="comments-by"),
    pytest.param("Copyright reform was debated in parliament on Tuesday.", id="copyright-reform"),
])
def test_real_paragraph_is_not_boilerplate(line: str) -> None:
    art = make_article(f"Inflation peaks\n\n{line}\n\n{BODY_1}", id="a")
    assert [p.text for p in art.paragraphs] == ["Inflation peaks", line, BODY_1]


def test_only_boilerplate_is_an_error() -> None:
    with pytest.raises(ArticleError, match="no article text"):
        make_article("READ MORE: Berg says rates will stay high\n\nSource link\n\nLeave a Reply",
                     id="a")


# ------------------------------------------------------------------- read_file

def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_read_file_good(tmp_path: Path) -> None:
    p = _write(tmp_path, "berg-inflation.txt",
               f"Inflation peaks\n\nOSLO, 4 March 2025\n\n{BODY_1}\n".encode())
    art = read_file(p)
    assert isinstance(art, Article)
    assert art.id == "berg-inflation"
    assert art.source == str(p)
    assert art.title == "Inflation peaks" and art.date == "4 March 2025"
    assert art.paragraphs[-1].text == BODY_1


@pytest.mark.parametrize(("data", "needle"), [
    pytest.param(b"", "empty file", id="empty"),
    pytest.param(b"   \n\n\t \r\n  \n", "empty file", id="whitespace-only"),
    pytest.param(b"\xef\xbb\xbf\n  \n", "empty file", id="bom-then-whitespace"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary", id="binary-nul"),
    pytest.param(b"Inflation peaks\n\nBerg said \x81\x8d\x90 today.", "not UTF-8",
                 id="undecodable"),
    pytest.param(b"READ MORE: Berg says rates will stay high\n\nSource link\n", "no article text",
                 id="only-boilerplate"),
])
def test_read_file_bad_content_is_one_line_error(tmp_path: Path, data: bytes,
                                                 needle: str) -> None:
    p = _write(tmp_path, "bad.txt", data)
    with pytest.raises(ArticleError) as ei:
        read_file(p)
    assert needle in one_line_naming(ei.value, p)


def test_read_file_missing_path(tmp_path: Path) -> None:
    p = tmp_path / "nowhere" / "gone.txt"
    with pytest.raises(ArticleError) as ei:
        read_file(p)
    assert "cannot read" in one_line_naming(ei.value, p)


def test_read_file_on_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as ei:
        read_file(tmp_path)
    assert "cannot read" in one_line_naming(ei.value, tmp_path)


def test_read_file_too_large(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(article_mod, "MAX_BYTES", 64)
    p = _write(tmp_path, "big.txt", f"Inflation peaks\n\n{BODY_1}\n\n{BODY_2}".encode())
    with pytest.raises(ArticleError) as ei:
        read_file(p)
    assert "limit" in one_line_naming(ei.value, p)


def test_read_file_windows_1252(tmp_path: Path) -> None:
    text = ("Caf\u00e9 owners protest\n\n"
            "\u201cThe levy will close half the caf\u00e9s in town,\u201d said Zo\u00eb "
            "Br\u00fcckner \u2013 head of the guild.")
    p = _write(tmp_path, "cp1252.txt", text.encode("cp1252"))
    art = read_file(p)
    assert art.title == "Caf\u00e9 owners protest"
    assert art.paragraphs[1].text == text.split("\n\n")[1]


def test_read_file_utf8_bom(tmp_path: Path) -> None:
    p = _write(tmp_path, "bom.txt", f"\ufeffInflation peaks\n\n{BODY_1}".encode())
    art = read_file(p)
    assert art.title == "Inflation peaks"
    assert not art.text.startswith("\ufeff")


# ------------------------------------------------------------------- iter_articles

def test_iter_articles_folder(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    _write(tmp_path, "b.txt", f"Second\n\n{BODY_2}".encode())
    _write(tmp_path, "a.md", f"First\n\n{BODY_1}".encode())
    _write(tmp_path / "sub", "c.text", f"Third\n\n{BODY_1}".encode())
    _write(tmp_path, "empty.txt", b"")
    _write(tmp_path, ".hidden.txt", f"Hidden\n\n{BODY_1}".encode())
    _write(tmp_path, "data.csv", b"a,b\n1,2\n")
    out = list(iter_articles([tmp_path]))
    good = [x for x in out if isinstance(x, Article)]
    bad = [x for x in out if isinstance(x, ArticleError)]
    assert [a.title for a in good] == ["First", "Second", "Third"]
    assert len(bad) == 1
    assert "empty file" in one_line_naming(bad[0], tmp_path / "empty.txt")


def test_iter_articles_folder_without_articles(tmp_path: Path) -> None:
    _write(tmp_path, "notes.csv", b"a,b\n")
    _write(tmp_path, ".draft.txt", f"Draft\n\n{BODY_1}".encode())
    (tmp_path / "nested").mkdir()
    out = list(iter_articles([tmp_path]))
    assert len(out) == 1 and isinstance(out[0], ArticleError)
    assert "no .txt" in one_line_naming(out[0], tmp_path)


def test_iter_articles_missing_path_does_not_stop_the_stream(tmp_path: Path) -> None:
    good = _write(tmp_path, "good.txt", f"Inflation peaks\n\n{BODY_1}".encode())
    missing = tmp_path / "missing.txt"
    out = list(iter_articles([missing, good]))
    assert isinstance(out[0], ArticleError)
    assert "no such file" in one_line_naming(out[0], missing)
    assert isinstance(out[1], Article) and out[1].id == "good"


# ------------------------------------------------------------------- read_jsonl

def test_read_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    lines = [
        json.dumps({"id": "a1", "title": "Inflation peaks", "text": BODY_1,
                    "url": "https://example.org/a1", "date": "2025-03-04"}),  # 1
        "",  # 2: blank, skipped silently
        "{not json",  # 3
        json.dumps({"title": "No body"}),  # 4
        json.dumps(["a", "list"]),  # 5
        json.dumps({"text": "   "}),  # 6
        json.dumps({"url": "https://example.org/b2", "text": BODY_2}),  # 7
        json.dumps({"text": "READ MORE: Berg says rates will stay high"}),  # 8
        json.dumps({"text": f"{BODY_1}\n\n{BODY_2}"}),  # 9
    ]
    p = _write(tmp_path, "feed.jsonl", ("\n".join(lines) + "\n").encode())
    out = list(read_jsonl(p))
    good = [x for x in out if isinstance(x, Article)]
    bad = [x for x in out if isinstance(x, ArticleError)]

    assert [a.id for a in good] == ["a1", "https://example.org/b2", "feed-9"]
    a1 = good[0]
    assert a1.title == "Inflation peaks" and a1.date == "2025-03-04"
    assert a1.url == "https://example.org/a1"
    assert a1.source == f"{p}:1"
    assert [q.text for q in a1.paragraphs] == ["Inflation peaks", BODY_1]
    assert good[1].source == f"{p}:7"

    assert len(bad) == 5
    for err, n in zip(bad, [3, 4, 5, 6, 8], strict=True):
        msg = one_line_naming(err, p)
        assert msg.startswith(f"{p}:{n}: "), msg


def test_read_jsonl_invalid_utf8_line_is_kept(tmp_path: Path) -> None:
    p = _write(tmp_path, "feed.jsonl",
               b'{"id": "x", "text": "Caf\xe9 owners said the levy was unfair."}\n')
    (art,) = list(read_jsonl(p))
    assert isinstance(art, Article) and "owners said the levy was unfair" in art.text


def test_iter_articles_routes_jsonl(tmp_path: Path) -> None:
    _write(tmp_path, "feed.jsonl", (json.dumps({"id": "j1", "text": BODY_1}) + "\n{oops\n")
           .encode())
    out = list(iter_articles([tmp_path]))
    assert [type(x) for x in out] == [Article, ArticleError]
    assert out[0].id == "j1"
    assert str(out[1]).startswith(f"{tmp_path / 'feed.jsonl'}:2: ")


PAGE = """<html><head><title>Dam talks stall | Daily Ledger</title>
<meta property="article:published_time" content="2025-03-04">
<link rel="canonical" href="https://ledger.example.org/dam-talks-stall"></head>
<body><nav>Home | Business | Sport</nav>
<article><h1>Dam talks stall</h1>
<p>Water Minister Lena Okafor said on Tuesday that the negotiations had stalled again.</p>
<p>"We are further apart than a year ago," she told reporters in the capital.</p></article>
<footer>Share this story. Leave a comment.</footer></body></html>"""


def test_html_page_gives_article_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "dam.html"
    page.write_text(PAGE, encoding="utf-8")
    art = read_file(page)
    assert art.title == "Dam talks stall"
    assert art.date == "2025-03-04"
    assert art.url == "https://ledger.example.org/dam-talks-stall"
    texts = [p.text for p in art.paragraphs]
    assert texts[0] == "Dam talks stall"
    assert any(t.startswith("Water Minister Lena Okafor said") for t in texts)
    assert not any("Home | Business" in t or "Leave a comment" in t for t in texts)


def test_html_page_without_article_text_is_one_line_error(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    with pytest.raises(ArticleError) as err:
        read_file(page)
    assert str(err.value).startswith(str(page)) and "\n" not in str(err.value)


def test_progress_total_counts_files_and_jsonl_lines(tmp_path: Path) -> None:
    from kg.progress import count_articles, progress

    (tmp_path / "a.txt").write_text("One.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Two.", encoding="utf-8")
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": "x"}\n\n{"text": "y"}\n', encoding="utf-8")
    assert count_articles([tmp_path]) == 4
    with progress([tmp_path], enabled=False) as advance:
        advance(3)  # a silent bar still takes updates
