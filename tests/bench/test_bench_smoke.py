"""Each benchmark script, run as documented at a tiny size, still works and prints its figure lines.

The figures themselves are not checked: they are measured at full size by hand (bench/README.md).
"""

import os
import re
import subprocess
import sys

import pytest

from data_model.db import ROOT

SECONDS = r"\d+\.\d{4} s"
CASES = [
    (
        "generate",
        ["--db", "{db}", "--records", "2000", "--workbook", "{tmp}/w.xlsx", "--rows", "500"],
        [r"^database .*: 2,000 records$", r"^workbook .*w\.xlsx: 500 rows$"],
    ),
    (
        "bench_evaluate",
        ["--db", "{db}", "--records", "2000", "--repeat", "1"],
        [
            r"agrees with evaluate\(\) on all 20 indicators",
            rf"^evaluate\(\): 20 indicators .*{SECONDS}",
            rf"^\(a\) naive.*{SECONDS} .*x  \(goal",
            rf"^\(b\) bare SQL: the same \d+ aggregate queries .*{SECONDS} .*x  \(goal",
        ],
    ),
    (
        "bench_import",
        ["--rows", "500", "--repeat", "1"],
        [
            r"each variant stored 500 records",
            rf"^importer: .*{SECONDS}  peak \d+ MB",
            rf"^\(a\) pandas .*{SECONDS} .*x  \(goal",
            rf"^\(b\) floor: .*{SECONDS} .*x  \(goal",
        ],
    ),
    (
        "bench_overview",
        ["--records", "1000", "--repeat", "1"],  # one database, the large and the small alike
        [
            rf"^cold \(cache cleared\): 1,000 records .*{SECONDS} .*x  \(goal",
            rf"^warm \(cached\): 1,000 records .*{SECONDS}",
        ],
    ),
    (
        "bench_overview",
        ["--records", "1000", "--repeat", "1", "--page", "indicator"],
        [r"^indicator as the leader", rf"^warm \(cached\): 1,000 records .*{SECONDS}"],
    ),
    (
        "bench_evidence",
        ["--db", "{db}", "--small", "sqlite:///{tmp}/tiny.db", "--files", "40", "--size-kb", "4", "--repeat", "1"],
        [
            r"^40 files of 4 KB attached",
            rf"^attach: one file .*{SECONDS}  mean of 40",
            rf"^list the project: 40 files .*{SECONDS}  tiny files {SECONDS}: \d+\.\d\dx",
            rf"^list one indicator: 40 files .*{SECONDS}",
            rf"^count by indicator: 40 files .*{SECONDS}",
        ],
    ),
]


@pytest.mark.parametrize(
    ("script", "arguments", "lines"), CASES, ids=[c[0] + ("-indicator" if "indicator" in c[1] else "") for c in CASES]
)
def test_benchmark_script_runs_at_a_tiny_size_and_prints_its_figures(script, arguments, lines, tmp_path):
    filled = [a.format(db=f"sqlite:///{tmp_path / 'bench.db'}", tmp=tmp_path) for a in arguments]
    done = subprocess.run(
        [sys.executable, "-m", f"bench.{script}", *filled],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # the scripts' default files go there
    )
    assert done.returncode == 0, done.stderr
    for line in lines:
        assert re.search(line, done.stdout, re.MULTILINE), f"{line!r} not in:\n{done.stdout}"
