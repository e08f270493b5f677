"""Copies into the adapters the parts of the networks' published schemas that the webhooks check
deliveries against and the fakes check their answers against: adapters/vk/api_schema and
adapters/telegram/bot_api.

    python scripts/vendor_schemas.py /path/to/shared/data

VK: the JSON Schema files the callback events and the polled methods' answers refer to,
followed through their ``$ref``s. Telegram: the types reachable from an ``Update`` and from
the methods the adapter calls. Descriptions are left out; names, types and requirements are
kept as published. Both sources are MIT-licensed; their licences are copied beside them.
"""

import json
import os
import re
import shutil
import sys
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parents[1]
VK_ROOTS = ("callback/objects.json", "wall/responses.json", "newsfeed/responses.json", "base/objects.json")
TELEGRAM_ROOTS = ("Update", "Message", "ResponseParameters")
TELEGRAM_METHODS = ("getUpdates", "sendMessage", "setWebhook")
_TELEGRAM_PRIMITIVES = {"Integer", "String", "Boolean", "Float", "True", "InputFile"}


def _without_descriptions(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_descriptions(v) for k, v in value.items() if k not in ("description", "href")}
    if isinstance(value, list):
        return [_without_descriptions(item) for item in value]
    return value


def _write(path: Path, document: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def vendor_vk(source: Path, target: Path) -> None:
    wanted: set[str] = set()
    todo = list(VK_ROOTS)
    while todo:
        name = todo.pop()
        if name in wanted:
            continue
        wanted.add(name)
        text = (source / name).read_text(encoding="utf-8")
        todo += [
            os.path.normpath(os.path.join(os.path.dirname(name), ref))
            for ref in re.findall(r'"\$ref": *"([^"#]+)#', text)
        ]
    shutil.rmtree(target, ignore_errors=True)
    for name in sorted(wanted):
        _write(target / name, _without_descriptions(json.loads((source / name).read_text(encoding="utf-8"))))
    shutil.copy(source / "LICENSE", target / "LICENSE")


def vendor_telegram(source: Path, target: Path) -> None:
    api = json.loads((source / "api.json").read_text(encoding="utf-8"))
    methods = {name: api["methods"][name] for name in TELEGRAM_METHODS}
    wanted: set[str] = set()
    todo = [*TELEGRAM_ROOTS, *(kind for method in methods.values() for f in method["fields"] for kind in f["types"])]
    while todo:
        name = todo.pop().removeprefix("Array of ").removeprefix("Array of ")
        if name in wanted or name in _TELEGRAM_PRIMITIVES:
            continue
        wanted.add(name)
        spec = api["types"][name]
        todo += spec.get("subtypes", []) + [kind for f in spec.get("fields", []) for kind in f["types"]]
    shutil.rmtree(target, ignore_errors=True)
    document = {
        "version": api["version"],
        "methods": methods,
        "types": {name: spec for name, spec in api["types"].items() if name in wanted},
    }
    _write(target / "api.json", _without_descriptions(document))
    shutil.copy(source / "LICENSE", target / "LICENSE")


if __name__ == "__main__":
    shared = Path(sys.argv[1])
    vendor_vk(shared / "vk-api-schema", REPOSITORY / "adapters" / "vk" / "api_schema")
    vendor_telegram(shared / "telegram-bot-api-spec", REPOSITORY / "adapters" / "telegram" / "bot_api")
