"""Citizens' rights over their personal data (152-ФЗ): being forgotten."""

from litestar import Controller, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from application.personal_data_access import PersonalDataAccess
from interfaces.http.dto import Forgetting, Forgotten


class CitizenController(Controller):
    path = "/api/v1/citizens"
    tags = ["personal data"]

    @post(
        "/forgetting",
        operation_id="forgetCitizen",
        sync_to_thread=True,
        status_code=200,
        summary="Make a citizen's personal data unreadable everywhere (crypto-shredding)",
        description=(
            "Deletes the citizen's key and every reference to it: their name, contacts and the source "
            "references that name them (a Telegram private chat, their own VK wall) become unreadable, and "
            "their complaints no longer linked to each other. Histories, seals and statistics stay whole."
        ),
    )
    def forget(self, data: JSONBody[Forgetting], personal_data: NamedDependency[PersonalDataAccess]) -> Forgotten:
        return Forgotten(forgotten=personal_data.forget(data.author_ref))
