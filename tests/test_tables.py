"""Task tables: the three seed tables against the gold, the grammar of task tables on
tables written for the test, and Word tables read as tables."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest
from demo_corpus import PLANS, gold_by_plan
from docx import Document
from hypothesis import given, settings
from hypothesis import strategies as st

from ccbc_graph.docx_reader import read_docx
from ccbc_graph.extract import extract_plan
from ccbc_graph.extract.tables import (
    TableCell,
    TaskRow,
    TaskTable,
    cell_words,
    column_role,
    find_task_tables,
    read_amount,
)
from ccbc_graph.reading import ReadError, SourceDocument, read_source
from ccbc_graph.textnorm import clean, modern_tones

KIEN_GIANG = "kien-giang-2020-thong-tin-tuyen-truyen-cchc.txt"
HA_TINH = "ha-tinh-2020-tuyen-truyen-cchc.txt"
HAI_DUONG = "hai-duong-2020-tuyen-truyen-cchc.txt"
NO_TABLE = ["ha-nam-2021-thong-tin-tuyen-truyen-cchc-2021-2030.txt", "quang-ngai-2020-tuyen-truyen-cchc-so-vhttdl.txt"]
FIELDS = ("task", "product", "lead", "coordinators", "timeframe", "budget", "note")


def original(name: str) -> str:
    return (PLANS / name).read_text(encoding="utf-8")


@cache
def tables_of(name: str) -> list[TaskTable]:
    return find_task_tables(clean(original(name)))


def rows_of(name: str) -> list[TaskRow]:
    return [row for table in tables_of(name) for row in table.rows]


def gold_tasks(name: str) -> list[dict]:
    return gold_by_plan()[name]["tasks"]


def same(ours: str | None, gold: str) -> bool:
    # The cell keeps the plan's spelling ("Từ Qúy I/2020"); the gold writes "Quý".
    return ours is not None and modern_tones(ours) == modern_tones(gold)


def assert_matches_gold(rows: Sequence[TaskRow], gold: Sequence[dict]) -> None:
    assert len(rows) == len(gold)
    for row, expected in zip(rows, gold, strict=True):
        where = f"row {expected['row']}"
        assert row.row == expected["row"], where
        assert same(row.task.words, expected["task"]), where
        assert row.timeframe is not None and same(row.timeframe.words, expected["timeframe"]), where
        assert row.budget_vnd == expected["budget_vnd"], where
        assert row.budget_text == expected.get("budget_text"), where
        if "product" in expected:
            assert row.product is not None and same(row.product.words, expected["product"]), where
        assert row.lead is not None, where
        assert (row.coordinators is None) == (not expected["coordinators"]), where


# ---------------------------------------------------------------------------- seeds


@pytest.mark.parametrize("name", [KIEN_GIANG, HA_TINH, HAI_DUONG])
def test_seed_rows_match_gold(name: str) -> None:
    assert len(tables_of(name)) == 1
    assert_matches_gold(rows_of(name), gold_tasks(name))


@pytest.mark.parametrize("name", NO_TABLE)
def test_plans_without_a_table_give_none(name: str) -> None:
    assert tables_of(name) == []


def test_kien_giang_printed_total_and_sum() -> None:
    (table,) = tables_of(KIEN_GIANG)
    assert table.stated_total_vnd == 664_800_000
    assert table.budget_sum_vnd == 664_800_000
    assert table.total_span is not None
    assert original(KIEN_GIANG)[table.total_span.start : table.total_span.end] == "664.800.000"
    assert [r.budget_vnd for r in table.rows] == [
        48_000_000,
        124_000_000,
        312_000_000,
        81_000_000,
        19_800_000,
        80_000_000,
    ]


def test_kien_giang_row_split_by_the_page_break_is_one_row() -> None:
    row = rows_of(KIEN_GIANG)[5]
    assert row.product is not None and row.timeframe is not None
    assert row.product.text == (
        "Thực hiện 02 Chương trình sân khấu hóa tuyên truyền CCHC năm 2020"
        " tại 02 Cụm huyện Tây Sông Hậu và bán đảo Cà Mau"
    )
    assert row.timeframe.text == "Thực hiện trong quý II và III/2020"
    # The span runs from the first half, over the repeated header, to the second half.
    printed = original(KIEN_GIANG)[row.product.span.start : row.product.span.end]
    assert printed.startswith("Thực hiện 02") and printed.endswith("bán đảo Cà Mau")
    assert "Thời gian thực hiện" in printed
    assert row.lead is not None and row.lead.text == "Sở Nội vụ"
    assert row.coordinators is not None and row.coordinators.text == "Tỉnh đoàn"


def test_ha_tinh_merged_task_cells() -> None:
    rows = rows_of(HA_TINH)
    assert [r.row for r in rows if r.inherited] == [3, 4, 5, 21]
    assert all(r.inherited == {"task"} for r in rows if r.inherited)
    for first, merged in ((1, range(2, 5)), (19, range(20, 21))):
        for k in merged:
            assert rows[k].task == rows[first].task
    assert (
        rows[1].task.words == "Xây dựng các chuyên trang, chuyên mục trên Báo Hà Tĩnh, Đài Phát thanh -Truyền hình tỉnh"
    )
    # Row 21's empty coordinator cell is empty, not merged: it lies right of filled cells.
    assert rows[20].coordinators is None
    assert rows[20].lead is not None and rows[20].lead.text == "UBND các xã, phường, thị trấn"
    assert tables_of(HA_TINH)[0].budget_sum_vnd == 1_000_000_000
    assert tables_of(HA_TINH)[0].stated_total_vnd is None


def test_ha_tinh_cells_over_several_lines_keep_their_lines() -> None:
    rows = rows_of(HA_TINH)
    assert rows[8].lead is not None
    assert rows[8].lead.text == "Văn phòng UBND tỉnh,\nUBND các huyện, TP, TX, UBND các xã, phường, thị trấn"
    assert rows[0].coordinators is not None
    assert rows[0].coordinators.text.splitlines() == [
        "- Cấp tỉnh: Văn phòng Đoàn ĐBQH, HĐND và UBND tỉnh; Sở Tư pháp.",
        "-  Cấp huyện: Văn phòng HĐND-UBND các huyện, thành phố, thị xã;  Phòng Tư pháp",
    ]
    assert rows[1].coordinators is not None
    assert rows[1].coordinators.text == "Các Sở: Nội vụ, Tư pháp,  Thông tin và Truyền thông"
    assert rows[20].timeframe is not None
    assert rows[20].timeframe.words == (
        "Tiếp phát thường xuyên; Nêu gương người tốt, việc tốt về cải cách hành chính trên địa bàn (01 mục/1tháng)"
    )


def test_hai_duong_repeated_header_is_not_a_row() -> None:
    (table,) = tables_of(HAI_DUONG)
    rows = table.rows
    assert [r.row for r in rows] == list(range(1, 11))
    between = original(HAI_DUONG)[rows[4].task.span.end : rows[5].task.span.start]
    assert "STT\tNhiệm vụ cụ thể" in between
    assert all(r.budget is None and r.budget_vnd is None and r.budget_text is None for r in rows)
    assert table.stated_total_vnd is None and table.budget_sum_vnd is None


def test_raw_lead_and_coordinator_cells() -> None:
    kien_giang = [
        (r.lead.text if r.lead else None, r.coordinators.text if r.coordinators else None) for r in rows_of(KIEN_GIANG)
    ]
    partners = "Đài Phát thanh và Truyền hình Kiên Giang, các sở, ngành có liên quan"
    assert kien_giang == [
        ("Sở Nội vụ", partners),
        ("Sở Nội vụ", partners),
        ("Sở Nội vụ", partners),
        ("Sở Nội vụ", "Báo Kiên Giang, các sở, ngành có liên quan"),
        ("Sở Nội vụ", "UBND cấp huyện"),
        ("Sở Nội vụ", "Tỉnh đoàn"),
    ]
    hai_duong = [
        (r.lead.text if r.lead else None, r.coordinators.text if r.coordinators else None) for r in rows_of(HAI_DUONG)
    ]
    assert hai_duong == [
        ("Cơ quan hành chính, đơn vị sự nghiệp", "Sở Nội vụ"),
        ("Sở Khoa học và Công nghệ", "Báo Hải Dương; Chi cục tiêu chuẩn đo lường chất lượng - Sở KH và CN"),
        ("Sở Nội vụ", "Đài PTTH; các Sở, ngành có liên quan đến nội dung tọa đàm"),
        ("Văn phòng UBND tỉnh", "Đài PTTH; các Sở, ngành có liên quan"),
        ("Đài Phát thanh và Truyền hình tỉnh", "Sở Nội vụ"),
        ("Sở Nội vụ; Báo Hải Dương", "Các cơ quan có liên quan"),
        ("Sở Tư pháp", "Các Sở, ban, ngành tỉnh; UBND cấp huyện, cấp xã"),
        ("Sở Kế hoạch và Đầu tư", "Các doanh nghiệp"),
        ("Sở Nội vụ", "Các Sở, ban, ngành tỉnh; UBND cấp huyện"),
        ("Sở Nội vụ", "Các Sở, ban, ngành tỉnh; UBND cấp huyện, cấp xã"),
    ]


def test_hai_duong_bullets_on_one_line_are_items() -> None:
    row = rows_of(HAI_DUONG)[3]
    assert row.task.words == (
        "Thực hiện tiếp nhận hồ sơ và trả kết quả giải quyết TTHC qua dịch vụ bưu chính công ích; "
        "Hoạt động của Trung tâm Phục vụ hành chính công tỉnh"
    )


def assert_spans_hold_the_words(text: str, tables: Sequence[TaskTable]) -> None:
    for table in tables:
        assert 0 <= table.span.start < table.span.end <= len(text)
        for row in table.rows:
            for name in FIELDS:
                cell: TableCell | None = getattr(row, name)
                if cell is None:
                    continue
                printed = unicodedata.normalize("NFC", text[cell.span.start : cell.span.end])
                words = cell.text.split()
                assert printed.startswith(words[0]) and printed.endswith(words[-1]), (row.row, name)
                assert all(word in printed for word in words), (row.row, name)
                assert table.span.start <= cell.span.start <= cell.span.end <= table.span.end


def assert_is_the_ha_tinh_annex(source: SourceDocument) -> None:
    """The Hà Tĩnh annex read from a document of its Word table (:func:`ha_tinh_docx`): the
    gold tasks, the rows whose task cell is merged with the one above, the sum."""
    (table,) = find_task_tables(source.clean)
    assert_matches_gold(table.rows, gold_tasks(HA_TINH))
    assert [r.row for r in table.rows if r.inherited] == [3, 4, 5, 21]
    assert table.budget_sum_vnd == 1_000_000_000
    assert_spans_hold_the_words(source.original, [table])


@pytest.mark.parametrize("name", [KIEN_GIANG, HA_TINH, HAI_DUONG])
def test_spans_point_into_the_original_text(name: str) -> None:
    assert_spans_hold_the_words(original(name), tables_of(name))


def test_decomposed_unicode_is_read_and_spanned() -> None:
    text = original(HA_TINH)
    row = rows_of(HA_TINH)[20]
    assert row.budget is not None
    printed = text[row.budget.span.start : row.budget.span.end]
    assert printed != unicodedata.normalize("NFC", printed)  # this cell is printed in NFD
    assert row.budget_text == "Phường, xã, thị trấn chủ động bố trí"


# ---------------------------------------------------------------------------- grammar


@pytest.mark.parametrize(
    ("header", "role"),
    [
        ("TT", "index"),
        ("STT", "index"),
        ("Số thứ tự", "index"),
        ("Nội dung", "task"),
        ("NHIỆM VỤ", "task"),
        ("Nhiệm vụ cụ thể", "task"),
        ("Nội dung công việc", "task"),
        ("Sản phẩm/Kết quả", "product"),
        ("Kết quả đầu ra", "product"),
        ("CƠ QUAN\nCHỦ TRÌ", "lead"),
        ("Đơn vị chủ trì", "lead"),
        ("Cơ quan thực hiện", "lead"),
        ("Cơ quan phối hợp", "coordinators"),
        ("ĐƠN VỊ PHỐI HỢP", "coordinators"),
        ("Thời gian thực hiện", "timeframe"),
        ("Thời hạn hoàn thành", "timeframe"),
        ("Tiến độ", "timeframe"),
        ("Kinh phí thực hiện", "budget"),
        ("DỰ KIẾN KINH PHÍ", "budget"),
        ("Kinh phí (triệu đồng)", "budget"),
        ("Ghi chú", "note"),
        ("Sở Nội vụ", None),
        ("Thường xuyên trong năm", None),
        ("Tuyên truyền nội dung các văn bản mới về cải cách hành chính trên sóng phát thanh", None),
    ],
)
def test_column_roles_by_meaning(header: str, role: str | None) -> None:
    assert column_role(header) == role


@pytest.mark.parametrize(
    ("cell", "amount", "alone"),
    [
        ("48.000.000", 48_000_000, True),
        ("19.800.000 đồng", 19_800_000, True),
        ("19.800.000đ", 19_800_000, True),
        ("120,000,000 VNĐ", 120_000_000, True),
        ("50 000 000", 50_000_000, True),
        ("50 triệu", 50_000_000, True),
        ("50 triệu đồng", 50_000_000, True),
        ("1,5 tỷ đồng", 1_500_000_000, True),
        ("- 30.000.000", 30_000_000, True),
        ("30.000.000 (ngân sách tỉnh)", 30_000_000, False),
        ("Kinh phí thường xuyên của các đơn vị", None, False),
        ("01 lần/quý", None, False),
        ("Ngân sách tỉnh: 20.000.000; xã hội hóa: 10.000.000", None, False),
    ],
)
def test_amounts(cell: str, amount: int | None, alone: bool) -> None:
    assert read_amount(cell) == (amount, alone)


def test_amount_unit_from_the_header() -> None:
    assert read_amount("20,5", scale=1_000_000) == (20_500_000, True)
    assert read_amount("20.000.000 đồng", scale=1_000_000) == (20_000_000, True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "- Sử dụng kinh phí cấp hàng năm cho Cổng/Trang\n- Các huyện, thành phố, thị xã tự bố trí",
            "Sử dụng kinh phí cấp hàng năm cho Cổng/Trang; Các huyện, thành phố, thị xã tự bố trí",
        ),
        (
            "- Chương trình “Gặp gỡ và đối thoại” trên Đài Phát thanh - Truyền hình.",
            "Chương trình “Gặp gỡ và đối thoại” trên Đài Phát thanh - Truyền hình.",
        ),
        ("Tuyên truyền trên hệ thống\nTrạm truyền thanh  cơ sở", "Tuyên truyền trên hệ thống Trạm truyền thanh cơ sở"),
        ("- Văn bản chỉ đạo,\nhướng dẫn;\n• Báo cáo.", "Văn bản chỉ đạo, hướng dẫn; Báo cáo"),
        ("Các hình thức:\n- Tờ gấp;\n- Pa nô.", "Các hình thức; Tờ gấp; Pa nô"),
        # A line broken before a name's or a range's dash goes on; in a list, a dash opens an item.
        ("Chuyên mục trên Đài Phát thanh\n- Truyền hình tỉnh", "Chuyên mục trên Đài Phát thanh - Truyền hình tỉnh"),
        ("Kế hoạch giai đoạn 2016\n– 2020", "Kế hoạch giai đoạn 2016 – 2020"),
        ("- Tin bài trên Đài Phát thanh\n- Truyền hình tỉnh", "Tin bài trên Đài Phát thanh; Truyền hình tỉnh"),
    ],
)
def test_cell_words(text: str, words: str) -> None:
    assert cell_words(text) == words


def test_a_body_cell_broken_before_its_names_dash_names_the_body() -> None:
    """A lead cell of a narrow column, as a PDF's text or a text copied from one gives it."""
    text = (
        "KẾ HOẠCH\nTuyên truyền cải cách hành chính năm 2020 của UBND tỉnh Hà Tĩnh\n\n"
        "\tTT\n\tNHIỆM VỤ\n\tCƠ QUAN CHỦ TRÌ\n\tCƠ QUAN PHỐI HỢP\n\n"
        "\t1\n\tTuyên truyền trên sóng phát thanh\n\tĐài Phát thanh\n- Truyền hình tỉnh\n\tSở Nội vụ;\n- Sở Tư pháp\n\n"
    )
    (task,) = extract_plan(SourceDocument(Path("plan.txt"), "0" * 64, clean(text))).tasks
    assert [body.canonical for body in task.lead] == ["Đài Phát thanh và Truyền hình tỉnh Hà Tĩnh"]
    assert [body.canonical for body in task.coordinators] == ["Sở Nội vụ tỉnh Hà Tĩnh", "Sở Tư pháp tỉnh Hà Tĩnh"]


