"""Shared fixtures: small fixture projects built in temporary folders, and the real site built once."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from metodiky.cli import main
from nginx_server import NginxMissing, find_nginx, serve_with_nginx

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def make_project(destination: Path, fixture: str = "mini") -> Path:
    """Copy a fixture's content next to the real theme, macros and config, with a minimal nav."""
    shutil.copytree(FIXTURES / fixture, destination, dirs_exist_ok=True)
    for folder in ("overrides", "macros"):
        shutil.copytree(REPO / folder, destination / folder, dirs_exist_ok=True)
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["nav"] = ["index.md", "@metodiky", {"Slovník pojmů": "slovnik/index.md"}]
    (destination / "mkdocs.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return destination


def run_cli(*arguments: str):
    """Run the metodiky CLI in-process and return click's result."""
    return CliRunner().invoke(main, list(arguments), catch_exceptions=False)


@pytest.fixture(scope="session")
def mini_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture project, built once for the session."""
    root = make_project(tmp_path_factory.mktemp("mini"))
    result = run_cli("build", "--root", str(root))
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge base built strictly into a temporary folder (site and PDF)."""
    site = tmp_path_factory.mktemp("real") / "site"
    result = run_cli("build", "--root", str(REPO), "--site-dir", str(site))
    assert result.exit_code == 0, result.output
    return site


@pytest.fixture(scope="session")
def knowledge():
    """The real knowledge base, loaded and checked."""
    from metodiky.knowledge import load_knowledge_base

    return load_knowledge_base(REPO)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="Rewrite tests/golden/*/expected.* from the current renderers (review the diff!).",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(scope="session")
def nginx_url(real_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real site served by Debian's nginx with deploy/nginx.conf; a missing nginx fails."""
    try:
        find_nginx()
    except NginxMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    with serve_with_nginx(real_site, tmp_path_factory.mktemp("nginx")) as url:
        yield url
