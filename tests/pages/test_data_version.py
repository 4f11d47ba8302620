"""The pages' cached results follow the data, whoever changes it: here an import from the command line."""

from datetime import date

from data_model.db import make_engine, session
from data_model.importer import import_workbook
from data_model.projects import find_project
from tests.helpers import workbook_bytes
from tests.pages.app import login


def indicator_actual(at, seq: int) -> str:
    for frame in at.dataframe:
        table = frame.value
        if "序号" in table and (table["序号"] == seq).any():
            return table.loc[table["序号"] == seq, "实际完成值"].item()
    raise AssertionError(f"indicator {seq} is not shown")


def test_overview_shows_an_import_made_outside_the_app_at_its_next_run(fresh_url):
    at = login("leader")
    assert indicator_actual(at, 7) == "15 套"
    assert at.metric[0].value == "87.98"

    engine = make_engine(fresh_url)
    with session(engine) as s:
        issued = workbook_bytes(
            {"装备发放": [["领用人", "发放日期", "套数", "验收结果"], ["新调解员", date(2024, 12, 20), 1, "合格"]]}
        )
        import_workbook(s, find_project(s), issued, file_name="补报.xlsx", uploaded_by="命令行")
    engine.dispose()
    at.run()

    assert indicator_actual(at, 7) == "16 套"
    assert at.metric[0].value == "88.19"
