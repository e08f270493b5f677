"""The feedback platform (ПОС) through real HTTP by our contract, and its export file by `mcu import-pos`."""

from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from adapters.config import Settings
from application.channels import ChannelRefused
from application.commands import Resolve, Respond
from application.intake.records import CITY_TIME
from interfaces.bootstrap import Services, bootstrap
from interfaces.cli import main
from interfaces.services import build_services
from tests.fakes.http import Reply
from tests.fakes.triage import ScriptedTriage
from tests.integration.channels.conftest import Networks

FEED = "gosuslugi:feed"


def complaint_of(services: Services, appeal: dict):
    return services.complaints.get(services.complaints.id_of("gosuslugi", f"appeal/{appeal['id']}"))


def test_a_new_appeal_is_registered_with_the_address_from_its_form(
    networks: Networks, services: Services, source
) -> None:
    appeal = networks.pos.submit(text="Прошу вывезти мусор с контейнерной площадки", address="Мясникяна, д. 12")
    poller = services.channels.poller()
    assert poller.poll_once(source(FEED)) == 1
    view = complaint_of(services, appeal)
    assert (view.status, view.address) == ("assigned", "улица Мясникяна, 12")
    assert services.complaints.author_of(view.id).ref == "gosuslugi:esia-7f3a"
    assert poller.poll_once(source(FEED)) == 0  # the cursor moved on


def test_statuses_and_answers_reach_the_platform_once_each(networks: Networks, services: Services, source) -> None:
    appeal = networks.pos.submit(text="Нет горячей воды в доме", address=None)
    poller = services.channels.poller()
    poller.poll_once(source(FEED))
    worker = services.channels.reply_worker()
    worker.step()
    [(appeal_id, _, asked)] = networks.pos.puts
    assert appeal_id == appeal["id"] and asked["status"] == "clarification_requested"

    networks.pos.write(appeal, "Дом по адресу Беляева 22")
    poller.poll_once(source(FEED))
    view = complaint_of(services, appeal)
    assert (view.status, view.address) == ("assigned", "улица Беляева, 22")

    services.complaints.handle(Respond(view.id, text="Передано в управляющую компанию", actor="operator:anna"))
    services.complaints.handle(Resolve(view.id, text="Горячая вода подана", actor="operator:anna"))
    worker.step()
    assert [body["status"] for _, _, body in networks.pos.puts] == [
        "clarification_requested",
        "in_progress",
        "answered",
    ]
    assert len(networks.pos.answers) == 3


def test_an_answer_put_twice_is_one_answer_and_is_confirmed(networks: Networks, services: Services) -> None:
    from uuid import uuid4

    from application.replies.gateway import OutgoingReply

    appeal = networks.pos.submit(text="Яма", address="Стачки 5")
    reply = OutgoingReply(
        delivery_id=uuid4(),
        complaint_id=uuid4(),
        channel="gosuslugi",
        kind="response",
        source_ref=f"appeal/{appeal['id']}",
        text="Ответ",
    )
    gateway = services.channels.gateways["gosuslugi"]
    networks.pos.fail(Reply.json({"error": {"code": "busy", "message": "try later"}}, 503))
    assert gateway.send(reply) == gateway.send(reply)
    assert len(networks.pos.answers) == 1 and len(networks.pos.puts) == 2
    assert gateway.confirm(reply) == gateway.send(reply)


def test_a_rejected_token_is_refused(networks: Networks, services: Services, source) -> None:
    networks.pos.fail(Reply.json({"error": {"code": "unauthorized", "message": "token revoked"}}, 401))
    with pytest.raises(ChannelRefused, match="401 token revoked"):
        services.channels.poller().poll_once(source(FEED))


CSV = (
    "\ufeffНомер обращения;Дата подачи;Рубрика;Текст обращения;Адрес;Срок ответа;Статус;Идентификатор заявителя\n"
    "ПОС-0000101;28.11.2026 09:15;Благоустройство;Не вывозят мусор третий день;Мясникяна, 12;"
    "28.12.2026 09:15;Новое;esia-1\n"
    "ПОС-0000102;28.11.2026 09:40;ЖКХ;Нет горячей воды;;28.12.2026 09:40;Новое;esia-2\n"
    "ПОС-0000103;28.11.2026 10:05;Прочее;Спасибо за быстрый ремонт;;28.12.2026 10:05;Новое;esia-3\n"
)
JSON = """{"appeals": [{"id": "ПОС-0000201", "rubric": "Дороги", "text": "Яма на дороге",
  "address": "проспект Стачки, 5", "attachments": [], "submitted_at": "2026-11-28T11:00:00+03:00",
  "deadline": "2026-12-28T11:00:00+03:00", "status": "submitted", "applicant_id": "esia-4"}]}"""


@pytest.mark.parametrize(
    ("name", "content", "encoding", "summary"),
    [
        ("export.csv", CSV, "utf-8", "3 appeals: 1 awaiting_address, 1 dropped, 1 routed"),
        # "CSV (разделители — точка с запятой)" of Russian Excel is Windows-1251.
        ("export.csv", CSV.removeprefix("\ufeff"), "cp1251", "3 appeals: 1 awaiting_address, 1 dropped, 1 routed"),
        ("export.json", JSON, "utf-8", "1 appeals: 1 routed"),
    ],
)
def test_the_operators_export_is_imported_once_however_often_it_is_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: str, encoding: str, summary: str
) -> None:
    monkeypatch.setenv("MCU_STORE", "sqlite")
    monkeypatch.setenv("MCU_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setattr("interfaces.cli.channels.build_services", partial(build_services, triage=ScriptedTriage()))
    export = tmp_path / name
    export.write_text(content, encoding=encoding)
    runner = CliRunner()
    first = runner.invoke(main, ["import-pos", str(export)])
    assert first.exit_code == 0, first.output
    assert first.output.strip() == summary
    again = runner.invoke(main, ["import-pos", str(export)])
    assert again.exit_code == 0
    services = bootstrap(Settings(store="sqlite", data_dir=tmp_path / "var"), triage=ScriptedTriage())
    try:
        first_id = services.complaints.id_of(
            "gosuslugi", "appeal/ПОС-0000101" if name.endswith("csv") else "appeal/ПОС-0000201"
        )
        assert len(list(services.complaints.repository.event_store.get(first_id))) == 2
        if name.endswith("csv"):
            # Screening counts by the city's day, which starts three hours before UTC's.
            today = services.clock.now().astimezone(CITY_TIME).date()
            [count] = services.channels.records.screening(channels=["gosuslugi"], first=today, last=today)
            assert count.total == 1
    finally:
        services.close()


def test_an_export_with_unknown_columns_is_refused_with_the_reason(tmp_path: Path) -> None:
    export = tmp_path / "export.csv"
    export.write_text("Номер;Что-то\n1;2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["import-pos", str(export)])
    assert result.exit_code == 1
    assert "unknown columns: Номер, Что-то" in result.output
