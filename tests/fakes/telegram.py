"""A fake Telegram Bot API on loopback: getUpdates (long polling), sendMessage, Bot API errors.

Updates it hands out and calls it receives are checked against the Bot API spec's types.
"""

import itertools
import threading
from collections import deque
from dataclasses import dataclass
from typing import Any

from tests.fakes.http import Reply, Request
from tests.fakes.schemas import TelegramSpec
from tests.fixtures import START

BOT = {"id": 7000001, "is_bot": True, "first_name": "МЦУ Ростов", "username": "mcu_rostov_bot"}


@dataclass
class Fault:
    status: int = 429
    description: str = "Too Many Requests: retry after 1"
    retry_after: int | None = None
    delay: float = 0.0
    act_first: bool = False


class FakeTelegram:
    def __init__(self, *, spec: TelegramSpec, token: str) -> None:
        self.spec = spec
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.sent: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._faults: dict[str, deque[Fault]] = {}
        self._update_ids = itertools.count(500)
        self._message_ids = itertools.count(10)
        self._date = int(START.timestamp()) - 7200
        self._arrived = threading.Condition()

    def fail(self, method: str, *faults: Fault) -> None:
        self._faults.setdefault(method, deque()).extend(faults)

    def message(
        self,
        *,
        chat_id: int,
        from_id: int,
        text: str,
        reply_to: dict[str, Any] | None = None,
        photo: str | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        """A resident writes in a chat: the Update, queued for getUpdates and returned for a webhook.
        With ``photo`` (a file id) the message is a photo and ``text`` its caption."""
        self._date += 60
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": self._date,
            "chat": {"id": chat_id, "type": "supergroup", "title": "Обсуждение новостей Ростова"},
            "from": {"id": from_id, "is_bot": False, "first_name": "Житель"},
        }
        if photo is not None:
            message["photo"] = [
                {"file_id": f"{photo}-{width}", "file_unique_id": f"u{photo}-{width}", "width": width, "height": width}
                for width in (90, 320, 1280)
            ]
            if text:
                message["caption"] = text
        else:
            message["text"] = text
        if media_group_id is not None:
            message["media_group_id"] = media_group_id
        if reply_to is not None:
            message["reply_to_message"] = {k: v for k, v in reply_to.items() if k != "reply_to_message"}
        return self._queued({"update_id": next(self._update_ids), "message": message})

    def edit(self, update: dict[str, Any], text: str) -> dict[str, Any]:
        """The resident edits their message: an ``edited_message`` update, as the Bot API sends it."""
        self._date += 60
        original = update.get("message") or update["edited_message"]
        field = "caption" if "photo" in original else "text"
        edited = {**original, field: text, "edit_date": self._date}
        return self._queued({"update_id": next(self._update_ids), "edited_message": edited})

    def update(self, **fields: Any) -> dict[str, Any]:
        """Any other Update (``message`` for a message of any shape, ``my_chat_member``...), checked."""
        return self._queued({"update_id": next(self._update_ids), **fields})

    def next_message_id(self) -> int:
        self._date += 60
        return next(self._message_ids)

    def _queued(self, update: dict[str, Any]) -> dict[str, Any]:
        self.spec.check_type("Update", update)
        with self._arrived:
            self.updates.append(update)
            self._arrived.notify_all()
        return update

    def handle(self, request: Request) -> Reply:
        prefix = f"/bot{self.token}/"
        if not request.path.startswith(prefix):
            return Reply.json({"ok": False, "error_code": 401, "description": "Unauthorized"}, 401)
        method = request.path.removeprefix(prefix)
        payload = request.json() or {}
        self.spec.check_call(method, payload)
        self.calls.append((method, payload))
        queue = self._faults.get(method)
        fault = queue.popleft() if queue else None
        if fault and not fault.act_first:
            return self._error(fault)
        result = getattr(self, "_" + method)(payload)
        if fault:
            reply = self._error(fault) if fault.status else Reply.json({"ok": True, "result": result})
            reply.delay = fault.delay
            return reply
        return Reply.json({"ok": True, "result": result})

    @staticmethod
    def _error(fault: Fault) -> Reply:
        body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
        if fault.retry_after is not None:
            body["parameters"] = {"retry_after": fault.retry_after}
        return Reply(status=fault.status, body=body, delay=fault.delay)

    def _getUpdates(self, payload: dict[str, Any]) -> list[dict[str, Any]]:
        offset = payload.get("offset") or 0
        with self._arrived:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            if not self.updates:
                self._arrived.wait(timeout=min(float(payload.get("timeout", 0)), 1.0))
            # As Telegram does, only the kinds of update asked for (all when none are named).
            allowed = payload.get("allowed_updates")
            wanted = [u for u in self.updates if not allowed or any(kind in u for kind in allowed)]
            return wanted[: payload.get("limit", 100)]

    def _sendMessage(self, payload: dict[str, Any]) -> dict[str, Any]:
        self._date += 60
        message = {
            "message_id": next(self._message_ids),
            "date": self._date,
            "chat": {"id": payload["chat_id"], "type": "supergroup"},
            "from": BOT,
            "text": payload["text"],
        }
        self.spec.check_type("Message", message)
        self.sent.append(payload)
        return message
