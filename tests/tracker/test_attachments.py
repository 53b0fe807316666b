"""Evidence attachments: real PDF/JPEG/PNG files, disguised and broken files refused, both
storage modes, duplicates, who may read and change them, deletion."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.enums import Role
from db.models import ATTACHMENT_MAX_BYTES, Attachment, AuditLog, PeriodClosure
from tests import factories as f
from tracker.auth import Actor
from tracker.config import get_settings
from tracker.errors import Deleted, NotAllowed, NotFound, PermissionDenied, ValidationFailed
from tracker.i18n import t
from tracker.services import activities
from tracker.services import attachments as svc

# Files -------------------------------------------------------------------------------------------


def pdf(text: str = "Dalibnieku saraksts", pad: int = 0) -> bytes:
    """A small, valid one-page PDF written by hand, with a correct xref table; `pad` bytes of
    comment make it as large as a test needs."""
    stream = f"BT /F1 12 Tf 10 50 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    if pad:
        out += b"%" + b"x" * pad + b"\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def pdf_of_size(size: int) -> bytes:
    pad = size - len(pdf()) - 2
    data = pdf(pad=pad)
    data = pdf(pad=pad - (len(data) - size))  # the xref offset has more digits now
    assert len(data) == size
    return data


def image(fmt: str, size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 30, 30)
          ) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, fmt)
    return buffer.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions in a few bytes (a decompression bomb's header)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(b"\0" * 1000)) + chunk(b"IEND", b""))


def _broken_png_crc() -> bytes:
    data = bytearray(image("PNG"))
    data[30] ^= 0xFF  # inside IHDR/IDAT: a checksum no longer matches
    return bytes(data)


GIF = image("GIF")
TYPE, DAMAGED = "attachment_type", "attachment_damaged"
# (description, bytes, expected error code)
BAD_FILES: list[tuple[str, bytes, str]] = [
    ("empty file", b"", "attachment_empty"),
    ("Windows program renamed .pdf", b"MZ\x90\x00\x03" + b"\x00" * 200, TYPE),
    ("zip archive renamed .pdf", b"PK\x03\x04\x14\x00" + b"\x00" * 200, TYPE),
    ("web page renamed .pdf", b"<!DOCTYPE html><html><body>%PDF-1.4</body></html>", TYPE),
    ("SVG renamed .png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>',
     TYPE),
    ("GIF renamed .png", GIF, TYPE),
    ("BMP renamed .jpg", image("BMP"), TYPE),
    ("plain text renamed .pdf", "Dalībnieku saraksts".encode(), TYPE),
    ("PNG header followed by garbage", image("PNG")[:8] + b"garbage" * 30, DAMAGED),
    ("truncated PNG", image("PNG")[:-30], DAMAGED),
    ("PNG with a broken checksum", _broken_png_crc(), DAMAGED),
    ("JPEG header followed by garbage", b"\xff\xd8\xff\xe0" + b"garbage" * 30, DAMAGED),
    ("truncated JPEG", image("JPEG", (400, 300))[:2000], DAMAGED),
    ("PDF cut off before %%EOF", pdf()[:-60], DAMAGED),
    ("PDF header, then a program", b"%PDF-1.7\n" + b"MZ" + b"\x00" * 3000, DAMAGED),
    ("PDF header with no version", b"%PDF-x\n" + pdf()[9:], DAMAGED),
    ("PNG claiming 81 megapixels", png_header_only(9000, 9000), "attachment_too_many_pixels"),
    ("PNG claiming 400 megapixels", png_header_only(20000, 20000), "attachment_too_many_pixels"),
]


@pytest.fixture
def database_storage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_ATTACHMENTS_DIR", raising=False)


@pytest.fixture
def folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Attachments kept in a folder (get_settings reads the environment on every call)."""
    monkeypatch.setenv("TRACKER_ATTACHMENTS_DIR", str(tmp_path / "evidence"))
    assert get_settings().attachments_dir == tmp_path / "evidence"
    return tmp_path / "evidence"


def _count(session: Session, model: type[Attachment] | type[AuditLog]) -> int:
    query = select(func.count()).select_from(model)
    if model is AuditLog:
        query = query.where(AuditLog.entity == "attachment")
    return session.scalar(query) or 0


