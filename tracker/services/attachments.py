"""Evidence for activities: attendance lists, agendas and photos (PDF, JPEG, PNG).

- The type is decided by the file's content, never by its name (`sniff`): a renamed program,
  archive, web page or GIF is refused, and so is a damaged or truncated file.
- At most ATTACHMENT_MAX_BYTES (10 MB); larger files are refused before anything parses them.
- The same file (same SHA-256) is attached to an activity once; on other activities it is
  allowed but reported (`same_elsewhere`), since one attendance list rarely backs two
  activities.
- Adding and removing follow the review rules (`review.check_step(..., Step.ATTACH)`): the
  author while a draft or returned, managers while submitted, nobody once approved or in a
  closed quarter.
- Reading: managers and admins everything, staff their own incubator's activities, funders
  nothing (the evidence holds personal data: names and signatures of participants).
- Storage: the `content` column; or, when TRACKER_ATTACHMENTS_DIR is set, the folder
  `<dir>/<sha[:2]>/<sha>` (content-addressed, shared by rows with the same bytes) and
  `content` stays NULL. A folder file is removed after the commit that deleted its last row.
- The audit trail records every addition, removal and download, never the bytes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from PIL import Image
from pydantic import Field
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from db.enums import AuditAction, Role
from db.models import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_TYPES,
    Activity,
    Attachment,
    OpinionEvidence,
    User,
)
from db.transactions import within
from tracker import audit
from tracker.auth import Actor
from tracker.config import get_settings
from tracker.errors import Deleted, PermissionDenied, TrackerError, ValidationFailed
from tracker.schemas import ReadModel
from tracker.services._common import flush, ids_in, load
from tracker.services.review import Step, check_step

ENTITY = "attachment"
FIELD = "file"
PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
MAX_MEGABYTES = ATTACHMENT_MAX_BYTES // (1024 * 1024)
# A 48-megapixel phone photo passes; a "decompression bomb" (a small file that decodes into
# gigabytes) is refused before it is decoded.
MAX_MEGAPIXELS = 50
MAX_PIXELS = MAX_MEGAPIXELS * 1_000_000
PDF_TAIL = 2048  # %%EOF (and startxref) must be within the last 2 KB of a PDF
FILE_NAME_MAX = 255

_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PDF_HEADER = re.compile(rb"%PDF-[12]\.\d")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_EXTENSIONS: dict[str, tuple[str, ...]] = {
    PDF: (".pdf",), JPEG: (".jpg", ".jpeg", ".jpe", ".jfif"), PNG: (".png",)}
_KIND = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}
# Unicode categories dropped from file names: controls, invisible format characters (such as
# the right-to-left override that makes "xxx\u202efdp.exe" look like "xxxexe.pdf"),
# surrogates, private use, unassigned, line and paragraph separators.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

assert set(_EXTENSIONS) == set(ATTACHMENT_TYPES)


class DuplicateAttachment(TrackerError):
    """The same file (by SHA-256) is already attached to this activity."""

    code = "duplicate_attachment"

    def __init__(self, file_name: str, attachment_id: int) -> None:
        self.attachment_id = attachment_id
        super().__init__(file_name=file_name)


class AttachmentMissing(TrackerError):
    """The row says the bytes are in the storage folder, but they are not (or are damaged)."""

    code = "attachment_missing"


class AttachmentStoreFailed(TrackerError):
    """The storage folder could not be written."""

    code = "attachment_store_failed"


class AttachmentRead(ReadModel):
    id: int
    activity_id: int
    file_name: str
    content_type: str
    size_bytes: int
    sha256: str
    uploaded_at: dt.datetime
    uploaded_by: str | None  # the uploader's e-mail
    same_elsewhere: list[int] = Field(default_factory=list)  # other activities with this file


# Recognising files -------------------------------------------------------------------------------

def _refuse(code: str, **params: Any) -> ValidationFailed:
    return ValidationFailed.single(FIELD, code, **params)


def _check_pdf(data: bytes) -> None:
    if _PDF_HEADER.match(data) is None:
        raise _refuse("attachment_damaged", kind="PDF")
    tail = data[-PDF_TAIL:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _refuse("attachment_damaged", kind="PDF")


def _check_image(data: bytes, pillow_format: str) -> None:
    """Pillow must open it as `pillow_format`, within the pixel limit, and decode it whole."""
    damaged = _refuse("attachment_damaged", kind=pillow_format)
    try:
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            if image.format != pillow_format:
                raise damaged
            width, height = image.size
            if width < 1 or height < 1:
                raise damaged
            if width * height > MAX_PIXELS:
                raise _refuse("attachment_too_many_pixels", max_megapixels=MAX_MEGAPIXELS)
            image.verify()  # PNG: every chunk and its checksum, up to IEND
        # verify() leaves the image unusable: open again and decode every byte, so that a
        # truncated file is caught (JPEG at 1/8 scale: the whole stream, a fraction of memory).
        with Image.open(io.BytesIO(data), formats=[pillow_format]) as image:
            if pillow_format == "JPEG":
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
            image.load()
    except ValidationFailed:
        raise
    except Image.DecompressionBombError:
        raise _refuse("attachment_too_many_pixels", max_megapixels=MAX_MEGAPIXELS) from None
    except Exception:  # Pillow reports broken files with many kinds of error
        raise damaged from None


def sniff(data: bytes) -> str:
    """The content type of `data` (application/pdf, image/jpeg or image/png), decided by the
    content alone. Anything else raises ValidationFailed on the field `file`, code
    `attachment_empty`, `attachment_too_large` (checked first, before any parsing),
    `attachment_type`, `attachment_damaged` or `attachment_too_many_pixels`."""
    size = len(data)
    if size == 0:
        raise _refuse("attachment_empty")
    if size > ATTACHMENT_MAX_BYTES:
        raise _refuse("attachment_too_large", max_mb=MAX_MEGABYTES)
    data = bytes(data)
    if data.startswith(b"%PDF-"):
        _check_pdf(data)
        return PDF
    if data.startswith(_PNG_MAGIC):
        _check_image(data, "PNG")
        return PNG
    if data.startswith(_JPEG_MAGIC):
        _check_image(data, "JPEG")
        return JPEG
    raise _refuse("attachment_type")


def clean_file_name(name: str | None, content_type: str) -> str:
    """The base name only, without control or invisible characters, at most 255 characters,
    never empty, and ending in an extension that fits the content (one is added if not)."""
    text = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if unicodedata.category(c) not in _DROPPED_CATEGORIES)
    text = " ".join(text.split()).strip(" .")
    extensions = _EXTENSIONS[content_type]
    suffix = Path(text).suffix.lower() if text else ""
    if suffix in extensions:
        stem, extension = text[:-len(suffix)], text[-len(suffix):]
    else:
        stem, extension = text, extensions[0]
    stem = stem.rstrip(" .") or "evidence"
    return stem[:FILE_NAME_MAX - len(extension)].rstrip(" .") + extension


# Storage folder ----------------------------------------------------------------------------------

_PENDING_UNLINK = "attachments.pending_unlink"


def _folder_path(folder: Path, sha256: str) -> Path:
    if _SHA256.fullmatch(sha256) is None:  # never build a path from anything but a digest
        raise ValueError("not a SHA-256 digest")
    return folder / sha256[:2] / sha256


def _write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (a temporary file renamed); an existing file with the
    same size is reused (the name is the content's digest)."""
    with contextlib.suppress(OSError):
        if path.is_file() and path.stat().st_size == len(data):
            return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
    except OSError:
        raise AttachmentStoreFailed() from None


