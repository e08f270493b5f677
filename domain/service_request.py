"""What an Open311 client sent beyond the complaint itself: the exact place and the photo link.

The complaint records the problem as the centre handles it; coordinates, the id in the
client's address register and the media link are Open311's own vocabulary, kept apart under
the complaint's id and handed back to Open311 clients exactly as they were sent.
"""

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import DomainError
from domain.text import checked_text

MAX_URL_LENGTH = 2048
MAX_ADDRESS_ID_LENGTH = 255


class InvalidServiceRequest(DomainError):
    """A location or link that cannot be what the client meant."""


def _coordinates(lat: float | None, long: float | None) -> tuple[float | None, float | None]:
    if (lat is None) != (long is None):
        raise InvalidServiceRequest("lat and long must be given together")
    if lat is not None and not -90 <= lat <= 90:
        raise InvalidServiceRequest("lat must be between -90 and 90")
    if long is not None and not -180 <= long <= 180:
        raise InvalidServiceRequest("long must be between -180 and 180")
    return lat, long


def _media_url(url: str | None) -> str | None:
    if url is None:
        return None
    if len(url) > MAX_URL_LENGTH or not url.startswith(("http://", "https://")) or any(c.isspace() for c in url):
        raise InvalidServiceRequest(f"media_url must be an http(s) URL of at most {MAX_URL_LENGTH} characters")
    return checked_text(url, "media_url", single_line=True)


def _address_id(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_ADDRESS_ID_LENGTH:
        raise InvalidServiceRequest(f"address_id is longer than {MAX_ADDRESS_ID_LENGTH} characters")
    return None if value is None else checked_text(value, "address_id", single_line=True)


class ServiceRequest(Aggregate):
    class Submitted(Aggregate.Created):
        lat: float | None
        long: float | None
        address_id: str | None
        media_url: str | None

    @classmethod
    def submit(
        cls,
        *,
        complaint_id: UUID,
        at: datetime,
        lat: float | None = None,
        long: float | None = None,
        address_id: str | None = None,
        media_url: str | None = None,
    ) -> "ServiceRequest":
        """The request's own details, under the id of the complaint it became."""
        lat, long = _coordinates(lat, long)
        return cls._create(
            cls.Submitted,
            id=complaint_id,
            timestamp=at,
            lat=lat,
            long=long,
            address_id=_address_id(address_id),
            media_url=_media_url(media_url),
        )

    @event(Submitted)
    def __init__(self, lat: float | None, long: float | None, address_id: str | None, media_url: str | None) -> None:
        self.lat = lat
        self.long = long
        self.address_id = address_id
        self.media_url = media_url
