"""/health for load balancers (up or down, nothing more) and its details for staff."""

import time
from collections.abc import Callable
from datetime import timedelta

from litestar.testing import TestClient

from adapters.clock import ManualClock
from application.projections.readmodels import PROJECTIONS
from interfaces.bootstrap import Services

Auth = Callable[..., dict[str, str]]


def _register(client: TestClient, auth: Auth, clock: ManualClock, ref: str) -> None:
    answer = client.post(
        "/api/v1/complaints",
        headers=auth("operator"),
        json={
            "channel": "web",
            "source_ref": ref,
            "author_ref": "web:1",
            "text": "Яма на дороге",
            "received_at": (clock.now() - timedelta(minutes=5)).isoformat(),
        },
    )
    assert answer.status_code == 201, answer.text


def test_the_public_health_says_only_up_and_the_details_need_a_token(client: TestClient, auth: Auth) -> None:
    public = client.get("/health")
    # Up, though nobody is answered: these services have no channel (see tests/integration/web/).
    assert (public.status_code, public.json()) == (200, {"status": "ok", "replies": "no channel", "channels": []})
    assert client.get("/health/details").status_code == 401
    assert client.get("/health/details", headers=auth("executor")).status_code == 403
    details = client.get("/health/details", headers=auth("auditor"))
    assert details.status_code == 200
    assert details.json()["store"] == "memory"
    assert {p["name"] for p in details.json()["projections"]} == set(PROJECTIONS)


def test_a_view_stopped_on_an_event_makes_the_service_down_naming_the_view_position_and_error(
    client: TestClient, services: Services, auth: Auth, clock: ManualClock
) -> None:
    _register(client, auth, clock, "first")
    reached = services.read_models.fresh("reaction") == 0 and services.read_models.projectors["reaction"].position()
    assert reached
    view = services.read_models.projectors["reaction"].view
    healthy_apply = view.apply

    def refusing(*args, **kwargs):
        raise RuntimeError("a statement the view cannot run")

    view.apply = refusing  # type: ignore[method-assign]
    try:
        _register(client, auth, clock, "second")
        deadline = time.monotonic() + 10
        while (public := client.get("/health")).status_code == 200:
            assert time.monotonic() < deadline, "the failed view never showed in /health"
            time.sleep(0.1)
        assert public.status_code == 503
        assert "reaction" not in public.text  # anonymous callers learn only that it is down
        details = client.get("/health/details", headers=auth("supervisor"))
        assert details.status_code == 503
        body = details.json()
        assert f"reaction after event {reached}: RuntimeError" in body["detail"]
        [failed] = [p for p in body["health"]["projections"] if p["failure"]]
        assert (failed["name"], failed["position"], failed["failure"]) == ("reaction", reached, "RuntimeError")
    finally:
        view.apply = healthy_apply  # type: ignore[method-assign]
    deadline = time.monotonic() + 35
    while client.get("/health").status_code != 200:
        assert time.monotonic() < deadline, "the view did not recover"
        time.sleep(0.2)
