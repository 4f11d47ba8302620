"""Small real files of every accepted kind, and bad ones, built in code for the 佐证材料 tests."""

import io
import zipfile

import pypdfium2
from docx import Document
from openpyxl import Workbook
from PIL import Image


def jpeg(color: str = "red", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def png(color: str = "blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(out, "PNG")
    return out.getvalue()


def pdf(pages: int = 1) -> bytes:
    document = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        document.new_page(595, 842)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx(text: str = "签到表") -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "验收报告"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return out.getvalue()


def ofd() -> bytes:
    return zipped({"OFD.xml": b'<?xml version="1.0"?><ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>'})


def exe() -> bytes:
    """The start of a Windows program (an MZ header and the DOS stub's message)."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 48
        + b"This program cannot be run in DOS mode."
    )


def encrypted_zip_docx() -> bytes:
    """A .docx whose members carry zip's encryption flag."""
    data = bytearray(docx())
    for marker in (b"PK\x03\x04", b"PK\x01\x02"):
        start = 0
        while (at := data.find(marker, start)) != -1:
            flags = at + (6 if marker == b"PK\x03\x04" else 8)
            data[flags] |= 0x1
            start = at + 4
    return bytes(data)


def corrupt_docx() -> bytes:
    """A .docx with one byte of word/document.xml's compressed data changed: its checksum no longer matches."""
    data = bytearray(docx())
    at = data.find(b"word/document.xml") + len(b"word/document.xml") + 40
    data[at] ^= 0xFF
    return bytes(data)
