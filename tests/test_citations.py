"""Citation extraction on sentences written from the grammar of official documents
(Nghị định 30/2020/NĐ-CP), not copied from the seed plans."""

from __future__ import annotations

import unicodedata
from datetime import date
from pathlib import Path

import pytest

from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.symbols import parse_symbol
from ccbc_graph.model import PlanExtraction
from ccbc_graph.reading import SourceDocument
from ccbc_graph.textnorm import clean

HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH NGHỆ AN\n\nSố: 12/KH-UBND\tNghệ An, ngày 10 tháng 3 năm 2021\n\n"
    "KẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
)


def run(body: str, header: str = HEADER) -> PlanExtraction:
    text = header + body
    return extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text)))


def by_symbol(extraction: PlanExtraction) -> dict[str, object]:
    return {c.symbol: c for c in extraction.citations}


def relations_of(extraction: PlanExtraction) -> dict[str, str]:
    return {c.symbol: c.relation for c in extraction.citations}


def amendments_with_kind(extraction: PlanExtraction) -> list[tuple[str, str | None, str]]:
    """(amending, amended, kind) by key label, in the order found."""
    return [(a.amending.label, a.amended.label if a.amended else None, a.kind) for a in extraction.amendments]


def amendment_list(extraction: PlanExtraction) -> list[tuple[str, str | None]]:
    """(amending, amended) by key label, in the order found; amended None when unknown."""
    return [(amending, amended) for amending, amended, _ in amendments_with_kind(extraction)]


def amendment_pairs(extraction: PlanExtraction) -> set[tuple[str, str | None]]:
    return set(amendment_list(extraction))


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("164/KH-UBND", "164/KH-UBND"),
        ("1216/QĐ-BTTTT", "1216/QĐ-BTTTT"),
        ("61/2018/NĐ-CP", "61/2018/NĐ-CP"),
        ("22/2016/NQ-HĐND", "22/2016/NQ-HĐND"),
        ("80/2015/QH13", "80/2015/QH13"),
        ("76/2025/UBTVQH15", "76/2025/UBTVQH15"),
        ("18-NQ/TW", "18-NQ/TW"),
        ("36-HD/VPTW", "36-HD/VPTW"),
        ("2180/SGD&ĐT-KTKĐCLGD", "2180/SGD&ĐT-KTKĐCLGD"),
        ("259 /KH-UBND", "259/KH-UBND"),
        ("76/ NQ-CP", "76/NQ-CP"),
        ("03/2017/TTLT-BNV-BTC", "03/2017/TTLT-BNV-BTC"),
        # Copies stripped of accents write "D" for "Đ": the one known code it can be.
        ("61/2018/ND-CP", "61/2018/NĐ-CP"),
        ("1085/QD-TTg", "1085/QĐ-TTg"),
        ("08/NQ-HDND", "08/NQ-HĐND"),
        ("15-QD/TW", "15-QĐ/TW"),
        ("12/QD-BKHDT", "12/QĐ-BKHĐT"),
        # Known as written: Hướng dẫn, Dự án; a drafting unit's code is left alone.
        ("12/HD-UBND", "12/HD-UBND"),
        ("3/DA-UBND", "3/DA-UBND"),
        ("2180/SGD&ĐT-KTKDCLGD", "2180/SGD&ĐT-KTKDCLGD"),
        # The hyphen left out between a known type and a known issuer; an issuer's own
        # code ("VPCP", "TTCP": a letter) is not parted.
        ("45/2020/NĐCP", "45/2020/NĐ-CP"),
        ("225/QĐTTg", "225/QĐ-TTg"),
        ("225/QDTTg", "225/QĐ-TTg"),
        ("5/VPCP", "5/VPCP"),
        ("6/TTCP", "6/TTCP"),
    ],
)
def test_symbol_shapes(written: str, expected: str) -> None:
    symbol = parse_symbol(written)
    assert symbol is not None
    assert symbol.text == expected


@pytest.mark.parametrize(
    ("written", "national"),
    [
        ("120-KH/TWĐTN-BTG", True),
        ("45-HD/HNDTW", True),
        ("36-HD/VPTW", True),
        ("12-KH/TU", False),
        ("5/KH-UBND", False),
    ],
)
def test_a_code_with_tw_at_either_end_is_central(written: str, national: bool) -> None:
    symbol = parse_symbol(written)
    assert symbol is not None and symbol.national is national


@pytest.mark.parametrize("not_a_symbol", ["7/3/2019", "6/2020", "01 số/3 tháng", "Số: 154", "15/12", "PT-TH"])
def test_dates_and_ratios_are_not_symbols(not_a_symbol: str) -> None:
    assert parse_symbol(not_a_symbol) is None


def test_symbol_types_and_issuer_levels() -> None:
    law = parse_symbol("80/2015/QH13")
    assert law and law.national and law.type_abbr is None
    local = parse_symbol("164/KH-UBND")
    assert local and not local.national and local.type_abbr == "KH"
    letter = parse_symbol("2180/SGD&ĐT-KTKĐCLGD")
    assert letter and letter.type_abbr is None and not letter.national


def test_a_ministrys_consolidated_text_is_national_not_a_local_letter() -> None:
    consolidated = parse_symbol("12/VBHN-BNV")
    assert consolidated and consolidated.type_abbr == "VBHN" and consolidated.national
    c = by_symbol(run("Căn cứ Văn bản hợp nhất số 12/VBHN-BNV ngày 10/5/2020 của Bộ Nội vụ;\n"))["12/VBHN-BNV"]
    assert (c.doc_type, c.issuer, c.issuer_province) == ("Văn bản hợp nhất", "Bộ Nội vụ", None)


def test_a_code_the_reference_does_not_know_takes_its_level_from_the_issuer_phrase() -> None:
    """A ministry's own code ("QĐ-BYTE" here is made up) with "của Bộ …" is national: one
    node for every province's plan; with "của UBND tỉnh" it is the province's."""
    x = run(
        "Căn cứ Quyết định số 1999/QĐ-BYTE ngày 30/12/2021 của Bộ Y tế về cải cách hành chính;\n"
        "Thực hiện Kế hoạch số 77/KH-XYZ ngày 03/01/2022 của UBND tỉnh;\n"
        "Căn cứ Quyết định số 2000/QĐ-LĐTBXH ngày 30/12/2021 về cải cách hành chính năm 2022;\n"
    )
    c = by_symbol(x)
    assert (c["1999/QĐ-BYTE"].issuer, c["1999/QĐ-BYTE"].issuer_province) == ("Bộ Y tế", None)
    assert c["77/KH-XYZ"].issuer_province == "Nghệ An"
    assert (c["2000/QĐ-LĐTBXH"].issuer, c["2000/QĐ-LĐTBXH"].issuer_province) == (
        "Bộ Lao động - Thương binh và Xã hội",
        None,
    )


