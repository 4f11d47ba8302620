"""佐证材料 in the documents: the numbered list the 自评报告 prints, the folder `kpi export --evidence DIR` writes
(「序号-指标-文件名」, the same 序号), and the preview a page shows of one file (an image, a PDF's first page)."""

import io
import re
import unicodedata
from pathlib import Path

import pypdfium2
from sqlmodel import Session

from data_model import evidence
from data_model.evidence import Item
from data_model.models import Project
from data_model.sniff import IMAGES, PDF

PREVIEW_WIDTH = 800  # pixels of a PDF's first page as previewed
NAME_BYTES = 240  # a folder entry's name in UTF-8 (most file systems allow 255)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')  # not allowed (or not wise) in a file name on Windows or POSIX


def numbered(items: list[Item]) -> list[tuple[int, Item]]:
    """The files as the report lists them and the folder names them: 序号 from 1, by indicator then upload."""
    return list(enumerate(items, start=1))


def _safe(text: str) -> str:
    cleaned = _UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip(" .")
    return cleaned or "_"


def _cut(text: str, limit: int) -> str:
    while len(text.encode()) > limit:
        text = text[:-1]
    return text


def folder_name(number: int, item: Item) -> str:
    """「序号-指标-文件名」 safe on every file system: no separators or reserved characters, no leading dot, at most
    NAME_BYTES bytes (the indicator's name is shortened first, the extension is kept)."""
    stem, dot, extension = item.file_name.rpartition(".")
    stem, suffix = (_safe(stem), "." + _safe(extension)) if dot and stem else (_safe(item.file_name), "")
    head = f"{number:03d}-"
    indicator = _safe(item.indicator)
    room = NAME_BYTES - len(head.encode()) - len(suffix.encode()) - 1
    stem = _cut(stem, max(room // 2, room - len(indicator.encode())))
    indicator = _cut(indicator, room - len(stem.encode()))
    return f"{head}{indicator}-{stem}{suffix}"


def write_folder(session: Session, project: Project, folder: Path) -> list[Path]:
    """Every file of the project into `folder` (created if need be), named by folder_name; returns the paths."""
    folder.mkdir(parents=True, exist_ok=True)
    names = {item.id: folder_name(n, item) for n, item in numbered(evidence.listing(session, project.id))}
    written = []
    for evidence_id, data in evidence.contents(session, project.id):
        path = folder / names[evidence_id]
        if path.resolve().parent != folder.resolve():  # folder_name never allows it; a guard for the future
            raise ValueError(names[evidence_id])
        path.write_bytes(data)
        written.append(path)
    return sorted(written)


def preview(mime: str, data: bytes) -> bytes | None:
    """What a page shows of a file: an image itself, a PDF's first page as PNG; None for other kinds or a PDF that
    cannot be drawn."""
    if mime in IMAGES:
        return data
    if mime != PDF.mime:
        return None
    try:
        document = pypdfium2.PdfDocument(data)
        page = document[0]
        image = page.render(scale=PREVIEW_WIDTH / page.get_width()).to_pil()
    except (pypdfium2.PdfiumError, IndexError, ValueError, ZeroDivisionError):
        return None
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
