"""Hostile upload workbooks, built by code: `python -m data_model import` refuses each in Chinese, quickly and in
small memory (measured in the child process), and writes nothing; or imports what it may and says what it left out."""

import io
import multiprocessing
import re
import struct
import time
import zipfile
from datetime import date

import pytest
from openpyxl import load_workbook

from data_model import importer, worker, xlsx
from data_model.db import make_engine, session
from data_model.importer import WORKER_FAILED, plan_import
from data_model.validation import MAX_PROBLEMS
from data_model.xlsx import MAX_COLUMNS, MAX_ROWS
from tests.data_model.hostile import run_import
from tests.data_model.workbooks import contents, good, headers, upload
from tests.helpers import workbook_bytes

PROJECT = "2024年浦锦街道劳动关系项目"
GOOD = upload(支出明细=[good("支出明细", 凭证号="PZ-H01")])  # a valid workbook the cases below spoil
MAIN = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
SHEET1 = "xl/worksheets/sheet1.xml"
FORK = multiprocessing.get_context("fork")


def rezipped(data: bytes, change=None, add: dict[str, bytes] | None = None) -> bytes:
    """The workbook with change(name, part) applied to every part, and parts added."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info)
            target.writestr(info.filename, change(info.filename, part) if change else part)
        for name, part in (add or {}).items():
            target.writestr(name, part)
    return out.getvalue()


def in_sheet(xml: bytes, data: bytes = GOOD, part: str = SHEET1) -> bytes:
    """The workbook with `xml` added at the end of a sheet's <sheetData>."""
    return rezipped(
        data, lambda name, text: text.replace(b"</sheetData>", xml + b"</sheetData>") if name == part else text
    )


def cell(ref: str, text: str = "x") -> bytes:
    row = re.sub("[A-Z]", "", ref)
    return f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c></row>'.encode()


def huge_part(data: bytes, name: str, head: bytes, filler: bytes, size: int, tail: bytes) -> bytes:
    """The workbook with part `name` replaced by head + `size` bytes of filler + tail, streamed through the
    compressor: a few MB of file for gigabytes of XML, the sizes in the zip telling the truth."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    block = filler * (16 * 1024 * 1024 // len(filler))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename != name:
                target.writestr(info.filename, source.read(info))
        with target.open(name, "w", force_zip64=True) as part:
            part.write(head)
            for _ in range(size // len(block)):
                part.write(block)
            part.write(tail)
    return out.getvalue()


def shared_strings(data: bytes, strings: list[bytes], sheet_xml: bytes) -> bytes:
    """The workbook with a shared-string table holding `strings`, and `sheet_xml` added to 支出明细."""
    table = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b"<si><t>" + s + b"</t></si>" for s in strings)
        + b"</sst>"
    )
    relation = (
        b'<Relationship Id="rIdS" '
        b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="sharedStrings.xml"/></Relationships>'
    )
    kind = (
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    )

    def change(name: str, text: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return text.replace(b"</Relationships>", relation)
        if name == "[Content_Types].xml":
            return text.replace(b"</Types>", kind)
        return text.replace(b"</sheetData>", sheet_xml + b"</sheetData>") if name == SHEET1 else text

    return rezipped(data, change, {"xl/sharedStrings.xml": table})


def lying_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of `name` stated as `size` in its local header and the directory."""
    data, encoded = bytearray(data), name.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature + b"")
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            length = struct.unpack_from("<H", data, at + (26 if signature == b"PK\x03\x04" else 28))[0]
            if bytes(data[name_at : name_at + length]) == encoded:
                struct.pack_into("<I", data, at + offset, size)
            at = data.find(signature, at + 4)
    return bytes(data)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (what a .xls is, and what Excel wraps a password-encrypted workbook in) holding
    these streams: 512-byte sectors, one FAT sector, one directory sector, each stream padded to 4,096 bytes
    so that none belongs in the mini stream."""
    free, end, fat_sector = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
    bodies = [body.ljust(max(4096, -(-len(body) // 512) * 512), b"\0") for body in streams.values()]
    fat, entries, sector = [fat_sector, end], [], 2
    for body in bodies:
        count = len(body) // 512
        fat += [*range(sector + 1, sector + count), end]
        entries.append(sector)
        sector += count

    def entry(name: str, kind: int, start: int, size: int, child: int = free, right: int = free) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return encoded.ljust(64, b"\0") + struct.pack(
            "<HBB3I16sIQQIQ", len(encoded), kind, 1, free, right, child, b"\0" * 16, 0, 0, 0, start, size
        )

    names = list(streams)
    directory = entry("Root Entry", 5, end, 0, child=1) + b"".join(
        entry(n, 2, entries[i], len(streams[n]), right=i + 2 if i + 1 < len(names) else free)
        for i, n in enumerate(names)
    )
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6, 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    return (
        header + struct.pack("<128I", *fat, *[free] * (128 - len(fat))) + directory.ljust(512, b"\0") + b"".join(bodies)
    )


def macro_enabled() -> bytes:
    return rezipped(
        GOOD,
        lambda name, text: (
            text.replace(MAIN, b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
            if name == "[Content_Types].xml"
            else text
        ),
        {"xl/vbaProject.bin": compound_file({"VBA": b"Attribute VB_Name"})},
    )


def hidden(state: str) -> bytes:
    """支出明细 visible and valid, and 以案定补 hidden (state: hidden or veryHidden) with a valid row."""
    data = upload(支出明细=[good("支出明细", 凭证号="PZ-H02")], 以案定补=[good("以案定补", 案件编号="AJ-H01")])
    mark = (r'(<sheet [^>]*name="以案定补"[^>]*state=")visible"'.encode(), rf'\g<1>{state}"'.encode())
    return rezipped(data, lambda name, text: re.sub(*mark, text) if name == "xl/workbook.xml" else text)


def merged() -> bytes:
    book = load_workbook(io.BytesIO(upload(普法活动=[good("普法活动", 活动名称=f"活动{i}") for i in range(3)])))
    book["普法活动"].merge_cells("D2:D4")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def expense_row(row: int, amount: str) -> bytes:
    """A 支出明细 row whose 金额 cell is this XML; its date is a date cell like openpyxl's (style 1)."""
    return (
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>PZ-{row}</t></is></c><c r="B{row}" s="1"><v>45356</v></c>'
        f'<c r="C{row}" t="inlineStr"><is><t>工作装备经费</t></is></c>{amount}</row>'
    ).encode()


