#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def settings_from_arguments(argv: list[str]) -> None:
    """Take ``--settings`` and ``--pythonpath`` from the command line now, as Django's own
    ``ManagementUtility`` does, so that the settings read below are the ones asked for."""
    from django.core.management.base import CommandParser, handle_default_options

    parser = CommandParser(add_help=False, allow_abbrev=False)
    parser.add_argument("--settings")
    parser.add_argument("--pythonpath")
    options, _ = parser.parse_known_args(argv[2:])
    handle_default_options(options)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    from django.core.management import execute_from_command_line

    from clinic.config import settings_or_exit

    settings_from_arguments(sys.argv)
    settings_or_exit()

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
