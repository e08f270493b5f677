"""Ctrl-C on `make run`: the terminal sends SIGINT to the server and its children at once."""

import os
import signal
from pathlib import Path

from tests.support.server import free_port, serving


def test_ctrl_c_stops_the_server_and_its_children_without_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(tmp_path / "var")}
    with serving(tmp_path, env, free_port()) as (_, process):
        os.killpg(process.pid, signal.SIGINT)
        assert process.wait(timeout=20) == 0
    said = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in said, said
    assert "KeyboardInterrupt" not in said, said
