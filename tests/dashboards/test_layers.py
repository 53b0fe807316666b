"""DESIGN.md's direction dashboards → tracker → db: no page or component imports SQLAlchemy or
the models; pages call tracker's services."""

from __future__ import annotations

import ast
from pathlib import Path

DASHBOARDS = Path(__file__).resolve().parents[2] / "dashboards"
FORBIDDEN = ("sqlalchemy", "db")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_dashboard_module_reaches_below_tracker() -> None:
    modules = sorted(DASHBOARDS.rglob("*.py"))
    assert len(modules) > 30  # the scan sees the pages and components
    wrong = {str(p.relative_to(DASHBOARDS)): sorted(m for m in _imports(p)
                                                     if m.split(".")[0] in FORBIDDEN)
             for p in modules}
    assert {k: v for k, v in wrong.items() if v} == {}
