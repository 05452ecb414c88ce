"""Importing and exporting the unit directory: preview, all-or-nothing apply, round trips."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied

from gongkai.audit.models import AuditAction, AuditEvent
from gongkai.units.actions import ImportRejected, create_unit, import_units
from gongkai.units.exporting import export_units
from gongkai.units.importing import RowAction, preview
from gongkai.units.models import Unit, UnitKind
from gongkai.units.sheets import SheetError, TableFormat, read_table
from tests.conftest import Cast

HEADER = ["名称", "简称", "别名", "类型", "上级单位", "单位代码", "在用"]


def xlsx(rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8-sig") -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode(encoding)


def unit_events(unit: Unit) -> list[AuditEvent]:
    return list(AuditEvent.objects.for_object(unit))


# -- preview ----------------------------------------------------------------------------------


def test_preview_sorts_rows_into_create_update_and_unchanged(cast: Cast) -> None:
    data = xlsx(
        [
            HEADER,
            ["区司法局", "司法局", "", "部门", "区人民政府办公室", "", "是"],
            ["区财政局", "财政", "", "部门", "区人民政府办公室", "", "是"],
            ["区审计局", "审计局", "", "department", "区人民政府办公室", "", "是"],
        ]
    )
    result = preview(data, "名录.xlsx")
    assert [(r.name, r.action) for r in result.rows] == [
        ("区司法局", RowAction.UNCHANGED),
        ("区财政局", RowAction.UPDATE),
        ("区审计局", RowAction.CREATE),
    ]
    assert result.rows[1].changes == {"short_name": ("财政局", "财政")}
    assert result.rows[1].change_list == [("简称", "财政局", "财政")]
    assert [r.line for r in result.rows] == [2, 3, 4]
    assert not result.has_errors


def test_preview_explains_each_bad_row_in_chinese(cast: Cast) -> None:
    data = xlsx(
        [
            HEADER,
            ["区应急局", "", "", "委员会", "", "", "是"],
            ["", "无名", "", "部门", "", "", "是"],
            ["区水务局", "", "", "部门", "区不存在局", "", "是"],
            ["区审计局", "", "", "部门", "", "", "是"],
            ["区审计局", "", "", "部门", "", "", "是"],
            ["区统计局", "", "", "部门", "", "", "也许"],
            ["区档案馆", "", "", "", "", "", "是"],
            ["区自己局", "", "", "部门", "区自己局", "", "是"],
        ]
    )
    rows = preview(data, "名录.xlsx").rows
    errors = {r.line: r.errors for r in rows}
    assert errors[2] == [
        "类型「委员会」无法识别，可填：政府（办公室）、部门、镇（街道）、县（市、区）、事业单位、其他"
    ]
    assert errors[3] == ["名称不能为空"]
    assert errors[4] == ["上级单位「区不存在局」既不是现有单位，也不在本文件中"]
    assert errors[5] == []
    assert errors[6] == ["名称与第 5 行重复"]
    assert errors[7] == ["在用「也许」无法识别，请填“是”或“否”"]
    assert errors[8] == ["新建单位必须填写类型"]
    assert errors[9] == ["上级单位不能是本单位"]
    assert [r.action for r in rows if r.errors] == [RowAction.ERROR] * 7


def test_a_parent_cycle_through_the_file_and_the_directory_is_refused(cast: Cast) -> None:
    # 区人民政府办公室 is 区司法局's parent today; making it 区司法局's child closes a loop.
    data = xlsx([["名称", "上级单位"], ["区人民政府办公室", "区司法局"]])
    (row,) = preview(data, "名录.xlsx").rows
    assert row.errors == ["上级单位关系形成循环：区人民政府办公室 → 区司法局 → 区人民政府办公室"]


def test_the_header_may_sit_below_title_rows_and_be_in_english(cast: Cast) -> None:
    data = csv_bytes(
        [
            ["区直单位名录", "", ""],
            ["（2025年版）", "", ""],
            ["Name", "short_name", "Kind"],
            ["区审计局", "审计局", "部门"],
        ]
    )
    (row,) = preview(data, "units.csv").rows
    assert (row.name, row.action, row.values) == (
        "区审计局",
        RowAction.CREATE,
        {"short_name": "审计局", "kind": UnitKind.DEPARTMENT},
    )


def test_a_header_below_the_fifth_row_is_not_found(cast: Cast) -> None:
    data = csv_bytes([["说明"]] * 5 + [["名称"], ["区审计局"]])
    with pytest.raises(SheetError, match="前 5 行中没有找到表头"):
        preview(data, "units.csv")


def test_columns_missing_from_the_file_are_left_alone(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.justice.pk).update(code="JUS-01")
    data = xlsx([["名称", "简称"], ["区司法局", "司法"]])
    (row,) = preview(data, "名录.xlsx").rows
    assert row.changes == {"short_name": ("司法局", "司法")}
    import_units(cast.office, preview(data, "名录.xlsx"))
    cast.justice.refresh_from_db()
    assert (cast.justice.short_name, cast.justice.code) == ("司法", "JUS-01")
    assert cast.justice.parent == cast.gov


@pytest.mark.parametrize(
    ("cell", "kind"),
    [
        ("部门", UnitKind.DEPARTMENT),
        ("department", UnitKind.DEPARTMENT),
        ("县（市、区）", UnitKind.COUNTY),
        ("县(市、区)", UnitKind.COUNTY),
        ("镇（街道）", UnitKind.TOWN),
        ("街道", UnitKind.TOWN),
        ("事业单位", UnitKind.INSTITUTION),
        ("GOVERNMENT", UnitKind.GOVERNMENT),
    ],
)
def test_a_kind_may_be_written_as_its_chinese_label_or_its_code(
    cast: Cast, cell: str, kind: UnitKind
) -> None:
    (row,) = preview(csv_bytes([["名称", "类型"], ["某单位", cell]]), "u.csv").rows
    assert row.values["kind"] == kind


def test_a_gbk_csv_from_excel_on_chinese_windows_is_read(cast: Cast) -> None:
    data = csv_bytes([["名称", "类型"], ["区审计局", "部门"]], encoding="gb18030")
    (row,) = preview(data, "units.csv").rows
    assert row.name == "区审计局"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"name,kind\r\n", "units.xlsx", "不是有效的 Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "units.xlsx", "旧版 .xls"),
        (b"anything", "units.xls", "不支持旧版 .xls"),
        (b"anything", "units.txt", "仅支持 .xlsx 和 .csv"),
        (b"anything", "units", "仅支持 .xlsx 和 .csv"),
        (b"PK\x03\x04 not really a zip", "units.xlsx", "不是有效的 Excel"),
        (b"a,b\x00c", "units.csv", "不是文本格式的 CSV"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(
    data: bytes, filename: str, message: str
) -> None:
    with pytest.raises(SheetError, match=message):
        read_table(data, filename)


def test_a_zip_that_is_not_a_workbook_is_refused_even_when_named_xlsx() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SheetError, match="不是有效的 Excel"):
        read_table(out.getvalue(), "units.xlsx")


def test_an_xlsx_sent_with_a_csv_name_is_refused() -> None:
    with pytest.raises(SheetError, match="可能是 Excel 文件"):
        read_table(xlsx([["名称"]]), "units.csv")


def test_a_file_with_only_a_header_has_nothing_to_import(cast: Cast) -> None:
    with pytest.raises(SheetError, match="没有数据行"):
        preview(xlsx([HEADER, [None] * 7]), "名录.xlsx")


# -- apply ------------------------------------------------------------------------------------


def test_a_child_row_before_its_parent_row_is_created_under_it(cast: Cast) -> None:
    data = xlsx(
        [
            HEADER,
            [
                "区司法局法律援助中心",
                "法援中心",
                "法律援助中心、区法援中心",
                "事业单位",
                "区司法局二分局",
                "A-1",
                "是",
            ],
            ["区司法局二分局", "", "", "部门", "区司法局", "", "是"],
        ]
    )
    result = import_units(cast.office, preview(data, "名录.xlsx"))
    assert result.as_dict() == {"created": 2, "updated": 0, "unchanged": 0}
    centre = Unit.objects.get(name="区司法局法律援助中心")
    assert centre.parent is not None and centre.parent.name == "区司法局二分局"
    assert centre.parent.parent == cast.justice
    assert centre.aliases == ["法律援助中心", "区法援中心"]
    assert (centre.kind, centre.code, centre.active) == (UnitKind.INSTITUTION, "A-1", True)
    (event,) = unit_events(centre)
    assert event.action == AuditAction.CREATE
    assert event.actor == cast.office
    assert "名录.xlsx" in event.comment


def test_an_update_is_audited_with_the_fields_that_changed(cast: Cast) -> None:
    data = xlsx([["名称", "在用", "单位代码"], ["区财政局", "否", "F-9"]])
    import_units(cast.office, preview(data, "名录.xlsx"))
    cast.finance.refresh_from_db()
    assert (cast.finance.active, cast.finance.code) == (False, "F-9")
    (event,) = unit_events(cast.finance)
    assert event.action == AuditAction.CHANGE
    assert event.changes == {"active": [True, False], "code": ["", "F-9"]}


def test_one_bad_row_means_nothing_is_written(cast: Cast) -> None:
    data = xlsx(
        [
            HEADER,
            ["区审计局", "", "", "部门", "", "", "是"],
            ["区统计局", "", "", "委员会", "", "", "是"],
        ]
    )
    before_units, before_events = Unit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(ImportRejected, match="第 3 行：类型「委员会」无法识别"):
        import_units(cast.office, preview(data, "名录.xlsx"))
    assert (Unit.objects.count(), AuditEvent.objects.count()) == (before_units, before_events)


def test_a_failure_part_way_through_rolls_back_the_rows_already_written(cast: Cast) -> None:
    data = xlsx(
        [
            HEADER,
            ["区审计局", "", "", "部门", "", "", "是"],
            ["区统计局", "", "", "部门", "", "", "是"],
        ]
    )
    checked = preview(data, "名录.xlsx")
    # Someone adds 区统计局 between the preview and the import.
    create_unit(cast.office, name="区统计局", kind=UnitKind.DEPARTMENT)
    before_units, before_events = Unit.objects.count(), AuditEvent.objects.count()
    with pytest.raises(Exception, match="名称"):
        import_units(cast.office, checked)
    assert not Unit.objects.filter(name="区审计局").exists()
    assert (Unit.objects.count(), AuditEvent.objects.count()) == (before_units, before_events)


def test_only_the_office_may_import(cast: Cast) -> None:
    data = xlsx([HEADER, ["区审计局", "", "", "部门", "", "", "是"]])
    for user in (cast.justice_liaison, cast.evaluator, cast.justice_leader):
        with pytest.raises(PermissionDenied):
            import_units(user, preview(data, "名录.xlsx"))
    assert not Unit.objects.filter(name="区审计局").exists()


# -- export -----------------------------------------------------------------------------------


@pytest.fixture
def varied(cast: Cast) -> Cast:
    """Units that exercise every column: aliases, codes with leading zeros, retired, formulas."""
    Unit.objects.filter(pk=cast.justice.pk).update(aliases=["区司法行政局", "司法"], code="007")
    Unit.objects.create(
        name="岱岳区", kind=UnitKind.COUNTY, parent=cast.gov, code="=1+2", active=False
    )
    Unit.objects.create(name="-临时专班", kind=UnitKind.OTHER, short_name="@专班")
    return cast


@pytest.mark.parametrize("fmt", list(TableFormat))
def test_export_then_import_changes_nothing(varied: Cast, fmt: TableFormat) -> None:
    data = export_units(Unit.objects.select_related("parent"), fmt)
    result = preview(data, f"名录.{fmt.value}")
    assert not result.has_errors
    assert {r.action for r in result.rows} == {RowAction.UNCHANGED}
    assert len(result.rows) == Unit.objects.count() == 5
    assert result.fields == ["name", "short_name", "aliases", "kind", "parent", "code", "active"]


def test_the_export_uses_the_import_columns_and_readable_values(varied: Cast) -> None:
    data = export_units(Unit.objects.select_related("parent"), TableFormat.XLSX)
    rows = read_table(data, "名录.xlsx")
    assert rows[0] == HEADER
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["区司法局"] == [
        "区司法局",
        "司法局",
        "区司法行政局、司法",
        "部门",
        "区人民政府办公室",
        "007",
        "是",
    ]
    assert by_name["岱岳区"][3:] == ["县（市、区）", "区人民政府办公室", "=1+2", "否"]


def test_a_csv_export_cannot_smuggle_formulas_into_a_spreadsheet(varied: Cast) -> None:
    text = export_units(Unit.objects.select_related("parent"), TableFormat.CSV).decode("utf-8-sig")
    assert "'=1+2" in text and "'-临时专班" in text and "'@专班" in text
    assert ",=1+2" not in text


def test_an_xlsx_export_stores_formula_like_text_as_text(varied: Cast) -> None:
    data = export_units(
        Unit.objects.filter(name="岱岳区").select_related("parent"), TableFormat.XLSX
    )
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    cell = sheet.cell(row=2, column=6)
    assert (cell.value, cell.data_type) == ("=1+2", "s")
