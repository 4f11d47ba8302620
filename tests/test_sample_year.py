"""The shipped sample year, imported through the command line and evaluated end to end.

The expected figures are worked out by hand from the sample's design (sample_data/generate.py).
"""

import json
import subprocess
import sys

import pytest

from data_model.db import ROOT

W1, W2 = 3.34, 3.33  # 成本/产出's 50 over 15 by largest remainder: the first five 3.34, the other ten 3.33


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}"
    done = run("data_model", "init", "--db", url, "--sample")
    assert done.returncode == 0, done.stderr
    return url


def evaluate(url: str, as_of: str) -> dict:
    done = run("kpi", "evaluate", "--db", url, "--as-of", as_of, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# seq: (actual, status, score) at 2024-12-31, worked out by hand; scores rounded half-up to two decimals.
YEAR_END = {
    1: (225.0, "met", W1),  # 19,800 元 ÷ 88 persons
    2: (2500.0, "met", W1),  # 37,500 ÷ 15 sets: exactly at the ≤2500 target
    3: (19500.0, "met", W1),  # 58,500 ÷ 3 sites
    4: (2514.2857, "met", W1),  # 17,600 ÷ 7 events
    5: (950.0, "met", W1),  # 11,400 ÷ 12 months
    6: (3.0, "met", W2),
    7: (15.0, "not_met", 3.12),  # 3.33 × 15 ÷ 16 = 3.121875
    8: (7.0, "met", W2),
    9: (1.0, "met", W2),
    10: (80.0, "met", W2),
    11: (1.0, "met", W2),
    12: (1.0, "met", W2),
    13: (1.0, "met", W2),
    14: (0.6667, "not_met", 2.22),  # the 商圈 site finished after its planned date
    15: (1.0, "met", W2),
    16: (0.975, "not_met", 9.75),  # 39 of 40 valid complaints closed
    17: (-0.1245, "met", 10.0),  # 232 disputes against 265
    18: (None, "pending", 0.0),
    19: (0.88, "met", 5.0),
    20: (0.8333, "not_met", 4.9),  # 5 × (50 ÷ 60) ÷ 0.85 = 4.902
}


def test_sample_year_end_figures(sample_db):
    result = evaluate(sample_db, "2024-12-31")
    assert result["budget"] == {
        **result["budget"],
        "planned": 150000.0,
        "spent": 144800.0,
        "execution_rate": 0.9653,
        "score": 9.65,
    }
    got = {i["seq"]: (i["actual"], i["status"], i["score"]) for i in result["indicators"]}
    assert got == YEAR_END
    assert [i["level3"] for i in result["indicators"]][:2] == ["“以案定补”个案补贴成本", "工作装备单套成本"]
    assert result["total_score"] == 87.98  # 9.65 + 78.33, the sum of the rounded scores (unrounded: 87.987)
    assert result["grade"] == "良"
    assert result["provisional"] is True


def test_sample_year_mid_year_counts_only_what_happened_by_then(sample_db):
    result = evaluate(sample_db, "2024-06-30")
    by_seq = {i["seq"]: i for i in result["indicators"]}
    assert by_seq[6]["actual"] == 1.0  # only the 北片 site was finished by June
    assert by_seq[7]["actual"] == 15.0
    assert by_seq[8]["actual"] == 3.0  # three events by 30 June
    assert by_seq[9]["actual"] == 0.7  # June's integration progress
    assert by_seq[6]["monitoring"]["level"] == "normal"  # the 北片 site was due by 30 June, and built
    assert by_seq[8]["monitoring"]["level"] == "normal"  # 3 against a pro-rata 2.98
    assert result["budget"]["spent"] == 4400 + 5060 + 22500 + 15000 + 9600 + 9800 + 2400 + 2600 + 2500 + 950 * 6


@pytest.mark.parametrize(
    ("as_of", "built", "monitoring", "light"),
    [
        # The sites are due on 30 June, 31 August and 30 September: none is behind before it is due.
        (
            "2024-01-31",
            0.0,
            {"expected": 0.0, "forecast": 3.0, "gap": 0.0, "level": "normal", "likelihood": "certain"},
            "green",
        ),
        (
            "2024-06-30",
            1.0,
            {"expected": 1.0, "forecast": 3.0, "gap": 0.0, "level": "normal", "likelihood": "certain"},
            "green",
        ),
        (
            "2024-08-31",
            2.0,
            {"expected": 2.0, "forecast": 3.0, "gap": 0.0, "level": "normal", "likelihood": "certain"},
            "green",
        ),
        # The 商圈 site, due 30 September, was built on 22 October.
        (
            "2024-09-30",
            2.0,
            {"expected": 3.0, "forecast": 2.0, "gap": 0.3333, "level": "warning", "likelihood": "unlikely"},
            "red",
        ),
        (
            "2024-10-31",
            3.0,
            {"expected": 3.0, "forecast": 3.0, "gap": 0.0, "level": "normal", "likelihood": "certain"},
            "green",
        ),
    ],
)
def test_sample_year_sites_are_watched_by_their_due_dates(sample_db, as_of, built, monitoring, light):
    [sites] = [i for i in evaluate(sample_db, as_of)["indicators"] if i["seq"] == 6]
    assert (sites["actual"], sites["monitoring"], sites["light"]) == (built, monitoring, light)


def test_import_of_the_same_sample_again_changes_nothing(sample_db):
    again = run("data_model", "init", "--db", sample_db, "--sample")
    assert again.returncode == 0
    assert "未重复创建" in again.stdout
    assert again.stdout.count("内容相同，未重复导入") == 13
    assert evaluate(sample_db, "2024-12-31")["total_score"] == 87.98


def test_sample_year_quantitative_indicators_have_no_tier_even_close_to_target(sample_db):
    """#7 (15 of 16 sets), #16 (97.5 %) and #20 (83.33 %) are not met: no 达成年度指标 beside them, nor any tier."""
    by_seq = {i["seq"]: i for i in evaluate(sample_db, "2024-12-31")["indicators"]}
    assert [(seq, by_seq[seq]["status"], by_seq[seq]["tier"]) for seq in (7, 16, 20)] == [
        (7, "not_met", None),
        (16, "not_met", None),
        (20, "not_met", None),
    ]
    assert {i["tier"] for i in by_seq.values()} == {None}  # 18 is not judged yet: no tier either


@pytest.mark.parametrize(
    ("as_of", "seq"),
    [
        ("2024-01-01", 5),  # nothing paid for the platform yet: not 「0.00 元/月 达成」
        ("2024-02-29", 1),  # cases closed, no subsidy paid yet
    ],
)
def test_sample_year_unit_cost_with_nothing_spent_yet_has_no_data(sample_db, as_of, seq):
    indicator = next(i for i in evaluate(sample_db, as_of)["indicators"] if i["seq"] == seq)
    assert (indicator["actual"], indicator["numerator"], indicator["status"], indicator["score"]) == (
        None,
        0.0,
        "no_data",
        0.0,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("evaluate", "--as-of", "2025-12-31"),
        ("evaluate", "--as-of", "2023-12-31", "--json"),
        ("export", "--as-of", "2023-06-30", "--out", "{out}"),
    ],
)
def test_an_as_of_date_outside_the_project_year_is_refused_and_nothing_is_written(sample_db, tmp_path, args):
    out = tmp_path / "自评表.xlsx"
    done = run("kpi", *(a.format(out=out) for a in args), "--db", sample_db)
    as_of = args[2]
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.strip() == (
        f"统计日期 {as_of} 不在项目「2024年浦锦街道劳动关系项目」的年度内，请填写 2024-01-01 至 2024-12-31 之间的日期"
    )
    assert not out.exists()
