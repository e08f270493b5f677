"""`mcu triage`: triage posts given as JSON Lines, one verdict line per post."""

from __future__ import annotations

import json
from typing import TextIO

import click

from adapters.triage import build_triage

_FIELDS = ("id", "channel", "text")


class _MalformedLine(ValueError):
    pass


def _parse(line: str) -> tuple[str, str, str]:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as e:
        raise _MalformedLine(f"not valid JSON ({e.msg})") from None
    if not isinstance(item, dict):
        raise _MalformedLine("expected a JSON object")
    missing = [f for f in _FIELDS if f not in item]
    if missing:
        raise _MalformedLine(f"missing field(s): {', '.join(missing)}")
    post_id, channel, text = item["id"], item["channel"], item["text"]
    if not isinstance(post_id, (str, int)) or isinstance(post_id, bool):
        raise _MalformedLine("field 'id' must be a string or an integer")
    if not isinstance(channel, str) or not isinstance(text, str):
        raise _MalformedLine("fields 'channel' and 'text' must be strings")
    return str(post_id), channel, text


@click.command("triage")
@click.argument("source", type=click.File("r", encoding="utf-8"), default="-", required=False)
@click.option("--city", default="rostov", show_default=True, help="City whose gazetteer to use.")
@click.pass_context
def triage(ctx: click.Context, source: TextIO, city: str) -> None:
    """Triage posts from SOURCE (JSON Lines with id, channel, text; '-' or absent: stdin).

    Writes one JSON line per post: id, is_complaint, category, address, district,
    actionable. A malformed line stops the run with exit status 2; the lines before
    it have already been written.
    """
    engine = build_triage(city)
    for number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            post_id, channel, text = _parse(line)
        except _MalformedLine as e:
            # The line itself is not echoed: posts may carry personal data.
            click.echo(f"triage: line {number}: {e}", err=True)
            ctx.exit(2)
        verdict = engine.assess(text, channel)
        click.echo(json.dumps(verdict.to_json(post_id), ensure_ascii=False))
