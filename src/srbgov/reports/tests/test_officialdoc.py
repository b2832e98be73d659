"""The official-document writer, read back with python-docx (docs/assessment.md)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph
from hypothesis import given
from hypothesis import strategies as st

from srbgov.reports import officialdoc
from srbgov.reports.officialdoc import (
    Heading,
    OfficialDocument,
    Paragraph,
    Table,
    chinese_numeral,
    parse_draft,
    render_draft,
    write_docx,
)

SAMPLE = OfficialDocument(
    issuer="炉山镇人民政府文件",
    number="炉政发〔2026〕12号",
    title="炉山镇2026年出生人口性别比综合治理工作总结",
    addressee="县卫生健康局",
    blocks=[
        Heading(level=1, text="主要工作"),
        Heading(level=2, text="加强组织领导"),
        Paragraph(text="全镇共登记孕情 41 例，按时登记 37 例。"),
        Heading(level=3, text="签订责任书"),
        Heading(level=2, text="开展专项行动"),
        Heading(level=1, text="存在问题"),
        Table(
            header=["村", "按时登记率"],
            rows=[["东村", "37/41"], ["西村", "5/6（例数少）"]],
        ),
    ],
    signatory="炉山镇人民政府",
    date=dt.date(2026, 12, 1),
)


def read(document: OfficialDocument) -> DocxDocument:
    return Document(io.BytesIO(write_docx(document=document)))


def east_asian_font(paragraph: DocxParagraph) -> str | None:
    r_pr = paragraph.runs[0]._element.rPr
    assert r_pr is not None
    fonts = r_pr.find(qn("w:rFonts"))
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def paragraph_with(doc: DocxDocument, text: str) -> DocxParagraph:
    return next(p for p in doc.paragraphs if p.text == text)


def test_page_is_a4_with_the_standard_margins() -> None:
    section = read(SAMPLE).sections[0]
    # Word stores lengths in twips: compare in millimetres to a tenth.
    measured = [
        section.page_width,
        section.page_height,
        section.top_margin,
        section.bottom_margin,
        section.left_margin,
        section.right_margin,
    ]
    assert [round(length.mm, 1) if length else None for length in measured] == [
        210,
        297,
        37,
        35,
        28,
        26,
    ]


def test_the_grid_is_22_lines_of_28_characters() -> None:
    grid = read(SAMPLE).sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    line_pitch_mm = int(grid.get(qn("w:linePitch"))) / 1440 * 25.4
    assert line_pitch_mm * 22 == pytest.approx(225, abs=0.5)  # the type area's height
    char_pitch_pt = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert char_pitch_pt * 28 / 72 * 25.4 == pytest.approx(156, abs=0.5)  # its width


def test_issuer_is_red_and_title_is_xiaobiaosong_erhao() -> None:
    doc = read(SAMPLE)
    issuer = paragraph_with(doc, "炉山镇人民政府文件")
    assert issuer.runs[0].font.color.rgb == RGBColor(0xFF, 0, 0)
    assert east_asian_font(issuer) == "方正小标宋简体"
    title = paragraph_with(doc, SAMPLE.title)
    assert east_asian_font(title) == "方正小标宋简体"
    assert title.runs[0].font.size == Pt(22)
    assert paragraph_with(doc, "炉政发〔2026〕12号").alignment is not None


def test_body_is_fangsong_sanhao_and_headings_are_numbered_per_level() -> None:
    doc = read(SAMPLE)
    body = paragraph_with(doc, "全镇共登记孕情 41 例，按时登记 37 例。")
    assert east_asian_font(body) == "仿宋_GB2312"
    assert body.runs[0].font.size == Pt(16)
    texts = [p.text for p in doc.paragraphs]
    assert "一、主要工作" in texts
    assert "（一）加强组织领导" in texts
    assert "1.签订责任书" in texts
    assert "（二）开展专项行动" in texts
    # a new level-1 heading restarts the numbers below it
    assert "二、存在问题" in texts
    assert east_asian_font(paragraph_with(doc, "一、主要工作")) == "黑体"
    assert east_asian_font(paragraph_with(doc, "（一）加强组织领导")) == "楷体_GB2312"
    assert paragraph_with(doc, "1.签订责任书").runs[0].font.bold is True
    assert "2026年12月1日" in texts


def test_footer_holds_a_page_field_between_dashes_on_odd_and_even_pages() -> None:
    doc = read(SAMPLE)
    assert doc.settings.odd_and_even_pages_header_footer is True
    for footer in (doc.sections[0].footer, doc.sections[0].even_page_footer):
        paragraph = footer.paragraphs[0]
        instructions = [el.text for el in paragraph._p.iter(qn("w:instrText"))]
        assert [i.strip() for i in instructions] == ["PAGE"]
        kinds = [
            el.get(qn("w:fldCharType")) for el in paragraph._p.iter(qn("w:fldChar"))
        ]
        assert kinds == ["begin", "separate", "end"]
        assert paragraph.text == "— 1 —"


def test_tables_carry_the_cells() -> None:
    table = read(SAMPLE).tables[0]
    assert [c.text for c in table.rows[0].cells] == ["村", "按时登记率"]
    assert [c.text for c in table.rows[2].cells] == ["西村", "5/6（例数少）"]


def test_draft_text_becomes_blocks() -> None:
    blocks = parse_draft(
        "# 主要工作\n\n正文一段。\n## 组织\n| 村 | 率 |\n| 东村 | 1/2 |\n尾段\n"
    )
    assert blocks == [
        Heading(level=1, text="主要工作"),
        Paragraph(text="正文一段。"),
        Heading(level=2, text="组织"),
        Table(header=["村", "率"], rows=[["东村", "1/2"]]),
        Paragraph(text="尾段"),
    ]


@given(st.integers(min_value=1, max_value=99))
def test_chinese_numerals_read_back(n: int) -> None:
    digits = dict(zip("一二三四五六七八九", range(1, 10), strict=True))
    text = chinese_numeral(n)
    if "十" in text:
        head, _, tail = text.partition("十")
        value = (digits[head] if head else 1) * 10 + (digits[tail] if tail else 0)
    else:
        value = digits[text]
    assert value == n
    assert "零" not in text


_cell = st.text(alphabet="村镇率一二0123456789/（）", min_size=1, max_size=6)
_block = st.one_of(
    st.builds(
        Heading, level=st.integers(1, 3), text=st.text("镇村工作总结", min_size=1)
    ),
    st.builds(Paragraph, text=st.text("镇村工作总结，。", min_size=1)),
    st.integers(1, 4).flatmap(
        lambda n: st.builds(
            Table,
            header=st.lists(_cell, min_size=n, max_size=n),
            rows=st.lists(st.lists(_cell, min_size=n, max_size=n), max_size=3),
        )
    ),
)


@given(st.lists(_block, max_size=8))
def test_a_rendered_draft_parses_back_to_the_same_blocks(
    blocks: list[officialdoc.Block],
) -> None:
    # Two tables in a row merge when rendered; the draft separates blocks by blank lines,
    # which parse_draft reads as the end of a table.
    assert parse_draft(render_draft(blocks)) == [
        Table(header=list(b.header), rows=[list(r) for r in b.rows])
        if isinstance(b, Table)
        else b
        for b in blocks
    ]


@pytest.mark.skipif(
    officialdoc.soffice_path() is None, reason="LibreOffice is not installed"
)
def test_pdf_through_libreoffice() -> None:
    pdf = officialdoc.docx_to_pdf(docx=write_docx(document=SAMPLE))
    assert pdf is not None and pdf.startswith(b"%PDF")
