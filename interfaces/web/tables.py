"""A report's table as people download it: CSV for any program, XLSX for the spreadsheet.

Each chart of the statistics page is drawn from one of these, so what is downloaded is what
is shown. Shares are kept as fractions: XLSX formats them as percentages, CSV writes the
percentage itself, since a CSV carries no format.
"""

import csv
import io
from dataclasses import dataclass
from enum import Enum

import xlsxwriter


class Kind(Enum):
    TEXT = "text"
    COUNT = "count"
    SHARE = "share"
    MINUTES = "minutes"


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind = Kind.COUNT


Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class Table:
    name: str  # the file's name, latin: it goes into a header
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]

    def headers(self) -> list[str]:
        return [_header(column) for column in self.columns]

    def shown(self) -> list[list[str]]:
        """The rows as the page's table shows them: in the units its headers name, as the CSV
        holds them, with a decimal comma; a missing figure as a dash."""
        return [
            [_shown(_csv_cell(value, column.kind)) for value, column in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]

    def to_csv(self) -> bytes:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(self.headers())
        for row in self.rows:
            writer.writerow([_csv_cell(value, column.kind) for value, column in zip(row, self.columns, strict=True)])
        # With the byte order mark, a spreadsheet opening the file reads its Cyrillic as UTF-8.
        return buffer.getvalue().encode("utf-8-sig")

    def to_xlsx(self) -> bytes:
        buffer = io.BytesIO()
        with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
            sheet = workbook.add_worksheet(self.title[:31])
            bold = workbook.add_format({"bold": True})
            formats = {
                Kind.SHARE: workbook.add_format({"num_format": "0.0%"}),
                Kind.MINUTES: workbook.add_format({"num_format": "0.0"}),
            }
            for index, header in enumerate(self.headers()):
                sheet.write_string(0, index, header, bold)
                sheet.set_column(index, index, max(12, len(header) + 2))
            for number, row in enumerate(self.rows, start=1):
                for index, (value, column) in enumerate(zip(row, self.columns, strict=True)):
                    if value is None:
                        sheet.write_blank(number, index, None)
                    elif column.kind is Kind.TEXT:
                        sheet.write_string(number, index, str(value))
                    else:
                        sheet.write_number(number, index, value, formats.get(column.kind))
        return buffer.getvalue()


def _header(column: Column) -> str:
    unit = {Kind.SHARE: ", %", Kind.MINUTES: ", мин"}.get(column.kind, "")
    return column.title + unit


def _csv_cell(value: Cell, kind: Kind) -> Cell:
    if value is None:
        return ""
    if kind is Kind.SHARE:
        return round(float(value) * 100, 1)
    if kind is Kind.MINUTES:
        return round(float(value), 1)
    return value


def _shown(cell: Cell) -> str:
    if cell == "":
        return "—"
    if isinstance(cell, float):
        return f"{cell:.1f}".replace(".", ",")
    return str(cell)
