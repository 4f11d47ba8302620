"""The pinned requirements*.txt match the ranges declared in requirements*.in, checked offline.

bin/compile-requirements writes the .txt files; these tests fail when someone edits a .in (a new package, a
narrower range) or a .txt by hand without recompiling.
"""

import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
LOCKS = ("requirements", "requirements-dev")
VIA_FILE = re.compile(r"#\s+(?:via\s+)?-r\s+(\S+)")


def declared(name: str) -> dict[str, Requirement]:
    """The requirements a .in file declares, following its -r includes (its -c constraints declare nothing)."""
    found: dict[str, Requirement] = {}
    for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found |= declared(line[3:].strip())
        elif line and not line.startswith("-"):
            requirement = Requirement(line)
            found[canonicalize_name(requirement.name)] = requirement
    return found


def pinned(name: str) -> tuple[dict[str, Version], dict[str, set[str]], list[str]]:
    """A compiled file's pins for this Python, the .in files each pin is there for, and the lines not pinned exactly."""
    pins: dict[str, Version] = {}
    sources: dict[str, set[str]] = {}
    loose: list[str] = []
    current = None
    for line in (ROOT / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            if current and (via := VIA_FILE.search(line)):
                sources.setdefault(current, set()).add(via.group(1))
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        if len(specifiers) != 1 or specifiers[0].operator != "==":
            loose.append(line)
            continue
        current = canonicalize_name(requirement.name)
        if requirement.marker is None or requirement.marker.evaluate():
            assert current not in pins, f"{name}.txt pins {current} twice for this Python"
            pins[current] = Version(specifiers[0].version)
        else:
            current = f"{current} ; {requirement.marker}"  # a pin for another platform or Python
    return pins, sources, loose


@pytest.mark.parametrize("name", LOCKS)
def test_every_line_of_a_compiled_file_is_an_exact_pin(name):
    assert pinned(name)[2] == []


@pytest.mark.parametrize("name", LOCKS)
def test_every_declared_package_is_pinned_within_its_range(name):
    pins = pinned(name)[0]
    outside = {
        key: f"{requirement.specifier} but {pins.get(key, 'not pinned')}"
        for key, requirement in declared(f"{name}.in").items()
        if not (key in pins and requirement.specifier.contains(pins[key], prereleases=True))
    }
    assert outside == {}, f"{name}.txt does not match {name}.in: run bin/compile-requirements"


@pytest.mark.parametrize("name", LOCKS)
def test_the_pins_said_to_come_from_a_file_are_exactly_the_packages_it_declares(name):
    pins, sources, _ = pinned(name)
    from_files = {key for key, files in sources.items() if key in pins and files}
    assert from_files == set(declared(f"{name}.in")), f"{name}.txt is stale: run bin/compile-requirements"


def test_the_tests_run_on_exactly_the_versions_the_app_ships_with():
    app, dev = pinned("requirements")[0], pinned("requirements-dev")[0]
    assert {key: dev.get(key) for key in app} == app
