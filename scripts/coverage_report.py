"""After `make test`: the suite's branch coverage, the least-covered modules by name, and a
failure when the total drops below the floor (`fail_under` in pyproject.toml's
[tool.coverage.report], today's figure rounded down)."""

from __future__ import annotations

import json
import sys
import tempfile
import tomllib
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[1]
SHOWN = 12  # the least-covered modules named


def main() -> int:
    floor = float(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
                  ["tool"]["coverage"]["report"]["fail_under"])
    measured = coverage.Coverage(data_file=str(ROOT / ".coverage"),
                                 config_file=str(ROOT / "pyproject.toml"))
    measured.load()  # pytest-cov has combined the workers' data into .coverage
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "coverage.json"
        measured.json_report(outfile=str(target), ignore_errors=True)
        report = json.loads(target.read_text(encoding="utf-8"))
    total = float(report["totals"]["percent_covered"])
    modules = sorted((float(f["summary"]["percent_covered"]), name,
                      int(f["summary"]["missing_lines"]))
                     for name, f in report["files"].items()
                     if f["summary"]["num_statements"])
    print(f"coverage: {total:.1f} % of statements and branches (floor {floor:.0f} %); "
          f"least covered:")
    for covered, name, missing in modules[:SHOWN]:
        print(f"  {covered:5.1f} %  {name} ({missing} lines not run)")
    if total < floor:
        print(f"coverage: {total:.1f} % is below the floor of {floor:.0f} %", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
