"""Fetches the console's and the API docs' browser assets from the npm registry into the package.

Each package is pinned by version and by the registry's integrity hash, so the tarball read is
the one reviewed; only the files named here and the licence are kept, under
interfaces/web/static/vendor/<package>/, and committed: serving them needs neither Node.js nor
a network. Run after changing a pin:  python3 scripts/vendor_assets.py
"""

import base64
import hashlib
import io
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
VENDOR = Path(__file__).resolve().parents[1] / "interfaces" / "web" / "static" / "vendor"


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    # The registry's dist.integrity of the tarball (Subresource Integrity form, sha512).
    integrity: str
    # Paths inside the tarball's package/ folder, kept under the same base name.
    files: tuple[str, ...]

    @property
    def tarball(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


PINS = (
    Pin(
        "htmx.org",
        "2.0.11",
        "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        ("dist/htmx.min.js", "LICENSE"),
    ),
    # The OpenAPI docs page: Swagger UI, the renderer whose every file can be served from here.
    Pin(
        "swagger-ui-dist",
        "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ==",
        (
            "swagger-ui-bundle.js",
            "swagger-ui-standalone-preset.js",
            "swagger-ui.css",
            "LICENSE",
            "NOTICE",
        ),
    ),
)


def verified(pin: Pin, tarball: bytes) -> bytes:
    algorithm, _, expected = pin.integrity.partition("-")
    digest = base64.b64encode(hashlib.new(algorithm, tarball).digest()).decode()
    if digest != expected:
        raise SystemExit(f"{pin.name}@{pin.version}: the tarball's {algorithm} is {digest}, not the pinned one")
    return tarball


def unpack(pin: Pin, tarball: bytes, into: Path) -> list[Path]:
    """Writes only the pinned members, read by name: nothing in the archive chooses a path."""
    into.mkdir(parents=True, exist_ok=True)
    for stale in into.iterdir():
        stale.unlink()
    written = []
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in pin.files:
            extracted = archive.extractfile(f"package/{member}")
            if extracted is None:
                raise SystemExit(f"{pin.name}@{pin.version} has no file {member}")
            target = into / Path(member).name
            target.write_bytes(extracted.read())
            written.append(target)
    (into / "PINNED.txt").write_text(f"{pin.name}@{pin.version} {pin.integrity}\n", encoding="utf-8")
    return written


def main() -> None:
    for pin in PINS:
        with urllib.request.urlopen(pin.tarball, timeout=60) as answer:
            tarball = verified(pin, answer.read())
        for path in unpack(pin, tarball, VENDOR / pin.name):
            print(f"{path.relative_to(VENDOR.parents[3])}  {path.stat().st_size:>9} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