MARKDOWN = """Phụ lục

| STT | Nội dung công việc | Đơn vị chủ trì | Đơn vị phối hợp | Thời gian hoàn thành | Kinh phí (triệu đồng) |
|---|---|---|---|---|---|
| I | Cấp tỉnh | | | | |
| 1 | Tổ chức hội nghị tập huấn | Sở Nội vụ | Sở Tư pháp | Quý II/2021 | 50 |
| 2 | In tờ gấp | Sở Thông tin và Truyền thông | | Quý III/2021 | 20,5 |
| II | Cấp huyện | | | | |
| 3 | Phát thanh cơ sở | UBND cấp huyện | | Hằng tháng | Ngân sách huyện |
| | **Tổng cộng** | | | | **70,5** |

Các sở, ngành triển khai thực hiện.
"""


def test_markdown_table_with_group_headings_and_a_unit_in_the_header() -> None:
    (table,) = find_task_tables(clean(MARKDOWN))
    assert [r.task.text for r in table.rows] == ["Tổ chức hội nghị tập huấn", "In tờ gấp", "Phát thanh cơ sở"]
    assert [r.budget_vnd for r in table.rows] == [50_000_000, 20_500_000, None]
    assert table.rows[2].budget_text == "Ngân sách huyện"
    assert table.stated_total_vnd == 70_500_000 == table.budget_sum_vnd
    assert table.total_span is not None and MARKDOWN[table.total_span.start : table.total_span.end] == "70,5"
    assert_spans_hold_the_words(MARKDOWN, [table])


