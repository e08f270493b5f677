"""The README is the manual: every setting the service reads is documented there."""

from pathlib import Path

from adapters.config import Settings

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_has_its_environment_variable_in_the_readme() -> None:
    missing = [name for name in Settings.model_fields if f"`MCU_{name.upper()}`" not in README]
    assert missing == []


def test_the_readme_keeps_exactly_the_two_setup_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]
