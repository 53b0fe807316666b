"""Excel files that are zip bombs, or unpack to too much, are refused before any of them is
unpacked; a real workbook still opens."""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from openpyxl import Workbook

from tracker.i18n import t
from tracker.imports import files
from tracker.imports.files import MAX_MEMBERS, FileRefused, check_zip, read_upload

MIB = 1_048_576


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["reg_no", "name"])
    sheet.append(["40008000002", "Biedrība Pārbaude"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _with_member(data: bytes, name: str, size: int) -> bytes:
    """The workbook with one more member of `size` zero bytes, written in 1 MiB pieces."""
    out = io.BytesIO(data)
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "a") as archive, \
            archive.open(info, "w", force_zip64=True) as member:
        for _ in range(size // MIB):
            member.write(bytes(MIB))
        member.write(bytes(size % MIB))
    return out.getvalue()


def test_a_real_workbook_opens() -> None:
    data = _workbook()
    check_zip(data)
    assert read_upload(data, "organisations.xlsx").header == ("reg_no", "name")


def test_a_zip_bomb_is_refused_from_its_directory() -> None:
    bomb = _with_member(_workbook(), "xl/sharedStrings.xml.bak", 64 * MIB)
    assert len(bomb) < MIB  # small on the wire, 64 MB unpacked

    with pytest.raises(FileRefused) as refused:
        read_upload(bomb, "bomb.xlsx")

    assert refused.value.code == "file_zip_bomb"
    for lang in ("lv", "en"):
        assert "64 MB" in t(f"error.{refused.value.code}", lang, **refused.value.params)


def test_a_workbook_that_unpacks_to_too_much_is_refused(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    monkeypatch.setattr(files, "MAX_UNPACKED", 8 * MIB)  # the real limit is 300 MB
    out = io.BytesIO(_workbook())
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/photo.bin", random.Random(1).randbytes(9 * MIB))

    with pytest.raises(FileRefused) as refused:
        read_upload(out.getvalue(), "big.xlsx")

    assert refused.value.code == "file_zip_bomb"
    assert (refused.value.params["size_mb"], refused.value.params["limit_mb"]) == (9, 8)


def test_an_unusually_compressed_member_is_refused() -> None:
    dense = _with_member(_workbook(), "xl/worksheets/sheet2.xml", 20 * MIB)  # 1,000 to 1

    with pytest.raises(FileRefused) as refused:
        check_zip(dense)

    assert refused.value.code == "file_zip_bomb"


def test_a_workbook_of_too_many_files_is_refused() -> None:
    out = io.BytesIO(_workbook())
    with zipfile.ZipFile(out, "a") as archive:
        for number in range(MAX_MEMBERS):
            archive.writestr(f"xl/extra/{number}.xml", "<x/>")

    with pytest.raises(FileRefused) as refused:
        read_upload(out.getvalue(), "many.xlsx")

    assert refused.value.code == "file_zip_bomb"


@pytest.mark.parametrize("data", [b"PK\x03\x04 not really a zip", b"PK\x03\x04" + bytes(100)])
def test_a_broken_archive_is_a_broken_workbook(data: bytes) -> None:
    with pytest.raises(FileRefused) as refused:
        read_upload(data, "broken.xlsx")
    assert refused.value.code == "file_broken_xlsx"
