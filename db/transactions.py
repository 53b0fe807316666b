"""Helpers for the Session's nested transactions (savepoints)."""

from __future__ import annotations

from sqlalchemy.orm import SessionTransaction


def within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    """Whether `transaction` is `ancestor` or nested inside it (a rollback of `ancestor`
    undoes what was done in it)."""
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False