def _pending(session: Session) -> list[tuple[SessionTransaction, Path]]:
    pending: list[tuple[SessionTransaction, Path]] = session.info.setdefault(
        _PENDING_UNLINK, [])
    return pending


def _on_commit(session: Session) -> None:
    for _transaction, path in _pending(session):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)
    _pending(session).clear()


def _on_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    session.info[_PENDING_UNLINK] = [
        (t, p) for t, p in _pending(session) if not within(t, previous_transaction)]


def _on_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the whole unit of work is over (committed or not)
        _pending(session).clear()


def _unlink_after_commit(session: Session, path: Path) -> None:
    """Remove the folder file once the deletion is committed; never if it is rolled back."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None
    _pending(session).append((transaction, path))
    for name, listener in (("after_commit", _on_commit),
                           ("after_soft_rollback", _on_soft_rollback),
                           ("after_transaction_end", _on_transaction_end)):
        if not event.contains(session, name, listener):
            event.listen(session, name, listener)


def _keep_file(session: Session, path: Path) -> None:
    """A file added again in the same unit of work that removed it stays."""
    session.info[_PENDING_UNLINK] = [(t, p) for t, p in _pending(session) if p != path]


# The bytes, for activities' attachments and opinions' evidence alike ----------------------------

def keep_bytes(session: Session, data: bytes, sha256: str) -> None:
    """Write a new file to TRACKER_ATTACHMENTS_DIR (set) under its SHA-256; it goes again
    if the unit of work rolls back."""
    folder = get_settings().attachments_dir
    assert folder is not None
    path = _folder_path(folder, sha256)
    _write_file(path, data)
    _keep_file(session, path)


def stored_bytes(content: bytes | None, sha256: str, file_name: str) -> bytes:
    """A file's bytes: from its row, else from the folder (checked against its SHA-256)."""
    if content is not None:
        return bytes(content)
    folder = get_settings().attachments_dir
    if folder is None:
        raise AttachmentMissing(file_name=file_name)
    try:
        data = _folder_path(folder, sha256).read_bytes()
    except (OSError, ValueError):
        raise AttachmentMissing(file_name=file_name) from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise AttachmentMissing(file_name=file_name)
    return data


