"""The service's log lines: uvicorn's text (the default) or one JSON object a line
(``MCU_LOG_FORMAT=json``), with the id of the request being handled.

Personal data never reaches them: our own lines name types and ids, never a citizen's text or
contacts; an exception's stack is written without its messages (which may quote stored data);
uvicorn's access line (``MCU_ACCESS_LOG``) loses the query string (a queue search may be a
name) and the client's address (on Open311, a citizen's).
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any, Literal

from interfaces.http.problems import stack_without_messages

# Set by the HTTP layer for each request (interfaces/http/request_id.py).
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)

LogFormat = Literal["text", "json"]

# Our fields a line may carry besides the message (``extra=`` of the logging call).
_EXTRAS = ("error_id",)


class AccessWithoutPersonalData(logging.Filter):
    """uvicorn's access record: its arguments are (client, method, path?query, version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and len(record.args) == 5:
            _, method, full_path, version, status = record.args
            record.args = ("-", method, str(full_path).split("?", 1)[0], version, status)
        record.request_id = REQUEST_ID.get() or "-"
        return True


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            line["request_id"] = request_id
        for name in _EXTRAS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) == 5:
            _, line["method"], line["path"], _, line["status"] = record.args
        if record.exc_info and record.exc_info[1] is not None:
            line["traceback"] = stack_without_messages(record.exc_info[1])
        return json.dumps(line, ensure_ascii=False, default=str)


class TextWithoutMessages(logging.Formatter):
    """The standard text line, an exception's stack without its messages."""

    def formatException(self, ei: Any) -> str:  # noqa: N802 - logging's name
        return stack_without_messages(ei[1]).rstrip("\n")


def log_config(log_format: LogFormat) -> dict[str, Any]:
    """uvicorn's ``log_config`` (logging.config.dictConfig), applied in every worker: its own
    loggers and ours (``mcu.*``, through the root) to stderr, the access lines to stdout."""
    if log_format == "json":
        formatters: dict[str, Any] = {"default": {"()": JsonLines}, "access": {"()": JsonLines}}
    else:
        formatters = {
            "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": "%(levelprefix)s %(message)s"},
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": '%(levelprefix)s "%(request_line)s" %(status_code)s request %(request_id)s',
            },
            "ours": {"()": TextWithoutMessages, "fmt": "%(levelname)s:%(name)s: %(message)s"},
        }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": formatters,
        "filters": {"access": {"()": AccessWithoutPersonalData}},
        "handlers": {
            "default": {"formatter": "default", "class": "logging.StreamHandler", "stream": "ext://sys.stderr"},
            "ours": {
                "formatter": "ours" if "ours" in formatters else "default",
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
            },
            "access": {
                "formatter": "access",
                "filters": ["access"],
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["ours"], "level": "INFO"},
    }
