"""Write the eight notebook templates (run once; the committed notebooks are its output, executed).

Each notebook: an explanation (tagged "explain", hidden in reports), one `parameters` cell,
then one call per step. Logic lives in cchc_lib.
"""

from __future__ import annotations

from pathlib import Path

import nbformat as nbf

from cchc_lib.domain.catalog import load_catalog

ROOT = Path(__file__).resolve().parents[1]
# Notebook, area code and title of each area, from the catalog (the one source of labels).
AREAS = [(a.notebook, a.code, a.label) for a in load_catalog().areas]
PARAMS = '''unit: str = "tinh-mau"  # mã đơn vị (data/raw/units.csv)
period: str = "2026-H1"  # kỳ báo cáo: YYYY-Q1, YYYY-H1, YYYY-Q3, YYYY-9M, YYYY-Y (cả Q2, Q4)
processed_dir: str = ""  # thư mục data/processed đã kiểm tra (trống: mặc định của dự án)
params_dir: str = ""  # thư mục params/reports (trống: mặc định của dự án)'''


def md(text: str, explain: bool = True):
    cell = nbf.v4.new_markdown_cell(text)
    if explain:
        cell.metadata["tags"] = ["explain"]
    return cell


def code(src: str, tags: list[str] | None = None):
    cell = nbf.v4.new_code_cell(src)
    if tags:
        cell.metadata["tags"] = tags
    return cell


def area_notebook(name: str, area: str, title: str):
    nb = nbf.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [
        md(f"# {title}\n\nBáo cáo lĩnh vực **{title.lower()}** cho một đơn vị và một kỳ. "
           "Sửa ô tham số rồi chạy lại từ đầu (Run All), hoặc chạy bằng papermill:\n\n"
           f"```\npapermill notebooks/{name}.ipynb out.ipynb -p unit tp-bien-hoa -p period 2024-H1\n```\n\n"
           "Mọi số liệu được tính trong `cchc_lib` từ bảng đã kiểm tra (data/processed); sổ này chỉ hiển thị."),
        code(PARAMS, ["parameters"]),
        md("Nạp số liệu đã kiểm tra (pandera) và tham số báo cáo của đơn vị, kỳ."),
        code(f'from cchc_lib.reporting import report\n\nAREA = "{area}"\nctx = report.load(unit, period, processed_dir, params_dir)\n'
             f'report.show_header(ctx, "{title}")'),
        md("Bảng số liệu chủ yếu: kỳ này, cùng kỳ năm trước, thay đổi, chỉ tiêu và đánh giá."),
        code('report.show(ctx, "key", AREA)'),
        md("Biểu đồ (SVG, tái lập được từng byte)."),
        code('report.show(ctx, "charts", AREA)'),
        md("Các đơn vị trực thuộc, xếp hạng; ô chưa đạt chỉ tiêu được tô đỏ."),
        code('report.show(ctx, "children", AREA)'),
        md("Đoạn văn tự sinh từ số liệu, rồi ý kiến của đơn vị (params)."),
        code('report.show(ctx, "prose", AREA)\nreport.show(ctx, "analyst", AREA)'),
        md("Ghi chú số liệu: số liệu còn thiếu, nguồn số liệu, cảnh báo khi kiểm tra."),
        code('report.show(ctx, "notes", AREA)'),
        code(f'report.show(ctx, "provenance", AREA, notebook="{name}")'),
    ]
    return nb


def master_notebook():
    nb = nbf.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    cells = [
        md("# Báo cáo tổng hợp (văn bản hành chính)\n\nBáo cáo kết quả thực hiện công tác cải cách hành chính của "
           "một đơn vị trong một kỳ, trình bày theo Nghị định 30/2020/NĐ-CP. Cùng số liệu và câu chữ với các sổ "
           "lĩnh vực (một nguồn duy nhất trong `cchc_lib`). Thông tin văn bản (số, ngày, nơi gửi, người ký, "
           "ý kiến của đơn vị) lấy từ `params/reports/<kỳ>/<đơn vị>.yaml`.\n\n"
           "```\npapermill notebooks/report.ipynb out.ipynb -p unit tp-bien-hoa -p period 2024-H1\n```"),
        code(PARAMS, ["parameters"]),
        code("from cchc_lib.reporting import official, report\n\nctx = report.load(unit, period, processed_dir, params_dir)\n"
             'official.show(ctx, "header")'),
        code('official.show(ctx, "intro")'),
        code('official.show(ctx, "direction")'),
        code('official.show(ctx, "results")'),
        code('official.show(ctx, "assessment")'),
        code('official.show(ctx, "directions")'),
        code('official.show(ctx, "recommendations")'),
        code('official.show(ctx, "closing")'),
        code('official.show(ctx, "appendix")'),
        code('official.show(ctx, "notes")\nofficial.show(ctx, "provenance")'),
    ]
    nb.cells = cells
    return nb


def main() -> None:
    out = ROOT / "notebooks"
    out.mkdir(exist_ok=True)
    for name, area, title in AREAS:
        nbf.write(area_notebook(name, area, title), out / f"{name}.ipynb")
    nbf.write(master_notebook(), out / "report.ipynb")


if __name__ == "__main__":
    main()
