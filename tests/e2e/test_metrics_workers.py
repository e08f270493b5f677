"""`mcu serve --workers 2`: a scrape answered by either worker, or by the metrics port, counts
the requests of both."""

import os
import re
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.support.server import free_port, issue_token, serving

DETAILS = {"method": "GET", "path": "/health/details", "status_code": "200", "app_name": "mcu"}


def _details_answered(text: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "mcu_http_requests_total" and sample.labels == DETAILS
    )


def _counting_workers(folder: Path) -> set[str]:
    """The processes that have counted a request: each writes counter_PID.db."""
    return {match.group(1) for path in folder.iterdir() if (match := re.fullmatch(r"counter_(\d+)\.db", path.name))}


def test_every_scrape_sums_the_requests_of_both_workers(tmp_path: Path) -> None:
    env = {**os.environ, "MCU_STORE": "sqlite", "MCU_DATA_DIR": str(tmp_path / "var")}
    metrics_port = free_port()
    env["MCU_METRICS_PORT"] = str(metrics_port)
    headers = {"Authorization": f"Bearer {issue_token(tmp_path, env, role='auditor', name='prometheus')}"}
    with serving(tmp_path, env, free_port(), "--workers", "2") as (base, _):
        folder = tmp_path / "var" / "metrics"
        sent = 0
        # Each request on a connection of its own, which either worker may accept.
        while len(_counting_workers(folder)) < 2:
            assert sent < 400, "one worker took every connection"
            assert httpx.get(f"{base}/health/details", headers=headers).status_code == 200
            sent += 1
        scrapes = [httpx.get(f"{base}/metrics", headers=headers) for _ in range(6)]
        assert {scrape.status_code for scrape in scrapes} == {200}
        assert {_details_answered(scrape.text) for scrape in scrapes} == {sent}
        internal = httpx.get(f"http://127.0.0.1:{metrics_port}/metrics")
        assert internal.status_code == 200
        assert _details_answered(internal.text) == sent
        assert "mcu_view_lag_events" in internal.text and "mcu_view_lag_events" in scrapes[0].text
