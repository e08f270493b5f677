"""The operator's export of appeals from the ПОС cabinet: CSV (as Excel saves it) or JSON.

Both carry the fields of the API's appeal object (docs/pos-contract.md, "Export file"); the
CSV uses the cabinet's Russian column titles.
"""

import csv
import io
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from adapters.gosuslugi.translate import from_appeal
from application.intake.source import Post

CITY_TIME = ZoneInfo("Europe/Moscow")

COLUMNS = {
    "Номер обращения": "id",
    "Дата подачи": "submitted_at",
    "Рубрика": "rubric",
    "Текст обращения": "text",
    "Адрес": "address",
    "Срок ответа": "deadline",
    "Статус": "status",
    "Идентификатор заявителя": "applicant_id",
}
_REQUIRED = ("id", "submitted_at", "text", "applicant_id")


class ExportError(ValueError):
    """The file is not an export this reader knows; the message says where it went wrong."""


def read_export(path: Path) -> list[Post]:
    raw = _text(path.read_bytes())
    rows = _json_rows(raw) if raw.lstrip().startswith(("[", "{")) else _csv_rows(raw)
    posts = []
    for number, row in enumerate(rows, start=1):
        missing = [field for field in _REQUIRED if not str(row.get(field) or "").strip()]
        if missing:
            raise ExportError(f"appeal {number}: no {', '.join(missing)}")
        try:
            posts.append(from_appeal({**row, "submitted_at": _iso(str(row["submitted_at"]))}))
        except ValueError as error:
            raise ExportError(f"appeal {number}: {error}") from None
    return posts


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Not UTF-8: Russian Excel saves "CSV" in Windows-1251, which decodes any Cyrillic text.
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError:
            raise ExportError("the file is neither UTF-8 nor Windows-1251: save it as CSV UTF-8") from None


def _json_rows(raw: str) -> list[Mapping[str, Any]]:
    try:
        document = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ExportError(f"not valid JSON: {error.msg} at line {error.lineno}") from None
    rows = document.get("appeals") if isinstance(document, dict) else document
    if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
        raise ExportError('JSON export must be a list of appeals or {"appeals": [...]}')
    return rows


def _csv_rows(raw: str) -> Iterator[Mapping[str, Any]]:
    try:
        dialect = csv.Sniffer().sniff(raw.split("\n", 1)[0], delimiters=";,\t")
    except csv.Error:
        raise ExportError("not a CSV export: no column separator found") from None
    reader = csv.DictReader(io.StringIO(raw), dialect=dialect)
    unknown = [title for title in reader.fieldnames or () if title.strip() not in COLUMNS]
    if unknown:
        raise ExportError(f"unknown columns: {', '.join(unknown)}; expected {', '.join(COLUMNS)}")
    for row in reader:
        yield {COLUMNS[title.strip()]: (value or "").strip() for title, value in row.items() if title}


def _iso(value: str) -> str:
    """The cabinet writes «28.11.2026 12:00» in Moscow time; the API writes ISO 8601."""
    try:
        return datetime.strptime(value, "%d.%m.%Y %H:%M").replace(tzinfo=CITY_TIME).isoformat()
    except ValueError:
        return value
