"""Reference data: the planning regions and the municipalities, with their validity dates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.models.base import Base, in_list


class Region(Base):
    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_lv: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))

    __table_args__ = (CheckConstraint(in_list("code", ["RIGA", "VIDZEME", "KURZEME", "ZEMGALE",
                                                  "LATGALE"]), name="code"),)


class Municipality(Base):
    __tablename__ = "municipalities"

    id: Mapped[int] = mapped_column(primary_key=True)
    atvk: Mapped[str] = mapped_column(String(7), unique=True)
    iso: Mapped[str] = mapped_column(String(6))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    valid_from: Mapped[dt.date] = mapped_column(Date)
    valid_to: Mapped[dt.date | None] = mapped_column(Date)
    successor_id: Mapped[int | None] = mapped_column(ForeignKey("municipalities.id"))
    note: Mapped[str | None] = mapped_column(String(300))

    region: Mapped[Region] = relationship()

    __table_args__ = (
        UniqueConstraint("iso", "valid_from"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="valid_period"),
        CheckConstraint(in_list("kind", ["valstspilsēta", "novads"]), name="kind"),
    )
