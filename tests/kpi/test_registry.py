"""Meta-tests: every kind and metric of the registry is complete and has test cases, sample data and a README line;
kpi stays Streamlit-free and data_model kpi-free."""

import inspect
import pkgutil
import string
import subprocess
import sys
from datetime import date

import pytest

import data_model
from data_model.db import ROOT, create_schema, make_engine, session
from data_model.importer import import_workbook
from kpi.evaluate import evaluate
from kpi.kinds import KINDS, Kind
from kpi.metrics import BY_NAME, METRICS, REGISTRY
from kpi.projects import build_project, create_project
from kpi.setup import SEED_TABLE, sample_workbooks
from tests.kpi.test_metrics import CASES

SEED_BINDINGS = {i.metric_key for i in build_project(SEED_TABLE.read_bytes())[2]}
DRAFT_FIELDS = {"a", "t", "short", "over", "n", "d", "rest", "excess", "tier"}  # what kpi.drafts fills in


def test_every_kind_has_an_entry_implementing_every_behaviour():
    assert {kind.name for kind in KINDS} == set(Kind)
    assert not [kind for kind in KINDS if inspect.isabstract(type(kind))]


def test_every_kind_is_used_by_a_metric_and_every_metric_has_a_listed_kind():
    assert {id(m.kind) for m in METRICS} == {id(kind) for kind in KINDS}


def test_metric_keys_and_names_are_unique():
    assert len(REGISTRY) == len(BY_NAME) == len(METRICS)


def test_every_uploaded_metric_declares_the_records_behind_its_number():
    assert sorted(key for key, metric in REGISTRY.items() if metric.sources) == sorted(
        key for key, metric in REGISTRY.items() if metric.kind.recorded
    )


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.key)
def test_every_metric_has_a_draft_template_using_only_the_fields_drafts_fill_in(metric):
    assert metric.template
    assert {field for _, field, _, _ in string.Formatter().parse(metric.template) if field} <= DRAFT_FIELDS


def test_metric_test_table_covers_the_registry_exactly():
    assert sorted(CASES) == sorted(REGISTRY)


def test_every_seed_indicator_is_bound_to_a_registered_metric():
    assert SEED_BINDINGS <= REGISTRY.keys()


@pytest.fixture(scope="module")
def sample_year(tmp_path_factory):
    """The seed project with the shipped sample year imported, evaluated at its last day."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('sample') / 'sample.db'}")
    create_schema(engine)
    with session(engine) as s:
        project = create_project(s, SEED_TABLE.read_bytes())
        for path in sample_workbooks():
            import_workbook(s, project, path.read_bytes(), file_name=path.name, uploaded_by="测试")
        results = {r.metric_key: r for r in evaluate(s, project, date(2024, 12, 31)).indicators}
    engine.dispose()
    return results


# A manually reported or judged-alone metric has no upload sheet and the seed table binds none; its cases in
# test_metrics stand in.
UPLOADED = sorted(key for key, m in REGISTRY.items() if m.kind.recorded)


@pytest.mark.parametrize("key", UPLOADED)
def test_every_uploaded_metric_has_sample_data(sample_year, key):
    assert key in SEED_BINDINGS, f"{key} is bound by no indicator of the seed table, so the sample year cannot show it"
    result = sample_year[key]
    if REGISTRY[key].kind.judged:
        assert result.actual is None and result.numerator > 0  # the evidence the evaluator judges by
    else:
        assert result.actual is not None


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.key)
def test_every_metric_has_a_readme_table_row_naming_its_calculation(metric):
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in (ROOT / "README.md").read_text().splitlines()
        if line.startswith("|")
    ]
    assert any(metric.name in cells for cells in rows), f"README.md has no table row with the 计算口径「{metric.name}」"


def test_importing_kpi_and_data_model_does_not_import_streamlit():
    code = (
        "import importlib, pkgutil, sys\n"
        "import kpi, data_model\n"
        "for package in (kpi, data_model):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "print(len([m for m in sys.modules if m.startswith(('kpi', 'data_model'))]),"
        " sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    imported, streamlit = done.stdout.split(maxsplit=1)
    assert int(imported) > 10 and streamlit.strip() == "[]"


def test_importing_data_model_does_not_import_kpi():
    modules = [
        m.name for m in pkgutil.walk_packages(data_model.__path__, "data_model.") if m.name != "data_model.__main__"
    ]
    code = (
        f"import importlib, sys\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'kpi'))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert len(modules) > 10 and done.stdout.strip() == "[]"
