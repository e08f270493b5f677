"""The `mcu` command: serve the API and administer the centre's store.

A command's module is imported only when that command is asked for (or listed by --help):
`mcu triage` loads no store, and the worker's child processes, which run the `mcu` script
again as they start (multiprocessing's spawn), load nothing of ours but this module.
"""

import importlib

import click

# Each command's name, and where it is: "module:attribute".
_COMMANDS = {
    "account": "interfaces.cli.accounts:account",
    "audit": "interfaces.cli.audit:audit",
    "citizen": "interfaces.cli.citizens:citizen",
    "demo": "interfaces.cli.projections:demo",
    "history": "interfaces.cli.audit:history",
    "import": "interfaces.cli.imports:import_complaints",
    "import-pos": "interfaces.cli.channels:import_pos",
    "poll": "interfaces.cli.channels:poll",
    "project": "interfaces.cli.projections:project",
    "replay": "interfaces.cli.projections:replay",
    "replies": "interfaces.cli.channels:replies",
    "serve": "interfaces.cli.serve:serve",
    "token": "interfaces.cli.tokens:token",
    "triage": "interfaces.cli.triage:triage",
}


class _Commands(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in _COMMANDS:
            return None
        module, attribute = _COMMANDS[cmd_name].split(":")
        return getattr(importlib.import_module(module), attribute)


@click.group(cls=_Commands)
def main() -> None:
    """mcu: the municipal management centre's complaint service."""
