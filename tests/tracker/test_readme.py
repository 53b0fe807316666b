"""The README documents every import column exactly as the importer reads it, and the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.imports import service

README_PATH = Path(__file__).resolve().parents[2] / "README.md"
README = README_PATH.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", service.KINDS)
def test_every_import_column_is_in_the_readme(kind: str) -> None:
    section = README.split(f"#### {kind}\n", 1)[1].split("####", 1)[0]
    for column in service.columns(kind):
        required = "yes" if column.required else ""
        assert f"| `{column.name}` | {column.name_lv} | {required} |" in section, column.name


def test_the_start_section_says_how_to_use_another_port() -> None:
    start = README.split("## Start here", 1)[1].split("\n## ", 1)[0]
    assert "PORT=8502 make run" in start


def test_the_licence_is_an_spdx_string() -> None:
    """A licence table makes setuptools print a deprecation banner on every install."""
    import tomllib

    project = tomllib.loads((README_PATH.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "MIT"
    (setuptools,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    assert setuptools == "setuptools>=77"  # the first to read an SPDX licence string
