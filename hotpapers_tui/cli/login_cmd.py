"""``login`` and ``logout``: keep a source's credentials in the system keyring, asked for without echo."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from typing import Any

from hotpapers_tui import paths
from hotpapers_tui.cli.common import CliError
from hotpapers_tui.config import CREDENTIAL_ENV, load_config, secret_problem
from hotpapers_tui.keychain import KeychainError, backend_missing, remove, store


@dataclass(frozen=True, slots=True)
class Ask:
    """One credential to ask for."""

    name: str
    """Its name in ``[credentials]`` and in the keyring."""
    prompt: str
    """What the prompt says."""
    secret: bool
    """Asked without echo (getpass) when True."""


SERVICES: dict[str, tuple[str, tuple[Ask, ...]]] = {
    "bluesky": (
        "Bluesky",
        (
            Ask("bluesky_handle", "Bluesky handle (you.bsky.social): ", secret=False),
            Ask(
                "bluesky_app_password",
                "Bluesky app password (Settings > Privacy and security > App passwords; never your account password): ",
                secret=True,
            ),
        ),
    ),
    "x": ("X", (Ask("x_bearer_token", "X API bearer token: ", secret=True),)),
}
"""What ``login SERVICE`` asks for."""


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    login = sub.add_parser(
        "login",
        parents=[common],
        help="store a source's credentials in the system keyring",
        description="Ask for a source's credentials (the secret without echo) and keep them in the system "
        "keyring. Environment variables still win over the keyring, and the keyring over the config file's "
        "[credentials] table.",
    )
    login.add_argument("service", choices=sorted(SERVICES), help="the source to sign in to")
    login.set_defaults(handler=cmd_login)
    logout = sub.add_parser(
        "logout",
        parents=[common],
        help="remove a source's credentials from the system keyring",
        description="Remove the credentials 'login' stored in the system keyring (not the environment "
        "variables, not the config file's [credentials] table).",
    )
    logout.add_argument("service", choices=sorted(SERVICES), help="the source to sign out of")
    logout.set_defaults(handler=cmd_logout)


def _env_names(asks: tuple[Ask, ...]) -> str:
    return " and ".join(CREDENTIAL_ENV[ask.name] for ask in asks)


def _no_keyring(why: str, asks: tuple[Ask, ...]) -> CliError:
    return CliError(
        f"{why}; set {_env_names(asks)} in the environment instead (or the config file's [credentials] table)"
    )


def _ask(ask: Ask) -> str:
    try:
        value = getpass.getpass(ask.prompt) if ask.secret else input(ask.prompt)
    except EOFError:
        raise CliError("no input; nothing stored") from None
    value = value.strip()
    problem = secret_problem(value)
    if problem is not None:
        # Never repeat what was typed: it may be the secret.
        raise CliError(f"{ask.name}: {problem}; nothing stored")
    return value


def cmd_login(args: argparse.Namespace) -> int:
    label, asks = SERVICES[args.service]
    missing = backend_missing()
    if missing is not None:
        # Said before asking: a secret typed for nothing is a secret typed for nothing.
        raise _no_keyring(missing, asks)
    values = [(ask, _ask(ask)) for ask in asks]
    try:
        for ask, value in values:
            store(ask.name, value)
    except KeychainError as exc:
        raise _no_keyring(str(exc), asks) from None
    print(f"stored the {label} credentials in the system keyring", file=sys.stderr)
    overridden = [CREDENTIAL_ENV[ask.name] for ask in asks if os.environ.get(CREDENTIAL_ENV[ask.name])]
    if overridden:
        print(
            f"hotpapers-tui: note: {', '.join(overridden)} set in the environment wins over the keyring",
            file=sys.stderr,
        )
    return 0


def cmd_logout(args: argparse.Namespace) -> int:
    label, asks = SERVICES[args.service]
    try:
        removed = [ask.name for ask in asks if remove(ask.name)]
    except KeychainError as exc:
        raise _no_keyring(str(exc), asks) from None
    if removed:
        print(f"removed the {label} credentials from the system keyring", file=sys.stderr)
    else:
        print(f"no {label} credentials were stored in the system keyring", file=sys.stderr)
    left = [CREDENTIAL_ENV[ask.name] for ask in asks if os.environ.get(CREDENTIAL_ENV[ask.name])]
    if left:
        print(f"hotpapers-tui: note: {', '.join(left)} still set in the environment", file=sys.stderr)
    config = load_config()
    in_file = [ask.name for ask in asks if getattr(config.credentials, ask.name) and ask.name not in left]
    if in_file and config.path is not None:
        print(
            f"hotpapers-tui: note: {paths.shown(config.path)} still holds {', '.join(in_file)} in [credentials]",
            file=sys.stderr,
        )
    return 0
