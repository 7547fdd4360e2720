"""Command line: `metodiky check`, `metodiky build`, `metodiky serve`."""

from __future__ import annotations

import logging
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from .errors import ContentErrors, plural, quoted
from .knowledge import load_knowledge_base
from .model import KnowledgeBase
from .site_target import (
    DEFAULT_SITE,
    BuildLocked,
    build_lock,
    site_dir_problem,
    stamp_build,
)

root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="Project folder with mkdocs.yml, methodology/, glossary/ and docs/.",
)


@click.group()
def main() -> None:
    """Metodiky sociální práce: check content, build the site and the PDF handbook."""


@main.command()
@root_option
def check(root: Path) -> None:
    """Validate all content (manifests, chapters, checklists, trees, glossary) without building."""
    started = time.perf_counter()
    try:
        knowledge = load_knowledge_base(root.resolve())
    except ContentErrors as problem:
        for error in problem.errors:
            click.echo(error.format(), err=True)
        click.echo(f"Nalezeno problémů: {len(problem.errors)}.", err=True)
        sys.exit(1)
    import datetime as dt

    from .frozen_downloads import unfrozen_warnings
    from .safety import overdue_reviews

    warnings = overdue_reviews(knowledge, dt.date.today()) + unfrozen_warnings(knowledge)
    for warning in warnings:
        shown = f"{warning.message} ({warning.hint})" if warning.hint else warning.message
        click.echo(f"{warning.path}:{warning.line}:{warning.column}: varování: {shown}", err=True)
    counts = [
        plural(len(knowledge.methodologies), "metodika", "metodiky", "metodik"),
        plural(sum(len(m.chapters) for m in knowledge.methodologies), *CHAPTERS),
        plural(len(knowledge.all_checklists()), *CHECKLISTS),
        plural(len(knowledge.all_trees()), *TREES),
        plural(len(knowledge.glossary), "pojem slovníku", "pojmy slovníku", "pojmů slovníku"),
    ]
    seconds = _seconds(time.perf_counter() - started, 2)
    click.echo(f"OK: {', '.join(counts)}; kontrola trvala {seconds} s.")


CHAPTERS = ("kapitola", "kapitoly", "kapitol")
CHECKLISTS = ("kontrolní seznam", "kontrolní seznamy", "kontrolních seznamů")
TREES = ("rozhodovací strom", "rozhodovací stromy", "rozhodovacích stromů")


def _seconds(value: float, digits: int) -> str:
    """A duration with a decimal comma, as Czech writes numbers."""
    return f"{value:.{digits}f}".replace(".", ",")


@main.command()
@root_option
@click.option(
    "--site-dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default: site/).",
)
def build(root: Path, site_dir: Path | None) -> None:
    """Build the site and the PDF handbook; site/ is replaced only if everything succeeded."""
    root = root.resolve()
    target = (site_dir or root / DEFAULT_SITE).resolve()
    refusal = site_dir_problem(root, target)
    if refusal:
        click.echo(f"Sestavení odmítnuto: {refusal}. Nic nebylo změněno.", err=True)
        sys.exit(1)
    _configure_logging()
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        with build_lock(target):
            _build_into(root, target)
    except BuildLocked as locked:
        click.echo(f"Sestavení odmítnuto: {locked}.", err=True)
        sys.exit(1)
    click.echo(f"Web sestaven do {target} za {_seconds(time.perf_counter() - started, 1)} s.")


def _build_into(root: Path, target: Path) -> None:
    """Load, build into a staging folder beside the target, then swap it in; exit 1 on errors."""
    _recover_interrupted_build(target)
    try:
        knowledge = load_knowledge_base(root)
    except ContentErrors as problem:
        click.echo(f"Sestavení zastaveno, složka {target} zůstala beze změny:\n{problem}", err=True)
        sys.exit(1)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent))
    try:
        _mkdocs_build(root, staging, knowledge)
        stamp_build(staging)
        _replace_directory(staging, target)
    except _BuildFailed as failure:
        shutil.rmtree(staging, ignore_errors=True)
        click.echo(f"Sestavení selhalo, složka {target} zůstala beze změny:\n{failure}", err=True)
        sys.exit(1)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