STACKED = (
    "PHỤ LỤC\n\n\tSTT\n\tNội dung\n\tĐơn vị\nchủ trì\n\tThời gian\n\tKinh phí\n\n"
    "\t1\n\tHội nghị đối thoại\n\tSở Nội vụ\n\tQuý I\n\t10.000.000\n\n"
    "\t2\n\t\n\tSở Tư pháp\n\tQuý II\n\t5.000.000\n\n"
    "\tTổng cộng\n\t15.000.000\n\nNơi nhận:\n- Như trên;\n"
)


def test_word_export_with_an_empty_merged_cell_and_a_short_totals_row() -> None:
    (table,) = find_task_tables(clean(STACKED))
    assert [(r.task.text, r.lead.text if r.lead else None) for r in table.rows] == [
        ("Hội nghị đối thoại", "Sở Nội vụ"),
        ("Hội nghị đối thoại", "Sở Tư pháp"),
    ]
    assert table.rows[1].inherited == {"task"}
    assert table.stated_total_vnd == 15_000_000
    # Merged budgets count once in the sum; here each row has its own.
    assert table.budget_sum_vnd == 15_000_000
    assert "Nơi nhận" not in STACKED[table.span.start : table.span.end]


PAGE_BROKEN = (
    "\tSTT\n\tNội dung\n\tCơ quan chủ trì\n\tThời gian\n\n\t(1)\n\t(2)\n\t(3)\n\t(4)\n\n"
    "\t1\n\tTập huấn nghiệp vụ\n\tSở Nội vụ\n\tQuý I và\n\n"
    "\tSTT\n\tNội dung\n\tCơ quan chủ trì\n\tThời gian\n\n"
    "\t\n\tcho cán bộ cấp xã\n\t\n\tquý II/2021\n\n"
    "\t2\n\tKhảo sát sự hài lòng\n\tSở Nội vụ\n\tQuý IV\n\n"
)


