"""Catalogue: evidence attached to activities (tracker.services.attachments)."""

from __future__ import annotations

TEXTS: dict[str, tuple[str, str]] = {
    # refusals of a file (shown after the field name, "Fails: ...")
    "error.attachment_empty": ("fails ir tukšs", "the file is empty"),
    "error.attachment_too_large": ("fails ir lielāks par {max_mb} MB", "the file is over {max_mb} MB"),
    "error.attachment_type": ("tas nav PDF, JPEG vai PNG fails (veidu nosaka faila saturs, nevis nosaukums)", "not a PDF, JPEG or PNG file (the type is decided by the file's content, not its name)"),
    "error.attachment_damaged": ("fails ir bojāts vai nepilnīgs ({kind})", "the file is damaged or incomplete ({kind})"),
    "error.attachment_too_many_pixels": ("attēls ir pārāk liels: vairāk nekā {max_megapixels} megapikseļu", "the image is too large: over {max_megapixels} megapixels"),
    # domain errors
    "error.duplicate_attachment": ("Šis fails šai aktivitātei jau ir pievienots kā “{file_name}”.", "This file is already attached to this activity as “{file_name}”."),
    "error.attachment_missing": ("Pielikuma “{file_name}” fails glabātuvē nav atrasts vai ir bojāts. Administrators to var atjaunot no rezerves kopijas.", "The file of attachment “{file_name}” is missing or damaged in the storage folder. An administrator can restore it from a backup."),
    "error.attachment_store_failed": ("Failu neizdevās saglabāt glabātuvē. Mēģiniet vēlreiz vai ziņojiet administratoram.", "The file could not be saved to the storage folder. Try again or tell an administrator."),
    "entity.attachment": ("Pielikums", "Attachment"),
    "field.file": ("Fails", "File"),
    # for the activities page
    "attachments.title": ("Pierādījumi", "Evidence"),
    "attachments.upload": ("Pievienot failu (PDF, JPEG vai PNG, līdz {max_mb} MB)", "Add a file (PDF, JPEG or PNG, up to {max_mb} MB)"),
    "attachments.upload_hint": ("Dalībnieku saraksts, darba kārtība vai foto. Faila veidu nosaka tā saturs.", "An attendance list, an agenda or a photo. The file's type is decided by its content."),
    "attachments.none": ("Pierādījumu vēl nav.", "No evidence yet."),
    "attachments.added": ("Fails “{file_name}” pievienots.", "File “{file_name}” added."),
    "attachments.deleted": ("Fails “{file_name}” izņemts.", "File “{file_name}” removed."),
    "attachments.download": ("Lejupielādēt", "Download"),
    "attachments.delete": ("Izņemt", "Remove"),
    "attachments.same_elsewhere": ("Tas pats fails ir pievienots arī citām aktivitātēm: {ids}.", "The same file is also attached to other activities: {ids}."),
    "attachments.count": ("Pierādījumi: {count}", "Evidence: {count}"),
    "attachments.col.file_name": ("Fails", "File"),
    "attachments.col.content_type": ("Veids", "Type"),
    "attachments.col.size": ("Izmērs", "Size"),
    "attachments.col.uploaded_at": ("Pievienots", "Added"),
    "attachments.col.uploaded_by": ("Pievienoja", "Added by"),
}
