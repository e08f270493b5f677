"""The complaint list view: SQL shared by both stores, and each store's text search."""

from abc import abstractmethod
from collections.abc import Mapping, Sequence
from datetime import datetime
from math import isqrt
from typing import Any

from adapters.views.postgres import PostgresView
from adapters.views.rows import Insert, RowChange, Update
from adapters.views.search_words import fts_query
from adapters.views.sql import SQLView, within
from adapters.views.sqlite import SQLiteView
from application.projections.calendar import micros, moment
from application.projections.complaint_list import (
    Clarification,
    ComplaintListView,
    ComplaintPage,
    ComplaintQuery,
    DuplicateClosing,
    Handover,
    ListChange,
    ListedComplaint,
    Listing,
    Reopening,
    SortKey,
    StatusChange,
)
from domain.lifecycle import Status
from domain.reaction import ClockState, ReactionDeadline

# The queue's row of each complaint; its searchable words live apart, so that the many changes
# of state never make the store re-index the text.
COMPLAINTS, TEXTS = "complaints", "texts"
SUMMARY_LENGTH = 200
_REGISTERED, _ASSIGNED, _DUPLICATE = Status.REGISTERED.value, Status.ASSIGNED.value, Status.DUPLICATE.value

# How many times less a row passed costs a search walking the queue than a match it orders.
_WALK_COST_SHARE = 4
_FILTERS = ("status", "category", "channel", "district", "organisation")
# When the clock is measured: the first reaction, else the stop without one, else now.
_MEASURED = "COALESCE(reacted_at, stopped_at, :now)"
# SortKey.URGENCY as one number, so one keyset continues across the boundary: a running clock
# ranks by its deadline, a stopped one above every deadline (2**62 µs is a hundred millennia
# away) and the later it stopped, the lower. The index on it is written the same way, or
# neither store would use it.
_URGENCY = f"COALESCE({2**62} - COALESCE(reacted_at, stopped_at), deadline_at)"
_SORT_KEY = {SortKey.DEADLINE: "deadline_at", SortKey.RECEIVED: "received_at", SortKey.URGENCY: _URGENCY}
_CLOCK = {
    ClockState.WITHIN_TARGET: f"{_MEASURED} <= target_at",
    ClockState.PAST_TARGET: f"({_MEASURED} > target_at AND {_MEASURED} <= deadline_at)",
    ClockState.OVERDUE: f"{_MEASURED} > deadline_at",
}