def test_word_export_cut_by_a_page_break_with_column_numbers() -> None:
    (table,) = find_task_tables(clean(PAGE_BROKEN))
    assert [(r.task.text, r.timeframe.text if r.timeframe else None) for r in table.rows] == [
        ("Tập huấn nghiệp vụ cho cán bộ cấp xã", "Quý I và quý II/2021"),
        ("Khảo sát sự hài lòng", "Quý IV"),
    ]
    assert_spans_hold_the_words(PAGE_BROKEN, [table])


def test_word_export_with_a_page_number_before_the_header_printed_again() -> None:
    # The page number after a full row's blank line is no part of the row's last cell.
    text = (
        "\tSTT\n\tNội dung\n\tChủ trì\n\tKinh phí (triệu đồng)\n\n"
        "\t1\n\tTập huấn\n\tSở Nội vụ\n\t300\n\n6\n"
        "\tSTT\n\tNội dung\n\tChủ trì\n\tKinh phí (triệu đồng)\n\n"
        "\t2\n\tKhảo sát\n\tSở Tư pháp\n\t200\n\n"
    )
    (table,) = find_task_tables(clean(text))
    assert [(r.task.text, r.budget_vnd) for r in table.rows] == [("Tập huấn", 300_000_000), ("Khảo sát", 200_000_000)]
    assert_spans_hold_the_words(text, [table])


