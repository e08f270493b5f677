"""The domain's text rule: what a person can type is recorded, what no person types is refused."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.complaint import Complaint
from domain.errors import InvalidText
from domain.reaction import ReactionPolicy
from domain.text import legible

AT = datetime(2026, 11, 28, 9, tzinfo=UTC)
FORBIDDEN = st.one_of(
    st.sampled_from(["\x00", "\x07", "\x1b", "\x7f", "\x85", "\ufffe", "\uffff", "\ufdd0", "\U0001fffe", "\U0010ffff"]),
    st.characters(codec=None, categories=["Cs"]),
)
# What people type: letters, digits, punctuation, symbols (emoji), spaces, and line breaks in texts.
TYPED = st.text(st.characters(categories=["L", "N", "P", "S", "Zs"]), min_size=1).filter(str.strip)


def _register(**fields: str) -> Complaint:
    values = {"channel": "vk", "source_ref": "wall-1_1", "author_ref": "vk:id1", "text": "Яма на дороге"} | fields
    return Complaint.register(
        **values,
        received_at=AT - timedelta(hours=1),
        policy=ReactionPolicy(),
        id_key=b"test",
        actor="operator:1",
        at=AT,
    )


@given(text=TYPED, address=TYPED)
def test_what_people_type_is_recorded(text: str, address: str) -> None:
    complaint = _register(text=f"{text}\n\t{text}\r\n", address=address)
    assert complaint.text.startswith(text) and complaint.address == address


@given(before=TYPED, bad=FORBIDDEN, field=st.sampled_from(["text", "address", "source_ref", "author_ref", "category"]))
def test_a_character_no_person_types_is_refused_in_every_field(before: str, bad: str, field: str) -> None:
    with pytest.raises(InvalidText, match=f"U\\+{ord(bad):04X}"):
        _register(**{field: before + bad})


@pytest.mark.parametrize("line_break", ["\n", "\r", "\u2028", "\u2029"])
def test_a_one_line_value_refuses_line_breaks(line_break: str) -> None:
    with pytest.raises(InvalidText, match="line break"):
        _register(address=f"Мясникяна{line_break}12")
    complaint = _register()
    with pytest.raises(InvalidText):
        complaint.assign(f"ДГХ{line_break}", actor="operator:1", at=AT)


@pytest.mark.parametrize(
    "move",
    [
        lambda c: c.request_clarification("Уточните\x00 адрес", actor="operator:1", at=AT),
        lambda c: c.reject("Не\uffff по теме", actor="operator:1", at=AT),
        lambda c: c.assign("ДГХ", executor="Иванов\x0b", actor="operator:1", at=AT),
    ],
)
def test_every_command_refuses_it_and_records_nothing(move) -> None:
    complaint = _register()
    with pytest.raises(InvalidText):
        move(complaint)
    assert complaint.version == 1


@given(text=st.text())
def test_legible_text_holds_nothing_the_rule_refuses(text: str) -> None:
    shown = legible(text)
    assert len(shown) == len(text)
    if shown.strip() and "\n" not in shown and "\r" not in shown:
        assert _register(text=shown).text == shown
