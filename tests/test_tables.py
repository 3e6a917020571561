"""The cells of a table with their classes, for the table macro."""

from __future__ import annotations

from cchc_lib.reporting.tables import table_data


def test_table_data_cells_and_classes():
    data = table_data(["Chỉ tiêu", "Số"], [["Hồ sơ", 22296], ["Tỷ lệ", "99,16%"]], table_id="t-1",
                      classes=[["label", ["below", "x"]], ["", ""]], numeric=[False, True], caption="Bảng 1")
    assert data == {"id": "t-1", "caption": "Bảng 1",
                    "head": [{"text": "Chỉ tiêu", "cls": ""}, {"text": "Số", "cls": "num"}],
                    "rows": [[{"text": "Hồ sơ", "cls": "label"}, {"text": "22296", "cls": "num below x"}],
                             [{"text": "Tỷ lệ", "cls": ""}, {"text": "99,16%", "cls": "num"}]]}
    assert table_data(["A"], [[1]], table_id="t")["rows"] == [[{"text": "1", "cls": ""}]]