class ComplaintListSQL(SQLView, ComplaintListView):
    prefix = "complaint_list"
    row_keys = {"complaints": ("id",), "texts": ("id",)}

    @abstractmethod
    def text_condition(self, text: str, params: dict[str, Any]) -> str:
        """A condition on ``id`` matching complaints whose text, clarification or address
        has the words; a text without a word to search (stop words only) matches none."""

    def row_changes(self, change: ListChange) -> Sequence[RowChange]:
        row = {"id": str(change.complaint_id)}
        at = micros(change.at)
        match change:
            case StatusChange(version=version, status=status, reply=reply, closing=closing):
                moved = {"version": version, "updated_at": at, "status": status.value}
                if closing:
                    moved["closed_at"] = at
                return (Update(COMPLAINTS, row, set=moved, fill={"reacted_at": at} if reply else {}),)
            case Listing():
                return _listing(change, row["id"], at)
            case Handover(version=version, organisation=organisation, executor=executor, status=status):
                held = {"version": version, "updated_at": at, "organisation": organisation, "executor": executor}
                if status is not None:
                    held["status"] = status.value
                return (Update(COMPLAINTS, row, set=held),)
            case Clarification(version=version, text=text, address=address):
                clarified = {"version": version, "updated_at": at, "status": _REGISTERED}
                searched = {"clarification": text}
                if address is not None:
                    clarified["address"] = searched["address"] = address
                return (Update(COMPLAINTS, row, set=clarified), Update(TEXTS, row, set=searched))
            case Reopening(version=version):
                reopened = {"version": version, "updated_at": at, "status": _ASSIGNED, "closed_at": None}
                return (Update(COMPLAINTS, row, set=reopened, add={"reopen_count": 1}),)
            case DuplicateClosing(version=version):
                closed = {"version": version, "updated_at": at, "status": _DUPLICATE, "closed_at": at, "stopped_at": at}
                return (Update(COMPLAINTS, row, set=closed),)
        raise TypeError(f"not a change of the complaint list: {change!r}")

    def columns_ddl(self) -> str:
        i = self.integer
        return (
            f"id TEXT PRIMARY KEY, version {i} NOT NULL, status TEXT NOT NULL, "
            f"channel TEXT NOT NULL, category TEXT, district TEXT, organisation TEXT, "
            f"executor TEXT, address TEXT, summary TEXT NOT NULL, "
            f"received_at {i} NOT NULL, registered_at {i} NOT NULL, updated_at {i} NOT NULL, "
            f"target_at {i} NOT NULL, deadline_at {i} NOT NULL, reacted_at {i}, "
            f"stopped_at {i}, closed_at {i}, reopen_count {i} NOT NULL"
        )

    def indexes_ddl(self) -> list[str]:
        t, p = self.table("complaints"), self.prefix
        return [
            f"CREATE INDEX IF NOT EXISTS {p}_by_deadline ON {t} (deadline_at, id)",
            f"CREATE INDEX IF NOT EXISTS {p}_by_received ON {t} (received_at, id)",
            f"CREATE INDEX IF NOT EXISTS {p}_by_urgency ON {t} (({_URGENCY}), id)",
            f"CREATE INDEX IF NOT EXISTS {p}_running ON {t} (deadline_at, id) "
            f"WHERE reacted_at IS NULL AND stopped_at IS NULL",
            f"CREATE INDEX IF NOT EXISTS {p}_by_status ON {t} (status, deadline_at, id)",
            f"CREATE INDEX IF NOT EXISTS {p}_by_organisation ON {t} (organisation, deadline_at, id)",
        ]

    def find(self, query: ComplaintQuery, now: datetime) -> ComplaintPage:
        params: dict[str, Any] = {"now": micros(now), "limit": query.limit + 1}
        conditions: list[str] = []
        for column in _FILTERS:
            values = getattr(query, column)
            if values:
                names = [f"{column}_{n}" for n in range(len(values))]
                params.update(zip(names, values, strict=True))
                conditions.append(f"{column} IN ({', '.join(':' + n for n in names)})")
        if query.clock:
            conditions.append("(" + " OR ".join(_CLOCK[state] for state in query.clock) + ")")
        if query.running is not None:
            running = "reacted_at IS NULL AND stopped_at IS NULL"
            conditions.append(running if query.running else f"NOT ({running})")
        conditions += within("received_at", query.received_from, query.received_before, params)
        if query.text:
            conditions.append(self.text_condition(query.text, params))
        key = _SORT_KEY[query.sort.key]
        direction = "DESC" if query.sort.descending else "ASC"
        if query.after is not None:
            past, beyond = ("<=", "<") if query.sort.descending else (">=", ">")
            # The bound on the key alone lets SQLite seek in an index on an expression, which
            # it does not for the row value; without it a later page scans the rows before it.
            conditions.append(f"{key} {past} :after_key AND ({key}, id) {beyond} (:after_key, :after_id)")
            params["after_key"], params["after_id"] = query.after
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.rows(
            f"SELECT id, version, status, channel, category, district, organisation, executor, "
            f"address, summary, received_at, registered_at, "
            f"updated_at, target_at, deadline_at, reacted_at, stopped_at, reopen_count, {key} AS sort_key "
            f"FROM {self.table('complaints')} {where} "
            f"ORDER BY {key} {direction}, id {direction} LIMIT :limit",
            params,
        )
        items = [_listed(row, now) for row in rows[: query.limit]]
        more = len(rows) > query.limit
        last = rows[query.limit - 1] if more else None
        return ComplaintPage(items, (last["sort_key"], last["id"]) if last is not None else None)


def _listing(change: Listing, complaint_id: str, at: int) -> tuple[RowChange, ...]:
    return (
        Insert(
            COMPLAINTS,
            {
                "id": complaint_id,
                "version": change.version,
                "updated_at": at,
                "status": _REGISTERED,
                "channel": change.channel,
                "category": change.category,
                "district": change.district,
                "organisation": None,
                "executor": None,
                "address": change.address,
                "summary": change.text[:SUMMARY_LENGTH],
                "received_at": micros(change.received_at),
                "registered_at": at,
                "target_at": micros(change.target),
                "deadline_at": micros(change.deadline),
                "reacted_at": None,
                "stopped_at": None,
                "closed_at": None,
                "reopen_count": 0,
            },
        ),
        Insert(TEXTS, {"id": complaint_id, "text": change.text, "clarification": None, "address": change.address}),
    )


def _optional(value: int | None) -> datetime | None:
    return None if value is None else moment(value)


def _listed(row: Mapping[str, Any], now: datetime) -> ListedComplaint:
    clock = ReactionDeadline(
        received_at=moment(row["received_at"]),
        target=moment(row["target_at"]),
        deadline=moment(row["deadline_at"]),
        reacted_at=_optional(row["reacted_at"]),
        stopped_at=_optional(row["stopped_at"]),
    )
    return ListedComplaint(
        id=row["id"],
        version=row["version"],
        status=row["status"],
        channel=row["channel"],
        category=row["category"],
        district=row["district"],
        organisation=row["organisation"],
        executor=row["executor"],
        address=row["address"],
        summary=row["summary"],
        received_at=clock.received_at,
        registered_at=moment(row["registered_at"]),
        updated_at=moment(row["updated_at"]),
        reaction_target=clock.target,
        reaction_deadline=clock.deadline,
        reacted_at=clock.reacted_at,
        clock=clock.state(now),
        clock_running=clock.running,
        reopen_count=row["reopen_count"],
    )