def test_total_written_in_one_cell_after_a_page_number() -> None:
    text = (
        "TT\tNội dung\tChủ trì\tKinh phí\n1\tViệc A\tSở Nội vụ\t48.000.000\n\n- 2 -\n\n"
        "2\tViệc B\tSở Tư pháp\t50 triệu\n"
        "Tổng cộng: 98.000.000 đồng\n\nNgoài ra, các sở triển khai.\n"
    )
    (table,) = find_task_tables(clean(text))
    assert [r.budget_vnd for r in table.rows] == [48_000_000, 50_000_000]
    assert table.stated_total_vnd == 98_000_000 == table.budget_sum_vnd


def test_two_tables_one_after_the_other() -> None:
    text = (
        "TT\tNội dung\tChủ trì\tThời gian\n1\tViệc A\tSở Nội vụ\tQuý I\n\n"
        "STT\tHoạt động\tĐơn vị thực hiện\tKinh phí\n1\tViệc B\tSở Tư pháp\t10.000.000\n"
    )
    first, second = find_task_tables(clean(text))
    assert [(r.task.text, r.lead.text if r.lead else None, r.budget_vnd) for r in first.rows] == [
        ("Việc A", "Sở Nội vụ", None)
    ]
    assert [(r.task.text, r.lead.text if r.lead else None, r.budget_vnd) for r in second.rows] == [
        ("Việc B", "Sở Tư pháp", 10_000_000)
    ]


