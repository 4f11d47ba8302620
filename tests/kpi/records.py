"""Hand-made records for metric and evaluation tests, inserted with the ORM into one project.

Each builder returns (model, values) rather than a row, so that a table of cases can be shared by tests
on different databases; `insert` turns them into rows of one project under a fresh upload batch.
"""

from datetime import date
from itertools import count

from sqlmodel import Session, SQLModel

from data_model.models import (
    CaseSubsidy,
    Complaint,
    EquipmentIssue,
    Expense,
    LaborStat,
    LegalEvent,
    ManualValue,
    Mechanism,
    MediationSite,
    PlatformMaintenance,
    SurveyResponse,
    UploadBatch,
)

Spec = tuple[type[SQLModel], dict]

# The seed table's budget lines, each divided by one cost metric.
SUBSIDY_LINE = "社会调解人员“以案定补”工作经费"
EQUIPMENT_LINE = "工作装备经费"
SITE_LINE = "打造社会化调解阵地"
EVENT_LINE = "开展劳动法普法宣讲"
PLATFORM_LINE = "浦锦街道劳资矛盾智慧预警平台项目维护费用"

_serial = count(1)  # natural keys only need to differ within a project


def d(month: int, day: int, year: int = 2024) -> date:
    return date(year, month, day)


def pay(on: date, amount: float, line: str) -> Spec:
    return Expense, {"voucher_no": f"PZ-{next(_serial)}", "paid_on": on, "budget_line": line, "amount": amount}


def subsidy(closed: date, persons: int = 1) -> Spec:
    return CaseSubsidy, {
        "case_no": f"AJ-{next(_serial)}",
        "closed_on": closed,
        "persons": persons,
        "case_type": "劳动报酬",
        "result": "调解成功",
    }


def sets(issued: date, n: int, acceptance: str = "合格") -> Spec:
    return EquipmentIssue, {
        "recipient": f"调解员{next(_serial)}",
        "issued_on": issued,
        "sets": n,
        "acceptance": acceptance,
    }


def site(planned: date, completed: date | None = None, acceptance: str | None = "达标") -> Spec:
    values = {
        "name": f"阵地{next(_serial)}",
        "site_type": "党群服务站",
        "area": "北片",
        "planned_on": planned,
        "completed_on": completed,
    }
    return MediationSite, values | {"acceptance": acceptance if completed else None}


def event(held: date, planned: date | None = None, on_theme: bool = True) -> Spec:
    return LegalEvent, {
        "name": f"普法活动{next(_serial)}",
        "held_on": held,
        "planned_on": planned or held,
        "area": "南片",
        "industry": "制造业",
        "audience": "劳动者",
        "participants": 40,
        "on_theme": on_theme,
    }


def month(m: int, *, maintained: bool = True, pct: float = 100.0) -> Spec:
    return PlatformMaintenance, {"month": d(m, 1), "maintained": maintained, "integration_pct": pct}


def complaint(received: date, closed: date | None = None, valid: bool = True) -> Spec:
    return Complaint, {
        "complaint_no": f"TS-{next(_serial)}",
        "received_on": received,
        "source": "12345热线",
        "valid": valid,
        "closed_on": closed,
    }


def answer(respondent: str, rating: str, on: date = d(6, 1)) -> Spec:
    return SurveyResponse, {
        "questionnaire_no": f"WJ-{next(_serial)}",
        "surveyed_on": on,
        "respondent": respondent,
        "rating": rating,
    }


def stat(year: int, m: int, disputes: int, arrears: int = 0) -> Spec:
    return LaborStat, {"month": d(m, 1, year), "disputes": disputes, "wage_arrears": arrears}


def mechanism(issued: date) -> Spec:
    return Mechanism, {"name": f"制度{next(_serial)}", "issued_on": issued, "doc_no": None}


def manual(m: int, value: float) -> Spec:
    """A manually reported monthly value, in the engine's scale (a rate as a fraction); `insert` names its indicator."""
    return ManualValue, {"month": d(m, 1), "value": value, "entered_by": "staff"}


def insert(session: Session, project_id: int, specs: list[Spec], indicator_id: int | None = None) -> None:
    """Store the records in the project (manual values under the indicator), under one upload batch, and commit."""
    batch = UploadBatch.model_validate(
        {
            "project_id": project_id,
            "uploaded_by": "测试",
            "file_name": "测试.xlsx",
            "content_hash": "0" * 64,
            "row_counts": "{}",
        }
    )
    session.add(batch)
    session.flush()
    owners = {"project_id": project_id, "batch_id": batch.id, "indicator_id": indicator_id}
    for model, values in specs:
        session.add(model.model_validate(values | {k: v for k, v in owners.items() if k in model.model_fields}))
    session.commit()
