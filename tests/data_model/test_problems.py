"""The problem catalogue: every entry is named by the check that finds it, and its template reads as Chinese."""

import re

import pytest

from data_model.db import ROOT
from data_model.problems import CATALOGUE, problem

SOURCE = "\n".join(
    path.read_text()
    for package in ("data_model", "kpi")
    for path in sorted((ROOT / package).glob("*.py"))
    if path.name != "problems.py"
)
CJK = re.compile(r"[\u4e00-\u9fff]")
PASSED_ON = {"P003.refused", "R001.refused"}  # the message of the rule that refused, worded where the rule is


@pytest.mark.parametrize("entry", CATALOGUE)
def test_every_catalogue_entry_is_named_by_a_check(entry):
    assert f'"{entry}"' in SOURCE


@pytest.mark.parametrize("entry", sorted(CATALOGUE.keys() - PASSED_ON))
def test_every_template_reads_as_chinese_and_its_problem_carries_the_code(entry):
    values = {name: "x" for name in re.findall(r"{(\w+)}", CATALOGUE[entry])}
    found = problem(entry, **values)
    assert CJK.search(found.message) and found.code == entry.partition(".")[0]