@main.command()
@root_option
@click.option(
    "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on."
)
def serve(root: Path, dev_addr: str) -> None:
    """Preview the site with live reload while editing."""
    from mkdocs.commands.serve import serve as mkdocs_serve
    from mkdocs.exceptions import MkDocsException

    _configure_logging()
    # Dirty builds rebuild only what an edit touches (our plugin decides what that is); MkDocs'
    # warning about them would count as a failure in strict mode.
    logging.getLogger("mkdocs.commands.build").addFilter(_DirtyWarning())
    try:
        mkdocs_serve(
            str(root.resolve() / "mkdocs.yml"),
            dev_addr=dev_addr,
            livereload=True,
            build_type="dirty",
        )
    except MkDocsException as error:
        click.echo(str(error), err=True)
        sys.exit(1)


@main.command()
@root_option
@click.argument("slug")
@click.argument("version")
@click.option(
    "--change",
    "changes",
    multiple=True,
    help="What changed (repeat for each change); goes to the changelog.",
)
@click.option(
    "--date",
    "date_",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Release date (default: today).",
)
def release(root: Path, slug: str, version: str, changes: tuple[str, ...], date_) -> None:
    """Freeze methodology SLUG as released VERSION (X.Y): manifest, changelog, frozen copy, hash."""
    import datetime as dt

    from .releases import ReleaseRefused, release_methodology

    today = date_.date() if date_ else dt.date.today()
    try:
        knowledge = load_knowledge_base(root.resolve())
    except ContentErrors as problem:
        click.echo(f"Vydání odmítnuto: obsah má chyby, nejdřív je opravte:\n{problem}", err=True)
        sys.exit(1)
    verified: list[KnowledgeBase] = []  # the project as released, for its PDF and Word file
    try:
        record = release_methodology(
            knowledge,
            slug,
            version,
            list(changes),
            today,
            verify=lambda: verified.append(load_knowledge_base(root.resolve())),
        )
    except ReleaseRefused as refusal:
        click.echo(f"Vydání odmítnuto: {refusal}", err=True)
        sys.exit(1)
    files = plural(len(record.files), "soubor", "soubory", "souborů")
    click.echo(f"Vydána metodika {slug} {record.version} ({files}, SHA-256 {record.hash[:12]}…).")
    if not _freeze(root.resolve(), verified[0], slug, [record.version], today):
        click.echo(
            f"Text verze {record.version} je vydaný; soubory PDF a Word vytvoříte příkazem "
            f"„metodiky freeze-downloads {slug}“.",
            err=True,
        )
        sys.exit(1)
    click.echo("Zveřejníte ji zapsáním složky methodology/ do gitu (git commit).")


@main.command("freeze-downloads")
@root_option
@click.argument("slugs", nargs=-1)
def freeze_downloads(root: Path, slugs: tuple[str, ...]) -> None:
    """Make and keep the PDF and Word file of released versions that have none yet (all
    methodologies, or those named by SLUG); `release` does this for each new version."""
    import datetime as dt

    from .frozen_downloads import unfrozen_versions

    root = root.resolve()
    try:
        knowledge = load_knowledge_base(root)
    except ContentErrors as problem:
        click.echo(f"Soubory nevytvořeny: obsah má chyby, nejdřív je opravte:\n{problem}", err=True)
        sys.exit(1)
    known = {methodology.slug for methodology in knowledge.methodologies}
    unknown = [slug for slug in slugs if slug not in known]
    if unknown:
        names = ", ".join(quoted(slug) for slug in unknown)
        click.echo(f"Soubory nevytvořeny: ve složce methodology/ není metodika {names}.", err=True)
        sys.exit(1)
    chosen = [m for m in knowledge.methodologies if not slugs or m.slug in slugs]
    waiting = [(m, versions) for m in chosen if (versions := unfrozen_versions(m))]
    if not waiting:
        click.echo("Všechny vydané verze už mají své soubory PDF a Word uložené.")
        return
    for methodology, versions in waiting:
        if not _freeze(root, knowledge, methodology.slug, versions, dt.date.today()):
            sys.exit(1)
    click.echo("Zveřejníte je zapsáním složky methodology/ do gitu (git commit).")


