"""The catalogue as data: it must name every complaint category, and its questions must make sense."""

from dataclasses import replace

import pytest

from adapters.open311 import load_catalogue
from application.open311.catalogue import Attribute, AttributeValue, Datatype


def test_a_catalogue_missing_a_category_is_refused() -> None:
    catalogue = load_catalogue()
    with pytest.raises(ValueError, match="exactly the complaint categories"):
        replace(catalogue, services=catalogue.services[1:])


@pytest.mark.parametrize(
    ("datatype", "values", "required", "variable"),
    [
        (Datatype.SINGLE, (), False, True),
        (Datatype.STRING, (("a", "A"),), False, True),
        (Datatype.STRING, (), True, False),
    ],
)
def test_a_question_that_cannot_be_answered_is_refused(
    datatype: Datatype, values: tuple, required: bool, variable: bool
) -> None:
    with pytest.raises(ValueError):
        Attribute(
            code="q",
            datatype=datatype,
            description="?",
            required=required,
            order=1,
            variable=variable,
            values=tuple(AttributeValue(key, name) for key, name in values),
        )
