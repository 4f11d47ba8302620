"""Upload workbooks for the importer tests: one valid row per sheet, and the database as a user would compare it."""

from datetime import date

from sqlmodel import Session

from data_model.models import ReplacedRecord, UploadBatch
from data_model.sheets import SHEETS, SHEETS_BY_NAME
from tests.helpers import workbook_bytes

# One valid row per sheet, as staff would type it, keyed by header.
GOOD = {
    "支出明细": {
        "凭证号": "PZ-001",
        "支付日期": date(2024, 3, 5),
        "预算明细": "工作装备经费",
        "金额": 1200.5,
        "摘要": "调解队伍服装",
    },
    "以案定补": {
        "案件编号": "AJ-001",
        "结案日期": date(2024, 3, 8),
        "补贴人数": 2,
        "案件类型": "劳动报酬",
        "调解结果": "调解成功",
        "片区": "北片",
    },
    "装备发放": {"领用人": "张建华", "发放日期": date(2024, 3, 15), "套数": 1, "验收结果": "合格"},
    "调解阵地": {
        "阵地名称": "北片调解工作室",
        "阵地类型": "党群服务站",
        "片区": "北片",
        "计划完成日期": date(2024, 6, 30),
        "实际完成日期": date(2024, 6, 25),
        "验收结果": "达标",
    },
    "普法活动": {
        "活动名称": "劳动法进商圈",
        "活动日期": date(2024, 4, 12),
        "计划日期": date(2024, 4, 15),
        "片区": "中片",
        "行业": "零售",
        "人群": "商户",
        "参与人数": 60,
        "主题契合": "是",
    },
    "平台运维": {"月份": "2024-03", "维护完成": "是", "区级对接进度": 40},
    "投诉处置": {
        "投诉编号": "TS-001",
        "受理日期": date(2024, 3, 1),
        "来源": "12345热线",
        "是否有效": "是",
        "办结日期": date(2024, 3, 10),
    },
    "满意度调查": {"问卷编号": "WJ-001", "调查日期": date(2024, 6, 1), "调查对象": "劳动者", "评价": "满意"},
    "劳动关系统计": {"月份": "2023-03", "劳动争议案件数": 12, "欠薪案件数": 3},
    "长效机制": {
        "制度名称": "浦锦街道劳动关系矛盾调处工作制度",
        "印发日期": date(2024, 5, 6),
        "文号": "浦锦办〔2024〕12号",
    },
}


def good(sheet: str, **changes) -> list:
    """The sheet's valid row in header order, with some cells changed (keyword = header)."""
    row = {**GOOD[sheet], **changes}
    return [row[c.header] for c in SHEETS_BY_NAME[sheet].columns]


def headers(sheet: str) -> list[str]:
    return [c.header for c in SHEETS_BY_NAME[sheet].columns]


def upload(**sheets: list[list]) -> bytes:
    """A workbook whose sheets hold a header row followed by these data rows."""
    return workbook_bytes({name: [headers(name), *rows] for name, rows in sheets.items()})


def contents(session: Session) -> dict[str, list[dict]]:
    """Every record table, UploadBatch and ReplacedRecord, row by row: what "unchanged" is compared on."""
    tables = {s.name: s.model for s in SHEETS} | {"UploadBatch": UploadBatch, "ReplacedRecord": ReplacedRecord}
    # Core rows, not ORM objects: the session's identity map could hide what an import wrote.
    read = session.connection().execute
    return {name: [dict(r) for r in read(m.__table__.select().order_by(m.id)).mappings()] for name, m in tables.items()}
