"""A second tenant: another sub-district's 2025 performance table, with two manually reported indicators."""

import pytest

from kpi.projects import create_project
from tests.helpers import workbook_bytes

NAME = "2025年梅陇镇劳动关系项目"
INFO = [["字段", "内容"], ["项目名称", NAME], ["项目年度", 2025], ["主管部门", "闵行区梅陇镇人民政府"],
        ["实施单位", "梅陇镇社区事务受理服务中心"], ["总体目标", "促进劳动关系和谐稳定"], ["年度目标", "完成以案定补和指导员培训"]]
BUDGET = [["序号", "项目明细", "项目内容", "金额"],
          [1, "劳动关系矛盾化解工作经费", "社会调解人员“以案定补”工作经费", 30000],
          [2, "劳动关系矛盾化解工作经费", "劳动法普法宣讲", 10000],
          [3, "劳动关系矛盾化解工作经费", "劳动关系指导员培训", 10000]]
HEADERS = ["一级指标", "二级指标", "三级指标", "年度指标值", "指标来源", "计算口径", "关联预算明细"]
INDICATORS = [
    ["成本指标", "经济成本指标", "“以案定补”个案补贴成本", "≤300 元/人/案", "根据预算资金", "以案定补个案补贴成本", "社会调解人员“以案定补”工作经费"],
    ["产出指标", "数量指标", "“以案定补”补贴案件数量", "≥100 个案件", "根据工作计划", "以案定补案件数", ""],
    ["", "", "劳动关系指导员培训人次", "≥200 人次", "根据工作计划", "人工填报（各月累计）", ""],
    ["效益指标", "社会效益指标", "企业劳动合同签订率", "≥95.00(%)", "根据工作目标", "人工填报（取最近一月）", ""],
    ["满意度指标", "服务对象满意度指标", "劳动者满意度", "≥90.00(%)", "根据工作目标", "劳动者满意度", ""],
]


def performance_table(indicators: list[list] = INDICATORS, info: list[list] = INFO) -> bytes:
    return workbook_bytes({"项目信息": info, "预算明细": BUDGET, "绩效目标": [HEADERS, *indicators]})


@pytest.fixture
def meilong(db):
    return create_project(db, performance_table())
