"""The queue's search in a real Chromium, typed as an operator types it, on each store that
`mcu serve` runs on: ё and е either way, and a word in another form (issue 14). The read
model's own search is tested word by word in tests/integration/views/test_search.py."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import Browser, expect

from adapters.config import Settings
from tests.support.browser import People, Person, screenshot_path
from tests.support.server import environment, free_port, issue_token, serving

pytestmark = pytest.mark.browser

TEXTS = {
    "street": "Во дворе дома на улице Королёва не горит фонарь",
    "water": "Третий день нет горячей воды в доме 12",
    "pit": "Глубокая яма на проезжей части у остановки",
}


def test_the_queue_finds_what_an_operator_types(chromium: Browser, durable_settings: Settings, tmp_path: Path) -> None:
    env = environment(durable_settings)
    token = issue_token(tmp_path, env, role="operator", name="Данные теста")
    with serving(tmp_path, env, free_port()) as (base, _):
        received = (datetime.now(UTC) - timedelta(minutes=15)).isoformat()
        ids = {}
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30) as api:
            for name, text in TEXTS.items():
                answer = api.post(
                    "/api/v1/complaints",
                    json={
                        "channel": "phone",
                        "source_ref": f"call/{name}",
                        "author_ref": "phone:+79000000002",
                        "text": text,
                        "received_at": received,
                    },
                )
                assert answer.status_code == 201, answer.text
                ids[answer.json()["id"]] = name
        context = People(base, tmp_path, env, chromium).context(Person("anna", "Анна Петрова", "operator"))
        page = context.new_page()
        page.goto(f"{base}/queue")
        for typed, found in [("Королева", {"street"}), ("вода", {"water"}), ("ямы на проезжей", {"pit"})]:
            search = page.get_by_label("Поиск")
            search.fill(typed)
            with page.expect_navigation():
                search.press("Enter")
            # The search is kept in the address, so the page can be shared as it is.
            assert parse_qs(urlsplit(page.url).query)["q"] == [typed]
            rows = page.locator("#queue-rows tbody tr[data-id]")
            expect(rows).to_have_count(len(found))
            assert {ids[row] for row in rows.evaluate_all("rows => rows.map(r => r.dataset.id)")} == found
        page.screenshot(path=screenshot_path(f"queue-search-{durable_settings.store}"))
        context.close()
