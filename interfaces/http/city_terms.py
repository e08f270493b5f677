"""The city's categories and districts as enumerations of the OpenAPI document.

The wire types mark a field or parameter with its Term; the document's enumeration is filled
from the terms the services were built with (the configured catalogue and city data), so no
second list of them is written here. Values outside them are refused with 422 by the handlers,
against the same terms (application/city.py)."""

from typing import Any

from litestar.openapi.spec import Schema
from litestar.openapi.spec.enums import OpenAPIType
from litestar.plugins import OpenAPISchemaPlugin
from litestar.typing import FieldDefinition

from application.city import CityTerms, Term


class CityTermsSchema(OpenAPISchemaPlugin):
    def __init__(self, terms: CityTerms) -> None:
        self.terms = terms

    def is_plugin_supported_field(self, field_definition: FieldDefinition) -> bool:
        return any(isinstance(item, Term) for item in field_definition.metadata)

    def to_openapi_schema(self, field_definition: FieldDefinition, schema_creator: Any) -> Schema:
        # Handed only the fields it supports: one of the metadata is their Term.
        term = next(item for item in field_definition.metadata if isinstance(item, Term))
        return Schema(type=OpenAPIType.STRING, enum=list(self.terms.allowed(term)))
