"""The README documents every import column exactly as the importer reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.imports import service

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", service.KINDS)
def test_every_import_column_is_in_the_readme(kind: str) -> None:
    section = README.split(f"#### {kind}\n", 1)[1].split("####", 1)[0]
    for column in service.columns(kind):
        required = "yes" if column.required else ""
        assert f"| `{column.name}` | {column.name_lv} | {required} |" in section, column.name
