"""The `mcu` command: serve the API and administer the centre's store.

A command's module is imported only when that command is asked for (or listed by --help):
`mcu triage` loads no store, and the worker's child processes, which run the `mcu` script
again as they start (multiprocessing's spawn), load nothing of ours but this module.
"""

import importlib
from typing import Any

import click
from eventsourcing.persistence import InterfaceError, OperationalError

from application.errors import ApplicationError
from domain.errors import DomainError

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

    def invoke(self, ctx: click.Context) -> Any:
        """Every refusal is one line: the domain's and the application's own words, or what
        the store said of itself. Any other error is a fault of ours: its type is named (its
        message may quote personal data) and --traceback shows where it happened."""
        try:
            return super().invoke(ctx)
        except (DomainError, ApplicationError) as error:
            raise click.ClickException(str(error)) from None
        except (OperationalError, InterfaceError) as error:
            raise click.ClickException(f"the store cannot be reached: {str(error).splitlines()[0]}") from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, KeyboardInterrupt):
            raise
        except Exception as error:
            if ctx.obj:
                raise
            raise click.ClickException(
                f"unexpected {type(error).__name__}; run again as mcu --traceback ... to see where"
            ) from None


@click.group(cls=_Commands)
@click.option("--traceback", "show_traceback", is_flag=True, help="on an unexpected error, show where it happened")
@click.pass_context
def main(ctx: click.Context, show_traceback: bool) -> None:
    """mcu: the municipal management centre's complaint service."""
    ctx.obj = show_traceback
