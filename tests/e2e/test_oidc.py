"""Sign-in through an OpenID Connect provider (a local oidc-provider-mock) with st.login."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import StreamlitServer, _free_port


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=_free_port()) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc_server(e2e_database: str, provider: str, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[StreamlitServer]:
    folder = tmp_path_factory.mktemp("oidc")
    port = _free_port()
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "tracker"\n'
        'client_secret = "tracker-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n')
    server = StreamlitServer(e2e_database, Path(folder / "streamlit.log"), port=port,
                             extra_args=["--secrets.files", str(secrets_file)])
    yield server
    server.stop()


def _provider_sign_in(page: Any, server: StreamlitServer, email: str) -> None:
    page.goto(f"{server.url}/?lang=lv")
    page.get_by_role("button", name="Pieteikties ar organizācijas kontu").click()
    page.get_by_placeholder("sub").fill(email)  # the provider's own sign-in form
    page.get_by_role("button", name="Authorize").click()


def test_known_account_signs_in_through_the_provider(oidc_server: StreamlitServer,
                                                      page: Any) -> None:
    _provider_sign_in(page, oidc_server, "manager@e2e.lv")
    page.get_by_role("button", name="Iziet").wait_for()
    page.get_by_text("Jūsu loma: programmas vadītājs").wait_for()
    page.reload()  # st.login keeps its own cookie
    page.get_by_text("Jūsu loma: programmas vadītājs").wait_for()


def test_unknown_account_is_told_so(oidc_server: StreamlitServer, page: Any) -> None:
    _provider_sign_in(page, oidc_server, "stranger@e2e.lv")
    page.get_by_text("Jūsu kontam nav piekļuves").wait_for()
    assert page.get_by_text("Jūsu loma").count() == 0