def _freeze(root: Path, knowledge: KnowledgeBase, slug: str, versions: list[str], today) -> bool:
    """Make, keep and record each version's PDF and Word file; say what was done or failed."""
    from .frozen_downloads import DOWNLOADS_DIR, freeze_downloads
    from .publish import configured_site_url, version_downloads
    from .render.handbook import HandbookError

    _configure_logging()
    methodology = knowledge.methodology(slug)
    site_url = configured_site_url(root / "mkdocs.yml")
    for version in versions:
        writers = version_downloads(knowledge, site_url, methodology, version)
        try:
            record = freeze_downloads(methodology, version, writers, today)
        except (ContentErrors, HandbookError, OSError) as problem:
            click.echo(
                f"Soubory verze {version} metodiky {methodology.slug} se nepodařilo vytvořit, "
                f"nic z nich nebylo uloženo:\n{problem}",
                err=True,
            )
            return False
        names = ", ".join(sorted(record.files))
        click.echo(f"Uloženo do {methodology.slug}/{DOWNLOADS_DIR}/: {names}.")
    return True


@main.command()
@root_option
def schemas(root: Path) -> None:
    """Regenerate the JSON Schema files in schemas/ from the content models."""
    from .schemas import write_schemas

    for path in write_schemas(root.resolve() / "schemas"):
        click.echo(f"wrote {path}")


class _DirtyWarning(logging.Filter):
    """Drops MkDocs' warning that a dirty build may leave stale navigation and links."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build is being performed")


class _BuildFailed(Exception):
    pass


def _mkdocs_build(root: Path, output: Path, knowledge: KnowledgeBase) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .mkdocs_plugin import MetodikyPlugin

    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(output), strict=True)
        plugin = config.plugins.get("metodiky")
        if isinstance(plugin, MetodikyPlugin):
            plugin.use_knowledge_base(knowledge)  # checked a moment ago: no need to load it twice
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    except MkDocsException as error:
        raise _BuildFailed(_czech_abort(str(error))) from None


def _czech_abort(message: str) -> str:
    """MkDocs' closing words on a failed build; the problems themselves were logged above."""
    if message == "Aborted with a BuildError!":
        return "sestavení přerušila chyba vypsaná výše"
    strict = re.fullmatch(r"Aborted with (.+) in strict mode!", message)
    if strict:
        counts = {level: int(n) for n, level in re.findall(r"(\d+) (\w+?)s\b", strict.group(1))}
        found = []
        if "warning" in counts:
            found.append(f"{counts['warning']} varování")
        if "error" in counts:
            found.append(plural(counts["error"], "chyba", "chyby", "chyb"))
        if found:
            return f"sestavení přerušeno v přísném režimu: {', '.join(found)}"
    return message


# How MkDocs' log levels are labelled in what the build prints.
_LEVEL_NAMES = {"WARNING": "VAROVÁNÍ", "ERROR": "CHYBA", "CRITICAL": "CHYBA"}


STAGING_PREFIX = ".site-"
_STAGING_NAME = re.compile(rf"^{re.escape(STAGING_PREFIX)}(\d+)-[a-z0-9_]+$")


def _recover_interrupted_build(target: Path) -> None:
    """Undo what a killed build left behind: a half-done swap and staging folders of dead builds."""
    old = target.with_name(f".{target.name}-old")
    if old.is_dir() and not target.exists():
        old.rename(target)  # killed between the two renames: the previous site is still whole
    for folder in target.parent.glob(f"{STAGING_PREFIX}*"):
        match = _STAGING_NAME.match(folder.name)
        if match and folder.is_dir() and not _process_alive(int(match.group(1))):
            shutil.rmtree(folder, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    """Whether a build with this process id may still be writing its staging folder."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _replace_directory(new: Path, target: Path) -> None:
    """Swap the freshly built folder in with two renames, so readers never see half a site."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


class _EchoHandler(logging.Handler):
    """Sends MkDocs warnings to the current standard error, as the mkdocs command would."""

    def emit(self, record: logging.LogRecord) -> None:
        czech = logging.makeLogRecord(record.__dict__)  # other handlers keep the original
        czech.levelname = _LEVEL_NAMES.get(record.levelname, record.levelname)
        click.echo(self.format(czech), err=True)


def _configure_logging() -> None:
    logger = logging.getLogger("mkdocs")
    for handler in [h for h in logger.handlers if isinstance(h, _EchoHandler)]:
        logger.removeHandler(handler)
    handler = _EchoHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-8s - %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