def test_date_forms_and_issuer_phrases() -> None:
    x = run(
        "Căn cứ Nghị định 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ;\n"
        "Căn cứ Quyết định số 468/QĐ-TTg ngày 27 tháng 3 năm 2021 của Thủ tướng Chính phủ;\n"
        "Thực hiện Công văn số 1234/BNV-CCHC ngày 5/3/2021 của Bộ Nội vụ;\n"
        "Thực hiện Kế hoạch số 300/KH-UBND ngày 30-12-2020 của UBND tỉnh;\n"
    )
    c = by_symbol(x)
    assert c["45/2020/NĐ-CP"].date == date(2020, 4, 8) and c["45/2020/NĐ-CP"].relation == "basis"
    assert c["468/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    assert c["1234/BNV-CCHC"].doc_type == "Công văn" and c["1234/BNV-CCHC"].issuer == "Bộ Nội vụ"
    assert c["1234/BNV-CCHC"].relation == "implements"
    local = c["300/KH-UBND"]
    assert local.issuer == "Ủy ban nhân dân tỉnh Nghệ An" and local.issuer_province == "Nghệ An"
    assert local.date == date(2020, 12, 30)


def test_an_issuer_the_bodies_lexicon_knows() -> None:
    x = run(
        "Thực hiện Kế hoạch số 11/KH-VP ngày 02/01/2022 của Văn phòng UBND tỉnh về kiểm soát TTHC;\n"
        # A national body's code, written by its provincial office: the province's document.
        "Căn cứ Kế hoạch số 35/KH-BHXH ngày 05/01/2023 của BHXH tỉnh về công tác năm 2023;\n"
        "Căn cứ Kế hoạch số 86/KH-BHXH ngày 10/01/2023 của Bảo hiểm xã hội Việt Nam;\n"
    )
    c = by_symbol(x)
    assert (c["11/KH-VP"].issuer, c["11/KH-VP"].key.province) == ("Văn phòng Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An")
    assert (c["35/KH-BHXH"].issuer, c["35/KH-BHXH"].key.province) == ("Bảo hiểm xã hội tỉnh Nghệ An", "Nghệ An")
    assert (c["86/KH-BHXH"].issuer, c["86/KH-BHXH"].key.province) == ("Bảo hiểm xã hội Việt Nam", None)
    assert "ngày 05/01/2023 của BHXH tỉnh" in c["35/KH-BHXH"].mentions[0].evidence.text


def test_an_issuer_province_with_a_hyphen_in_its_name() -> None:
    x = run("Thực hiện Kế hoạch số 360/KH-UBND ngày 10/12/2023 của UBND tỉnh Bà Rịa-Vũng Tàu về cải cách hành chính;\n")
    cited = by_symbol(x)["360/KH-UBND"]
    assert cited.issuer == "Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu"
    assert cited.issuer_province == "Bà Rịa - Vũng Tàu"


@pytest.mark.parametrize(
    ("issuer", "name", "province", "unit"),
    [
        # A city inside a province: its body is named as the body lists name it, and its
        # document is not the province's of the same number and year.
        ("UBND thành phố Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh", "Hà Tĩnh", "thành phố Hà Tĩnh"),
        ("UBND TP Hà Tĩnh", "Ủy ban nhân dân thành phố Hà Tĩnh, tỉnh Hà Tĩnh", "Hà Tĩnh", "thành phố Hà Tĩnh"),
        ("UBND huyện Diễn Châu", "Ủy ban nhân dân huyện Diễn Châu, tỉnh Nghệ An", "Nghệ An", "huyện Diễn Châu"),
        # A city that is a province.
        ("UBND thành phố Hải Phòng", "Ủy ban nhân dân thành phố Hải Phòng", "Hải Phòng", None),
        ("UBND tỉnh Hà Tĩnh", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh", None),
    ],
)
def test_a_city_named_like_its_province_is_not_the_province(
    issuer: str, name: str, province: str, unit: str | None
) -> None:
    x = run(f"Thực hiện Kế hoạch số 36/KH-UBND ngày 10/12/2023 của {issuer} về cải cách hành chính;\n")
    cited = by_symbol(x)["36/KH-UBND"]
    assert (cited.issuer, cited.issuer_province, cited.key.unit) == (name, province, unit)


PROVINCIAL_CITY_HEADER = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ TĨNH\n\nSố: 30/KH-UBND\tHà Tĩnh, ngày 10 tháng 02 năm 2023\n\n"
    "KẾ HOẠCH\nCải cách hành chính năm 2023\n\n"
)


def test_a_body_named_by_its_level_word_alone_is_the_lower_units_own() -> None:
    x = run(
        "Thực hiện Quyết định số 512/QĐ-UBND ngày 05/01/2023 do Chủ tịch UBND thành phố ban hành;\n"
        "Thực hiện Kế hoạch số 20/KH-UBND ngày 05/01/2023 của UBND thành phố;\n"
        "Thực hiện Kế hoạch số 21/KH-UBND ngày 05/01/2023 của UBND tỉnh;\n",
        header=PROVINCIAL_CITY_HEADER,
    )
    c = by_symbol(x)
    city = "thành phố Hà Tĩnh, tỉnh Hà Tĩnh"
    assert [(c[s].issuer, c[s].key.unit) for s in ("512/QĐ-UBND", "20/KH-UBND", "21/KH-UBND")] == [
        (f"Chủ tịch Ủy ban nhân dân {city}", "thành phố Hà Tĩnh"),
        (f"Ủy ban nhân dân {city}", "thành phố Hà Tĩnh"),
        ("Ủy ban nhân dân tỉnh Hà Tĩnh", None),
    ]


def test_header_number_is_not_a_citation_and_gives_metadata() -> None:
    x = run("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n")
    assert "12/KH-UBND" not in by_symbol(x)
    assert x.document.symbol == "12/KH-UBND"
    assert x.document.date == date(2021, 3, 10)
    assert x.document.province == "Nghệ An"
    assert x.document.issuer == "Ủy ban nhân dân tỉnh Nghệ An"
    assert x.document.title == "Cải cách hành chính năm 2021"


def test_symbol_wins_over_type_word() -> None:
    x = run("Theo Nghị định số 17/NQ-CP ngày 07/3/2019 của Chính phủ.\n")
    citation = by_symbol(x)["17/NQ-CP"]
    assert citation.doc_type == "Nghị quyết"
    assert citation.note and "Nghị định" in citation.note


def test_same_symbol_two_years_are_two_documents() -> None:
    x = run(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 13/6/2013 của Chính phủ;\n"
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n"
    )
    assert sorted(c.key.label for c in x.citations) == ["76/NQ-CP@2013", "76/NQ-CP@2021"]


def test_wrong_day_in_text_keeps_the_registry_date() -> None:
    x = run("- Triển khai Nghị quyết số 17/NQ-CP ngày 17/3/2019 của Chính phủ.\n")
    citation = by_symbol(x)["17/NQ-CP"]
    assert citation.date == date(2019, 3, 7)
    assert citation.date_as_written == date(2019, 3, 17)


def test_undated_reference_resolves_to_the_single_known_document_or_stays_unresolved() -> None:
    x = run("Tiếp tục tuyên truyền Quyết định số 225/QĐ-TTg và Nghị quyết số 76/NQ-CP; Quyết định số 999/QĐ-TTg.\n")
    c = by_symbol(x)
    assert c["225/QĐ-TTg"].resolved and c["225/QĐ-TTg"].date == date(2016, 2, 4)
    # Two known 76/NQ-CP exist; the plan of March 2021 can only mean the one of 2013.
    assert c["76/NQ-CP"].key.year == 2013
    assert not c["999/QĐ-TTg"].resolved and c["999/QĐ-TTg"].key.year is None


LATER_HEADER = HEADER.replace("năm 2021\n\nKẾ", "năm 2023\n\nKẾ")


def test_a_mistyped_year_gives_way_to_the_known_document_whose_title_the_clause_writes() -> None:
    c = {
        c.key.label: c
        for c in (
            run(
                "Thực hiện Quyết định số 468/QĐ-TTg ngày 27/3/2020 của Thủ tướng Chính phủ phê duyệt Đề án đổi mới "
                "việc thực hiện cơ chế một cửa, một cửa liên thông trong giải quyết thủ tục hành chính;\n"
                # Without its title, another year is another document.
                "- Quyết định số 468/QĐ-TTg ngày 05/6/2019 của Thủ tướng Chính phủ;\n",
                LATER_HEADER,
            ).citations
        )
    }
    known = c["468/QĐ-TTg@2021"]
    assert known.resolved and (known.date, known.date_as_written) == (date(2021, 3, 27), date(2020, 3, 27))
    assert c["468/QĐ-TTg@2019"].date == date(2019, 6, 5)


@pytest.mark.parametrize(
    ("clause", "year"),
    [
        # The title of the registry's document written out around the symbol names it.
        (
            "Căn cứ Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 ban hành "
            "kèm theo Nghị quyết số 76/NQ-CP của Chính phủ;\n",
            2021,
        ),
        (
            "Căn cứ Nghị quyết số 76/NQ-CP của Chính phủ về việc sửa đổi, bổ sung một số điều của Nghị quyết "
            "số 30c/NQ-CP ngày 08 tháng 11 năm 2011 của Chính phủ;\n",
            2013,
        ),
        # Both were issued before a plan of 2023, and nothing tells which is meant.
        ("Căn cứ Nghị quyết số 76/NQ-CP của Chính phủ;\n", None),
    ],
)
def test_an_undated_symbol_of_several_known_documents_is_the_one_whose_title_its_clause_writes(
    clause: str, year: int | None
) -> None:
    (citation,) = [c for c in run(clause, LATER_HEADER).citations if c.symbol == "76/NQ-CP"]
    assert citation.key.year == year and citation.resolved == (year is not None)


def test_an_undated_mention_that_writes_a_title_out_is_that_document_whatever_another_mention_is() -> None:
    x = run(
        "Thực hiện Nghị quyết số 76/NQ-CP của Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà "
        "nước giai đoạn 2021 - 2030;\nKế thừa kết quả thực hiện Nghị quyết 76/NQ-CP năm 2013 của Chính phủ.\n",
        LATER_HEADER,
    )
    assert sorted((c.key.year, c.relation) for c in x.citations if c.symbol == "76/NQ-CP") == [
        (2013, "references"),
        (2021, "implements"),
    ]


def test_the_documents_a_document_replaces_are_listed_each_with_its_description() -> None:
    x = run(
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;\n"
        "Nghị định số 30/2020/NĐ-CP thay thế Nghị định số 110/2004/NĐ-CP ngày 08/4/2004 của Chính phủ về công tác "
        "văn thư và Nghị định số 09/2010/NĐ-CP ngày 08/02/2010 của Chính phủ;\n"
        # After "sửa đổi, bổ sung", a document after the amended one's description is the next basis.
        "Căn cứ Nghị định số 107/2021/NĐ-CP sửa đổi, bổ sung Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính "
        "phủ về thực hiện cơ chế một cửa và Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ.\n",
        LATER_HEADER,
    )
    assert amendments_with_kind(x) == [
        ("30/2020/NĐ-CP", "110/2004/NĐ-CP", "repeals"),
        ("30/2020/NĐ-CP", "09/2010/NĐ-CP", "repeals"),
        ("107/2021/NĐ-CP", "61/2018/NĐ-CP", "amends"),
    ]
    assert relations_of(x)["09/2010/NĐ-CP"] == "references"
    assert relations_of(x)["45/2020/NĐ-CP"] == "basis"


def test_an_aside_after_a_documents_description_says_what_it_replaces_and_that_is_no_basis() -> None:
    x = run(
        "Căn cứ Nghị định số 118/2025/NĐ-CP ngày 09 tháng 6 năm 2025 của Chính phủ về thực hiện thủ tục hành "
        "chính theo cơ chế một cửa, một cửa liên thông (thay thế Nghị định số 61/2018/NĐ-CP và Nghị định số "
        "107/2021/NĐ-CP);\n"
        # An amended document stays a basis: it is in force, as amended.
        "Căn cứ Nghị định số 42/2022/NĐ-CP của Chính phủ sửa đổi, bổ sung Nghị định số 43/2011/NĐ-CP;\n"
        "Thực hiện Nghị định số 100/2020/NĐ-CP của Chính phủ về thủ tục (thay thế Nghị định số 50/2015/NĐ-CP).\n",
        LATER_HEADER,
    )
    assert amendments_with_kind(x) == [
        ("118/2025/NĐ-CP", "61/2018/NĐ-CP", "repeals"),
        ("118/2025/NĐ-CP", "107/2021/NĐ-CP", "repeals"),
        ("42/2022/NĐ-CP", "43/2011/NĐ-CP", "amends"),
        ("100/2020/NĐ-CP", "50/2015/NĐ-CP", "repeals"),
    ]
    assert relations_of(x) == {
        "118/2025/NĐ-CP": "basis",
        "61/2018/NĐ-CP": "references",
        "107/2021/NĐ-CP": "references",
        "42/2022/NĐ-CP": "basis",
        "43/2011/NĐ-CP": "basis",
        "100/2020/NĐ-CP": "implements",
        "50/2015/NĐ-CP": "references",
    }


def test_undated_mention_joins_a_dated_mention_of_the_same_symbol() -> None:
    x = run(
        "Căn cứ Quyết định số 1234/QĐ-UBND ngày 2/2/2020 của UBND tỉnh;\n- Tuyên truyền Quyết định số 1234/QĐ-UBND.\n"
    )
    assert len(x.citations) == 1
    assert len(x.citations[0].mentions) == 2
    assert x.citations[0].relation == "basis"


def test_amendment_between_cited_documents() -> None:
    x = run(
        "Căn cứ Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ sửa đổi, bổ sung một số điều của "
        "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n"
        "- Quyết định số 609/QĐ-TTg ngày 4/5/2017 về sửa đổi, bổ sung Quyết định số 225/QĐ-TTg.\n"
        "- Nghị định số 92/2017/NĐ-CP của Chính phủ sửa đổi, bổ sung một số điều của các nghị định liên quan và "
        "Quyết định số 574/QĐ-TTg ngày 25/4/2017.\n"
    )
    pairs = amendment_pairs(x)
    assert pairs == {
        ("107/2021/NĐ-CP", "61/2018/NĐ-CP"),
        ("609/QĐ-TTg@2017", "225/QĐ-TTg@2016"),
        ("92/2017/NĐ-CP", None),
    }
    # Both cited in a "Căn cứ" paragraph: the plan's relation stays basis.
    assert by_symbol(x)["61/2018/NĐ-CP"].relation == "basis"


def test_amendment_stated_in_the_passive_or_in_brackets() -> None:
    x = run(
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ về thực hiện cơ chế một cửa, "
        "được sửa đổi, bổ sung bởi Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ;\n"
        "Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ (đã được sửa đổi, bổ sung tại "
        "Nghị định số 48/2013/NĐ-CP ngày 14/5/2013 và Nghị định số 92/2017/NĐ-CP ngày 07/8/2017);\n"
        "Căn cứ Nghị định số 42/2022/NĐ-CP ngày 24/6/2022 của Chính phủ (thay thế Nghị định số "
        "43/2011/NĐ-CP ngày 13/6/2011);\n"
        # Another document after a passive verb with no document of its own is not its amendment.
        "Căn cứ Quyết định số 1/QĐ-UBND ngày 2/1/2021 của UBND tỉnh được sửa đổi năm 2022; "
        "Quyết định số 2/QĐ-UBND ngày 3/1/2021 của UBND tỉnh.\n"
        # The list of amending documents ends where other words come.
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ, được sửa đổi bởi Nghị định số "
        "31/2021/NĐ-CP ngày 1/3/2021 và hướng dẫn tại Thông tư số 01/2011/TT-BNV ngày 19/01/2011.\n"
    )
    statements = {(a.amending.label, a.amended.label if a.amended else None, a.kind) for a in x.amendments}
    assert statements == {
        ("107/2021/NĐ-CP", "61/2018/NĐ-CP", "amends"),
        ("48/2013/NĐ-CP", "63/2010/NĐ-CP", "amends"),
        ("92/2017/NĐ-CP", "63/2010/NĐ-CP", "amends"),
        ("42/2022/NĐ-CP", "43/2011/NĐ-CP", "repeals"),
        ("31/2021/NĐ-CP", "30/2020/NĐ-CP", "amends"),
    }


def test_a_law_amended_is_named_by_its_title() -> None:
    x = run(
        "Căn cứ Luật số 52/2019/QH14 sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức;\n"
        # The text dates the law it amends: the list knows only the law of 2015.
        "Căn cứ Luật số 63/2020/QH14 sửa đổi, bổ sung một số điều của Luật Ban hành văn bản quy phạm pháp "
        "luật năm 2008;\n"
    )
    pairs = amendment_pairs(x)
    assert pairs == {("52/2019/QH14", "22/2008/QH12"), ("52/2019/QH14", "58/2010/QH12"), ("63/2020/QH14", None)}
    second = next(a for a in x.amendments if a.amended and a.amended.symbol == "58/2010/QH12")
    assert second.evidence.text.endswith("và Luật Viên chức")


def test_an_amending_law_named_without_its_number_amends_the_laws_its_name_names() -> None:
    x = run(
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
        "địa phương ngày 22 tháng 11 năm 2019;\n"
    )
    pairs = amendment_list(x)
    assert pairs == [("47/2019/QH14", "76/2015/QH13"), ("47/2019/QH14", "77/2015/QH13")]
    assert [a.evidence.text.rsplit(" của ", 1)[1] for a in x.amendments] == [
        "Luật Tổ chức Chính phủ",
        "Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương",
    ]


def test_an_amending_law_named_before_its_number_amends_the_laws_its_name_names() -> None:
    x = run(
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức số "
        "52/2019/QH14 ngày 25 tháng 11 năm 2019;\n"
        # Wrapped over a line; the name is another law's, not the one numbered after it.
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức\n"
        "chính quyền địa phương ngày 22/11/2019, Nghị định số 61/2018/NĐ-CP ngày 23/4/2018;\n"
    )
    pairs = amendment_pairs(x)
    assert pairs == {
        ("52/2019/QH14", "22/2008/QH12"),
        ("52/2019/QH14", "58/2010/QH12"),
        ("47/2019/QH14", "76/2015/QH13"),
        ("47/2019/QH14", "77/2015/QH13"),
    }
    first = next(a for a in x.amendments if a.amended and a.amended.symbol == "22/2008/QH12")
    assert first.evidence.text.startswith("Luật sửa đổi, bổ sung") and "52/2019/QH14" in first.evidence.text
    assert "Luật Cán bộ, công chức" not in {u.surface for u in x.unnumbered_citations}


def test_a_joint_document_is_passed_by_every_body_its_code_names() -> None:
    x = run(
        "Căn cứ Thông tư liên tịch số 01/2015/TTLT-BNV-BTC ngày 14/4/2015 của Bộ Tài chính và Bộ Nội vụ;\n"
        # A letter's second part is the unit that drafted it, not a second issuer.
        "Thực hiện Công văn số 1234/BNV-CCHC ngày 10/3/2021 của Bộ Nội vụ;\n"
    )
    joint, letter = by_symbol(x)["01/2015/TTLT-BNV-BTC"], by_symbol(x)["1234/BNV-CCHC"]
    assert (joint.issuer, joint.co_issuers) == ("Bộ Tài chính", ("Bộ Nội vụ",))
    assert (letter.issuer, letter.co_issuers) == ("Bộ Nội vụ", ())


def test_the_plan_itself_repeals_or_amends() -> None:
    x = run(
        "Kế hoạch này thay thế Kế hoạch số 200/KH-UBND ngày 30/12/2020 của UBND tỉnh.\n"
        "Quyết định này sửa đổi, bổ sung Quyết định số 150/QĐ-UBND ngày 1/2/2021 của UBND tỉnh.\n"
    )
    c = by_symbol(x)
    assert c["200/KH-UBND"].relation == "repeals"
    assert c["150/QĐ-UBND"].relation == "amends"
    assert x.amendments == []


def test_the_plan_repeals_or_amends_in_its_own_articles() -> None:
    x = run(
        "Quyết định này có hiệu lực kể từ ngày ký và thay thế Quyết định số 450/QĐ-UBND ngày 20/02/2021 "
        "của UBND tỉnh.\n"
        # An article opening on what it does: its subject is the plan.
        "Điều 2. Bãi bỏ Quyết định số 1234/QĐ-UBND ngày 10/5/2019 của UBND tỉnh về việc thành lập Tổ công tác.\n"
        "Điều 3. Sửa đổi, bổ sung Điều 5 của Quyết định số 20/2021/QĐ-UBND ngày 15/9/2021 của UBND tỉnh.\n"
        # Another body's act, told in a sentence whose subject is not the plan.
        "Năm 2021, UBND tỉnh đã bãi bỏ Quyết định số 300/QĐ-UBND ngày 10/01/2020.\n"
        # The plan is the subject, but the cue does not lead to the document.
        "Kế hoạch này thay thế các nội dung trái với Quyết định số 301/QĐ-UBND ngày 11/01/2020.\n"
        # A task opening on an act's verb is work to do, not the plan's act.
        "1. Bãi bỏ Quyết định số 1235/QĐ-UBND ngày 11/5/2019 của UBND tỉnh sau khi rà soát.\n"
    )
    assert relations_of(x) == {
        "450/QĐ-UBND": "repeals",
        "1234/QĐ-UBND": "repeals",
        "20/2021/QĐ-UBND": "amends",
        "300/QĐ-UBND": "references",
        "301/QĐ-UBND": "references",
        "1235/QĐ-UBND": "references",
    }


def test_the_plans_act_reaches_every_document_it_lists() -> None:
    x = run(
        # Joined by "và" to the first document it acts on.
        "Kế hoạch này thay thế Kế hoạch số 11/KH-UBND ngày 02/01/2022 và Kế hoạch số 13/KH-UBND ngày "
        "03/01/2022 của UBND tỉnh.\n"
        # Listed under an article that opens on the act.
        "Điều 1. Bãi bỏ toàn bộ các văn bản sau đây:\n"
        "1. Kế hoạch số 45/KH-UBND ngày 10/3/2020 của UBND tỉnh;\n"
        "2. Quyết định số 3311/QĐ-UBND ngày 20/10/2019 của UBND tỉnh.\n"
        # An article that ends a document's force.
        "Điều 3. Quyết định số 980/QĐ-UBND ngày 12/5/2020 của UBND tỉnh hết hiệu lực kể từ ngày Quyết định "
        "này có hiệu lực.\n"
        # Not the plan's act: a heading whose subject is not the plan, a document's force told.
        "Các văn bản sau đây hết hiệu lực:\n"
        "- Kế hoạch số 46/KH-UBND ngày 11/3/2020 của UBND tỉnh.\n"
        "Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 hết hiệu lực từ ngày 22/8/2024.\n"
    )
    assert relations_of(x) == {
        "11/KH-UBND": "repeals",
        "13/KH-UBND": "repeals",
        "45/KH-UBND": "repeals",
        "3311/QĐ-UBND": "repeals",
        "980/QĐ-UBND": "repeals",
        "46/KH-UBND": "references",
        "61/2018/NĐ-CP": "references",
    }


def test_an_amendment_reaches_every_document_joined_by_and() -> None:
    x = run(
        "Căn cứ Nghị định số 116/2024/NĐ-CP ngày 17/9/2024 sửa đổi, bổ sung một số điều của Nghị định số "
        "138/2020/NĐ-CP và Nghị định số 06/2023/NĐ-CP;\n"
        # After a comma alone the list goes on with what the plan cites.
        "Thực hiện Nghị định số 107/2021/NĐ-CP sửa đổi Nghị định số 61/2018/NĐ-CP, Quyết định số 468/QĐ-TTg "
        "ngày 27/3/2021 của Thủ tướng Chính phủ.\n"
    )
    pairs = amendment_pairs(x)
    assert pairs == {
        ("116/2024/NĐ-CP", "138/2020/NĐ-CP"),
        ("116/2024/NĐ-CP", "06/2023/NĐ-CP"),
        ("107/2021/NĐ-CP", "61/2018/NĐ-CP"),
    }


def test_annex_heading_names_the_plan_itself() -> None:
    x = run(
        "Thực hiện Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ.\n\nPHỤ LỤC\n"
        "(Ban hành kèm theo Kế hoạch số 12/KH-UBND ngày 10/3/2021 của UBND tỉnh)\n",
        header="KẾ HOẠCH\nTuyên truyền năm 2021\n\n",
    )
    assert x.document.symbol == "12/KH-UBND"
    assert x.document.date == date(2021, 3, 10)
    assert [c.symbol for c in x.citations] == ["225/QĐ-TTg"]
    assert x.not_citations and "annex" in x.not_citations[0].why


def test_blank_number_and_blank_date_of_a_draft() -> None:
    x = run(
        "Nội dung.\n", header="SỞ NỘI VỤ\n\nSố: /KH-SNV\n\nPhú Thọ, ngày tháng năm 2022\n\nKẾ HOẠCH\nTuyên truyền\n\n"
    )
    assert x.document.symbol is None
    assert x.document.symbol_as_written == "/KH-SNV"
    assert x.document.date is None and x.document.year == 2022
    assert x.document.province == "Phú Thọ"
    assert x.document.issuer == "Sở Nội vụ tỉnh Phú Thọ"


def test_a_horizon_in_the_title_is_not_the_plans_year() -> None:
    header = "Số: 5/KH-UBND\n\nLạng Sơn, ngày 30 tháng 12 năm 2021\n\nKẾ HOẠCH\n{}\n\n"
    horizon = run("Nội dung.\n", header=header.format("Đề án 06 giai đoạn 2022 - 2025, tầm nhìn đến năm 2030"))
    assert (horizon.document.year, horizon.document.period) == (2021, (2022, 2025))
    own_year = run("Nội dung.\n", header=header.format("Chuyển đổi số năm 2022, định hướng đến năm 2030"))
    assert own_year.document.year == 2022


def test_a_title_written_as_paragraphs_goes_on_in_lower_case_only() -> None:
    # A Word title of one paragraph per line reaches the text (from Markdown, a web page)
    # with blank lines between: a line going on in lower case is the title's, one opening
    # with a capital ("Căn cứ", "Thực hiện") is the plan's first paragraph.
    header = "Số: 5/KH-UBND\n\nKiên Giang, ngày 30 tháng 12 năm 2019\n\nKẾ HOẠCH\n\n{}\n\n"
    x = run(
        "Căn cứ Quyết định số 1/QĐ-UBND ngày 2/1/2019 của UBND tỉnh;\n",
        header=header.format("Thực hiện công tác thông tin, tuyên truyền\n\nvề cải cách hành chính năm 2020"),
    )
    assert x.document.title == "Thực hiện công tác thông tin, tuyên truyền về cải cách hành chính năm 2020"
    y = run("Thực hiện Quyết định số 1/QĐ-UBND ngày 2/1/2019 của UBND tỉnh;\n", header=header.format("CCHC năm 2020"))
    assert y.document.title == "CCHC năm 2020"


def test_a_ministrys_plan_signed_in_ha_noi_belongs_to_no_province() -> None:
    x = run(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ; các tỉnh Hà Giang, Lào Cai thí điểm.\n"
        "\nKT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\n\n\nVũ Đăng Minh\n",
        header="BỘ NỘI VỤ\n\nSố: 5678/KH-BNV\n\nHà Nội, ngày 20 tháng 12 năm 2022\n\nKẾ HOẠCH\n"
        "Cải cách hành chính năm 2023\n\n",
    )
    assert x.document.issuer == "Bộ Nội vụ"
    assert x.document.province is None
    assert x.document.signer_position == "Thứ trưởng"


def test_a_date_written_once_after_a_list_is_each_members_unless_the_registry_says_otherwise() -> None:
    x = by_symbol(run("Thực hiện các Nghị quyết số 01/NQ-CP và số 02/NQ-CP ngày 06/01/2022 của Chính phủ;\n"))
    assert x["01/NQ-CP"].date == x["02/NQ-CP"].date == date(2022, 1, 6)
    assert x["01/NQ-CP"].issuer == "Chính phủ"
    # The registry knows 225/QĐ-TTg only from 2016: the date after the list is 1847/QĐ-TTg's.
    y = by_symbol(run("Căn cứ Quyết định số 225/QĐ-TTg và số 1847/QĐ-TTg ngày 27/12/2018 của Thủ tướng Chính phủ;\n"))
    assert y["225/QĐ-TTg"].date == date(2016, 2, 4)
    assert y["1847/QĐ-TTg"].date == date(2018, 12, 27)
    # Each member with its own date keeps it.
    z = by_symbol(run("Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 và số 30c/NQ-CP ngày 08/11/2011 của Chính phủ;\n"))
    assert z["76/NQ-CP"].date == date(2021, 7, 15) and z["30c/NQ-CP"].date == date(2011, 11, 8)


def test_unnumbered_references() -> None:
    x = run(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n"
        "Căn cứ Hiến pháp năm 2013;\n"
        "- Quán triệt Nghị quyết Trung ương 4, khóa XII về xây dựng Đảng.\n"
        "- Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 của Chính phủ.\n"
    )
    surfaces = {u.surface: u for u in x.unnumbered_citations}
    law = surfaces["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015"]
    assert law.doc_type == "Luật" and law.relation == "basis"
    assert "Hiến pháp năm 2013" in surfaces
    party = surfaces["Nghị quyết Trung ương 4, khóa XII"]
    assert party.issuer == "Ban Chấp hành Trung ương Đảng"
    programme = next(u for s, u in surfaces.items() if s.startswith("Chương trình tổng thể"))
    # The registry knows the programme as Resolution 76/NQ-CP of 2021.
    assert programme.doc_type == "Nghị quyết" and programme.issuer == "Chính phủ"
    assert programme.relation == "implements"


def test_the_closing_formula_names_the_plan_itself() -> None:
    x = run(
        "Thực hiện Kế hoạch tuyên truyền cải cách hành chính năm 2022 của UBND tỉnh.\n"
        "Trên đây là Kế hoạch cải cách hành chính năm 2022 của UBND tỉnh Nghệ An./.\n"
    )
    assert [u.surface for u in x.unnumbered_citations] == [
        "Kế hoạch tuyên truyền cải cách hành chính năm 2022 của UBND tỉnh"
    ]


def test_unnumbered_references_in_the_shapes_plans_write_them() -> None:
    x = run(
        # A law after "và" a numbered reference is the next member of the list.
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ và Luật Tổ chức chính quyền địa "
        "phương ngày 19/6/2015;\n"
        # A name followed by its number in brackets is that numbered document only.
        "Thực hiện Nghị quyết của Hội đồng nhân dân tỉnh (số 20/2021/NQ-HĐND ngày 10/12/2021) về cải cách "
        "hành chính; Đề án 06 của Chính phủ (Quyết định số 06/QĐ-TTg ngày 06/01/2022);\n"
        # A term without a comma; a local party congress, whose issuer the name does not say whole.
        "Thực hiện Nghị quyết Trung ương 4 khóa XIII và Nghị quyết Đại hội Đảng bộ thị xã lần thứ IV, "
        "nhiệm kỳ 2020 - 2025;\n"
        "Căn cứ Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn năm 2007;\n"
        # A law's name wrapped onto the next line of a hard-wrapped paragraph.
        "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và\n"
        "Luật Viên chức số 52/2019/QH14 ngày 25/11/2019 của Quốc hội;\n"
    )
    assert {(u.surface, u.issuer) for u in x.unnumbered_citations} == {
        ("Luật Tổ chức chính quyền địa phương ngày 19/6/2015", "Quốc hội"),
        ("Nghị quyết Trung ương 4 khóa XIII", "Ban Chấp hành Trung ương Đảng"),
        ("Nghị quyết Đại hội Đảng bộ thị xã lần thứ IV, nhiệm kỳ 2020 - 2025", None),
        ("Pháp lệnh Thực hiện dân chủ ở xã, phường, thị trấn năm 2007", "Ủy ban Thường vụ Quốc hội"),
    }
    assert set(by_symbol(x)) == {"61/2018/NĐ-CP", "20/2021/NQ-HĐND", "06/QĐ-TTg", "52/2019/QH14"}


@pytest.mark.parametrize(
    ("sentence", "surfaces"),
    [
        # Two laws joined by "và", each with a date written with slashes.
        (
            "Căn cứ Luật Tổ chức Chính phủ ngày 19/6/2015 và Luật Tổ chức chính quyền địa phương ngày 19/6/2015;",
            ["Luật Tổ chức Chính phủ ngày 19/6/2015", "Luật Tổ chức chính quyền địa phương ngày 19/6/2015"],
        ),
        # An amending law is one document, named by the laws it amends.
        (
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
            "địa phương ngày 22 tháng 11 năm 2019;",
            [
                "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa "
                "phương ngày 22 tháng 11 năm 2019"
            ],
        ),
        (
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở và Luật Các tổ chức tín dụng "
            "ngày 29/6/2024; Luật Ban hành văn bản quy phạm pháp luật năm 2015;",
            [
                "Luật sửa đổi, bổ sung một số điều của Luật Đất đai, Luật Nhà ở và Luật Các tổ chức tín dụng "
                "ngày 29/6/2024",
                "Luật Ban hành văn bản quy phạm pháp luật năm 2015",
            ],
        ),
        # A comma before lower-case words is inside a law's name; before another law it ends it.
        (
            "Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008, Luật Phòng, chống tham nhũng ngày "
            "20/11/2018 và Luật Khoa học và Công nghệ năm 2013;",
            [
                "Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008",
                "Luật Phòng, chống tham nhũng ngày 20/11/2018",
                "Luật Khoa học và Công nghệ năm 2013",
            ],
        ),
    ],
)
def test_laws_cited_by_name_end_at_their_date_or_the_next_law(sentence: str, surfaces: list[str]) -> None:
    x = run(sentence + "\n")
    assert [u.surface for u in x.unnumbered_citations] == surfaces
    assert all(u.doc_type == "Luật" and u.relation == "basis" for u in x.unnumbered_citations)


def test_a_name_in_a_table_cell_ends_with_its_cell() -> None:
    x = run("1\tSố hóa hồ sơ theo Đề án 06\tTrung tâm Trợ giúp pháp lý nhà nước tỉnh\tCông an tỉnh\tCả năm\n")
    assert [u.surface for u in x.unnumbered_citations] == ["Đề án 06"]


@pytest.mark.parametrize(
    "written",
    [
        "Hiến pháp năm 2013",
        "Hiến pháp nước Cộng hoà xã hội chủ nghĩa Việt Nam năm 2013",
        "Hiến pháp nước CHXHCN Việt Nam năm 2013",
    ],
)
def test_the_constitution_by_its_full_or_short_name_is_one_document(written: str) -> None:
    x = run(f"Căn cứ {written};\n")
    [constitution] = x.unnumbered_citations
    assert (constitution.surface, constitution.name, constitution.year) == (written, "Hiến pháp", 2013)
    assert (constitution.doc_type, constitution.relation) == ("Hiến pháp", "basis")


@pytest.mark.parametrize(
    ("sentence", "year", "resolved_to"),
    [
        # A law's name is its whole title in the reference list, however its date is written.
        ("Căn cứ Luật Viên chức năm 2010;", 2010, "58/2010/QH12"),
        ("Căn cứ Luật Viên chức ngày 15 tháng 11 năm 2010;", 2010, "58/2010/QH12"),
        ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật ngày 22/6/2015;", 2015, "80/2015/QH13"),
        # Without a date, the one law of that name the list knows.
        ("Căn cứ Luật Cán bộ, công chức;", 2008, "22/2008/QH12"),
        # Another year is another law: the list knows only the law of 2015.
        ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật năm 2008;", 2008, None),
        # Part of a law's name is not the law, nor is a law part of the name of its amending law.
        ("Căn cứ Luật Tổ chức năm 2015;", 2015, None),
        ("Căn cứ Luật Tổ chức chính quyền địa phương năm 2019;", 2019, None),
        (
            "Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền "
            "địa phương ngày 22 tháng 11 năm 2019;",
            2019,
            "47/2019/QH14",
        ),
        # A programme is named by part of its resolution's title.
        (
            "Thực hiện Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 của Chính phủ;",
            2021,
            "76/NQ-CP@2021",
        ),
    ],
)
def test_a_document_named_without_its_number_is_resolved_by_name_and_year(
    sentence: str, year: int, resolved_to: str | None
) -> None:
    [named] = run(sentence + "\n").unnumbered_citations
    assert named.year == year
    assert (named.resolved_to.label if named.resolved_to else None) == resolved_to


def test_an_issue_year_written_without_the_date_dates_the_reference() -> None:
    x = run(
        "Căn cứ Nghị quyết 76/NQ-CP năm 2021 của Chính phủ;\n"
        "Thực hiện Kế hoạch số 45/KH-UBND, năm 2020 của UBND tỉnh và các Quyết định số 31/QĐ-UBND, "
        "số 32/QĐ-UBND năm 2019.\n"
    )
    c = by_symbol(x)
    # The registry gives the resolution of 2021 its date; the local ones keep the year alone.
    assert (c["76/NQ-CP"].key.label, c["76/NQ-CP"].date) == ("76/NQ-CP@2021", date(2021, 7, 15))
    assert [c[s].key.label for s in ("45/KH-UBND", "31/QĐ-UBND", "32/QĐ-UBND")] == [
        "45/KH-UBND@2020",
        "31/QĐ-UBND@2019",
        "32/QĐ-UBND@2019",
    ]
    assert c["45/KH-UBND"].mentions[0].evidence.text == "Kế hoạch số 45/KH-UBND, năm 2020 của UBND tỉnh"


def test_a_month_and_year_date_the_reference_and_a_bracketed_date_is_its_date() -> None:
    x = run(
        "Căn cứ Kế hoạch số 112/KH-UBND tháng 3/2022 của UBND tỉnh về CCHC năm 2022;\n"
        "Thực hiện Kế hoạch số 15/KH-UBND tháng 01 năm 2021 của UBND tỉnh;\n"
        "Thực hiện các tiêu chí tại Thông tư số 01/2023/TT-VPCP (ban hành ngày 05/4/2023) của Văn phòng Chính phủ.\n"
        # The issuer after the bracket, one the bodies' lexicon reads.
        "Thực hiện Kế hoạch số 40/KH-VP (ban hành ngày 05/4/2023) của Văn phòng UBND tỉnh.\n"
    )
    c = by_symbol(x)
    assert [(c[s].key.label, c[s].date) for s in ("112/KH-UBND", "15/KH-UBND")] == [
        ("112/KH-UBND@2022", None),
        ("15/KH-UBND@2021", None),
    ]
    assert c["112/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh Nghệ An"
    circular = c["01/2023/TT-VPCP"]
    assert (circular.date, circular.issuer) == (date(2023, 4, 5), "Văn phòng Chính phủ")
    assert circular.mentions[0].evidence.text.endswith("(ban hành ngày 05/4/2023) của Văn phòng Chính phủ")
    assert (c["40/KH-VP"].date, c["40/KH-VP"].issuer) == (date(2023, 4, 5), "Văn phòng Ủy ban nhân dân tỉnh Nghệ An")


def test_the_issuer_as_the_subject_of_ban_hanh_after_the_reference() -> None:
    x = run(
        "Thực hiện Kế hoạch số 12/KH-BCĐ do Ban Chỉ đạo cải cách hành chính tỉnh ban hành ngày 05/01/2023;\n"
        "Căn cứ Quyết định số 1847/QĐ-TTg ngày 27/12/2018 do Thủ tướng Chính phủ ban hành;\n"
        # "do" naming who leads the work is no issuer.
        "Triển khai Kế hoạch số 40/KH-UBND do Sở Nội vụ chủ trì thực hiện;\n"
    )
    c = by_symbol(x)
    assert (c["12/KH-BCĐ"].date, c["12/KH-BCĐ"].issuer) == (
        date(2023, 1, 5),
        "Ban Chỉ đạo cải cách hành chính tỉnh Nghệ An",
    )
    assert c["1847/QĐ-TTg"].issuer == "Thủ tướng Chính phủ"
    assert c["1847/QĐ-TTg"].mentions[0].evidence.text.endswith("do Thủ tướng Chính phủ")
    assert c["40/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh Nghệ An"


def test_one_law_however_its_date_is_written_and_two_laws_of_one_name() -> None:
    x = run(
        "Căn cứ Luật Thanh niên ngày 16 tháng 6 năm 2020;\n"
        "- Triển khai Luật Thanh niên năm 2020 và Luật Thanh niên năm 2005.\n"
    )
    laws = sorted((u.name, u.year, u.relation) for u in x.unnumbered_citations)
    assert laws == [("Luật Thanh niên", 2005, "implements"), ("Luật Thanh niên", 2020, "basis")]


def test_description_of_a_numbered_document_is_not_another_citation() -> None:
    x = run(
        "Thực hiện Quyết định số 3490/QĐ-BNV ngày 10/10/2016 của Bộ Nội vụ về việc phê duyệt Đề án "
        "“Tăng cường công tác thông tin tuyên truyền cải cách hành chính giai đoạn 2016 - 2020”.\n"
        "- Kế hoạch thông tin (ban hành kèm theo Quyết định số 1216/QĐ-BTTTT ngày 13/8/2021 của Bộ Thông tin "
        "và Truyền thông).\n"
    )
    assert x.unnumbered_citations == []
    assert {c.symbol for c in x.citations} == {"3490/QĐ-BNV", "1216/QĐ-BTTTT"}


def test_a_d_written_with_its_look_alike_eth_is_a_d() -> None:
    body = (
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n"
        "Căn cứ Nghị quyết số 22/2016/NQ-HĐND ngày 9/12/2016 của HĐND tỉnh;\n"
    )
    with_eth = body.replace("Đ", "\u00d0")
    expected = [(c.symbol, c.date, c.issuer, c.relation) for c in run(body).citations]
    x = run(with_eth)
    assert [(c.symbol, c.date, c.issuer, c.relation) for c in x.citations] == expected
    assert expected[1] == ("22/2016/NQ-HĐND", date(2016, 12, 9), "Hội đồng nhân dân tỉnh Nghệ An", "basis")
    # The evidence quotes the source as written.
    assert "61/2018/N\u00d0-CP" in x.citations[0].mentions[0].evidence.text


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\u200d", "\ufeff", "\u2060\u200b"])
def test_invisible_characters_inside_a_symbol_do_not_break_it(invisible: str) -> None:
    x = run(f"Căn cứ Nghị quyết số 30c/NQ{invisible}-CP ngày 08/11/2011 của Chính{invisible} phủ;\n")
    [resolution] = x.citations
    assert (resolution.symbol, resolution.issuer, resolution.relation) == ("30c/NQ-CP", "Chính phủ", "basis")
    assert resolution.mentions[0].evidence.text.startswith(f"Nghị quyết số 30c/NQ{invisible}-CP")


def test_markup_and_decomposed_unicode_do_not_break_references() -> None:
    body = "Căn cứ **Nghị quyết số 30c/NQ\\-CP** ngày 08 tháng 11 năm 2011 của *Chính phủ*;\n"
    x = run(unicodedata.normalize("NFD", body))
    citation = by_symbol(x)["30c/NQ-CP"]
    assert citation.date == date(2011, 11, 8) and citation.issuer == "Chính phủ"
    mention = citation.mentions[0]
    original = x.text[mention.evidence.span.start : mention.evidence.span.end]
    assert unicodedata.normalize("NFC", original).startswith("Nghị quyết số 30c/NQ")


def test_old_tone_placement_in_cues_and_issuers() -> None:
    x = run("Căn cứ Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương khoá XII;\n")
    citation = by_symbol(x)["18-NQ/TW"]
    assert citation.issuer == "Ban Chấp hành Trung ương Đảng"
    assert citation.relation == "basis"


@pytest.mark.parametrize(
    ("clause", "symbol", "issuer"),
    [
        # The head of a body proposes for it.
        (
            "Theo đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 28/12/2020.",
            "45/TTr-SNV",
            "Sở Nội vụ tỉnh Nghệ An",
        ),
        (
            "Xét đề nghị của Chủ tịch UBND huyện Quỳnh Lưu tại Tờ trình số 99/TTr-UBND ngày 2/12/2020;",
            "99/TTr-UBND",
            "Chủ tịch Ủy ban nhân dân huyện Quỳnh Lưu, tỉnh Nghệ An",
        ),
        (
            "Theo đề xuất của Sở Tài chính tại Công văn số 1234/STC-QLNS ngày 20/12/2020;",
            "1234/STC-QLNS",
            "Sở Tài chính tỉnh Nghệ An",
        ),
        # A proposal whose proposer is not the document's: the reference's own issuer.
        (
            "Theo đề nghị của Sở Nội vụ về việc thực hiện Kế hoạch số 5/KH-UBND ngày 1/1/2020"
            " của UBND huyện Quỳnh Lưu;",
            "5/KH-UBND",
            "Ủy ban nhân dân huyện Quỳnh Lưu, tỉnh Nghệ An",
        ),
    ],
)
def test_the_proposer_named_before_a_proposal_is_its_issuer(clause: str, symbol: str, issuer: str) -> None:
    assert by_symbol(run(clause + "\n"))[symbol].issuer == issuer


def test_signature_block_side_by_side_with_recipients() -> None:
    x = run(
        "Nội dung.\nNơi nhận:\tTM. ỦY BAN NHÂN DÂN\n- Như trên;\tKT. CHỦ TỊCH\n- Lưu: VT.\tPHÓ CHỦ TỊCH\n\n"
        "\t(Đã ký)\n\n\tTrần Thị Hoa\n"
    )
    assert x.document.signer == "Trần Thị Hoa"
    assert x.document.signer_position == "Phó Chủ tịch"


RECIPIENTS = [f"- Sở thứ {i};" for i in range(1, 19)] + ["- Lưu: VT, NC."]


@pytest.mark.parametrize("count", [3, 8, len(RECIPIENTS)])
def test_a_long_list_of_recipients_beside_the_signature_block(count: int) -> None:
    """An export of the two columns puts each recipient on a line of its own between the
    position and the name, which comes on the last recipient's line."""
    recipients = RECIPIENTS[-count:]
    beside = ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    lines = [f"{r}\t{b}" for r, b in zip(["Nơi nhận:", *recipients[:2]], beside, strict=True)]
    lines += [*recipients[2:-1], f"{recipients[-1]}\tTrần Thị Hoa"]
    x = run("Nội dung.\n" + "\n".join(lines) + "\n")
    assert (x.document.signer, x.document.signer_position) == ("Trần Thị Hoa", "Phó Chủ tịch")


def test_every_evidence_span_lies_in_the_original_text() -> None:
    x = run(
        "Căn cứ **Nghị quyết số 30c/NQ-CP** ngày 08/11/2011 của Chính phủ;\n"
        "Thực hiện Kế hoạch số 5/KH-UBND ngày 1/1/2021 của UBND tỉnh;\n"
    )
    for citation in x.citations:
        for mention in citation.mentions:
            span = mention.evidence.span
            assert 0 <= span.start < span.end <= len(x.text)
            assert citation.symbol.split("/")[0] in x.text[span.start : span.end]


def test_title_may_hold_a_symbol_and_the_issuing_decision_is_the_plan_itself() -> None:
    x = run(
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n",
        header=(
            "UBND TỈNH HÀ NAM\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nKẾ HOẠCH\n"
            "Triển khai thực hiện Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ\n"
            "(Ban hành kèm theo Quyết định số 88/QĐ-STTTT ngày 2/3/2021 của Sở Thông tin và Truyền thông)\n\n"
        ),
    )
    assert x.document.title == "Triển khai thực hiện Nghị định số 45/2020/NĐ-CP ngày 08/4/2020 của Chính phủ"
    assert x.document.symbol == "88/QĐ-STTTT" and x.document.date == date(2021, 3, 2)
    assert x.document.issuer == "Sở Thông tin và Truyền thông tỉnh Hà Nam"
    assert by_symbol(x)["45/2020/NĐ-CP"].relation == "implements"
    assert "88/QĐ-STTTT" not in by_symbol(x)


def test_signer_name_in_capitals() -> None:
    x = run("Nội dung.\n\nKT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n\nLÊ VĂN HÙNG\n")
    assert (x.document.signer, x.document.signer_position) == ("Lê Văn Hùng", "Phó Giám đốc")


@pytest.mark.parametrize(
    ("signature", "signer"),
    [
        # A surname the list does not hold, under a position: a name all the same.
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n\nKsor Phước Hà\n", "Ksor Phước Hà"),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n(Đã ký)\nĐầu Thanh Tùng\n", "Đầu Thanh Tùng"),
        # Without a position above it, a last line is a name only with a known surname.
        ("Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKsor Phước Hà\n", None),
    ],
)
def test_signer_under_a_position(signature: str, signer: str | None) -> None:
    assert run(f"Nội dung.\n\n{signature}").document.signer == signer


@pytest.mark.parametrize(
    ("name_line", "signer"),
    [
        ("ThS. Trần Thị Lan", "Trần Thị Lan"),
        ("TS. Nguyễn Văn A", "Nguyễn Văn A"),
        ("PGS.TS. NGUYỄN VĂN AN", "Nguyễn Văn An"),
        # A surname that begins as a title does ("KS"): the name, whole.
        ("Ksor Phước Hà", "Ksor Phước Hà"),
        # Police and army signers put their rank first, in either tone placement.
        ("Đại tá Nguyễn Đức Hải", "Nguyễn Đức Hải"),
        ("THƯỢNG TÁ TRẦN VĂN BÌNH", "Trần Văn Bình"),
        ("Đại uý Lê Văn Hùng", "Lê Văn Hùng"),
    ],
)
def test_signer_with_an_academic_title(name_line: str, signer: str) -> None:
    x = run(f"Nội dung.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\n{name_line}\n")
    assert (x.document.signer, x.document.signer_position) == (signer, "Phó Chủ tịch")


@pytest.mark.parametrize(
    ("signature", "signer", "position"),
    [
        # KT./TL./TUQ.: the head signed for, then the signer's own position, with the
        # unit the signer heads (not part of the position).
        (
            "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH THƯỜNG TRỰC\n\nVõ Văn Hưng\n",
            "Võ Văn Hưng",
            "Phó Chủ tịch Thường trực",
        ),
        ("TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ NỘI VỤ\n\nNguyễn Văn Bình\n", "Nguyễn Văn Bình", "Giám đốc"),
        ("TUQ. GIÁM ĐỐC\nTRƯỞNG PHÒNG TỔ CHỨC CÁN BỘ\n\nLê Thị Hồng\n", "Lê Thị Hồng", "Trưởng phòng"),
        # Q. is the signer's own position, held as acting.
        ("Q. GIÁM ĐỐC\n\nLê Văn Hùng\n", "Lê Văn Hùng", "Quyền Giám đốc"),
        ("TM. ỦY BAN NHÂN DÂN\nQ. CHỦ TỊCH\n\nLê Văn Hùng\n", "Lê Văn Hùng", "Quyền Chủ tịch"),
        # A party document writes "thay mặt" and "ký thay" with a slash.
        ("T/M BAN THƯỜNG VỤ\nK/T BÍ THƯ\nPHÓ BÍ THƯ\n\nLê Văn Hùng\n", "Lê Văn Hùng", "Phó Bí thư"),
        # Left as they are: a position alone under TL./TM., and "Phó", a surname as well.
        ("TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG\n\nNguyễn Văn Bình\n", "Nguyễn Văn Bình", "Chánh Văn phòng"),
        ("TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nTrần Văn Hùng\n", "Trần Văn Hùng", "Chủ tịch"),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nPhó Đức Hải\n", "Phó Đức Hải", "Phó Chủ tịch"),
        # "Phó" before any position is its deputy's, not a name.
        ("KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG\n\nLê Thị Hồng\n", "Lê Thị Hồng", "Phó Trưởng phòng"),
        ("KT. VIỆN TRƯỞNG\nPHÓ VIỆN TRƯỞNG\n\nLê Thị Hồng\n", "Lê Thị Hồng", "Phó Viện trưởng"),
        # A position with its unit, and no line holding one alone.
        ("GIÁM ĐỐC SỞ\n\nNguyễn Văn Bình\n", "Nguyễn Văn Bình", "Giám đốc"),
    ],
)
def test_the_position_is_the_signers_own(signature: str, signer: str, position: str) -> None:
    x = run(f"Nội dung.\n\n{signature}")
    assert (x.document.signer, x.document.signer_position) == (signer, position)


DECISION_HEADER = (
    "ỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n\nSố: 356/QĐ-UBND\tBắc Giang, ngày 20 tháng 02 năm 2023\n\n"
    "QUYẾT ĐỊNH\nBan hành Kế hoạch tuyên truyền cải cách hành chính năm 2023\n\n"
    "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH\n\nCăn cứ Luật Tổ chức chính quyền địa phương ngày 19/6/2015;\n\n"
    "QUYẾT ĐỊNH\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch tuyên truyền.\n\n"
    "Nơi nhận:\n- Như Điều 1;\n- Lưu: VT.\n\n"
)
# The plan issued with the decision, under its issuer's header repeated after the signature.
ISSUED_PLAN = (
    "\n\nỦY BAN NHÂN DÂN\nTỈNH BẮC GIANG\n\nKẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2023\n\n"
    + "".join(f"{i}. Sở Nội vụ thực hiện việc thứ {i}.\n" for i in range(1, 16))
)


@pytest.mark.parametrize(
    ("signature", "signer"),
    [
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nMai Sơn" + ISSUED_PLAN, "Mai Sơn"),
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nKsor Phước Hà" + ISSUED_PLAN, "Ksor Phước Hà"),
        # No name under the position: the header below is none.
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n" + ISSUED_PLAN, None),
        # The decision alone: its "QUYẾT ĐỊNH" before the signature ends nothing.
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nMai Sơn\n", "Mai Sơn"),
    ],
)
def test_signature_followed_by_the_document_it_issues(signature: str, signer: str | None) -> None:
    x = run(signature, header=DECISION_HEADER)
    assert (x.document.signer, x.document.signer_position) == (signer, "Phó Chủ tịch")


def test_header_exported_side_by_side_with_the_national_motto() -> None:
    x = run(
        "Căn cứ Quyết định số 1/QĐ-UBND ngày 2/1/2021 của UBND tỉnh;\n",
        header=(
            "ỦY BAN NHÂN DÂN TỈNH QUẢNG NAM\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n-------\t"
            "Độc lập - Tự do - Hạnh phúc\nSố: 25/KH-UBND\tQuảng Nam, ngày 12 tháng 01 năm 2021\n\n"
            "KẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
        ),
    )
    assert (x.document.issuer, x.document.province) == ("Ủy ban nhân dân tỉnh Quảng Nam", "Quảng Nam")
    assert (x.document.symbol, x.document.date) == ("25/KH-UBND", date(2021, 1, 12))
    assert x.citations[0].issuer == "Ủy ban nhân dân tỉnh Quảng Nam"


def test_a_letter_is_a_cong_van_titled_by_its_subject_line() -> None:
    x = run(
        "Thực hiện Công văn số 5238/VPCP-KSTT ngày 12/10/2022 của Văn phòng Chính phủ;\n",
        header=(
            "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH THANH HÓA\tĐộc lập - Tự do - Hạnh phúc\n\n"
            "Số: 4521/UBND-THKH\tThanh Hóa, ngày 25 tháng 10 năm 2022\n"
            "V/v triển khai Nghị quyết số 131/NQ-CP của Chính phủ\n\nKính gửi: Các sở, ban, ngành.\n\n"
        ),
    )
    assert (x.document.doc_type, x.document.symbol, x.document.title) == (
        "Công văn",
        "4521/UBND-THKH",
        "triển khai Nghị quyết số 131/NQ-CP của Chính phủ",
    )


def test_header_laid_out_in_columns_of_spaces_with_a_rule_under_the_title() -> None:
    # A PDF export keeps the columns as runs of spaces; a numbered place ends on its number.
    x = run(
        "Căn cứ Quyết định số 1/QĐ-UBND ngày 2/1/2021 của UBND tỉnh;\n",
        header=(
            "UỶ BAN NHÂN DÂN                    CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            " TỈNH QUẢNG TRỊ                          Độc lập - Tự do - Hạnh phúc\n\n"
            " Số: 2150 /KH-UBND                  Quảng Trị, ngày 06 tháng 5 năm 2022\n\n"
            "                                  KẾ HOẠCH\n"
            "          Cải cách hành chính năm 2022\n"
            "                               ---o0o---\n\n"
        ),
    )
    assert (x.document.symbol, x.document.date, x.document.title) == (
        "2150/KH-UBND",
        date(2022, 5, 6),
        "Cải cách hành chính năm 2022",
    )
    district = run(
        "Căn cứ Quyết định số 1/QĐ-UBND ngày 2/1/2021 của UBND tỉnh;\n",
        header=(
            "ỦY BAN NHÂN DÂN\nQUẬN 3\n\nSố: 1538/KH-UBND\nQuận 3, ngày 28 tháng 3 năm 2023\n\n"
            "KẾ HOẠCH\nCCHC năm 2023\n-----\n\n"
        ),
    )
    assert (district.document.date, district.document.title) == (date(2023, 3, 28), "CCHC năm 2023")


def test_head_of_body_as_issuer() -> None:
    x = run(
        "- Quyết định số 1291/QĐ-BNV ngày 24/12/2021 của Bộ trưởng Bộ Nội vụ;\n"
        "- Quyết định số 77/QĐ-UBND ngày 5/1/2021 của Chủ tịch UBND tỉnh;\n"
    )
    c = by_symbol(x)
    assert c["1291/QĐ-BNV"].issuer == "Bộ Nội vụ"
    assert c["77/QĐ-UBND"].issuer == "Chủ tịch Ủy ban nhân dân tỉnh Nghệ An"


CITY_HEADER = (
    "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\n\nSố: 12/KH-UBND\tHà Nội, ngày 10 tháng 3 năm 2021\n\n"
    "KẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
)


def issuers_of(x: PlanExtraction) -> dict[str, tuple[str | None, str | None]]:
    return {c.symbol: (c.issuer, c.issuer_province) for c in x.citations}


def test_issuers_of_the_party_and_of_departments_by_their_code() -> None:
    x = run(
        "Căn cứ Hướng dẫn số 15-HD/BTGTU ngày 01/02/2021 của Ban Tuyên giáo Tỉnh ủy;\n"
        "Căn cứ Kết luận số 06-KL/HU ngày 12/5/2021 của Ủy ban Kiểm tra Huyện ủy Nghi Lộc;\n"
        "Căn cứ Nghị quyết số 08-NQ/BCSĐ ngày 1/2/2021 của Ban Cán sự đảng UBND tỉnh;\n"
        # No issuer phrase: the department's code names it (with or without "&").
        "Căn cứ Kế hoạch số 120/KH-SNV ngày 3/1/2021; Công văn số 16/SGD&ĐT-VP ngày 4/1/2021.\n"
    )
    assert issuers_of(x) == {
        "15-HD/BTGTU": ("Ban Tuyên giáo Tỉnh ủy tỉnh Nghệ An", "Nghệ An"),
        "06-KL/HU": ("Ủy ban Kiểm tra Huyện ủy Nghi Lộc", "Nghệ An"),
        "08-NQ/BCSĐ": ("Ban Cán sự đảng Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An"),
        "120/KH-SNV": ("Sở Nội vụ tỉnh Nghệ An", "Nghệ An"),
        "16/SGD&ĐT-VP": ("Sở Giáo dục và Đào tạo tỉnh Nghệ An", "Nghệ An"),
    }


def test_numbers_sharing_the_symbol_after_them() -> None:
    x = run(
        "Căn cứ các Quyết định số 1291, 1292/QĐ-UBND ngày 30/12/2020 của UBND tỉnh;\n"
        "Thực hiện Kế hoạch số 22, 23 và 24/KH-UBND ngày 5/1/2021 của UBND tỉnh;\n"
        "Theo Điều 1, 2 của Quyết định số 15/QĐ-UBND ngày 6/1/2021 của UBND tỉnh.\n"
    )
    c = by_symbol(x)
    assert set(c) == {"1291/QĐ-UBND", "1292/QĐ-UBND", "22/KH-UBND", "23/KH-UBND", "24/KH-UBND", "15/QĐ-UBND"}
    assert (c["1291/QĐ-UBND"].date, c["1291/QĐ-UBND"].relation) == (date(2020, 12, 30), "basis")
    assert (c["23/KH-UBND"].date, c["23/KH-UBND"].relation) == (date(2021, 1, 5), "implements")


def test_a_city_that_is_the_plans_province_named_by_its_level_word_alone() -> None:
    x = run(
        "Căn cứ Nghị quyết số 45/NQ-HĐND ngày 07/12/2020 của Hội đồng nhân dân thành phố;\n"
        "Căn cứ Quyết định số 46/QĐ-UBND ngày 08/12/2020 của UBND thành phố;\n",
        header=CITY_HEADER,
    )
    assert issuers_of(x) == {
        "45/NQ-HĐND": ("Hội đồng nhân dân thành phố Hà Nội", "Hà Nội"),
        "46/QĐ-UBND": ("Ủy ban nhân dân thành phố Hà Nội", "Hà Nội"),
    }
    # In a province, "thành phố" alone is a city below it, not the province.
    y = run("Căn cứ Quyết định số 46/QĐ-UBND ngày 08/12/2020 của UBND thành phố;\n")
    assert issuers_of(y) == {"46/QĐ-UBND": ("Ủy ban nhân dân thành phố", "Nghệ An")}


def test_the_partys_regulations_are_written_qdi() -> None:
    x = run("Căn cứ Quy định số 08-QĐi/TW ngày 25/10/2018 của Ban Chấp hành Trung ương;\n")
    [regulation] = x.citations
    assert (regulation.symbol, regulation.doc_type, regulation.date) == ("08-QĐi/TW", "Quy định", date(2018, 10, 25))


def test_the_partys_letters_are_written_cv() -> None:
    # The party's letters carry CV in their symbol; a state letter written so is read alike,
    # with the issuer after the type (not "CV-UBND").
    x = run(
        "Thực hiện Công văn số 123-CV/TU ngày 20/12/2021 của Ban Thường vụ Tỉnh ủy; "
        "Công văn số 45/CV-UBND ngày 3/1/2022 của UBND tỉnh.\n"
    )
    found = {c.symbol: (c.doc_type, c.date, c.relation) for c in x.citations}
    assert found == {
        "123-CV/TU": ("Công văn", date(2021, 12, 20), "implements"),
        "45/CV-UBND": ("Công văn", date(2022, 1, 3), "implements"),
    }
    assert parse_symbol("45/CV-UBND").issuer_code == "UBND"


def test_a_citys_party_committee_as_issuer() -> None:
    # A centrally-run city's "Tỉnh ủy" is its "Thành ủy", named as the body lists name it.
    x = run(
        "Thực hiện Nghị quyết số 15-NQ/TU ngày 10/01/2021 của Thành ủy Hà Nội;\n"
        "Thực hiện Kết luận số 16-KL/TU ngày 11/01/2021 của Ban Thường vụ Thành ủy;\n"
        "Thực hiện Chỉ thị số 05-CT/TU ngày 12/01/2021 của Thành ủy;\n"
        "Thực hiện Kế hoạch số 20-KH/TU ngày 13/01/2021;\n",
        header=CITY_HEADER,
    )
    city = "Thành ủy thành phố Hà Nội"
    assert issuers_of(x) == {
        "15-NQ/TU": (city, "Hà Nội"),
        "16-KL/TU": (f"Ban Thường vụ {city}", "Hà Nội"),
        "05-CT/TU": (city, "Hà Nội"),
        "20-KH/TU": (city, "Hà Nội"),
    }


def test_a_city_under_a_province_keeps_its_party_committees_name() -> None:
    # In a province's plan "Thành ủy Rạch Giá" is a district-level city's committee.
    x = run(
        "Thực hiện Chỉ thị số 05-CT/TU ngày 12/01/2021 của Thành ủy Rạch Giá;\n"
        "Thực hiện Chỉ thị số 06-CT/TU ngày 12/01/2021 của Thành ủy Hà Nội;\n"
        "Thực hiện Chỉ thị số 07-CT/TU ngày 12/01/2021 của Tỉnh ủy;\n",
        header=HEADER.replace("NGHỆ AN", "KIÊN GIANG").replace("Nghệ An", "Kiên Giang"),
    )
    assert issuers_of(x) == {
        "05-CT/TU": ("Thành ủy Rạch Giá", "Kiên Giang"),
        "06-CT/TU": ("Thành ủy thành phố Hà Nội", "Hà Nội"),
        "07-CT/TU": ("Tỉnh ủy tỉnh Kiên Giang", "Kiên Giang"),
    }


def test_lower_party_committees_keep_their_own_names() -> None:
    x = run(
        "Thực hiện Chỉ thị số 05-CT/HU ngày 12/01/2021 của Huyện ủy Kỳ Anh;\n"
        "Thực hiện Chỉ thị số 06-CT/HU ngày 12/01/2021 của Ban Thường vụ Huyện ủy Kỳ Anh;\n"
        "Thực hiện Chỉ thị số 07-CT/TU ngày 12/01/2021 của Thị ủy Kỳ Anh;\n"
    )
    assert issuers_of(x) == {
        "05-CT/HU": ("Huyện ủy Kỳ Anh", "Nghệ An"),
        "06-CT/HU": ("Ban Thường vụ Huyện ủy Kỳ Anh", "Nghệ An"),
        "07-CT/TU": ("Thị ủy Kỳ Anh", "Nghệ An"),
    }
    city = run("Thực hiện Chỉ thị số 05-CT/QU ngày 12/01/2021 của Quận ủy Ba Đình;\n", header=CITY_HEADER)
    assert issuers_of(city) == {"05-CT/QU": ("Quận ủy Ba Đình", "Hà Nội")}


@pytest.mark.parametrize(
    ("left", "issuer", "province"),
    [
        # The lowest line is the issuer, the one above its superior, whatever kind of body.
        ("BỘ CÔNG AN\nCÔNG AN TỈNH NGHỆ AN", "Công an tỉnh Nghệ An", "Nghệ An"),
        ("BẢO HIỂM XÃ HỘI VIỆT NAM\nBẢO HIỂM XÃ HỘI TỈNH BÌNH ĐỊNH", "Bảo hiểm xã hội tỉnh Bình Định", "Bình Định"),
        (
            "UBND TỈNH QUẢNG NINH\nBAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH",
            "Ban Chỉ đạo cải cách hành chính tỉnh Quảng Ninh",
            "Quảng Ninh",
        ),
        ("CÔNG AN TỈNH QUẢNG NINH", "Công an tỉnh Quảng Ninh", "Quảng Ninh"),
        # An organisation's executive committee issues for it.
        (
            "HỘI NÔNG DÂN VIỆT NAM\nBAN CHẤP HÀNH HỘI NÔNG DÂN TỈNH ĐỒNG THÁP",
            "Hội Nông dân tỉnh Đồng Tháp",
            "Đồng Tháp",
        ),
        # A unit is named before its parent, the line above.
        ("UBND THÀNH PHỐ CẦN THƠ\nVĂN PHÒNG", "Văn phòng Ủy ban nhân dân thành phố Cần Thơ", "Cần Thơ"),
        # A body the lexicon does not know is the issuer all the same, not its superior,
        # named with each word capitalised when the text never writes it in mixed case.
        ("BỘ GIÁO DỤC VÀ ĐÀO TẠO\nTRƯỜNG ĐẠI HỌC QUY NHƠN", "Trường Đại Học Quy Nhơn", None),
        (
            "UBND TỈNH HÀ TĨNH\nBAN QUẢN LÝ VƯỜN QUỐC GIA VŨ QUANG",
            "Ban Quản Lý Vườn Quốc Gia Vũ Quang tỉnh Hà Tĩnh",
            "Hà Tĩnh",
        ),
        # ... and one it knows, by its name.
        ("UBND TỈNH HÀ TĨNH\nBAN QUẢN LÝ KHU KINH TẾ", "Ban Quản lý Khu kinh tế tỉnh Hà Tĩnh", "Hà Tĩnh"),
        (
            "UBND HUYỆN ĐÔNG ANH\nBAN QUẢN LÝ DỰ ÁN",
            "Ban Quản Lý Dự Án huyện Đông Anh, thành phố Hà Nội",
            "Hà Nội",
        ),
        # A body of a unit below the province is the unit's.
        ("UBND HUYỆN ĐÔNG ANH\nPHÒNG NỘI VỤ", "Phòng Nội vụ huyện Đông Anh, thành phố Hà Nội", "Hà Nội"),
        # A line that is no name (a stamp's number) leaves the superior the issuer.
        ("UBND TỈNH HÀ TĨNH\nCÔNG VĂN ĐẾN SỐ 45", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh"),
        # As before: bodies an issuer phrase reads.
        ("UBND TỈNH HÀ NAM\nSỞ NỘI VỤ", "Sở Nội vụ tỉnh Hà Nam", "Hà Nam"),
        ("ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH", "Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh"),
    ],
)
def test_the_issuer_is_the_headers_lowest_line(left: str, issuer: str, province: str | None) -> None:
    first, _, rest = left.partition("\n")
    header = (
        f"{first}\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n{rest}\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-UBND\tHà Nội, ngày 10 tháng 3 năm 2021\n\nKẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
    )
    x = run("Thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n", header=header)
    assert (x.document.issuer, x.document.province) == (issuer, province)


def test_a_receipt_stamp_under_the_number_is_no_issuer() -> None:
    header = (
        "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nTỈNH TÂY NINH\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 200/KH-UBND\n\nCÔNG VĂN ĐẾN\nSố: 381\nNgày: 31/12/2017\n\nTây Ninh, ngày 29/12/2017\n\n"
        "KẾ HOẠCH\nCải cách hành chính năm 2018\n\n"
    )
    x = run("Căn cứ Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ;\n", header=header)
    assert (x.document.issuer, x.document.symbol) == ("Ủy ban nhân dân tỉnh Tây Ninh", "200/KH-UBND")


def test_an_issuer_the_lexicon_does_not_know_is_named_as_the_text_writes_it() -> None:
    header = (
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "TRƯỜNG ĐẠI HỌC QUY NHƠN\tĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 120/KH-ĐHQN\tBình Định, ngày 10 tháng 3 năm 2022\n\nKẾ HOẠCH\nCải cách hành chính năm 2022\n\n"
    )
    body = (
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n"
        "Trường Đại học Quy Nhơn ban hành Kế hoạch cải cách hành chính năm 2022 như sau:\n"
    )
    x = run(body, header=header)
    assert (x.document.issuer, x.document.province) == ("Trường Đại học Quy Nhơn", None)


@pytest.mark.parametrize(
    ("left", "issuer", "province"),
    [
        ("THÀNH ỦY HÀ NỘI\n*", "Thành ủy thành phố Hà Nội", "Hà Nội"),
        ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI\nTHÀNH ỦY\n*", "Thành ủy thành phố Hà Nội", "Hà Nội"),
        ("TỈNH ỦY HÀ TĨNH\n*", "Tỉnh ủy tỉnh Hà Tĩnh", "Hà Tĩnh"),
        ("ĐẢNG BỘ TỈNH HÀ TĨNH\nHUYỆN ỦY KỲ ANH\n*", "Huyện ủy Kỳ Anh", "Hà Tĩnh"),
    ],
)
def test_a_party_committees_header(left: str, issuer: str, province: str) -> None:
    # The party's header puts "ĐẢNG CỘNG SẢN VIỆT NAM" where the state's puts the motto.
    first, _, rest = left.partition("\n")
    x = run(
        "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng;\n",
        header=(
            f"{first}\tĐẢNG CỘNG SẢN VIỆT NAM\n{rest}\n\nSố: 12-KH/TU\tKỳ Anh, ngày 10 tháng 3 năm 2021\n\n"
            "KẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
        ),
    )
    assert (x.document.issuer, x.document.province) == (issuer, province)
    assert x.document.symbol == "12-KH/TU"
    # Laid out one column under the other, the party's name is still no part of the issuer.
    stacked = run(
        "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng;\n",
        header=(
            f"{left}\nSố 12-KH/TU\nĐẢNG CỘNG SẢN VIỆT NAM\nKỳ Anh, ngày 10 tháng 3 năm 2021\n\n"
            "KẾ HOẠCH\nCải cách hành chính năm 2021\n\n"
        ),
    )
    assert (stacked.document.issuer, stacked.document.province) == (issuer, province)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("30c /NQ-CP", "30c/NQ-CP"),
        ("225/QĐ - TTg", "225/QĐ-TTg"),
        ("61/2018/NĐ–CP", "61/2018/NĐ-CP"),  # en dash
        ("61/2018/NĐ—CP", "61/2018/NĐ-CP"),  # em dash
        ("18–NQ/TW", "18-NQ/TW"),
        ("01/2015/TTLT-BNV-BTC", "01/2015/TTLT-BNV-BTC"),
    ],
)
def test_spaced_and_dashed_symbols(written: str, expected: str) -> None:
    symbol = parse_symbol(written)
    assert symbol is not None and symbol.text == expected


def test_spaces_and_odd_dashes_inside_references() -> None:
    x = run(
        "Căn cứ Nghị quyết số 30c/ NQ-CP ngày 08/11/2011 của Chính phủ;\n"
        "Căn cứ Nghị định số 61/2018/NĐ–CP ngày 23/4/2018 của Chính phủ;\n"
        "Thực hiện Quyết định số 225/QĐ - TTg ngày 04/02/2016 của Thủ tướng Chính phủ, các sở triển khai.\n"
        "Theo Nghị quyết số 18–NQ/TW ngày 25/10/2017 và số 01/2021/TT-VPCP ngày 01/4/2021, đơn vị rà soát.\n"
    )
    c = by_symbol(x)
    assert set(c) == {"30c/NQ-CP", "61/2018/NĐ-CP", "225/QĐ-TTg", "18-NQ/TW", "01/2021/TT-VPCP"}
    assert c["61/2018/NĐ-CP"].date == date(2018, 4, 23) and c["61/2018/NĐ-CP"].relation == "basis"
    assert c["225/QĐ-TTg"].relation == "implements"
    assert c["01/2021/TT-VPCP"].doc_type == "Thông tư" and c["01/2021/TT-VPCP"].date == date(2021, 4, 1)
    assert c["18-NQ/TW"].relation == "references"


def test_type_word_abbreviated_generic_or_absent() -> None:
    x = run(
        "Căn cứ NQ 30c/NQ-CP ngày 08/11/2011 của Chính phủ;\n"
        "Căn cứ QĐ số 1225/QĐ-TTg ngày 04/02/2021 của Thủ tướng Chính phủ;\n"
        "Căn cứ Nghị định 161/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n"
        "Theo văn bản số 123/UBND-NC ngày 5/3/2021 của UBND tỉnh, các sở triển khai.\n"
    )
    c = by_symbol(x)
    written = {s: citation.mentions[0].evidence.text for s, citation in c.items()}
    assert written["30c/NQ-CP"].startswith("NQ 30c/NQ-CP") and c["30c/NQ-CP"].doc_type == "Nghị quyết"
    assert written["1225/QĐ-TTg"].startswith("QĐ số 1225") and c["1225/QĐ-TTg"].doc_type == "Quyết định"
    assert written["161/2018/NĐ-CP"].startswith("Nghị định 161") and c["161/2018/NĐ-CP"].doc_type == "Nghị định"
    letter = c["123/UBND-NC"]
    assert written["123/UBND-NC"].startswith("văn bản số 123")
    assert (letter.doc_type, letter.date, letter.relation) == ("Công văn", date(2021, 3, 5), "references")
    assert letter.issuer == "Ủy ban nhân dân tỉnh Nghệ An" and letter.note is None


@pytest.mark.parametrize(
    "written", ["ngày 08 tháng 11 năm 2011", "ngày 8/11/2011", "ngày 08-11-2011", "ngày 08.11.2011", "ngày 08–11–2011"]
)
def test_date_forms_after_the_symbol(written: str) -> None:
    x = run(f"Căn cứ Nghị quyết số 130/NQ-CP {written} của Chính phủ;\n")
    citation = by_symbol(x)["130/NQ-CP"]
    assert (citation.date, citation.key.year, citation.issuer) == (date(2011, 11, 8), 2011, "Chính phủ")


@pytest.mark.parametrize(("written", "day"), [("ngày 02/9/20", date(2020, 9, 2)), ("ngày 8/11/11", date(2011, 11, 8))])
def test_a_two_digit_year_after_ngay_is_of_this_century(written: str, day: date) -> None:
    x = run(f"Căn cứ Công văn số 1234/UBND-NC {written} của UBND tỉnh;\n")
    assert by_symbol(x)["1234/UBND-NC"].date == day


@pytest.mark.parametrize("not_a_date", ["ngày 02/9/201", "ngày 02/9/20/QĐ"])
def test_two_digits_that_go_on_are_not_a_year(not_a_date: str) -> None:
    x = run(f"Căn cứ Công văn số 1234/UBND-NC {not_a_date} của UBND tỉnh;\n")
    assert by_symbol(x)["1234/UBND-NC"].date is None


@pytest.mark.parametrize(
    "title",
    [
        "thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương",
        "Chương trình hành động thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017",
        "Về việc triển khai Nghị quyết số 18-NQ/TW ngày 25/10/2017",
    ],
)
def test_a_plan_whose_title_carries_a_document_out_implements_it(title: str) -> None:
    header = HEADER[: HEADER.index("KẾ HOẠCH\n") + len("KẾ HOẠCH\n")]  # the title is the test's
    x = run(f"{title}\n\nI. MỤC ĐÍCH\nTinh gọn bộ máy theo Quyết định số 100/QĐ-UBND của UBND tỉnh.\n", header=header)
    assert relations_of(x) == {"18-NQ/TW": "implements", "100/QĐ-UBND": "references"}


def test_a_bracket_closed_on_the_verb_or_a_year_names_a_revised_edition_not_an_act() -> None:
    x = run(
        "Triển khai Luật Thủ đô số 25/2012/QH13 và chuẩn bị xây dựng Luật Thủ đô (sửa đổi).\n"
        "Căn cứ Luật Đất đai số 45/2013/QH13 (sửa đổi, bổ sung năm 2018);\n"
        "Căn cứ Nghị định số 29/2023/NĐ-CP (thay thế Nghị định số 108/2014/NĐ-CP);\n"
    )
    assert amendment_list(x) == [("29/2023/NĐ-CP", "108/2014/NĐ-CP")]


def test_date_written_before_the_symbol() -> None:
    x = run(
        "Căn cứ Quyết định ngày 15/7/2021 số 100/QĐ-UBND của UBND tỉnh;\n"
        "Ngày 20/8/2021, UBND tỉnh Hà Tĩnh ban hành Kế hoạch số 200/KH-UBND về cải cách hành chính.\n"
    )
    c = by_symbol(x)
    assert c["100/QĐ-UBND"].date == date(2021, 7, 15) and c["100/QĐ-UBND"].relation == "basis"
    plan = c["200/KH-UBND"]
    assert plan.date == date(2021, 8, 20)
    assert (plan.issuer, plan.issuer_province) == ("Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh")


def test_year_in_the_symbol_wins_over_the_year_of_the_date() -> None:
    x = run(
        "Căn cứ Nghị định số 100/2018/NĐ-CP ngày 23/4/2019 của Chính phủ;\n"
        "Căn cứ Nghị định số 61/2018/NĐ-CP ngày 23/4/2019 của Chính phủ;\n"
    )
    c = by_symbol(x)
    unknown = c["100/2018/NĐ-CP"]
    assert unknown.key.year == 2018
    assert (unknown.date, unknown.date_as_written) == (None, date(2019, 4, 23))
    known = c["61/2018/NĐ-CP"]
    assert (known.date, known.date_as_written) == (date(2018, 4, 23), date(2019, 4, 23))


def test_a_list_sharing_one_type_word_shares_the_issuer() -> None:
    x = run(
        "Căn cứ các Nghị quyết số 76/NQ-CP ngày 15/7/2021 và số 30c/NQ-CP ngày 08/11/2011 của Chính phủ;\n"
        "Thực hiện các Quyết định số 100/QĐ-UBND ngày 1/2/2021, số 150/QĐ-UBND ngày 2/3/2021 và số "
        "200/QĐ-UBND ngày 3/4/2021 của UBND tỉnh Hà Tĩnh;\n"
        "- Tuyên truyền Kế hoạch số 300/KH-UBND ngày 5/1/2021 và Quyết định số 102/QĐ-TTg ngày 3/4/2021 của "
        "Thủ tướng Chính phủ.\n"
    )
    c = by_symbol(x)
    assert (c["76/NQ-CP"].date, c["76/NQ-CP"].issuer) == (date(2021, 7, 15), "Chính phủ")
    assert (c["30c/NQ-CP"].date, c["30c/NQ-CP"].issuer) == (date(2011, 11, 8), "Chính phủ")
    assert {c[s].relation for s in ("76/NQ-CP", "30c/NQ-CP")} == {"basis"}
    for symbol, day in (("100/QĐ-UBND", date(2021, 2, 1)), ("150/QĐ-UBND", date(2021, 3, 2))):
        assert (c[symbol].date, c[symbol].issuer) == (day, "Ủy ban nhân dân tỉnh Hà Tĩnh")
        assert c[symbol].issuer_province == "Hà Tĩnh" and c[symbol].relation == "implements"
    # Another issuer code: the issuer at the end is the decision's only.
    assert c["300/KH-UBND"].issuer == "Ủy ban nhân dân tỉnh Nghệ An"


def test_issuer_named_before_a_list_of_numbers_is_no_unnumbered_citation() -> None:
    x = run(
        "Thực hiện các Quyết định của Thủ tướng Chính phủ: số 225/QĐ-TTg ngày 04/02/2016, "
        "số 609/QĐ-TTg ngày 04/5/2017;\n"
    )
    assert {c.symbol for c in x.citations} == {"225/QĐ-TTg", "609/QĐ-TTg"}
    assert x.unnumbered_citations == []


def test_a_type_and_its_issuer_alone_name_no_document_and_no_name_runs_over_a_tab() -> None:
    # Cells of a task table: a product ("Quyết định của UBND tỉnh"), then the lead body.
    x = run(
        "1\tXây dựng văn bản\tQuyết định của UBND tỉnh\tSở Tư pháp\tNăm 2022\n"
        "2\tTriển khai Đề án Phát triển du lịch của UBND tỉnh\tSở Văn hóa\tNăm 2022\n"
    )
    (scheme,) = x.unnumbered_citations
    assert scheme.surface == "Đề án Phát triển du lịch của UBND tỉnh"
    assert scheme.issuer == "Ủy ban nhân dân tỉnh Nghệ An"


def test_an_issuer_named_before_a_list_is_every_members() -> None:
    x = run(
        "Thực hiện các Quyết định của UBND tỉnh Hà Tĩnh: số 100/QĐ-UBND ngày 10/01/2021, "
        "số 200/QĐ-UBND ngày 20/02/2021;\n"
        "Thực hiện các Quyết định của Chủ tịch UBND tỉnh Hà Tĩnh: số 300/QĐ-UBND ngày 10/01/2021, "
        "số 400/QĐ-UBND ngày 20/02/2021;\n"
        # The symbols name another body than the heading: the heading is no issuer of theirs.
        "Tuyên truyền các văn bản của Sở Nội vụ tỉnh Hà Tĩnh: số 500/KH-UBND ngày 10/01/2021, "
        "số 600/KH-UBND ngày 20/02/2021.\n"
    )
    ha_tinh = ("Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh")
    chairman = ("Chủ tịch Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh")
    own = ("Ủy ban nhân dân tỉnh Nghệ An", "Nghệ An")
    assert issuers_of(x) == {
        "100/QĐ-UBND": ha_tinh,
        "200/QĐ-UBND": ha_tinh,
        "300/QĐ-UBND": chairman,
        "400/QĐ-UBND": chairman,
        "500/KH-UBND": own,
        "600/KH-UBND": own,
    }


def test_joint_and_party_documents() -> None:
    x = run(
        "Căn cứ Thông tư liên tịch số 01/2015/TTLT-BNV-BTC ngày 10/3/2015 của Bộ Nội vụ và Bộ Tài chính;\n"
        "Căn cứ Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành Trung ương Đảng khóa XII;\n"
        "Thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị;\n"
        "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Ban Chấp hành Trung ương Đảng khóa XIII;\n"
    )
    c = by_symbol(x)
    joint = c["01/2015/TTLT-BNV-BTC"]
    assert (joint.doc_type, joint.date, joint.key.year) == ("Thông tư liên tịch", date(2015, 3, 10), 2015)
    assert joint.issuer_province is None
    assert (c["18-NQ/TW"].issuer, c["18-NQ/TW"].relation) == ("Ban Chấp hành Trung ương Đảng", "basis")
    assert (c["05-CT/TW"].doc_type, c["05-CT/TW"].issuer) == ("Chỉ thị", "Bộ Chính trị")
    kl = c["21-KL/TW"]
    assert (kl.doc_type, kl.date, kl.issuer, kl.relation) == (
        "Kết luận",
        date(2021, 10, 25),
        "Ban Chấp hành Trung ương Đảng",
        "implements",
    )


def test_decomposed_unicode_and_old_tones_in_type_words_and_issuers() -> None:
    x = run(
        unicodedata.normalize("NFD", "Căn cứ Quyết định số 1468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ;\n")
        + "Căn cứ Quyết định số 1469/QĐ-TTg ngày 28/3/2021 của Thu\u0309 tướng Chính phủ;\n"
        + "Căn cứ Quyết định số 10/QĐ-UBND ngày 2/1/2021 của Uỷ ban nhân dân tỉnh Hà Tĩnh;\n"
        + "Căn cứ Quyết định số 11/QĐ-UBND ngày 3/1/2021 của Ủy ban nhân dân tỉnh Hà Tĩnh;\n"
    )
    c = by_symbol(x)
    for symbol in ("1468/QĐ-TTg", "1469/QĐ-TTg"):
        assert (c[symbol].doc_type, c[symbol].issuer, c[symbol].relation) == (
            "Quyết định",
            "Thủ tướng Chính phủ",
            "basis",
        )
        assert c[symbol].mentions[0].type_word == "quyết định"
    for symbol in ("10/QĐ-UBND", "11/QĐ-UBND"):
        assert (c[symbol].issuer, c[symbol].issuer_province) == ("Ủy ban nhân dân tỉnh Hà Tĩnh", "Hà Tĩnh")


def test_look_alikes_are_not_citations() -> None:
    x = run(
        "Liên hệ: điện thoại 0239.3855.567, fax 0239/3855.568; theo Điều 5; kinh phí 48.000.000 đồng; "
        "ngày 15/12; đạt 20/20 xã.\n"
        "Thực hiện khoản 2 Điều 3 Nghị định số 61/2018/NĐ-CP ngày 23/4/2018 của Chính phủ;\n"
        "Kế hoạch số 12/KH-UBND được gửi các sở.\n"
    )
    assert [c.symbol for c in x.citations] == ["61/2018/NĐ-CP"]
    decree = x.citations[0]
    assert decree.relation == "implements" and len(decree.mentions) == 1
    assert x.document.symbol == "12/KH-UBND"
    assert all("12/KH-UBND" in n.surface for n in x.not_citations)


def test_a_number_and_an_issuers_code_alone_are_a_letter_only_when_named_one() -> None:
    x = run(
        "Phòng 2/UBND tiếp nhận hồ sơ; tổ 5/UBND.\n"
        "Thực hiện Công văn số 15/UBND ngày 3/2/2021 của UBND tỉnh và văn bản 16/UBND ngày 4/2/2021.\n"
    )
    assert [c.symbol for c in x.citations] == ["15/UBND", "16/UBND"]
    assert {c.doc_type for c in x.citations} == {"Công văn"}


@pytest.mark.parametrize(
    ("sentence", "relation"),
    [
        (
            "Để triển khai thực hiện có hiệu quả Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, UBND tỉnh "
            "ban hành Kế hoạch như sau:",
            "implements",
        ),
        (
            "Nhằm tiếp tục thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, Sở ban hành Kế hoạch.",
            "implements",
        ),
        ("Tiếp tục thi hành Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.", "implements"),
        (
            "Trên cơ sở Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ, UBND tỉnh ban hành Kế hoạch như sau:",
            "basis",
        ),
        ("Căn cứ vào Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;", "basis"),
        ("Để đánh giá kết quả theo Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.", "references"),
    ],
)
def test_a_cue_after_de_or_nham_opening_the_paragraph_gives_the_relation(sentence: str, relation: str) -> None:
    assert by_symbol(run(sentence + "\n"))["76/NQ-CP"].relation == relation


def test_hard_wrapped_lines_are_read_as_one_paragraph() -> None:
    # Text out of a PDF: lines cut at a width, not at the ends of paragraphs.
    x = run(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành Chương trình\n"
        "tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030 và Quyết định số\n"
        "225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ;\n"
        "Thực hiện Kế hoạch số 100/KH-UBND ngày 10/01/2021 của UBND tỉnh về cải cách\n"
        "hành chính, Văn bản số 101/UBND ngày 11/01/2021 của UBND tỉnh về tuyên\n"
        "truyền, UBND tỉnh ban hành Kế hoạch như sau:\n"
        "1. Thực hiện Quyết định số 102/QĐ-UBND ngày 12/01/2021 của UBND tỉnh\n"
        "2. Kiểm tra theo Quyết định số 103/QĐ-UBND ngày 13/01/2021 của UBND tỉnh.\n"
    )
    c = by_symbol(x)
    assert relations_of(x) == {
        "76/NQ-CP": "basis",
        "225/QĐ-TTg": "basis",
        "100/KH-UBND": "implements",
        "101/UBND": "implements",
        "102/QĐ-UBND": "implements",
        # A numbered item opens a paragraph of its own.
        "103/QĐ-UBND": "references",
    }
    sentence = c["225/QĐ-TTg"].mentions[0].evidence.sentence
    assert sentence.startswith("Căn cứ Nghị quyết số 76/NQ-CP") and sentence.endswith("Thủ tướng Chính phủ;")


def test_table_rows_written_as_lines_are_not_wrapped_text() -> None:
    x = run(
        "Căn cứ các văn bản sau\n"
        "1\tRà soát theo Quyết định số 104/QĐ-UBND ngày 14/01/2021 của UBND tỉnh\tSở Nội vụ\n"
        "2\tKiểm tra theo Quyết định số 105/QĐ-UBND ngày 15/01/2021 của UBND tỉnh\tSở Tư pháp\n"
    )
    c = by_symbol(x)
    assert [c[s].relation for s in ("104/QĐ-UBND", "105/QĐ-UBND")] == ["references", "references"]
    assert c["105/QĐ-UBND"].mentions[0].evidence.sentence.startswith("2 Kiểm tra")


def test_a_wrapped_line_opening_in_capitals_goes_on_after_a_comma_or_a_word_that_ends_no_clause() -> None:
    x = run(
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của\n"
        "Chính phủ ban hành Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030,\n"
        "Quyết định số 225/QĐ-TTg ngày 04/02/2016 của Thủ tướng Chính phủ và\n"
        "Kế hoạch số 100/KH-UBND ngày 10/01/2021 của UBND tỉnh;\n"
        "Thực hiện Quyết định số 101/QĐ-UBND ngày 11/01/2021 của UBND tỉnh\n"
        "Báo cáo số 102/BC-UBND ngày 12/01/2021 của UBND tỉnh nêu rõ kết quả.\n"
    )
    assert relations_of(x) == {
        "76/NQ-CP": "basis",
        "225/QĐ-TTg": "basis",
        "100/KH-UBND": "basis",
        "101/QĐ-UBND": "implements",
        # After a line ending on a noun, a capital opens a new paragraph.
        "102/BC-UBND": "references",
    }
    assert by_symbol(x)["76/NQ-CP"].issuer == "Chính phủ"


def test_a_line_wrapped_at_the_texts_width_goes_on_whatever_case_the_next_opens() -> None:
    # Text cut at a width, as a PDF export cuts it: a capital opening the next line
    # ("Trung ương", "UBND" after a symbol's hyphen) still goes on; a short line ending a
    # paragraph without a stop does not.
    lines = [
        "Thực hiện Nghị quyết số 18-NQ/TW ngày 25/10/2017 của Ban Chấp hành",
        "Trung ương Đảng khóa XII; Quyết định số 4998/QĐ-UBND ngày 31/12/2021",
        "của UBND tỉnh; Kế hoạch số 225/KH-UBND ngày 10/10/2021 của UBND tỉnh",
        "và Kế hoạch số 320/KH-UBND ngày 28/12/2020; Kế hoạch số 321/KH-",
        "UBND ngày 29/12/2020 của UBND tỉnh về chuyển đổi số năm 2021;",
        "Mục tiêu chung",
        "Rà soát theo Quyết định số 105/QĐ-UBND ngày 15/01/2021 của UBND tỉnh.",
        # A bulleted line opens an item, however long the line before it.
        "- Thực hiện Quyết định số 1066/QĐ-UBND ngày 16/01/2021 của Sở Tư pháp",
        "- Báo cáo số 107/BC-UBND ngày 17/01/2021 của UBND tỉnh nêu rõ kết quả.",
    ]
    x = run("\n".join(lines) + "\n")
    assert relations_of(x) == {
        "18-NQ/TW": "implements",
        "4998/QĐ-UBND": "implements",
        "225/KH-UBND": "implements",
        "320/KH-UBND": "implements",
        "321/KH-UBND": "implements",
        "105/QĐ-UBND": "references",
        "1066/QĐ-UBND": "implements",
        "107/BC-UBND": "references",
    }


@pytest.mark.parametrize(
    "listing",
    [
        # One document a line, the cue only on the first.
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ;\n"
        "Quyết định số 1291/QĐ-TTg ngày 07/10/2019 của Thủ tướng Chính phủ;\n"
        "Kế hoạch số 150/KH-UBND ngày 30/6/2020 của UBND tỉnh, UBND tỉnh ban hành Kế hoạch như sau:\n",
        # Text copied from a PDF: lines wrapped anywhere, a new line after each ";".
        "      Căn cứ Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ ban hành\n"
        "Chương trình tổng thể cải cách hành chính nhà nước giai đoạn 2021 - 2030;\n"
        "Quyết định số 1291/QĐ-TTg ngày 07/10/2019 của Thủ tướng Chính phủ; Kế\n"
        "hoạch số 150/KH-UBND ngày 30/6/2020 của UBND tỉnh, UBND tỉnh ban hành\n"
        "Kế hoạch như sau:\n",
    ],
)
def test_a_cue_opening_a_lists_first_item_reaches_the_items_after_it(listing: str) -> None:
    x = run(listing + "Quyết định số 2001/QĐ-UBND ngày 1/1/2021 của UBND tỉnh được tuyên truyền.\n")
    assert relations_of(x) == {
        "76/NQ-CP": "basis",
        "1291/QĐ-TTg": "basis",
        "150/KH-UBND": "basis",
        # The list ended on ":"; a sentence ending on "." ends one too.
        "2001/QĐ-UBND": "references",
    }
    y = run("Thực hiện Kế hoạch số 5/KH-UBND ngày 1/1/2021 của UBND tỉnh.\nQuyết định số 6/QĐ-UBND ngày 2/1/2021.\n")
    assert relations_of(y) == {"5/KH-UBND": "implements", "6/QĐ-UBND": "references"}


def test_a_cue_heading_gives_its_relation_to_the_list_below() -> None:
    x = run(
        "Căn cứ:\n- Nghị quyết số 101/NQ-CP ngày 1/2/2021 của Chính phủ;\n"
        "- Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;\n\n"
        "I. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n- Quyết định số 102/QĐ-TTg ngày 3/4/2021 của Thủ tướng Chính phủ;\n"
        "Kế hoạch số 103/KH-UBND ngày 5/4/2021 của UBND tỉnh.\n"
        "II. MỤC ĐÍCH\n- Quyết định số 104/QĐ-TTg ngày 6/4/2021 của Thủ tướng Chính phủ được tuyên truyền.\n"
    )
    c = by_symbol(x)
    assert [c[s].relation for s in ("101/NQ-CP", "102/QĐ-TTg", "103/KH-UBND")] == ["basis"] * 3
    assert c["104/QĐ-TTg"].relation == "references"
    law = next(u for u in x.unnumbered_citations if u.surface.startswith("Luật Tổ chức"))
    assert law.relation == "basis"
    # A heading may name the basis without a cue word.
    y = run(
        "I. CƠ SỞ PHÁP LÝ\n- Quyết định số 105/QĐ-TTg ngày 3/4/2021 của Thủ tướng Chính phủ;\n\n"
        "1. Cơ sở xây dựng Kế hoạch\n- Kế hoạch số 106/KH-UBND ngày 5/4/2021 của UBND tỉnh.\n"
        "2. Cơ sở thực tiễn\n- Báo cáo số 107/BC-UBND ngày 6/4/2021 của UBND tỉnh.\n"
    )
    assert relations_of(y) == {
        "105/QĐ-TTg": "basis",
        "106/KH-UBND": "basis",
        "107/BC-UBND": "references",
    }


def test_a_project_called_by_the_number_of_its_approving_decision_is_that_decisions() -> None:
    """ "Đề án 06" (or "Đề án 06/CP") is what plans call the project Decision 06/QĐ-TTg of
    2022 approves: no document of symbol "06/CP". A project's own symbol, with its type
    code, is a document of its own."""
    x = run(
        "Thực hiện Đề án 06 của Chính phủ về phát triển ứng dụng dữ liệu về dân cư; Đề án 06/CP; "
        "Đề án số 01/ĐA-UBND ngày 02/02/2022 của UBND tỉnh.\n"
    )
    assert sorted(c.key.label for c in x.citations) == ["01/ĐA-UBND@2022"]
    assert {u.surface: u.resolved_to.label if u.resolved_to else None for u in x.unnumbered_citations} == {
        "Đề án 06 của Chính phủ": "06/QĐ-TTg@2022",
        "Đề án 06/CP": "06/QĐ-TTg@2022",
    }
    # A number no decision of the reference list approves a project by is no document known.
    unknown = run("Thực hiện Đề án 999 của Chính phủ.\n")
    assert [u.resolved_to for u in unknown.unnumbered_citations] == [None]