def test_a_table_naming_lead_bodies_is_a_task_table_whatever_its_task_column_is_called() -> None:
    text = (
        "STT\tTên TTHC/nhóm TTHC\tLĩnh vực\tCơ quan chủ trì rà soát\tCơ quan phối hợp\tThời gian\n"
        "1\tCấp giấy phép xây dựng\tXây dựng\tSở Xây dựng\tSở Tài chính\tTháng 7/2024\n"
    )
    (table,) = find_task_tables(clean(text))
    (row,) = table.rows
    assert (row.task.text, row.lead.text, row.coordinators.text) == (
        "Cấp giấy phép xây dựng",
        "Sở Xây dựng",
        "Sở Tài chính",
    )


def test_a_second_header_row_names_the_columns_a_spanning_cell_covers() -> None:
    # A Word table saved as text: "Cơ quan thực hiện" spans two columns whose roles the
    # row below gives; both header rows are printed again after a page break.
    header = "TT\tNội dung nhiệm vụ\tCơ quan thực hiện\t\tThời gian\tKinh phí\n\t\tChủ trì\tPhối hợp\t\t\n"
    text = (
        f"{header}1\tRà soát TTHC\tVăn phòng UBND tỉnh\tSở Tư pháp, Sở Y tế\tQuý I\t50 triệu đồng\n"
        f"{header}2\tTuyên truyền\tSở Nội vụ\tBáo Hà Tĩnh\tNăm 2022\t\n"
    )
    (table,) = find_task_tables(clean(text))
    assert [(r.task.text, r.lead.text, r.coordinators.text, r.budget_vnd) for r in table.rows] == [
        ("Rà soát TTHC", "Văn phòng UBND tỉnh", "Sở Tư pháp, Sở Y tế", 50_000_000),
        ("Tuyên truyền", "Sở Nội vụ", "Báo Hà Tĩnh", None),
    ]


def test_rows_without_a_number_column_and_a_continuation() -> None:
    # Without a TT column the task cell opens a row; an empty one continues the row above.
    text = (
        "Nội dung\tCơ quan chủ trì\tThời gian\n"
        "Tập huấn nghiệp vụ cho công chức cấp xã\tSở Nội vụ\tTháng 3/2021\n"
        "\t\tvà tháng 9/2021\n"
        "Khảo sát sự hài lòng\tSở Nội vụ\tTháng 12/2021\n"
    )
    (table,) = find_task_tables(clean(text))
    assert [r.task.words for r in table.rows] == ["Tập huấn nghiệp vụ cho công chức cấp xã", "Khảo sát sự hài lòng"]
    assert table.rows[0].timeframe is not None and table.rows[0].timeframe.text == "Tháng 3/2021 và tháng 9/2021"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n\t\n",
        "Kế hoạch tuyên truyền.\nTT\tHọ và tên\tChức vụ\n1\tNguyễn Văn A\tGiám đốc\n",
        "\tTT\n\tNội dung\n\tChủ trì\n",
        "TT\tNội dung\tChủ trì\tThời gian\n",
        "TT\tNội dung\tChủ trì\tThời gian\nTổng cộng\t\t\t\n",
    ],
)
def test_no_task_table(text: str) -> None:
    assert find_task_tables(clean(text)) == []


