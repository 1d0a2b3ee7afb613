"""Upload checks: what a file is, from its bytes, not its name. Pure Python."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

# Extension -> the content kinds it may contain.
ALLOWED: dict[str, str] = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "tif": "image/tiff",
    "tiff": "image/tiff",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "csv": "text/csv",
    "txt": "text/plain",
}


class UploadRejected(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sniffed:
    extension: str
    content_type: str


def _zip_kind(head: bytes, data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {
                    "application/vnd.oasis.opendocument.text": "odt",
                    "application/vnd.oasis.opendocument.spreadsheet": "ods",
                }.get(mimetype)
            if "[Content_Types].xml" not in names:
                return None
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
            if any(n.startswith("ppt/") for n in names):
                return "pptx"
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError):
        return None
    return None


def detect(data: bytes) -> set[str]:
    """The extensions whose format these bytes are (several for plain text)."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return {"jpg", "jpeg"}
    if head.startswith((b"GIF87a", b"GIF89a")):
        return {"gif"}
    if head[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return {"webp"}
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return {"tif", "tiff"}
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(head, data)
        return {kind} if kind else set()
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return {"doc", "xls", "ppt"}
    if b"\x00" not in data[:65536]:
        try:
            data[:65536].decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the 64 KiB boundary is still text.
            if exc.start < 65536 - 4:
                return set()
        return {"csv", "txt"}
    return set()


def check(filename: str, data: bytes, *, max_bytes: int) -> Sniffed:
    """Refuse empty, oversized, unknown, or mislabelled files; return the real type otherwise."""
    name = (filename or "").strip()
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        allowed = ", ".join(sorted(ALLOWED))
        raise UploadRejected(f"Files of type '.{extension or '?'}' are not accepted. Accepted: {allowed}.")
    if not data:
        raise UploadRejected("The file is empty.")
    if len(data) > max_bytes:
        raise UploadRejected(
            f"The file is {len(data) / 1_048_576:.1f} MB; the limit is {max_bytes / 1_048_576:.0f} MB."
        )
    kinds = detect(data)
    if extension not in kinds:
        found = ", ".join(sorted(kinds)) if kinds else "an unrecognised format"
        raise UploadRejected(
            f"The file is named .{extension} but its content is {found}. Upload the real document "
            "or rename it to match its format."
        )
    return Sniffed(extension, ALLOWED[extension])