def _draft(session: Session, incubator: str = "VIDZEME", **fields: object) -> tuple[Actor, int]:
    """A staff member of `incubator` and a draft activity they wrote."""
    staff = f.actor(session, Role.STAFF, incubator)
    return staff, f.activity(session, by=staff, incubator=incubator, status="draft",
                             **fields).id


# Recognising files (no database) -----------------------------------------------------------------

def test_sniff_recognises_real_files() -> None:
    assert svc.sniff(pdf()) == "application/pdf"
    assert svc.sniff(image("PNG")) == "image/png"
    assert svc.sniff(image("JPEG")) == "image/jpeg"
    assert svc.sniff(image("JPEG", (3000, 2000))) == "image/jpeg"  # a photo-sized image


@pytest.mark.parametrize(("what", "data", "code"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_sniff_refuses_disguised_and_broken_files(what: str, data: bytes, code: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        svc.sniff(data)
    assert [(e.field, e.code) for e in caught.value.errors] == [("file", code)]


def test_refusals_say_what_is_wrong_in_both_languages() -> None:
    messages = {}
    for data in (b"", b"MZ" + b"\0" * 50, image("PNG")[:-30], b"%PDF-" + b"\0" * (10 << 20)):
        with pytest.raises(ValidationFailed) as caught:
            svc.sniff(data)
        messages[caught.value.errors[0].code] = (caught.value.message("lv"),
                                                 caught.value.message("en"))
    assert messages == {
        "attachment_empty": ("Fails: fails ir tukšs", "File: the file is empty"),
        "attachment_type": (
            "Fails: tas nav PDF, JPEG vai PNG fails (veidu nosaka faila saturs, nevis "
            "nosaukums)",
            "File: not a PDF, JPEG or PNG file (the type is decided by the file's content, "
            "not its name)"),
        "attachment_damaged": ("Fails: fails ir bojāts vai nepilnīgs (PNG)",
                         "File: the file is damaged or incomplete (PNG)"),
        "attachment_too_large": ("Fails: fails ir lielāks par 10 MB",
                                 "File: the file is over 10 MB"),
    }


def test_size_limit_is_checked_before_parsing() -> None:
    assert svc.sniff(pdf_of_size(ATTACHMENT_MAX_BYTES)) == "application/pdf"
    big = pdf_of_size(ATTACHMENT_MAX_BYTES + 1)
    with pytest.raises(ValidationFailed) as caught:
        svc.sniff(big)
    assert caught.value.errors[0].code == "attachment_too_large"


@pytest.mark.parametrize(("name", "content_type", "expected"), [
    ("saraksts.pdf", "application/pdf", "saraksts.pdf"),
    ("C:\\Users\\anna\\Desktop\\Dalībnieki 14.05.PDF", "application/pdf",
     "Dalībnieki 14.05.PDF"),
    ("../../etc/passwd", "application/pdf", "passwd.pdf"),
    ("foto\x00\x1b[31m.jpg", "image/jpeg", "foto[31m.jpg"),
    ("rēķins\u202efdp.exe", "application/pdf", "rēķinsfdp.exe.pdf"),  # right-to-left trick
    ("photo.pdf", "image/png", "photo.pdf.png"),  # the content decides the extension
    ("bilde.JPEG", "image/jpeg", "bilde.JPEG"),
    ("", "image/png", "evidence.png"),
    (None, "application/pdf", "evidence.pdf"),
    ("  ...  ", "image/jpeg", "evidence.jpg"),
    (".pdf", "application/pdf", "pdf.pdf"),
    ("a" * 400 + ".pdf", "application/pdf", "a" * 251 + ".pdf"),
])
def test_file_names_are_cleaned(name: str | None, content_type: str, expected: str) -> None:
    cleaned = svc.clean_file_name(name, content_type)
    assert cleaned == expected
    assert len(cleaned) <= 255


def test_settings_read_the_folder_anew(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("TRACKER_ATTACHMENTS_DIR", raising=False)
    assert get_settings().attachments_dir is None
    monkeypatch.setenv("TRACKER_ATTACHMENTS_DIR", str(tmp_path))
    assert get_settings().attachments_dir == tmp_path


# Adding and reading ------------------------------------------------------------------------------

@pytest.mark.parametrize("storage", ["database", "folder"])
def test_round_trip(session: Session, storage: str, request: pytest.FixtureRequest) -> None:
    folder: Path | None = request.getfixturevalue("folder") if storage == "folder" else None
    if folder is None:
        request.getfixturevalue("database_storage")
    staff, activity_id = _draft(session)
    files = {"saraksts.pdf": pdf(), "foto.jpg": image("JPEG"), "ekrāns.png": image("PNG")}
    added = [svc.add_attachment(session, actor=staff, activity_id=activity_id, file_name=name,
                                data=data) for name, data in files.items()]
    assert [(a.file_name, a.content_type, a.size_bytes, a.uploaded_by, a.same_elsewhere)
            for a in added] == [
        ("saraksts.pdf", "application/pdf", len(files["saraksts.pdf"]), staff.email, []),
        ("foto.jpg", "image/jpeg", len(files["foto.jpg"]), staff.email, []),
        ("ekrāns.png", "image/png", len(files["ekrāns.png"]), staff.email, []),
    ]
    assert added[0].sha256 == hashlib.sha256(files["saraksts.pdf"]).hexdigest()
    assert svc.list_attachments(session, actor=staff, activity_id=activity_id) == added

    session.expire_all()
    manager = f.actor(session, Role.MANAGER)
    for read, (name, data) in zip(added, files.items(), strict=True):
        assert svc.attachment_content(session, actor=manager, attachment_id=read.id) == (
            name, read.content_type, data)
        stored = session.scalar(select(Attachment.content).where(Attachment.id == read.id))
        if folder is None:
            assert stored == data
        else:
            assert stored is None
            assert (folder / read.sha256[:2] / read.sha256).read_bytes() == data
    if folder is not None:
        assert sorted(p.name for p in folder.rglob("*") if p.is_file()) == sorted(
            a.sha256 for a in added)  # no temporary files left behind

    entries = session.scalars(select(AuditLog).where(AuditLog.entity == "attachment")
                              .order_by(AuditLog.id)).all()
    assert [(e.action, e.entity_id) for e in entries] == [
        *(("create", a.id) for a in added), *(("download", a.id) for a in added)]
    assert entries[0].after is not None
    assert "content" not in entries[0].after
    assert entries[0].after["sha256"] == added[0].sha256
    assert entries[0].after["stored"] == storage


def test_folder_file_missing_is_a_clear_error(session: Session, folder: Path) -> None:
    staff, activity_id = _draft(session)
    read = svc.add_attachment(session, actor=staff, activity_id=activity_id,
                              file_name="saraksts.pdf", data=pdf())
    path = folder / read.sha256[:2] / read.sha256
    path.write_bytes(b"damaged")
    with pytest.raises(svc.AttachmentMissing) as caught:
        svc.attachment_content(session, actor=staff, attachment_id=read.id)
    assert "saraksts.pdf" in caught.value.message("lv")
    path.unlink()
    with pytest.raises(svc.AttachmentMissing):
        svc.attachment_content(session, actor=staff, attachment_id=read.id)


def test_refused_files_change_nothing(session: Session, database_storage: None) -> None:
    staff, activity_id = _draft(session)
    too_big = b"%PDF-1.4\n" + b"\0" * ATTACHMENT_MAX_BYTES
    for what, data, code in [*BAD_FILES, ("over 10 MB", too_big, "attachment_too_large")]:
        with pytest.raises(ValidationFailed) as caught:
            svc.add_attachment(session, actor=staff, activity_id=activity_id,
                               file_name="saraksts.pdf", data=data)
        assert caught.value.errors[0].code == code, what
    assert _count(session, Attachment) == 0
    assert _count(session, AuditLog) == 0


def test_the_same_file_twice(session: Session, database_storage: None) -> None:
    staff, first = _draft(session)
    second = f.activity(session, by=staff, status="draft", title="Otra konsultācija").id
    data = pdf()
    original = svc.add_attachment(session, actor=staff, activity_id=first,
                                  file_name="saraksts.pdf", data=data)
    with pytest.raises(svc.DuplicateAttachment) as caught:
        svc.add_attachment(session, actor=staff, activity_id=first, file_name="cits.pdf",
                           data=data)
    assert caught.value.attachment_id == original.id
    assert caught.value.message("lv") == (
        "Šis fails šai aktivitātei jau ir pievienots kā “saraksts.pdf”.")
    assert caught.value.message("en") == (
        "This file is already attached to this activity as “saraksts.pdf”.")
    assert _count(session, Attachment) == 1

    # on another activity: allowed, and both sides see where else it is
    again = svc.add_attachment(session, actor=staff, activity_id=second,
                               file_name="saraksts.pdf", data=data)
    assert again.same_elsewhere == [first]
    assert [a.same_elsewhere for a in svc.list_attachments(
        session, actor=staff, activity_id=first)] == [[second]]
    # staff of another incubator's activity with the same file is not shown to this staff
    other_staff, other = _draft(session, "ZEMGALE")
    svc.add_attachment(session, actor=other_staff, activity_id=other, file_name="x.pdf",
                       data=data)
    assert svc.list_attachments(session, actor=staff, activity_id=first)[0].same_elsewhere == [
        second]
    manager = f.actor(session, Role.MANAGER)
    assert svc.list_attachments(session, actor=manager, activity_id=first)[0].same_elsewhere \
        == sorted([second, other])
    assert svc.attachment_counts(session, [first, second, other, 999_999]) == {
        first: 1, second: 1, other: 1, 999_999: 0}


def test_largest_file_is_stored(session: Session, database_storage: None) -> None:
    staff, activity_id = _draft(session)
    data = pdf_of_size(ATTACHMENT_MAX_BYTES)
    read = svc.add_attachment(session, actor=staff, activity_id=activity_id,
                              file_name="skenēts.pdf", data=data)
    assert read.size_bytes == ATTACHMENT_MAX_BYTES
    session.expire_all()
    assert svc.attachment_content(session, actor=staff, attachment_id=read.id)[2] == data


def test_a_duplicate_racing_in_is_refused(session: Session, database_storage: None,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Two people attach the same file at once: the unique constraint refuses the second,
    with the same message, and the unit of work goes on."""
    staff, activity_id = _draft(session)
    first = svc.add_attachment(session, actor=staff, activity_id=activity_id,
                               file_name="saraksts.pdf", data=pdf())
    real = svc._existing
    calls: list[int] = []

    def not_seen_the_first_time(session: Session, activity_id: int, sha256: str
                                ) -> tuple[int, str] | None:
        calls.append(1)
        return None if len(calls) == 1 else real(session, activity_id, sha256)

    monkeypatch.setattr(svc, "_existing", not_seen_the_first_time)
    with pytest.raises(svc.DuplicateAttachment) as caught:
        svc.add_attachment(session, actor=staff, activity_id=activity_id,
                           file_name="cits.pdf", data=pdf())
    assert caught.value.attachment_id == first.id
    assert _count(session, Attachment) == 1
    assert _count(session, AuditLog) == 1
    svc.add_attachment(session, actor=staff, activity_id=activity_id, file_name="foto.png",
                       data=image("PNG"))
    assert _count(session, Attachment) == 2


# Who may do what ---------------------------------------------------------------------------------

def test_who_may_read(session: Session, database_storage: None) -> None:
    staff, activity_id = _draft(session)
    read = svc.add_attachment(session, actor=staff, activity_id=activity_id,
                              file_name="saraksts.pdf", data=pdf())
    colleague = f.actor(session, Role.STAFF, "VIDZEME")
    for reader in (colleague, f.actor(session, Role.MANAGER), f.actor(session, Role.ADMIN)):
        assert [a.id for a in svc.list_attachments(session, actor=reader,
                                                   activity_id=activity_id)] == [read.id]
        assert svc.attachment_content(session, actor=reader, attachment_id=read.id)[2] == pdf()
    for outsider in (f.actor(session, Role.FUNDER), f.actor(session, Role.STAFF, "ZEMGALE")):
        with pytest.raises(PermissionDenied):
            svc.list_attachments(session, actor=outsider, activity_id=activity_id)
        with pytest.raises(PermissionDenied):
            svc.attachment_content(session, actor=outsider, attachment_id=read.id)
    with pytest.raises(PermissionDenied):
        svc.attachment_counts(session, [activity_id], actor=f.actor(session, Role.FUNDER))
    with pytest.raises(NotFound):
        svc.attachment_content(session, actor=staff, attachment_id=read.id + 1000)


def test_every_download_is_audited(session: Session, database_storage: None) -> None:
    """Who downloaded which file and when: one audit row per download; a refused download and
    a missing file leave none."""
    staff, activity_id = _draft(session)
    read = svc.add_attachment(session, actor=staff, activity_id=activity_id,
                              file_name="saraksts.pdf", data=pdf())
    manager = f.actor(session, Role.MANAGER)

    def downloads() -> list[tuple[str | None, int | None, dict[str, object] | None]]:
        return [(r[0], r[1], r[2]) for r in session.execute(
            select(AuditLog.actor_email, AuditLog.entity_id, AuditLog.after)
            .where(AuditLog.entity == "attachment", AuditLog.action == "download")
            .order_by(AuditLog.id)).all()]

    assert downloads() == []
    svc.attachment_content(session, actor=manager, attachment_id=read.id)
    svc.attachment_content(session, actor=staff, attachment_id=read.id)
    found = downloads()
    assert [(who, entity_id) for who, entity_id, _ in found] == [
        (manager.email, read.id), (staff.email, read.id)]
    assert found[0][2] == {"activity_id": activity_id, "file_name": "saraksts.pdf",
                           "content_type": "application/pdf", "size_bytes": len(pdf()),
                           "sha256": read.sha256}
    at = session.scalar(select(AuditLog.at).where(AuditLog.action == "download"))
    assert at is not None
    with pytest.raises(PermissionDenied):
        svc.attachment_content(session, actor=f.actor(session, Role.STAFF, "ZEMGALE"),
                               attachment_id=read.id)
    with pytest.raises(PermissionDenied):
        svc.attachment_content(session, actor=f.actor(session, Role.FUNDER),
                               attachment_id=read.id)
    assert len(downloads()) == 2


def test_who_may_add(session: Session, database_storage: None) -> None:
    author, draft = _draft(session)
    manager = f.actor(session, Role.MANAGER)

    def add(actor: Actor, activity_id: int, name: str = "saraksts.pdf") -> int:
        return svc.add_attachment(session, actor=actor, activity_id=activity_id, file_name=name,
                                  data=pdf(name)).id

    add(author, draft)
    with pytest.raises(NotAllowed) as caught:  # a colleague is not the author
        add(f.actor(session, Role.STAFF, "VIDZEME"), draft, "b.pdf")
    assert caught.value.reason == "not_author"
    for outsider in (f.actor(session, Role.FUNDER), f.actor(session, Role.STAFF, "ZEMGALE")):
        with pytest.raises(PermissionDenied):
            add(outsider, draft, "c.pdf")

    submitted = f.activity(session, by=author, status="submitted", title="Iesniegta").id
    with pytest.raises(NotAllowed) as caught:  # in review: the managers' turn
        add(author, submitted)
    assert caught.value.reason == "in_review"
    add(manager, submitted)

    approved = f.activity(session, status="approved", title="Apstiprināta").id
    for actor in (author, manager, f.actor(session, Role.ADMIN), Actor.system()):
        with pytest.raises(NotAllowed) as caught:
            add(actor, approved)
        assert caught.value.reason == "approved"
    assert _count(session, Attachment) == 2
    assert _count(session, AuditLog) == 2


def test_closed_quarter_refuses_additions_and_removals(session: Session,
                                                       database_storage: None) -> None:
    author, activity_id = _draft(session, activity_date="2025-05-14")
    kept = svc.add_attachment(session, actor=author, activity_id=activity_id,
                              file_name="saraksts.pdf", data=pdf())
    session.add(PeriodClosure(incubator_id=f.incubator_id(session), year=2025, quarter=2,
                              closed_at=dt.datetime(2025, 7, 5, tzinfo=dt.UTC)))
    session.flush()
    for actor in (author, f.actor(session, Role.MANAGER)):
        with pytest.raises(NotAllowed) as caught:
            svc.add_attachment(session, actor=actor, activity_id=activity_id,
                               file_name="foto.png", data=image("PNG"))
        assert caught.value.reason == "quarter_closed"
        assert "2025 Q2" in caught.value.message("en")
        with pytest.raises(NotAllowed):
            svc.delete_attachment(session, actor=actor, attachment_id=kept.id)
    assert [a.id for a in svc.list_attachments(session, actor=author,
                                               activity_id=activity_id)] == [kept.id]


# Removing ----------------------------------------------------------------------------------------

def test_delete(session: Session, database_storage: None) -> None:
    author, activity_id = _draft(session)
    read = svc.add_attachment(session, actor=author, activity_id=activity_id,
                              file_name="saraksts.pdf", data=pdf())
    with pytest.raises(PermissionDenied):
        svc.delete_attachment(session, actor=f.actor(session, Role.FUNDER),
                              attachment_id=read.id)
    with pytest.raises(NotAllowed):
        svc.delete_attachment(session, actor=f.actor(session, Role.STAFF, "VIDZEME"),
                              attachment_id=read.id)
    svc.delete_attachment(session, actor=author, attachment_id=read.id)
    assert _count(session, Attachment) == 0
    entry = session.scalars(select(AuditLog).where(AuditLog.entity == "attachment",
                                                   AuditLog.action == "delete")).one()
    assert entry.entity_id == read.id and entry.before is not None
    assert entry.before["file_name"] == "saraksts.pdf" and "content" not in entry.before
    with pytest.raises(NotFound):
        svc.delete_attachment(session, actor=author, attachment_id=read.id)
    # the same file can be attached again once removed
    svc.add_attachment(session, actor=author, activity_id=activity_id,
                       file_name="saraksts.pdf", data=pdf())
    # a deleted activity's evidence is neither listed nor changed
    version = activities.get_activity(session, actor=author, activity_id=activity_id).version
    activities.delete_activity(session, actor=author, activity_id=activity_id, version=version)
    with pytest.raises(Deleted):
        svc.list_attachments(session, actor=author, activity_id=activity_id)
    with pytest.raises(Deleted):
        svc.add_attachment(session, actor=author, activity_id=activity_id, file_name="x.png",
                           data=image("PNG"))


def test_delete_keeps_a_folder_file_still_in_use(session: Session, folder: Path) -> None:
    author, first = _draft(session)
    second = f.activity(session, by=author, status="draft", title="Otra").id
    data = pdf()
    a = svc.add_attachment(session, actor=author, activity_id=first, file_name="a.pdf",
                           data=data)
    b = svc.add_attachment(session, actor=author, activity_id=second, file_name="b.pdf",
                           data=data)
    path = folder / a.sha256[:2] / a.sha256
    svc.delete_attachment(session, actor=author, attachment_id=a.id)
    session.commit()
    assert path.read_bytes() == data  # b still needs it

    # a removal that is rolled back leaves the file
    svc.delete_attachment(session, actor=author, attachment_id=b.id)
    session.rollback()
    session.commit()
    assert path.read_bytes() == data

    # removed and added again in one unit of work: the file stays
    svc.delete_attachment(session, actor=author, attachment_id=b.id)
    again = svc.add_attachment(session, actor=author, activity_id=second, file_name="b.pdf",
                               data=data)
    session.commit()
    assert svc.attachment_content(session, actor=author, attachment_id=again.id)[2] == data

    # the last one goes: the file goes after the commit
    svc.delete_attachment(session, actor=author, attachment_id=again.id)
    assert path.exists()
    session.commit()
    assert not path.exists()


def test_catalogue_has_the_entity_name() -> None:
    assert t("entity.attachment", "lv") == "Pielikums"
    assert NotFound("attachment", 7).message("en") == "Attachment not found (ID 7)."


@pytest.mark.parametrize("huge", [2**31, 2**63, 2**70, -(2**70)])
def test_an_id_beyond_the_integer_range_is_not_found(session: Session, database_storage: None,
                                                     huge: int) -> None:
    staff, activity_id = _draft(session)
    svc.add_attachment(session, actor=staff, activity_id=activity_id, file_name="a.pdf",
                       data=pdf())
    with pytest.raises(NotFound):
        svc.add_attachment(session, actor=staff, activity_id=huge, file_name="a.pdf",
                           data=pdf("Cits"))
    with pytest.raises(NotFound):
        svc.list_attachments(session, actor=staff, activity_id=huge)
    for step in (svc.attachment_content, svc.delete_attachment):
        with pytest.raises(NotFound):
            step(session, actor=staff, attachment_id=huge)
    assert svc.attachment_counts(session, [activity_id, huge], actor=staff) == {
        activity_id: 1, huge: 0}