def release_bytes(session: Session, sha256: str) -> None:
    """A folder file no row holds any longer (an activity's or an opinion's) goes once the
    removal is committed."""
    folder = get_settings().attachments_dir
    if folder is None:
        return
    others = (session.scalar(select(func.count(Attachment.id)).where(
        Attachment.sha256 == sha256)) or 0) + (session.scalar(
            select(func.count(OpinionEvidence.id)).where(OpinionEvidence.sha256 == sha256)) or 0)
    if others == 0:
        _unlink_after_commit(session, _folder_path(folder, sha256))


# Who may read ------------------------------------------------------------------------------------

def _check_read(actor: Actor, incubator_id: int) -> None:
    """Funders never see evidence; staff only their incubator's; managers and admins all."""
    if actor.role is Role.FUNDER:
        raise PermissionDenied()
    if not actor.is_manager and actor.incubator_id != incubator_id:
        raise PermissionDenied()


def _activity(session: Session, activity_id: int) -> Activity:
    return load(session, Activity, "activity", activity_id)


# Reading -----------------------------------------------------------------------------------------

def _same_elsewhere(session: Session, actor: Actor, activity_id: int, hashes: Iterable[str]
                    ) -> dict[str, list[int]]:
    """sha256 -> ids of other (not deleted) activities holding the same file; for staff only
    the activities of their own incubator."""
    wanted = sorted(set(hashes))
    if not wanted:
        return {}
    query = (select(Attachment.sha256, Attachment.activity_id)
             .join(Activity, Activity.id == Attachment.activity_id)
             .where(Attachment.sha256.in_(wanted), Attachment.activity_id != activity_id,
                    Activity.deleted_at.is_(None))
             .distinct().order_by(Attachment.sha256, Attachment.activity_id))
    if not actor.is_manager:
        query = query.where(Activity.incubator_id == actor.incubator_id)
    found: dict[str, list[int]] = {}
    for sha, other in session.execute(query).all():
        found.setdefault(sha, []).append(int(other))
    return found


def _reads(session: Session, actor: Actor, activity_id: int, *conditions: Any
           ) -> list[AttachmentRead]:
    rows = session.execute(
        select(Attachment.id, Attachment.activity_id, Attachment.file_name,
               Attachment.content_type, Attachment.size_bytes, Attachment.sha256,
               Attachment.uploaded_at, User.email)
        .outerjoin(User, User.id == Attachment.uploaded_by_id)
        .where(Attachment.activity_id == activity_id, *conditions)
        .order_by(Attachment.uploaded_at, Attachment.id)).all()
    elsewhere = _same_elsewhere(session, actor, activity_id, (r[5] for r in rows))
    return [AttachmentRead(id=r[0], activity_id=r[1], file_name=r[2], content_type=r[3],
                           size_bytes=r[4], sha256=r[5], uploaded_at=r[6], uploaded_by=r[7],
                           same_elsewhere=elsewhere.get(r[5], []))
            for r in rows]


def list_attachments(session: Session, *, actor: Actor, activity_id: int
                     ) -> list[AttachmentRead]:
    """The evidence of an activity, oldest first (without the bytes)."""
    activity = _activity(session, activity_id)
    _check_read(actor, activity.incubator_id)
    return _reads(session, actor, activity_id)


def attachment_content(session: Session, *, actor: Actor, attachment_id: int
                       ) -> tuple[str, str, bytes]:
    """(file name, content type, bytes) of one attachment, for a download button; the
    download is written to the audit trail (call it only when the file is given out)."""
    row = load(session, Attachment, ENTITY, attachment_id)
    activity = session.get(Activity, row.activity_id)
    assert activity is not None
    _check_read(actor, activity.incubator_id)
    if activity.deleted_at is not None:
        raise Deleted()
    data = stored_bytes(session.scalar(select(Attachment.content).where(
        Attachment.id == row.id)), row.sha256, row.file_name)
    # evidence holds participants' names and signatures: who took a copy is on record
    audit.record(session, actor, entity=ENTITY, entity_id=row.id, action=AuditAction.DOWNLOAD,
                 after={"activity_id": row.activity_id, "file_name": row.file_name,
                        "content_type": row.content_type, "size_bytes": row.size_bytes,
                        "sha256": row.sha256})
    return row.file_name, row.content_type, bytes(data)