def many_rows(rows: int, valid: bool) -> bytes:
    """支出明细 with `rows` data rows (every one missing its amount and carrying a bad date unless valid)."""
    template = (
        '<row r="{0}"><c r="A{0}" t="inlineStr"><is><t>PZ-{0}</t></is></c><c r="B{0}" t="inlineStr"><is><t>'
        + ("2024-03-05" if valid else "三月")
        + "</t></is></c></row>"
    )
    body = "".join(template.format(r) for r in range(2, rows + 2)).encode()
    return in_sheet(body, upload(支出明细=[]))


def built(build) -> bytes:
    """build() run in a forked child, so that making gigabytes of XML leaves this process small: the command's
    process starts as a copy of this one, and the memory of that copy counts in the peak measured."""
    receiver, sender = FORK.Pipe(duplex=False)
    child = FORK.Process(target=lambda: sender.send_bytes(build()))
    child.start()
    sender.close()
    data = receiver.recv_bytes()
    child.join()
    return data


def outcome(url: str, data: bytes, name: str = "上传.xlsx"):
    engine = make_engine(url)
    with session(engine) as s:
        before = contents(s)
    done = run_import(url, data, name, "--project", PROJECT)
    with session(engine) as s:
        after = contents(s)
    engine.dispose()
    return done, before, after


