"""The manual (the README and docs/) documents every setting the service reads, and the README
keeps the two set-up commands."""

import re
from pathlib import Path

from adapters.config import Settings

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MANUAL = "\n".join(
    path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
)


def test_every_setting_has_its_environment_variable_in_the_manual() -> None:
    missing = [name for name in Settings.model_fields if f"`MCU_{name.upper()}`" not in MANUAL]
    assert missing == []


def test_the_readme_keeps_exactly_the_two_setup_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in first_block.strip().splitlines()]
    assert commands == ["make run", "make test"]


def test_every_link_between_the_manual_s_pages_leads_to_a_file() -> None:
    broken = [
        (page.name, target)
        for page in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
        if not (page.parent / target).exists()
    ]
    assert broken == []