_PIECES = st.sampled_from(
    [
        "\t",
        "\n",
        "\n\n",
        "|",
        "---",
        " ",
        "TT",
        "STT",
        "Nội dung",
        "Nhiệm vụ",
        "CƠ QUAN",
        "CHỦ TRÌ",
        "Phối hợp",
        "Thời gian",
        "Kinh phí",
        "Ghi chú",
        "1",
        "2.",
        "IV",
        "a)",
        "Tổng cộng",
        "Cộng",
        "48.000.000",
        "50 triệu",
        "- ",
        "• ",
        "Sở Nội vụ",
        "e\u0301",
        "**",
        "<b>",
        "đ",
        "(",
        ")",
        "0",
        "tỷ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=80))
def test_garbage_never_raises(pieces: list[str]) -> None:
    text = "".join(pieces)
    for table in find_task_tables(clean(text)):
        assert 0 <= table.span.start <= table.span.end <= len(text)
        for row in table.rows:
            assert row.task.text
            for name in FIELDS:
                cell = getattr(row, name)
                assert cell is None or 0 <= cell.span.start <= cell.span.end <= len(text)


# ---------------------------------------------------------------------------- Word


def build_docx(
    path: Path,
    header: Sequence[Sequence[str]],
    rows: Sequence[Sequence[str]],
    merges: Sequence[tuple[int, int, int, int]] = (),
) -> Path:
    """A .docx with a paragraph, one table, a paragraph. ``header`` then ``rows`` fill the
    table (a cell's lines become paragraphs); each merge (row, col, to_row, to_col), in
    table row numbers, joins a block of cells as Word does (vMerge / gridSpan)."""
    document = Document()
    document.add_paragraph("PHỤ LỤC\nNỘI DUNG VÀ HÌNH THỨC TUYÊN TRUYỀN")
    table = document.add_table(rows=len(header) + len(rows), cols=max(len(r) for r in [*header, *rows]))
    for r, cells in enumerate([*header, *rows]):
        for c, text in enumerate(cells):
            cell = table.cell(r, c)
            lines = text.split("\n")
            cell.paragraphs[0].text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    for r, c, to_r, to_c in merges:
        table.cell(r, c).merge(table.cell(to_r, to_c))
    document.add_paragraph("Nơi nhận:")
    document.save(path)
    return path


HA_TINH_HEADER = [
    "TT",
    "NHIỆM VỤ",
    "SẢN PHẨM",
    "CƠ QUAN\nCHỦ TRÌ",
    "CƠ QUAN\nPHỐI HỢP",
    "THỜI GIAN THỰC HIỆN",
    "DỰ KIẾN KINH PHÍ",
    "GHI CHÚ",
]


def ha_tinh_docx(path: Path) -> Path:
    """The Hà Tĩnh annex as the Word table it was: shared task cells merged vertically."""
    rows: list[list[str]] = []
    merges: list[tuple[int, int, int, int]] = []
    for row in rows_of(HA_TINH):
        cells = {name: getattr(row, name) for name in FIELDS}
        rows.append([f"{row.row}.", *("" if c is None or n in row.inherited else c.text for n, c in cells.items())])
        if "task" not in row.inherited:
            continue
        if merges and merges[-1][2] == row.row - 1:
            merges[-1] = (merges[-1][0], 1, row.row, 1)
        else:
            merges.append((row.row - 1, 1, row.row, 1))
    return build_docx(path, [HA_TINH_HEADER], rows, merges)


def test_docx_table_gives_the_gold_tasks(tmp_path: Path) -> None:
    document = read_docx(ha_tinh_docx(tmp_path / "ha-tinh.docx"))
    (table,) = document.task_tables()
    assert_matches_gold(table.rows, gold_tasks(HA_TINH))
    assert [r.row for r in table.rows if r.inherited] == [3, 4, 5, 21]
    assert table.budget_sum_vnd == 1_000_000_000
    assert_spans_hold_the_words(document.text, [table])
    assert document.text.startswith("PHỤ LỤC\n")
    assert document.text.rstrip().endswith("Nơi nhận:")


def test_docx_vertical_merge_repeats_the_cell_above(tmp_path: Path) -> None:
    document = read_docx(ha_tinh_docx(tmp_path / "ha-tinh.docx"))
    grid = document.tables[0].rows
    merged = [r for r, row in enumerate(grid) if row[1].merged_above]
    assert merged == [3, 4, 5, 21]
    assert grid[3][1].text == grid[2][1].text and grid[3][1].span == grid[2][1].span


def test_docx_text_reads_like_the_word_export(tmp_path: Path) -> None:
    document = read_docx(ha_tinh_docx(tmp_path / "ha-tinh.docx"))
    (from_text,) = find_task_tables(document.source().clean)
    (from_grid,) = document.task_tables()
    assert [(r.task.text, r.inherited, r.budget_vnd) for r in from_text.rows] == [
        (r.task.text, r.inherited, r.budget_vnd) for r in from_grid.rows
    ]


def test_markdown_html_table_from_pandoc_gives_the_gold_tasks() -> None:
    """The annex's Word table as pandoc writes it in GitHub-flavoured Markdown: an HTML table,
    its merged task cells as rowspan, a cell's paragraphs as <p>."""
    path = Path(__file__).resolve().parent / "fixtures" / "pandoc" / "ha-tinh-annex.gfm.md"
    source = read_source(path)
    assert_is_the_ha_tinh_annex(source)
    assert "<" not in source.clean.text


def test_a_plans_docx_lead_merged_over_rows_leads_each(tmp_path: Path) -> None:
    """Its text leaves a merged cell empty below its first row; the Word table says whose it is."""
    header = [["STT", "Nội dung", "Đơn vị chủ trì", "Đơn vị phối hợp", "Kinh phí (đồng)"]]
    rows = [
        ["1", "Rà soát thủ tục hành chính", "Sở Tư pháp", "Sở Nội vụ", "10.000.000"],
        ["2", "Số hóa hồ sơ", "", "Công an tỉnh", "20.000.000"],
        ["3", "Tuyên truyền", "Sở Nội vụ", "Báo Hà Tĩnh", "30.000.000"],
    ]
    path = build_docx(tmp_path / "plan.docx", header, rows, [(1, 2, 2, 2)])
    plan = extract_plan(read_source(path))
    assert [([b.canonical for b in t.lead], t.inherited) for t in plan.tasks] == [
        (["Sở Tư pháp tỉnh Hà Tĩnh"], set()),
        (["Sở Tư pháp tỉnh Hà Tĩnh"], {"lead"}),
        (["Sở Nội vụ tỉnh Hà Tĩnh"], set()),
    ]
    assert [t.budget_vnd for t in plan.tasks] == [10_000_000, 20_000_000, 30_000_000]


def test_docx_two_row_header_spans_and_merged_numbers(tmp_path: Path) -> None:
    header = [
        ["STT", "Nội dung", "Cơ quan thực hiện", "", "Kinh phí (triệu đồng)"],
        ["", "", "Chủ trì", "Phối hợp", ""],
    ]
    rows = [
        ["1", "Tọa đàm về cải cách hành chính", "Sở Nội vụ", "Đài PTTH tỉnh", "50"],
        ["", "", "Báo tỉnh", "Sở Tư pháp", "30,5"],
        ["2", "Khảo sát sự hài lòng", "Sở Nội vụ", "", "Kinh phí thường xuyên"],
        ["Tổng cộng", "", "", "", "80,5"],
    ]
    merges = [(0, 2, 0, 3), (0, 0, 1, 0), (0, 1, 1, 1), (0, 4, 1, 4), (2, 0, 3, 0), (2, 1, 3, 1), (5, 0, 5, 3)]
    document = read_docx(build_docx(tmp_path / "plan.docx", header, rows, merges))
    (table,) = document.task_tables()
    assert [
        (r.task.text, r.lead.text if r.lead else None, r.coordinators.text if r.coordinators else None)
        for r in table.rows
    ] == [
        ("Tọa đàm về cải cách hành chính", "Sở Nội vụ", "Đài PTTH tỉnh"),
        ("Tọa đàm về cải cách hành chính", "Báo tỉnh", "Sở Tư pháp"),
        ("Khảo sát sự hài lòng", "Sở Nội vụ", None),
    ]
    assert table.rows[1].inherited == {"task"}
    assert [r.budget_vnd for r in table.rows] == [50_000_000, 30_500_000, None]
    assert table.rows[2].budget_text == "Kinh phí thường xuyên"
    assert table.stated_total_vnd == 80_500_000 == table.budget_sum_vnd
    assert table.total_span is not None and document.text[table.total_span.start : table.total_span.end] == "80,5"


def test_docx_without_a_task_table(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "list.docx", [["TT", "Họ và tên", "Chức vụ"]], [["1", "Nguyễn Văn A", "Giám đốc"]])
    document = read_docx(path)
    assert len(document.tables) == 1
    assert document.task_tables() == []


def test_docx_read_errors_name_the_file_and_the_reason(tmp_path: Path) -> None:
    good = build_docx(
        tmp_path / "good.docx", [HA_TINH_HEADER], [["1.", "Nội dung", "", "Sở Nội vụ", "", "Quý I", "", ""]]
    )
    data = good.read_bytes()
    cases = {
        "truncated.docx": (data[: len(data) // 2], "no ZIP package"),
        "empty.docx": (b"", "empty file"),
        "plain.docx": ("Kế hoạch".encode(), "no ZIP package"),
    }
    for name, (content, reason) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        with pytest.raises(ReadError, match=reason) as caught:
            read_docx(path)
        assert caught.value.path == path and name in str(caught.value)
    damaged = bytearray(data)
    middle = len(damaged) // 3
    damaged[middle : middle + 200] = bytes(b ^ 0xFF for b in damaged[middle : middle + 200])
    (tmp_path / "damaged.docx").write_bytes(bytes(damaged))
    with pytest.raises(ReadError, match=r"damaged\.docx"):
        read_docx(tmp_path / "damaged.docx")
    with pytest.raises(ReadError, match="cannot read"):
        read_docx(tmp_path / "missing.docx")


def test_docx_plan_through_the_whole_extraction_gives_the_gold_task_bodies(tmp_path: Path) -> None:
    extraction = extract_plan(read_source(ha_tinh_docx(tmp_path / "ha-tinh.docx")))
    gold = gold_tasks(HA_TINH)
    assert [t.row for t in extraction.tasks] == [t["row"] for t in gold]
    for task, expected in zip(extraction.tasks, gold, strict=True):
        assert {b.canonical for b in task.lead} == set(expected["lead"]), task.row
        assert {b.canonical for b in task.coordinators} == set(expected["coordinators"]), task.row
        assert task.budget_vnd == expected["budget_vnd"], task.row
