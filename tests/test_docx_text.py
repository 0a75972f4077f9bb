"""Text Word shows outside a paragraph's plain runs: tracked insertions, content controls,
smart tags, fields and text boxes, read; deleted text, field codes and a text box's
fallback copy, not."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from demo_corpus import PLANS
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from plan_formats import docx_document, font_characters, seed_text, tcvn3_bytes, vni_bytes

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
