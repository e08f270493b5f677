"""The composition root's own triage (adapters.triage) behind the same intake, end to end over VK."""

from collections.abc import Iterator

import pytest
from litestar.testing import TestClient

from adapters.clock import ManualClock
from interfaces.bootstrap import Services, bootstrap
from interfaces.http.app import create_app
from tests.integration.channels.conftest import COMMUNITY, VK_SECRET, Networks


@pytest.fixture
def rostov(networks: Networks, clock: ManualClock) -> Iterator[Services]:
    built = bootstrap(networks.settings(), clock=clock)
    yield built
    built.close()


def test_a_post_is_routed_by_the_real_triage(networks: Networks, rostov: Services) -> None:
    post = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3105, text="Мусор не вывозят третий день, Мясникяна 12")
    thanks = networks.vk.add_post(owner_id=-COMMUNITY, from_id=3106, text="Спасибо за новый сквер!")
    with TestClient(create_app(rostov)) as client:
        for item in (post, thanks):
            client.post("/hooks/vk", json=networks.vk.callback("wall_post_new", item, secret=VK_SECRET))
    view = rostov.complaints.get(rostov.complaints.id_of("vk", f"wall{-COMMUNITY}_{post['id']}"))
    assert (view.category, view.district, view.status) == ("waste", "Пролетарский", "assigned")
    assert rostov.complaints.id_of("vk", f"wall{-COMMUNITY}_{thanks['id']}") not in rostov.complaints.repository
