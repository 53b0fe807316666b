"""The CI guard: whatever a CI system sets `CI` to, nothing may skip there."""

from __future__ import annotations

import pytest

from tests.conftest import in_ci


@pytest.mark.parametrize("value", ["true", "1", "True", "TRUE", "yes", "on", " true "])
def test_what_ci_systems_set_counts_as_ci(value: str) -> None:
    assert in_ci(value)


@pytest.mark.parametrize("value", ["", " ", "0", "false", "False", "no", "NO"])
def test_unset_or_switched_off_is_not_ci(value: str) -> None:
    assert not in_ci(value)


def test_the_environment_is_read_when_no_value_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    assert in_ci()
    monkeypatch.delenv("CI")
    assert not in_ci()
