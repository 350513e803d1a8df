"""Settings come from the environment in one place; a value a setting cannot take is one
clear line naming the variable, before anything starts."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import fields

import pytest

from hcpcs_graph.server.settings import Settings, SettingsError


def test_environment_values_are_converted() -> None:
    settings = Settings.from_env(
        {"HCPCS_CONNECTIONS": "8", "HCPCS_TIME_LIMIT": "0.5", "HCPCS_GRAPHIQL": "off"}
    )
    assert (settings.connections, settings.time_limit, settings.graphiql) == (8, 0.5, False)


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"HCPCS_PORT": "eighty"}, "HCPCS_PORT='eighty' is not a valid int"),
        ({"HCPCS_GRAPHIQL": "maybe"}, "HCPCS_GRAPHIQL='maybe' is not a valid bool"),
        ({"HCPCS_CONNECTIONS": "0"}, "HCPCS_CONNECTIONS=0: must be at least 1"),
        ({"HCPCS_MAX_CONCURRENT": "0"}, "HCPCS_MAX_CONCURRENT=0: must be at least 1"),
        ({"HCPCS_TIME_LIMIT": "-1"}, "HCPCS_TIME_LIMIT=-1.0: must be at least 0"),
        ({"HCPCS_RESPONSE_CACHE_MB": "-5"}, "HCPCS_RESPONSE_CACHE_MB=-5: must be at least 0"),
        ({"HCPCS_PORT": "70000"}, "HCPCS_PORT=70000: must be at most 65535"),
    ],
)
def test_values_a_setting_cannot_take(environ: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError) as caught:
        Settings.from_env(environ)
    assert str(caught.value) == message


def test_every_numeric_setting_has_a_least_value() -> None:
    numeric = {f.name for f in fields(Settings) if type(f.default) in (int, float)}
    assert numeric == {f.name for f in fields(Settings) if f.metadata["least"] is not None}
    Settings()  # the defaults themselves are valid


def test_serve_refuses_a_bad_setting_before_starting() -> None:
    # Zero connections used to hang start-up, waiting for a connection that never comes.
    env = {**os.environ, "HCPCS_CONNECTIONS": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "hcpcs_graph.server", "serve", "--db", "unused.db"],
        env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr == "hcpcs: error: HCPCS_CONNECTIONS=0: must be at least 1\n"
