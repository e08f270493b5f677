"""The browser assets in the package are exactly the pinned ones, each with its licence."""

from pathlib import Path

import pytest

from scripts.vendor_assets import PINS, VENDOR, Pin


@pytest.mark.parametrize("pin", PINS, ids=[pin.name for pin in PINS])
def test_each_pinned_package_is_vendored_with_its_licence(pin: Pin) -> None:
    folder = VENDOR / pin.name
    kept = {path.name for path in folder.iterdir()}
    assert kept == {Path(member).name for member in pin.files} | {"PINNED.txt"}
    assert "LICENSE" in kept
    assert (folder / "PINNED.txt").read_text(encoding="utf-8") == f"{pin.name}@{pin.version} {pin.integrity}\n"
    assert all((folder / name).stat().st_size > 0 for name in kept)


def test_nothing_is_vendored_that_is_not_pinned() -> None:
    assert {folder.name for folder in VENDOR.iterdir()} == {pin.name for pin in PINS}
