"""What a 佐证材料 file is, judged by its content: PDF, JPEG, PNG, DOCX, XLSX or OFD, named by a matching extension.

The name only has to agree with the content; the type stored is the one the content shows. A Windows or Linux
program, an encrypted or corrupt file, a legacy or macro-enabled Office file, an empty or oversized one is refused
with its FileRefused (data_model.problems' Fxxx entries) before anything is stored. The members of a zip container
(DOCX, XLSX, OFD) are all read back once, in bounded pieces, so that a broken member or a wrong checksum is found
here and not by the reviewer who opens the file.
"""

import io
import zipfile
import zlib
from pathlib import PurePosixPath, PureWindowsPath
from typing import NamedTuple

from PIL import Image, UnidentifiedImageError

from data_model.problems import FileRefused
from data_model.xlsx import MAX_PARTS, MAX_TOTAL_BYTES, MB, OLE2

MAX_BYTES = 20 * MB
PROGRAMS = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")  # Windows, Linux, macOS, scripts
ZIP = b"PK\x03\x04"


class Kind(NamedTuple):
    """An accepted type: what it reads as in a message, its MIME type and the extensions it may carry."""

    label: str
    mime: str
    suffixes: tuple[str, ...]


PDF = Kind("PDF", "application/pdf", (".pdf",))
JPEG = Kind("JPEG 图片", "image/jpeg", (".jpg", ".jpeg"))
PNG = Kind("PNG 图片", "image/png", (".png",))
DOCX = Kind("Word（.docx）", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", (".docx",))
XLSX = Kind("Excel（.xlsx）", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",))
OFD = Kind("OFD", "application/ofd", (".ofd",))
KINDS = (PDF, JPEG, PNG, DOCX, XLSX, OFD)
BY_SUFFIX = {suffix: kind for kind in KINDS for suffix in kind.suffixes}
IMAGES = (JPEG.mime, PNG.mime)
# The member that makes a zip container each kind: the main part of its package.
MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml", OFD: "OFD.xml"}
MACROS = ("vbaProject.bin",)


def base_name(name: str) -> str:
    """The file's own name without any folder a browser or shell put before it (C:\\…\\a.pdf, ../a.pdf)."""
    return PureWindowsPath(PurePosixPath(name.strip()).name).name.strip()


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB"


def sniff(name: str, data: bytes) -> Kind:
    """The accepted kind of the file, which its extension names; FileRefused saying why not."""
    if not data:
        raise FileRefused("F001", name=name)
    if len(data) > MAX_BYTES:
        raise FileRefused("F002", name=name, size=_size(len(data)), limit=_size(MAX_BYTES))
    suffix = PurePosixPath(name.lower()).suffix
    wanted = BY_SUFFIX.get(suffix)
    if wanted is None:
        raise FileRefused("F003", name=name, suffix=suffix or "无扩展名")
    if data.startswith(PROGRAMS):
        raise FileRefused("F004", name=name, wanted=wanted.label)
    if data.startswith(OLE2):  # .doc, .xls, and every password-encrypted .docx / .xlsx
        encrypted = "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data
        raise FileRefused("F007" if encrypted else "F010", name=name)
    found = _kind(name, data, wanted)
    if found is not wanted:
        raise FileRefused("F005", name=name, found=found.label, suffix=suffix)
    return found


def _kind(name: str, data: bytes, wanted: Kind) -> Kind:
    if data.startswith(b"%PDF-"):
        return _pdf(name, data)
    if data.startswith(b"\xff\xd8\xff"):
        return _image(name, data, JPEG, "JPEG")
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return _image(name, data, PNG, "PNG")
    if data.startswith(ZIP):
        return _container(name, data, wanted)
    raise FileRefused("F006", name=name, wanted=wanted.label)


def _pdf(name: str, data: bytes) -> Kind:
    tail = data[-2048:]
    if b"%%EOF" not in tail:
        raise FileRefused("F008", name=name, what="缺少 PDF 文件结尾")
    if b"/Encrypt" in data:
        raise FileRefused("F007", name=name)
    return PDF


def _image(name: str, data: bytes, kind: Kind, pillow_format: str) -> Kind:
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != pillow_format:
                raise FileRefused("F006", name=name, wanted=kind.label)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise FileRefused("F008", name=name, what="图片数据无法读取") from None
    return kind


def _container(name: str, data: bytes, wanted: Kind) -> Kind:
    """DOCX, XLSX or OFD by its main part, once every member reads back with its checksum and none is encrypted."""
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        members = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError):
        raise FileRefused("F008", name=name, what="压缩包目录无法读取") from None
    if any(m.flag_bits & 0x1 for m in members):
        raise FileRefused("F007", name=name)
    if len(members) > MAX_PARTS or sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        raise FileRefused("F008", name=name, what="压缩包内容过多")
    names = {m.filename for m in members}
    if any(PurePosixPath(n).name in MACROS for n in names):
        raise FileRefused("F009", name=name)
    found = next((kind for kind, part in MAIN_PART.items() if part in names), None)
    if found is None:
        raise FileRefused("F006", name=name, wanted=wanted.label)
    for member in members:
        _read_back(book, member, name)
    return found


def _read_back(book: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """Read one member to its end in 1 MB pieces (zipfile checks the CRC at the end), at most its declared size."""
    try:
        with book.open(member) as part:
            read = 0
            while piece := part.read(MB):
                read += len(piece)
                if read > member.file_size:
                    raise zipfile.BadZipFile(member.filename)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise FileRefused("F008", name=name, what=f"「{member.filename}」无法解压") from None
