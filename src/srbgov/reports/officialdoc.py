"""Word (.docx) documents in the national official-document layout (GB/T 9704-2012).

One writer for every document srbgov hands to a township office: the year-end summary, the
work plan, the monthly report, the scorecard table, bulletins. Callers build an
`OfficialDocument` (plain data: blocks of headings, paragraphs and tables) and get bytes back;
the writer touches no database (only `send_document` writes the audit record), so the layout is tested once for every caller.

The layout (docs/assessment.md "Document layout"):

- A4, margins top 37 mm, bottom 35 mm, left (binding side) 28 mm, right 26 mm: GB/T 9704 §5.2.1
  puts the 156 × 225 mm type area 37 mm from the top and 28 mm from the binding edge, which
  leaves 35 mm and 26 mm.
- 22 lines of 28 characters on each page (§5.2.2: "一般每面排22行，每行排28个字"): the Word
  document grid is set to that (`LINES_PER_PAGE`, `CHARS_PER_LINE`); the line pitch is then
  225 mm / 22 ≈ 29 pt, the character pitch 156 mm / 28 ≈ 15.8 pt.
- issuing-office mark (发文机关标志) in red 小标宋, centred, with the document number below it
  and a red rule; title in 方正小标宋简体 二号 (22 pt); body in 仿宋_GB2312 三号 (16 pt);
  headings 一、 in 黑体, （一） in 楷体_GB2312, 1. in 仿宋 bold (§7.3.3).
- page numbers "— 1 —" in 宋体 四号 (14 pt), a PAGE field, right on odd pages and left on even
  pages (§7.5).

The fonts are named, not embedded: a machine without 方正小标宋简体 shows a substitute, and the
printed document is right wherever the office's own fonts are installed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION_START
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEADING1_FONT = "黑体"
HEADING2_FONT = "楷体_GB2312"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)  # 二号
BODY_SIZE = Pt(16)  # 三号
ISSUER_SIZE = Pt(
    36
)  # the mark is larger than the title; GB/T 9704 leaves the size to the office
PAGE_NUMBER_SIZE = Pt(14)  # 四号
TABLE_SIZE = Pt(12)  # 小四: a table of many columns does not fit 22 characters of 三号

RED = RGBColor(0xFF, 0x00, 0x00)

PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
MARGIN_TOP = Mm(37)
MARGIN_BOTTOM = Mm(35)
MARGIN_LEFT = Mm(28)
MARGIN_RIGHT = Mm(26)
LINES_PER_PAGE = 22
CHARS_PER_LINE = 28

TWIPS_PER_MM = 1440 / 25.4
# The type area is 225 mm high: 22 lines give the line pitch; Word wants it in twips.
LINE_PITCH_TWIPS = round(225 * TWIPS_PER_MM / LINES_PER_PAGE)
# Word's character grid: each character advances font size + charSpace/4096 pt.
CHAR_PITCH_PT = 156 / 25.4 * 72 / CHARS_PER_LINE
CHAR_SPACE = round((CHAR_PITCH_PT - 16) * 4096)

_NUMERALS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers; 1..99)."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading number out of range: {n}")
    tens, units = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[units]
    head = "" if tens == 1 else _NUMERALS[tens]
    return head + "十" + (_NUMERALS[units] if units else "")


@dataclass(frozen=True)
class Heading:
    level: int  # 1 → 一、  2 → （一）  3 → 1.
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[str]]


Block = Heading | Paragraph | Table


@dataclass(frozen=True)
class OfficialDocument:
    issuer: str  # 发文机关标志, e.g. "XX镇人民政府文件"
    title: str
    blocks: Sequence[Block] = field(default_factory=tuple)
    number: str = ""  # 发文字号, e.g. "X政发〔2026〕3号"
    addressee: str = ""  # 主送机关
    signatory: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期


def heading_label(level: int, index: int) -> str:
    if level == 1:
        return f"{chinese_numeral(index)}、"
    if level == 2:
        return f"（{chinese_numeral(index)}）"
    return f"{index}."


def chinese_date(day: dt.date) -> str:
    """成文日期 in Arabic numerals (GB/T 9704-2012 §7.3.5.1): 2026年12月1日."""
    return f"{day.year}年{day.month}月{day.day}日"


def write_docx(*, document: OfficialDocument) -> bytes:
    doc = Document()
    _page_setup(doc)
    _styles(doc)
    _masthead(doc, issuer=document.issuer, number=document.number)
    _title(doc, document.title)
    if document.addressee:
        _body_paragraph(doc, f"{document.addressee}：", indent=False)
    counters = [0, 0, 0]
    for block in document.blocks:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 3)
            counters[level - 1] += 1
            for deeper in range(level, 3):
                counters[deeper] = 0
            _heading(doc, level, heading_label(level, counters[level - 1]) + block.text)
        elif isinstance(block, Paragraph):
            _body_paragraph(doc, block.text)
        else:
            _table(doc, block)
    if document.signatory or document.date:
        _body_paragraph(doc, "", indent=False)
        if document.signatory:
            _right_paragraph(doc, document.signatory)
        if document.date:
            _right_paragraph(doc, chinese_date(document.date))
    _footers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width = PAGE_WIDTH
    section.page_height = PAGE_HEIGHT
    section.top_margin = MARGIN_TOP
    section.bottom_margin = MARGIN_BOTTOM
    section.left_margin = MARGIN_LEFT
    section.right_margin = MARGIN_RIGHT
    # The footer sits inside the 35 mm bottom margin, about 7 mm under the type area (§7.5).
    section.footer_distance = Mm(28)
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect_pr.append(grid)
    doc.settings.odd_and_even_pages_header_footer = True


def set_run_font(run: Run, *, name: str, size: Pt, bold: bool = False) -> None:
    """Word takes Chinese text's font from w:eastAsia; python-docx's font.name sets only ascii."""
    run.font.name = name
    run.font.size = size
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = BODY_SIZE
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PITCH_TWIPS / 20)


def _paragraph(
    doc: DocxDocument,
    text: str,
    *,
    font: str,
    size: Pt,
    bold: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = None,
    indent: bool = False,
    color: RGBColor | None = None,
) -> DocxParagraph:
    paragraph: DocxParagraph = doc.add_paragraph()
    if align is not None:
        paragraph.alignment = align
    if indent:
        # 首行缩进二字 (§7.3.3: each paragraph starts two characters in)
        paragraph.paragraph_format.first_line_indent = Pt(size.pt * 2)
    run = paragraph.add_run(text)
    set_run_font(run, name=font, size=size, bold=bold)
    if color is not None:
        run.font.color.rgb = color
    return paragraph


def _masthead(doc: DocxDocument, *, issuer: str, number: str) -> None:
    mark = _paragraph(
        doc,
        issuer,
        font=TITLE_FONT,
        size=ISSUER_SIZE,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        color=RED,
    )
    mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    mark.paragraph_format.space_before = Pt(LINE_PITCH_TWIPS / 20)
    mark.paragraph_format.space_after = Pt(LINE_PITCH_TWIPS / 20)
    if number:
        _paragraph(
            doc, number, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
        )
    # 版头分割线: a red rule under the number, drawn as the paragraph's bottom border.
    rule = doc.add_paragraph()
    p_pr = rule._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "12")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "FF0000")
    borders.append(bottom)
    p_pr.append(borders)


def _title(doc: DocxDocument, title: str) -> None:
    paragraph = _paragraph(
        doc, title, font=TITLE_FONT, size=TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    paragraph.paragraph_format.space_before = Pt(LINE_PITCH_TWIPS / 20)
    paragraph.paragraph_format.space_after = Pt(LINE_PITCH_TWIPS / 20)


def _heading(doc: DocxDocument, level: int, text: str) -> None:
    font, bold = {
        1: (HEADING1_FONT, False),
        2: (HEADING2_FONT, False),
        3: (BODY_FONT, True),
    }[level]
    _paragraph(doc, text, font=font, size=BODY_SIZE, bold=bold, indent=True)


def _body_paragraph(doc: DocxDocument, text: str, *, indent: bool = True) -> None:
    _paragraph(doc, text, font=BODY_FONT, size=BODY_SIZE, indent=indent and bool(text))


def _right_paragraph(doc: DocxDocument, text: str) -> None:
    paragraph = _paragraph(
        doc, text, font=BODY_FONT, size=BODY_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT
    )
    # 右空四字 (§7.3.5.1)
    paragraph.paragraph_format.right_indent = Pt(BODY_SIZE.pt * 4)


def _table(doc: DocxDocument, block: Table) -> None:
    columns = max(1, len(block.header), *(len(r) for r in block.rows))
    table: DocxTable = doc.add_table(rows=1 + len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, row in enumerate([block.header, *block.rows]):
        for c in range(columns):
            cell = table.cell(r, c)
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            text = str(row[c]) if c < len(row) else ""
            run = paragraph.add_run(text)
            set_run_font(
                run,
                name=HEADING1_FONT if r == 0 else BODY_FONT,
                size=TABLE_SIZE,
                bold=False,
            )
    doc.add_paragraph()


def _page_field(paragraph: DocxParagraph) -> None:
    """ "— N —" with N a PAGE field, so Word numbers every page itself."""

    def text_run(text: str) -> None:
        set_run_font(
            paragraph.add_run(text), name=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE
        )

    def field_char(kind: str) -> None:
        run = paragraph.add_run()
        set_run_font(run, name=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
        char = OxmlElement("w:fldChar")
        char.set(qn("w:fldCharType"), kind)
        run._r.append(char)

    text_run("— ")
    field_char("begin")
    instr_run = paragraph.add_run()
    set_run_font(instr_run, name=PAGE_NUMBER_FONT, size=PAGE_NUMBER_SIZE)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    instr_run._r.append(instr)
    field_char("separate")
    text_run("1")
    field_char("end")
    text_run(" —")


def _footers(doc: DocxDocument) -> None:
    section = doc.sections[0]
    # 单页码居右空一字，双页码居左空一字 (§7.5)
    for footer, align in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = PAGE_NUMBER_SIZE
        else:
            paragraph.paragraph_format.left_indent = PAGE_NUMBER_SIZE
        _page_field(paragraph)


# --- drafts: the editable text a user corrects before download -------------------------------
#
# A draft is plain text: "# " starts a level-1 heading, "## " level 2, "### " level 3, lines
# "| a | b |" make a table (the first such line is its header), any other non-empty line is a
# paragraph. The numbering (一、 （一） 1.) is the writer's, so a user who deletes a section
# does not leave a gap.

_HEADING = re.compile(r"^(#{1,3}) +(.*)$")


def parse_draft(text: str) -> list[Block]:
    blocks: list[Block] = []
    table_rows: list[list[str]] = []

    def flush_table() -> None:
        if table_rows:
            blocks.append(
                Table(header=table_rows[0], rows=[list(r) for r in table_rows[1:]])
            )
            table_rows.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|") and line.endswith("|") and len(line) >= 2:
            table_rows.append([cell.strip() for cell in line[1:-1].split("|")])
            continue
        flush_table()
        if not line:
            continue
        match = _HEADING.match(line)
        if match:
            blocks.append(
                Heading(level=len(match.group(1)), text=match.group(2).strip())
            )
        else:
            blocks.append(Paragraph(text=line))
    flush_table()
    return blocks


def render_draft(blocks: Sequence[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + block.text)
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            for row in [block.header, *block.rows]:
                lines.append("| " + " | ".join(str(c) for c in row) + " |")
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# --- PDF --------------------------------------------------------------------------------------


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(*, docx: bytes, timeout: float = 120) -> bytes | None:
    """The same document as PDF through LibreOffice, or None when it is not installed."""
    soffice = soffice_path()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="srbgov-doc-") as tmp:
        source = Path(tmp) / "document.docx"
        source.write_bytes(docx)
        # A private profile directory: two conversions at once would otherwise fight over
        # the user's LibreOffice profile lock.
        profile = Path(tmp) / "profile"
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                tmp,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        return (Path(tmp) / "document.pdf").read_bytes()


# --- sending ----------------------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def send_document(
    request: HttpRequest,
    *,
    document: OfficialDocument,
    filename: str,
    object_type: str,
    as_pdf: bool = False,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """The document as .docx (or PDF when asked and LibreOffice is installed), written to
    the audit log as an export before it leaves, like every sheet (docs/access.md §5)."""
    from srbgov.audit.models import AuditAction
    from srbgov.audit.services import record

    content = write_docx(document=document)
    suffix, content_type = "docx", DOCX_TYPE
    if as_pdf:
        pdf = docx_to_pdf(docx=content)
        if pdf is not None:
            content, suffix, content_type = pdf, "pdf", "application/pdf"
    record(
        user=request.user,  # type: ignore[arg-type]
        action=AuditAction.EXPORT,
        object_type=object_type,
        object_repr=filename,
        detail={"format": suffix, "title": document.title, **(detail or {})},
    )
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(filename)}-{stamp}.{suffix}"
    )
    return response
