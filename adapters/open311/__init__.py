"""The Open311 service catalogue as data: one JSON file per city; Rostov-on-Don's ships as rostov.json."""

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from application.open311.catalogue import (
    Attribute,
    AttributeValue,
    Catalogue,
    Datatype,
    Service,
)

ROSTOV = Path(__file__).with_name("rostov.json")


def load_catalogue(path: Path = ROSTOV) -> Catalogue:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Catalogue(
        jurisdiction_id=data["jurisdiction_id"],
        changeset=datetime.fromisoformat(data["changeset"]),
        contact=data["contact"],
        key_service=data["key_service"],
        services=tuple(_service(item) for item in data["services"]),
    )


def _service(item: dict[str, Any]) -> Service:
    return Service(
        code=item["code"],
        name=item["name"],
        description=item["description"],
        group=item["group"],
        keywords=tuple(item["keywords"]),
        attributes=tuple(_attribute(attribute) for attribute in item["attributes"]),
    )


def _attribute(item: dict[str, Any]) -> Attribute:
    return Attribute(
        code=item["code"],
        datatype=Datatype(item["datatype"]),
        description=item["description"],
        required=item["required"],
        order=item["order"],
        variable=item.get("variable", True),
        datatype_description=item.get("datatype_description"),
        values=tuple(AttributeValue(key=v["key"], name=v["name"]) for v in item.get("values", ())),
    )