class SQLiteComplaintListView(ComplaintListSQL, SQLiteView):
    """Text search is FTS5 over the text, clarification and address, each searched word matched
    in its forms (search_words.py: SQLite has no Russian stemmer)."""

    tables = ("complaints", "texts", "search")

    def tables_ddl(self) -> list[str]:
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('complaints')} ({self.columns_ddl()})",
            f"CREATE TABLE IF NOT EXISTS {self.table('texts')} (id TEXT PRIMARY KEY, text TEXT NOT NULL, "
            f"clarification TEXT, address TEXT)",
        ]

    def derived_ddl(self) -> list[str]:
        texts, search = self.table("texts"), self.table("search")
        columns = "text, clarification, address"
        new = "new.rowid, new.text, new.clarification, new.address"
        # The triggers come with the index: an external-content FTS5 index must hold every row
        # an update trigger deletes from it, or it is corrupt.
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {search} USING fts5({columns}, content='{texts}', "
            f"tokenize='unicode61 remove_diacritics 2')",
            f"CREATE TRIGGER IF NOT EXISTS {search}_insert AFTER INSERT ON {texts} BEGIN "
            f"INSERT INTO {search} (rowid, {columns}) VALUES ({new}); END",
            f"CREATE TRIGGER IF NOT EXISTS {search}_update AFTER UPDATE ON {texts} BEGIN "
            f"INSERT INTO {search} ({search}, rowid, {columns}) "
            f"VALUES ('delete', old.rowid, old.text, old.clarification, old.address); "
            f"INSERT INTO {search} (rowid, {columns}) VALUES ({new}); END",
        ]

    def derived_fill(self) -> list[str]:
        search = self.table("search")
        return [f"INSERT INTO {search} ({search}) VALUES ('rebuild')"]

    def text_condition(self, text: str, params: dict[str, Any]) -> str:
        match = fts_query(text)
        if match is None:  # as PostgreSQL's empty query, which matches nothing
            return "1 = 0"
        params["text"] = match
        complaints, texts, search = self.table("complaints"), self.table("texts"), self.table("search")
        matching = f"SELECT rowid FROM {search} WHERE {search} MATCH :text"
        if self._common(match, params["limit"]):
            # Walk the queue in its order and stop at a page, each row's text found among the
            # matches by its rowid (the texts' primary key index holds it beside the id).
            return f"(SELECT t.rowid FROM {texts} AS t WHERE t.id = {complaints}.id) IN ({matching})"
        # Find the matching complaints, then order them.
        return f"id IN (SELECT id FROM {texts} WHERE rowid IN ({matching}))"

    def _common(self, match: str, limit: int) -> bool:
        """Whether so many complaints have the words that walking the queue in its order finds
        a page sooner than ordering every match. Ordering costs per match (its text, its row, a
        sort), walking per row passed (about a page in the share of matches): with m matches of
        n complaints, ordering costs about m and walking about n × limit / m, times a few times
        less per row, hence a threshold near the root of n × limit / 4."""
        total = self.rows(f"SELECT MAX(rowid) AS n FROM {self.table('complaints')}")[0]["n"] or 0
        enough = isqrt(total * limit // _WALK_COST_SHARE)
        search = self.table("search")
        found = self.rows(
            f"SELECT COUNT(*) AS n FROM (SELECT 1 FROM {search} WHERE {search} MATCH :text LIMIT :enough)",
            {"text": match, "enough": enough},
        )[0]["n"]
        return found >= enough > 0


class PostgresComplaintListView(ComplaintListSQL, PostgresView):
    """Text search is PostgreSQL's with the ``russian`` configuration (stemmed words)."""

    tables = ("complaints", "texts")

    def tables_ddl(self) -> list[str]:
        document = "coalesce(text, '') || ' ' || coalesce(clarification, '') || ' ' || coalesce(address, '')"
        return [
            f"CREATE TABLE IF NOT EXISTS {self.table('complaints')} ({self.columns_ddl()})",
            f"CREATE TABLE IF NOT EXISTS {self.table('texts')} (id TEXT PRIMARY KEY, text TEXT NOT NULL, "
            f"clarification TEXT, address TEXT, "
            f"search tsvector GENERATED ALWAYS AS (to_tsvector('russian', {document})) STORED)",
        ]

    def indexes_ddl(self) -> list[str]:
        return [
            *super().indexes_ddl(),
            f"CREATE INDEX IF NOT EXISTS {self.prefix}_search ON {self.table('texts')} USING gin (search)",
        ]

    def text_condition(self, text: str, params: dict[str, Any]) -> str:
        params["text"] = text
        return f"id IN (SELECT id FROM {self.table('texts')} WHERE search @@ plainto_tsquery('russian', :text))"
