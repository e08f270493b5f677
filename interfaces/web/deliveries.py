"""Replies needing a person: deliveries that failed or whose outcome the network cannot tell,
each with a button to send it again; the same Replies process and pages the API's deliveries use."""

from typing import Annotated
from uuid import UUID

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from application.access import Principal
from application.replies.process import DeliveryNotFound, Replies
from domain.delivery import DeliveryRefused, DeliveryState
from interfaces.http.auth import ROLES
from interfaces.http.channels import DELIVERIES_PAGE

_CONSOLE = {"console": True}
NEEDING_A_PERSON = (DeliveryState.FAILED, DeliveryState.UNCONFIRMED)
_REQUEUE = "consoleRequeueDelivery"


def _page(
    replies: Replies, request: Request[Principal, None, None], *, cursor: int | None = None, notice: str | None = None
) -> Template:
    page = replies.delivery_page(*NEEDING_A_PERSON, limit=DELIVERIES_PAGE, after=cursor)
    return Template(
        template_name="deliveries.html",
        context={
            "deliveries": page.items,
            "next_cursor": page.next_after,
            "first_page": cursor is None,
            "can_requeue": request.user.role in ROLES[_REQUEUE],
            "notice": notice,
            "requeued": request.query_params.get("requeued"),
        },
    )


class DeliveriesPage(Controller):
    path = "/deliveries"
    include_in_schema = False

    @get("/", operation_id="consoleDeliveries", sync_to_thread=True, opt=_CONSOLE)
    def page(
        self,
        replies: NamedDependency[Replies],
        request: Request[Principal, None, None],
        cursor: Annotated[str | None, QueryParameter(required=False, pattern=r"^[0-9]{1,18}$")] = None,
    ) -> Template:
        return _page(replies, request, cursor=int(cursor) if cursor else None)

    @post(
        "/{delivery_id:uuid}/requeue",
        operation_id=_REQUEUE,
        sync_to_thread=True,
        opt=_CONSOLE,
        status_code=HTTP_303_SEE_OTHER,
    )
    def requeue(
        self, delivery_id: FromPath[UUID], replies: NamedDependency[Replies], request: Request[Principal, None, None]
    ) -> Redirect | Template | Response[str]:
        try:
            replies.requeue(delivery_id, actor=request.user.actor)
        except DeliveryNotFound:
            return Response("Такого ответа нет.", status_code=404, media_type="text/plain; charset=utf-8")
        except DeliveryRefused:
            # Someone requeued it meanwhile, or the process already sent it: the list shows where it is now.
            page = _page(replies, request, notice="Этот ответ уже не ждёт решения: его отправили снова или он ушёл.")
            page.status_code = 409
            return page
        # After a post, a redirect: reloading the list does not send the form again.
        return Redirect(f"/deliveries?requeued={delivery_id}", status_code=HTTP_303_SEE_OTHER)
