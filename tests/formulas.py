"""What a written workbook really holds: its formulas, read from the sheets' XML rather than through openpyxl."""

import io
import re
import zipfile

# Values a spreadsheet would take for a formula or an error, each as a user might type it.
RISKY = (
    '=HYPERLINK("http://x","点我查看")',
    "=SUM(A1)",
    "+86 21 1234",
    "-5 套",
    "@SUM(A1)",
    "\t=1+1",
    "\r=1+1",
    "#N/A",
)


def formulas(data: bytes) -> list[str]:
    """Every <f> element of every worksheet of the .xlsx `data`; [] when no cell holds a formula."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheets = [name for name in book.namelist() if name.startswith("xl/worksheets/") and name.endswith(".xml")]
        return [tag for name in sheets for tag in re.findall(r"<(?:\w+:)?f\b[^>]*>", book.read(name).decode())]
