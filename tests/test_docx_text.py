"""Text Word shows outside a paragraph's plain runs: tracked insertions, content controls
(around paragraphs, rows and cells), smart tags, fields and text boxes, read; deleted
text, field codes and a text box's fallback copy, not. Text typed in legacy fonts."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from demo_corpus import PLANS
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from plan_formats import docx_document, font_characters, html_page, seed_text, tcvn3_bytes, vni_bytes, web_archive
from test_tables import HA_TINH, build_docx

from ccbc_graph.decoding import font_encoding
from ccbc_graph.docx_reader import read_docx
from ccbc_graph.extract import extract_plan
from ccbc_graph.reading import read_source

W = nsdecls("w")
MC_WPS = (
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def box(text: str) -> str:
    """A text box as Word 2010 and later writes one: the shape, then a VML copy of it
    for older readers (the same text twice)."""
    content = f"<w:txbxContent><w:p>{run(text)}</w:p></w:txbxContent>"
    return (
        f"<w:r><mc:AlternateContent><mc:Choice Requires='wps'><w:drawing><wps:wsp><wps:txbx>{content}"
        f"</wps:txbx></wps:wsp></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{content}"
        "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


def word_file(path: Path, body: list[str]) -> Path:
    """A .docx whose body is python-docx's, with these blocks (raw WordprocessingML) added."""
    document = Document()
    for block in body:
        document.element.body.append(parse_xml(block))
    document.save(path)
    return path


def test_text_word_shows_is_read_and_text_it_hides_is_not(tmp_path: Path) -> None:
    body = [
        f"<w:p {W}>{run('Quyết định số ')}<w:ins w:id='1' w:author='a'>{run('225/QĐ-TTg')}</w:ins>"
        f"<w:del w:id='2' w:author='a'><w:r><w:delText>224/QĐ-TTg</w:delText></w:r></w:del>{run(' ngày ')}"
        f"<w:smartTag w:uri='u' w:element='date'>{run('04/02/2016')}</w:smartTag></w:p>",
        f"<w:sdt {W}><w:sdtPr><w:alias w:val='Số'/></w:sdtPr><w:sdtContent><w:p>{run('Số: 259/KH-UBND')}</w:p>"
        "</w:sdtContent></w:sdt>",
        f"<w:p {W}>{run('Kinh phí')}<w:r><w:fldChar w:fldCharType='begin'/></w:r>"
        "<w:r><w:instrText> MERGEFIELD tong </w:instrText></w:r><w:r><w:fldChar w:fldCharType='separate'/></w:r>"
        f"{run(' 50.000.000')}<w:r><w:fldChar w:fldCharType='end'/></w:r>"
        f"<w:fldSimple w:instr=' PAGE '>{run(' đồng')}</w:fldSimple><w:r><w:br w:type='page'/></w:r></w:p>",
        f"<w:p {W} {MC_WPS}>{run('Kinh tế')}<w:r><w:noBreakHyphen/></w:r>{run('xã hội')}"
        f"{box('DỰ THẢO')}<w:r><w:br/></w:r>{run('dòng sau')}</w:p>",
    ]
    text = read_docx(word_file(tmp_path / "plan.docx", body)).text
    assert text.split("\n") == [
        "Quyết định số 225/QĐ-TTg ngày 04/02/2016",
        "Số: 259/KH-UBND",
        "Kinh phí 50.000.000 đồng",
        "Kinh tế-xã hội",
        "dòng sau",
        "DỰ THẢO",
        "",
    ]


def test_a_plan_whose_number_is_a_content_control_and_whose_citation_a_tracked_insertion(tmp_path: Path) -> None:
    name = "hai-duong-2020-tuyen-truyen-cchc.txt"
    (tmp_path / "typed.docx").write_bytes(docx_document(seed_text(name)))
    typed = extract_plan(read_source(tmp_path / "typed.docx"))
    document = Document(tmp_path / "typed.docx")
    symbol, citing = None, None
    for paragraph in document.paragraphs:
        if symbol is None and paragraph.text.startswith("Số:"):
            symbol = paragraph
        if citing is None and "225/QĐ-TTg" in paragraph.text:
            citing = paragraph
    assert symbol is not None and citing is not None
    # The number becomes a content control holding its paragraph; 225/QĐ-TTg, a tracked insertion.
    control = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    symbol._p.addprevious(control)
    control[1].append(symbol._p)
    before, after = citing.text.split("225/QĐ-TTg", 1)
    for r in list(citing._p.iterchildren("{*}r")):
        citing._p.remove(r)
    inserted = parse_xml(f"<w:ins {W} w:id='9' w:author='a'>{run('225/QĐ-TTg')}</w:ins>")
    citing._p.append(parse_xml(f"<w:r {W}><w:t xml:space='preserve'>{before}</w:t></w:r>"))
    citing._p.append(inserted)
    citing._p.append(parse_xml(f"<w:r {W}><w:t xml:space='preserve'>{after}</w:t></w:r>"))
    document.save(tmp_path / "edited.docx")
    edited = extract_plan(read_source(tmp_path / "edited.docx"))
    assert edited.document.symbol == typed.document.symbol == "259/KH-UBND"
    assert sorted(c.key.label for c in edited.citations) == sorted(c.key.label for c in typed.citations)
    assert any(c.key.label.startswith("225/QĐ-TTg") for c in edited.citations)


