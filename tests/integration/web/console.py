"""What the console's tests share: tokens, and complaints registered, assigned and answered
over the API at the moments the clock is set to."""

from datetime import datetime

from litestar.testing import TestClient

from interfaces.bootstrap import Services
from tests.support.console_login import logged_in


def bearer(services: Services, role: str, *channels: str) -> dict[str, str]:
    token = services.access.issue_token(role=role, name=f"console-{role}", channels=channels)
    return {"Authorization": f"Bearer {token}"}


def staff(client: TestClient, services: Services, role: str) -> dict[str, str]:
    """A person of the role, logged in: their session for the console's pages and a token of
    theirs for the API's (each part of the app reads only its own)."""
    organisation = "ДГХ" if role == "executor" else None
    return {**bearer(services, role), **logged_in(client, services, role, organisation=organisation)}


def register(
    client: TestClient, headers: dict[str, str], ref: str, *, received: datetime, category: str, channel: str = "phone"
) -> str:
    response = client.post(
        "/api/v1/complaints",
        headers=headers,
        json={
            "channel": channel,
            "source_ref": ref,
            "author_ref": f"{channel}:{ref}",
            "text": "Яма на дороге у дома 5 по Пушкинской",
            "received_at": received.isoformat(),
            "category": category,
            "district": "Кировский",
        },
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


def assign(client: TestClient, headers: dict[str, str], complaint_id: str, organisation: str) -> None:
    response = client.post(
        f"/api/v1/complaints/{complaint_id}/assignment", headers=headers, json={"organisation": organisation}
    )
    assert response.status_code == 200, response.text


def respond(client: TestClient, headers: dict[str, str], complaint_id: str, text: str = "Принято в работу") -> None:
    response = client.post(f"/api/v1/complaints/{complaint_id}/response", headers=headers, json={"text": text})
    assert response.status_code == 200, response.text
