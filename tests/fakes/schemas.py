"""The networks' published schemas, vendored beside the adapters that read them
(adapters/vk/api_schema, adapters/telegram/bot_api; scripts/vendor_schemas.py refreshes them).

VK's JSON Schema mixes draft-07 with draft-03's ``"required": true`` on properties; the
validator here honours both. Telegram's spec lists each type's fields with their types.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator, ValidationError, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

_BASE = "https://vk-api-schema.invalid/"
REPOSITORY = Path(__file__).resolve().parents[2]


def _properties(validator: Any, properties: dict[str, Any], instance: Any, schema: Any):
    if not validator.is_type(instance, "object"):
        return
    for name, subschema in properties.items():
        if name in instance:
            yield from validator.descend(instance[name], subschema, path=name, schema_path=name)
        elif isinstance(subschema, dict) and subschema.get("required") is True:
            yield ValidationError(f"{name!r} is a required property")


def _required(validator: Any, required: Any, instance: Any, schema: Any):
    if isinstance(required, bool) or not validator.is_type(instance, "object"):
        return
    for name in required:
        if name not in instance:
            yield ValidationError(f"{name!r} is a required property")


_VkValidator = validators.extend(Draft7Validator, {"properties": _properties, "required": _required})


class VkSchema:
    def __init__(self, root: Path) -> None:
        resources = []
        for path in root.rglob("*.json"):
            document = json.loads(path.read_text(encoding="utf-8"))
            uri = _BASE + path.relative_to(root).as_posix()
            resources.append((uri, Resource(contents=document, specification=DRAFT7)))
        self._registry = Registry().with_resources(resources)

    def check(self, where: str, instance: Any) -> None:
        """``where``: ``"wall/objects.json#/definitions/wall_wall_comment"`` and the like."""
        validator = _VkValidator({"$ref": _BASE + where}, registry=self._registry)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
        if errors:
            first = errors[0]
            raise AssertionError(f"{where}: {first.message} at {list(first.absolute_path)}")

    def check_response(self, method: str, body: Any) -> None:
        section, name = method.split(".")
        if "error" in body:
            self.check("base/objects.json#/definitions/base_error", body["error"])
            return
        self.check(f"{section}/responses.json#/definitions/{section}_{name}_response", body)


@cache
def vk_schema() -> VkSchema:
    return VkSchema(REPOSITORY / "adapters" / "vk" / "api_schema")


class TelegramSpec:
    """Checks objects and method calls against the Bot API's types and fields."""

    _PRIMITIVES = {"Integer": int, "String": str, "Boolean": bool, "Float": (int, float), "True": bool}

    def __init__(self, api: dict[str, Any]) -> None:
        self._types = api["types"]
        self._methods = api["methods"]

    def check_type(self, name: str, value: Any, where: str = "") -> None:
        spec = self._types[name]
        if "subtypes" in spec and "fields" not in spec:
            assert any(self._matches(sub, value) for sub in spec["subtypes"]), f"{where}: no {name} fits"
            return
        self._check_fields(spec.get("fields", []), value, where or name)

    def check_call(self, method: str, payload: dict[str, Any]) -> None:
        self._check_fields(self._methods[method]["fields"], payload, method)

    def _check_fields(self, fields: list[dict[str, Any]], value: Any, where: str) -> None:
        assert isinstance(value, dict), f"{where}: an object expected"
        known = {field["name"]: field for field in fields}
        unknown = set(value) - set(known)
        assert not unknown, f"{where}: fields not in the spec: {sorted(unknown)}"
        for field in fields:
            if field["required"]:
                assert field["name"] in value, f"{where}: {field['name']} is required"
            if field["name"] in value:
                assert any(
                    self._fits(kind, value[field["name"]], f"{where}.{field['name']}") for kind in field["types"]
                ), f"{where}.{field['name']}: not {field['types']}"

    def _fits(self, kind: str, value: Any, where: str) -> bool:
        if kind.startswith("Array of "):
            return isinstance(value, list) and all(self._fits(kind[9:], item, where) for item in value)
        if kind in self._PRIMITIVES:
            primitive = self._PRIMITIVES[kind]
            return isinstance(value, primitive) and (kind == "Boolean" or not isinstance(value, bool))
        try:
            self.check_type(kind, value, where)
        except AssertionError:
            return False
        return True

    def _matches(self, name: str, value: Any) -> bool:
        try:
            self.check_type(name, value)
        except AssertionError:
            return False
        return True


@cache
def telegram_spec() -> TelegramSpec:
    path = REPOSITORY / "adapters" / "telegram" / "bot_api" / "api.json"
    return TelegramSpec(json.loads(path.read_text(encoding="utf-8")))
