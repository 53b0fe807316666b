"""The production password hashing is at least OWASP's argon2id minimum (m = 19 MiB, t = 2,
p = 1), and the hashes it stores say so. Every other test swaps in a cheap hasher
(tests/conftest.py), so this asks a fresh process, as the app and the command line run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import argon2
import pytest

ROOT = Path(__file__).resolve().parents[2]
# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB of memory, 2 iterations, 1 lane
MIN_MEMORY_KIB, MIN_TIME, MIN_PARALLELISM = 19 * 1024, 2, 1
PASSWORD = "garā-parole-2026"

PRODUCTION = f"""
import json
from tracker import auth
hasher = auth._hasher
print(json.dumps({{"type": hasher.type.name, "memory_cost": hasher.memory_cost,
                  "time_cost": hasher.time_cost, "parallelism": hasher.parallelism,
                  "hash": auth.hash_password({PASSWORD!r})}}))
"""


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    """The product's hasher and a hash made by it, in a process the tests did not touch."""
    done = subprocess.run([sys.executable, "-c", PRODUCTION], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_production_hasher_is_at_least_owasps_argon2id_minimum(
        production: dict[str, Any]) -> None:
    assert production["type"] == "ID"
    assert production["memory_cost"] >= MIN_MEMORY_KIB
    assert production["time_cost"] >= MIN_TIME
    assert production["parallelism"] >= MIN_PARALLELISM


def test_a_production_hash_carries_these_parameters(production: dict[str, Any]) -> None:
    encoded = production["hash"]
    assert encoded.startswith("$argon2id$v=19$")
    params = argon2.extract_parameters(encoded)
    assert params.type is argon2.Type.ID
    assert (params.memory_cost, params.time_cost, params.parallelism) == (
        production["memory_cost"], production["time_cost"], production["parallelism"])
    assert params.memory_cost >= MIN_MEMORY_KIB and params.time_cost >= MIN_TIME
    assert params.parallelism >= MIN_PARALLELISM
    # the hash is of that password (verifying reads the cost from the hash itself)
    assert argon2.PasswordHasher().verify(encoded, PASSWORD)
    assert PASSWORD not in encoded