R = f"{MAX_ROWS:,}"
REFUSED = [  # name, the workbook (built when the case runs), what stderr says
    (
        "D1-cell-at-XFD1048576",
        lambda: in_sheet(cell("XFD1048576")),
        f"工作表「支出明细」：数据延伸到第 1048576 行（单元格 XFD1048576），超过上限 {R} 行",
    ),
    ("D2-cell-at-Z1048576", lambda: in_sheet(cell("Z1048576")), "数据延伸到第 1048576 行（单元格 Z1048576）"),
    (
        "D2-one-1GiB-shared-string",
        lambda: huge_part(GOOD, "xl/sharedStrings.xml", b"<sst><si><t>", b"a", 1 << 30, b"</t></si></sst>"),
        "文件解压后共 1,0",
    ),
    (
        "D2-2GB-whitespace-in-sheetData",
        lambda: huge_part(GOOD, SHEET1, b"<worksheet><sheetData>", b" ", 2 << 30, b"</sheetData></worksheet>"),
        "文件解压后共 2,048 MB，超过上限 200 MB",
    ),
    ("D2-2000000-invalid-rows", lambda: many_rows(2_000_000, valid=False), "文件解压后共 261 MB，超过上限 200 MB"),
    ("D2-200000-invalid-rows", lambda: many_rows(200_000, valid=False), "），超过上限 100,000 行；请删除多余的行"),
    (
        "D9-xls",
        lambda: compound_file({"Workbook": b"\x09\x08\x10\x00\x00\x06\x05\x00", "SummaryInformation": b"\xfe\xff"}),
        "这是旧版 Excel 文件（.xls），请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再上传",
    ),
    ("D9-xlsm", macro_enabled, "这是启用宏的工作簿（.xlsm），为安全起见不能上传"),
    (
        "encrypted",
        lambda: compound_file(
            {"EncryptionInfo": b"\x04\x00\x04\x00\x40\x00\x00\x00", "EncryptedPackage": b"\x00" * 64}
        ),
        "文件设置了打开密码（已加密）",
    ),
    ("D9-merged-cells", merged, "工作表「普法活动」第 2 行「片区」列：单元格 D2:D4 是合并单元格"),
    (
        "D9-formula-without-value",
        lambda: in_sheet(expense_row(3, '<c r="D3"><f>SUM(D2:D2)</f><v></v></c>')),
        "工作表「支出明细」第 3 行「金额」列：单元格 D3 是公式，但文件中没有保存它的计算结果",
    ),
    (
        "D9-error-value",
        lambda: in_sheet(expense_row(3, '<c r="D3" t="e"><v>#N/A</v></c>')),
        "工作表「支出明细」第 3 行「金额」列：单元格 D3 是错误值「#N/A」",
    ),
    (
        "D4-date-of-minus-1e300",
        lambda: in_sheet(expense_row(3, '<c r="D3"><v>12</v></c>').replace(b"<v>45356</v>", b"<v>-1e300</v>")),
        "工作表「支出明细」第 3 行：无法读取",
    ),
    (
        "zip-bomb-by-ratio",
        lambda: huge_part(GOOD, SHEET1, b"<worksheet><sheetData>", b" ", 64 << 20, b"</sheetData></worksheet>"),
        "压缩比异常",
    ),
    (
        "declared-size-lies",
        lambda: lying_size(
            huge_part(GOOD, SHEET1, b"<worksheet><sheetData>", b" ", 150 << 20, b"</sheetData></worksheet>"),
            SHEET1,
            4096,
        ),
        "不是有效的 Excel（.xlsx）工作簿",
    ),
    ("truncated-zip", lambda: GOOD[: len(GOOD) // 2], "不是有效的 Excel（.xlsx）工作簿"),
    ("empty-file", lambda: b"", "不是有效的 Excel（.xlsx）工作簿"),
    (
        "zip-that-is-no-workbook",
        lambda: rezipped(
            GOOD, lambda name, text: text.replace(MAIN, b"application/xml") if name == "[Content_Types].xml" else text
        ),
        "不是有效的 Excel（.xlsx）工作簿",
    ),
    (
        "too-many-columns",
        lambda: in_sheet(cell("GS2")),
        f"数据延伸到第 {MAX_COLUMNS + 1} 列（单元格 GS2），超过上限 {MAX_COLUMNS} 列",
    ),
    (
        "dimension-too-large",
        lambda: rezipped(
            GOOD,
            lambda name, text: (
                re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:E200000"', text) if name == SHEET1 else text
            ),
        ),
        "数据延伸到第 200000 行",
    ),
    ("dimension-lies-small", lambda: in_sheet(cell("A150000")), "数据延伸到第 150000 行（单元格 A150000）"),
    (
        "area-too-large",
        lambda: in_sheet(cell("GR15001")),
        "数据区域（A1:GR15001）共 3,000,200 个单元格，超过上限 3,000,000 个",
    ),
    (
        "shared-string-copied-into-every-cell",
        lambda: shared_strings(
            GOOD,
            [b"a" * 1_000_000],
            b"".join(f'<row r="{r}"><c r="E{r}" t="s"><v>0</v></c></row>'.encode() for r in range(3, 103)),
        ),
        "，超过上限 64 MB",
    ),
    (
        "too-many-shared-strings",
        lambda: shared_strings(GOOD, [b"%d" % i for i in range(1_000_001)], b""),
        "条共享文本，超过上限 1,000,000 条",
    ),
    (
        "cell-without-position",
        lambda: in_sheet(b'<row r="3"><c t="inlineStr"><is><t>x</t></is></c></row>'),
        "文件结构无法识别（xl/worksheets/sheet1.xml）",
    ),
    (
        "cell-with-lowercase-position",
        lambda: in_sheet(b'<row r="3"><c r="xfd1048576"><v>1</v></c></row>'),
        "文件结构无法识别",
    ),
    ("duplicated-part", lambda: rezipped(GOOD, add={SHEET1: b"<worksheet/>"}), "不是有效的 Excel（.xlsx）工作簿"),
    (
        "too-many-problems",
        lambda: many_rows(50_000, valid=False),  # three per row: the date, and no budget line nor amount
        f"另有 {3 * 50_000 - MAX_PROBLEMS:,} 个问题未列出（只列出前 {MAX_PROBLEMS} 个）",
    ),
]


@pytest.mark.parametrize("build, message", [pytest.param(b, m, id=n) for n, b, m in REFUSED])
def test_hostile_workbook_is_refused_quickly_in_small_memory_and_writes_nothing(fresh_url, build, message):
    done, before, after = outcome(fresh_url, built(build))
    assert done.exit_code == 1, (done.exit_code, done.stderr[-2000:])
    assert "导入失败，未写入任何数据。" in done.stderr, done.stderr[-2000:]
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n  [") <= MAX_PROBLEMS + 1  # never a flood: the rest are counted in one line
    assert done.within_limits, (done.seconds, done.peak_mb)
    assert after == before


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheet_is_left_out_with_a_warning_and_the_visible_sheets_import(fresh_url, state):
    done, before, after = outcome(fresh_url, hidden(state))
    assert (done.exit_code, done.stderr) == (0, "")
    assert (
        "提示：工作表「以案定补」：工作表「以案定补」是隐藏的工作表，其中的数据未导入；"
        "如需导入，请在 Excel 中取消隐藏后重新上传" in done.stdout
    )
    assert after["以案定补"] == before["以案定补"]
    assert [r["voucher_no"] for r in after["支出明细"][len(before["支出明细"]) :]] == ["PZ-H02"]
    assert done.within_limits


def test_sheet_as_large_as_allowed_is_read_whole_within_the_limits(fresh_url):
    """The limits leave room for real work: a sheet reaching the last row allowed is read and checked to its end."""
    done, before, after = outcome(fresh_url, built(lambda: many_rows(MAX_ROWS - 1, valid=True)))
    assert done.exit_code == 1  # every row lacks its budget line and amount: two problems each
    assert "导入失败，未写入任何数据。共 超过 200 个问题：" in done.stderr
    assert f"另有 {2 * (MAX_ROWS - 1) - MAX_PROBLEMS:,} 个问题未列出" in done.stderr
    assert done.within_limits, (done.seconds, done.peak_mb)
    assert after == before


def test_workbook_of_good_rows_still_imports(fresh_url):
    data = workbook_bytes(
        {"支出明细": [headers("支出明细"), good("支出明细", 凭证号="PZ-H03", 支付日期=date(2024, 5, 6))]}
    )
    done, before, after = outcome(fresh_url, data)
    assert done.exit_code == 0, done.stderr
    assert len(after["支出明细"]) == len(before["支出明细"]) + 1


def test_workbook_the_checks_let_through_still_cannot_take_the_process_down(db, project, monkeypatch):
    """The reading runs in a capped child: were the scan to miss D1's cell, calamine's 512 GB request would end
    the child (SIGABRT), not this process."""
    monkeypatch.setattr(xlsx, "_scan_part", lambda *args: xlsx.Scan())
    before = contents(db)
    plan = plan_import(db, project, in_sheet(cell("XFD1048576")), isolated=True)
    assert [(p.code, p.message) for p in plan.errors] == [WORKER_FAILED[False]]
    assert contents(db) == before


def spin(*_):
    while True:
        pass


@pytest.mark.parametrize(
    "reading, within",
    [
        pytest.param(spin, 5, id="cpu-bound: stopped after SECONDS of CPU time"),
        pytest.param(lambda data, ctx: time.sleep(60), 9, id="stuck: stopped after PATIENCE times SECONDS"),
    ],
)
def test_reading_that_takes_too_long_is_stopped(db, project, monkeypatch, reading, within):
    monkeypatch.setattr(worker, "SECONDS", 1)
    monkeypatch.setattr(importer, "check_workbook", reading)
    started = time.monotonic()
    plan = plan_import(db, project, GOOD, isolated=True)
    assert [p.code for p in plan.errors] == [WORKER_FAILED[True][0]]
    assert "秒仍未完成，已停止，未写入任何数据" in plan.errors[0].message
    assert time.monotonic() - started < within