@pytest.mark.parametrize(("encoding", "font_bytes"), [("tcvn3", tcvn3_bytes), ("vni-windows", vni_bytes)])
@pytest.mark.parametrize("name", ["ha-tinh-2020-tuyen-truyen-cchc.txt", "hai-duong-2020-tuyen-truyen-cchc.txt"])
def test_a_plan_typed_in_a_legacy_font_reads_as_in_unicode(
    tmp_path: Path, name: str, encoding: str, font_bytes
) -> None:
    """Typed in .VnTime (TCVN3) or VNI-Times, a Word file holds the characters the font
    draws ("Uû ban nh©n d©n"), not the Vietnamese letters."""
    (tmp_path / "unicode.docx").write_bytes(docx_document(seed_text(name)))
    # Typed as typists of those fonts wrote: "Uỷ", the old tone placement (TCVN3 has no "Ủ").
    old_style = seed_text(name).replace("Ủy", "Uỷ").replace("ỦY", "UỶ")
    (tmp_path / "font.docx").write_bytes(docx_document(old_style, lambda line: font_characters(font_bytes(line))))
    unicode, font = (read_source(tmp_path / f"{kind}.docx") for kind in ("unicode", "font"))
    stored = "\n".join(p.text for p in Document(tmp_path / "font.docx").paragraphs)
    assert "hoạch" not in stored and "hoạch" in read_docx(tmp_path / "font.docx").text
    assert font.encoding == f"docx in {encoding} fonts" and unicode.encoding == "docx"
    by_unicode, by_font = extract_plan(unicode), extract_plan(font)
    assert replace(by_font.document, evidence={}) == replace(by_unicode.document, evidence={})
    assert sorted(c.key.label for c in by_font.citations) == sorted(c.key.label for c in by_unicode.citations)
    assert sorted(r.agency.canonical for r in by_font.responsibilities) == sorted(
        r.agency.canonical for r in by_unicode.responsibilities
    )


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.txt")))
def test_a_plan_in_unicode_is_never_taken_for_one_in_a_legacy_font(name: str) -> None:
    text = seed_text(name)
    assert font_encoding(text) is None
    # Nor its lines that Windows-1252 can write ("Tôi là …" has no letter beyond it).
    latin = "\n".join(line for line in text.split("\n") if line.isascii() or all(ord(c) < 0x100 for c in line))
    assert font_encoding(latin) is None
    assert font_encoding(font_characters(tcvn3_bytes(text.replace("Ủy", "Uỷ")))) == "tcvn3"
    assert font_encoding(font_characters(vni_bytes(text))) == "vni-windows"


def test_rows_and_cells_inside_content_controls_are_the_tables(tmp_path: Path) -> None:
    """Word's repeating sections wrap a table's rows in content controls, and a form's
    fields wrap cells: they are rows and cells all the same."""
    header = [["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Kinh phí (đồng)"]]
    rows = [
        ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Sở Nội vụ", "10.000.000"],
        ["2", "Số hóa hồ sơ", "Sở Thông tin và Truyền thông", "Công an tỉnh", "20.000.000"],
        ["3", "Tuyên truyền", "Sở Nội vụ", "Báo Hà Tĩnh", "30.000.000"],
    ]
    path = build_docx(tmp_path / "plan.docx", header, rows)
    document = Document(path)
    table = document.tables[0]._tbl
    second, third = table.tr_lst[2], table.tr_lst[3]
    section = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    second.addprevious(section)
    section[1].append(second)
    field = parse_xml(f"<w:sdt {W}><w:sdtPr/><w:sdtContent/></w:sdt>")
    lead = third.tc_lst[2]
    lead.addprevious(field)
    field[1].append(lead)
    document.save(path)
    (found,) = read_docx(path).task_tables()
    assert [(r.row, r.task.text, r.lead.text if r.lead else None) for r in found.rows] == [
        (1, "Rà soát thủ tục hành chính", "Sở Tư pháp"),
        (2, "Số hóa hồ sơ", "Sở Thông tin và Truyền thông"),
        (3, "Tuyên truyền", "Sở Nội vụ"),
    ]
    assert [r.budget_vnd for r in found.rows] == [10_000_000, 20_000_000, 30_000_000]


@pytest.mark.parametrize(("content_type", "suffix"), [("text/html", "html"), ("message/rfc822", "mht")])
def test_a_chunk_of_a_web_page_the_body_takes_in_is_read(tmp_path: Path, content_type: str, suffix: str) -> None:
    """Systems that export Word files from web pages put the page in the document as an
    alternative format chunk (``w:altChunk``), which Word shows in its place."""
    page = html_page(seed_text(HA_TINH))
    chunk = page.encode("utf-8") if suffix == "html" else web_archive(page)
    document = Document()
    document.add_paragraph("Trước")
    part = Part(PackURI(f"/word/chunk.{suffix}"), content_type, chunk, document.part.package)
    r_id = document.part.relate_to(part, RT.A_F_CHUNK)
    document.element.body.sectPr.addprevious(parse_xml(f'<w:altChunk {nsdecls("w", "r")} r:id="{r_id}"/>'))
    document.add_paragraph("Sau")
    document.save(tmp_path / "plan.docx")
    (tmp_path / "plan.html").write_text(page, encoding="utf-8")
    word, web = (extract_plan(read_source(tmp_path / name)) for name in ("plan.docx", "plan.html"))
    assert sorted(c.key.label for c in word.citations) == sorted(c.key.label for c in web.citations)
    assert [(t.row, t.task, t.budget_vnd) for t in word.tasks] == [(t.row, t.task, t.budget_vnd) for t in web.tasks]
    text = read_docx(tmp_path / "plan.docx").text
    assert text.startswith("Trước\n") and text.endswith("Sau\n")