def attachment_counts(session: Session, activity_ids: Iterable[int], *,
                      actor: Actor | None = None) -> dict[int, int]:
    """activity id -> number of attachments (0 for none), for lists of activities; staff
    count only their own incubator's (0 for another's, as for one they may not open)."""
    ids = sorted({int(i) for i in activity_ids})
    if actor is not None and actor.role is Role.FUNDER:
        raise PermissionDenied()
    counts = dict.fromkeys(ids, 0)
    if ids:
        query = select(Attachment.activity_id, func.count(Attachment.id)).where(
            ids_in(Attachment.activity_id, ids)).group_by(Attachment.activity_id)
        if actor is not None and not actor.is_manager:
            query = query.join(Activity, Activity.id == Attachment.activity_id).where(
                Activity.incubator_id == actor.incubator_id)
        for activity_id, count in session.execute(query).all():
            counts[int(activity_id)] = int(count)
    return counts


# Writing -----------------------------------------------------------------------------------------

def _audit_view(row: Attachment, stored: str) -> dict[str, Any]:
    """What the audit trail keeps of an attachment: everything but the bytes."""
    return {"id": row.id, "activity_id": row.activity_id, "file_name": row.file_name,
            "content_type": row.content_type, "size_bytes": row.size_bytes,
            "sha256": row.sha256, "uploaded_by_id": row.uploaded_by_id,
            "uploaded_at": row.uploaded_at.isoformat() if row.uploaded_at else None,
            "stored": stored}


def _existing(session: Session, activity_id: int, sha256: str) -> tuple[int, str] | None:
    found = session.execute(select(Attachment.id, Attachment.file_name).where(
        Attachment.activity_id == activity_id, Attachment.sha256 == sha256)).first()
    return (int(found[0]), str(found[1])) if found is not None else None


def add_attachment(session: Session, *, actor: Actor, activity_id: int, file_name: str | None,
                   data: bytes) -> AttachmentRead:
    """Attach a file to an activity. Refuses: a step the review rules do not allow
    (PermissionDenied, NotAllowed), a file that is not a sound PDF, JPEG or PNG or is too
    large (ValidationFailed on `file`), and a file already attached to this activity
    (DuplicateAttachment). The same file on other activities is allowed and reported in
    `same_elsewhere`."""
    activity = _activity(session, activity_id)
    check_step(session, actor, activity, Step.ATTACH)
    content_type = sniff(data)
    data = bytes(data)
    sha256 = hashlib.sha256(data).hexdigest()
    existing = _existing(session, activity.id, sha256)
    if existing is not None:
        raise DuplicateAttachment(existing[1], existing[0])
    folder = get_settings().attachments_dir
    row = Attachment(activity_id=activity.id, file_name=clean_file_name(file_name, content_type),
                     content_type=content_type, size_bytes=len(data), sha256=sha256,
                     content=None if folder is not None else data,
                     uploaded_by_id=actor.user_id)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # someone attached the same file a moment ago
        existing = _existing(session, activity.id, sha256)
        if existing is None:
            raise
        raise DuplicateAttachment(existing[1], existing[0]) from None
    if folder is not None:
        keep_bytes(session, data, sha256)
    audit.record(session, actor, entity=ENTITY, entity_id=row.id, action=AuditAction.CREATE,
                 after=_audit_view(row, "folder" if folder is not None else "database"))
    return _reads(session, actor, activity.id, Attachment.id == row.id)[0]


def delete_attachment(session: Session, *, actor: Actor, attachment_id: int) -> None:
    """Remove an attachment (same rules as adding one). Its folder file goes once the removal
    is committed, unless another attachment has the same bytes."""
    row = load(session, Attachment, ENTITY, attachment_id)
    activity = _activity(session, row.activity_id)
    check_step(session, actor, activity, Step.ATTACH)
    in_folder = session.scalar(select(Attachment.content.is_(None)).where(
        Attachment.id == row.id))
    before = _audit_view(row, "folder" if in_folder else "database")
    sha256 = row.sha256
    session.delete(row)
    flush(session)
    audit.record(session, actor, entity=ENTITY, entity_id=attachment_id,
                 action=AuditAction.DELETE, before=before)
    if in_folder:
        release_bytes(session, sha256)
