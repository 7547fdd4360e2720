"""Files beside the pages: PDFs, Word downloads, Atom feed, robots.txt, embeddable views."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from .build_cache import Artifact, ContentKeys
from .citation import current_citation
from .frozen_downloads import download_names, frozen_file
from .model import Checklist, DecisionTree, Edition, KnowledgeBase, Methodology, Workshop
from .render.docx import checklist_docx_path, render_checklist_docx, render_methodology_docx
from .render.embed import embed_path, render_embed_page
from .render.feed import FEED_FILE, render_atom_feed, render_robots_txt
from .render.handbook import (
    HANDBOOK_FILE,
    Handbook,
    compile_handbook,
    plan_handbooks,
    render_handbook_assets,
    render_handbook_typst,
)
from .render.site_tools import render_checklist_html, render_tree_html
from .render.workshop import (
    render_pack_assets,
    render_pack_docx,
    render_pack_typst,
    workshop_pack_path,
)
from .site_build import SiteMap, relative_href

log = logging.getLogger("mkdocs.plugins.metodiky")
SHARED_TOOLS_SOURCE = "Společné nástroje, Metodiky sociální práce"


def configured_site_url(config_file: Path) -> str:
    """`site_url` as mkdocs.yml sets it, ending with a slash as MkDocs makes it for a build:
    the address PDFs, QR codes and citations carry."""
    from mkdocs.utils.yaml import yaml_load

    try:
        with open(config_file, encoding="utf-8") as file:
            url = str(yaml_load(file).get("site_url") or "")
    except Exception:  # noqa: BLE001 - without it, addresses stay relative as in a preview
        return ""
    return url if not url or url.endswith("/") else url + "/"


def site_files(knowledge: KnowledgeBase, site_url: str) -> list[tuple[str, str]]:
    """The news feed and robots.txt as (path, content)."""
    return [
        (FEED_FILE, render_atom_feed(knowledge, site_url)),
        ("robots.txt", render_robots_txt(site_url)),
    ]


def embed_files(
    site: SiteMap, tools: list[tuple[Checklist | DecisionTree, str, str]], site_url: str
) -> list[tuple[str, str]]:
    """The embeddable page of each tool (with its origin, as `tools_with_origin` gives it)."""
    return [
        (f"{embed_path(tool.id)}index.html", _embed(site, tool, source, version, site_url))
        for tool, source, version in tools
    ]


def slow_files(knowledge: KnowledgeBase, site_url: str, keys: ContentKeys) -> list[Artifact]:
    """Every PDF and Word file, in the order the build makes them: the full handbook (the
    longest) first, each version's Word file right after its PDF and each workshop pack's after
    its PDF (the two share their pandoc document, read by whichever starts first), the short
    checklist forms last so that both cores stay busy to the end."""
    words = {artifact.site_path: artifact for artifact in word_files(knowledge, keys, site_url)}
    ordered = []
    for pdf in pdf_files(knowledge, site_url, keys):
        ordered.append(pdf)
        twin = words.pop(pdf.site_path.removesuffix(".pdf") + ".docx", None)
        if twin is not None:
            ordered.append(twin)
    return ordered + workshop_files(knowledge, site_url, keys) + list(words.values())


def pdf_files(knowledge: KnowledgeBase, site_url: str, keys: ContentKeys) -> list[Artifact]:
    """The full handbook and one PDF per released version of each methodology."""
    artifacts = []
    for handbook in plan_handbooks(knowledge, site_url):
        if handbook.file_name == HANDBOOK_FILE:
            content = keys.everything
        else:
            methodology, version = handbook.editions[0].methodology, handbook.editions[0].version
            frozen = frozen_file(methodology, handbook.file_name)
            if frozen is not None:
                artifacts.append(_frozen_artifact(handbook.file_name, *frozen))
                continue
            content = keys.of(methodology, version)
        plan = [(edition.methodology.slug, edition.version) for edition in handbook.editions]
        key = (content, repr((handbook.title, handbook.subtitle, handbook.site_url, plan)))
        artifacts.append(Artifact(handbook.file_name, key, _handbook_writer(knowledge, handbook)))
    return artifacts


def _handbook_writer(knowledge: KnowledgeBase, handbook: Handbook) -> Callable[[Path], None]:
    def produce(output: Path) -> None:
        source = render_handbook_typst(knowledge, handbook)
        assets = render_handbook_assets(knowledge, handbook)
        workdir = output.parent / "typst" / handbook.file_name.removesuffix(".pdf")
        compile_handbook(source, assets, output, workdir)
        log.info("PDF built: %s", handbook.file_name)

    return produce


def _frozen_artifact(site_path: str, path: Path, digest: str) -> Artifact:
    return Artifact(
        site_path, ("zmrazeno", digest), lambda output: shutil.copyfile(path, output), path
    )


def version_downloads(
    knowledge: KnowledgeBase, site_url: str, methodology: Methodology, version: str
) -> dict[str, Callable[[Path], None]]:
    """How the build makes a released version's PDF and Word file (name → writer), for
    freezing them: the same writers the build uses when a version is not frozen."""
    pdf, docx = download_names(methodology.slug, version)
    handbook = next(plan for plan in plan_handbooks(knowledge, site_url) if plan.file_name == pdf)
    edition = Edition(methodology, methodology.editions[version], version)
    return {
        pdf: _handbook_writer(knowledge, handbook),
        docx: _writer(lambda: render_methodology_docx(knowledge, edition, site_url)),
    }


def word_files(knowledge: KnowledgeBase, keys: ContentKeys, site_url: str = "") -> list[Artifact]:
    """Word downloads: each current checklist as a form, each released methodology whole."""
    artifacts = []
    for tool, source, version in tools_with_origin(knowledge):
        if isinstance(tool, Checklist):
            cited = _tool_citation(knowledge, tool, site_url)
            produce = _writer(
                lambda t=tool, s=source, v=version, c=cited: render_checklist_docx(t, s, v, c)
            )
            key = (tool.model_dump_json(), source, version, cited or "")
            artifacts.append(Artifact(checklist_docx_path(tool), key, produce))
    for methodology in knowledge.methodologies:
        for version, content in methodology.editions.items():
            edition = Edition(methodology, content, version)
            name = download_names(methodology.slug, version)[1]
            frozen = frozen_file(methodology, name)
            if frozen is not None:
                artifacts.append(_frozen_artifact(name, *frozen))
                continue
            produce = _writer(lambda e=edition: render_methodology_docx(knowledge, e, site_url))
            # A methodology's Word file also shows tools, link titles and terms from elsewhere.
            key = (keys.of(methodology, version), name, site_url)
            artifacts.append(Artifact(name, key, produce))
    return artifacts


def _tool_citation(knowledge: KnowledgeBase, tool: Checklist, site_url: str) -> str | None:
    """The citation of a methodology's current checklist; shared checklists have none."""
    try:
        return current_citation(knowledge.methodologies, f"nastroj-{tool.id}", site_url).text
    except KeyError:
        return None


def workshop_files(knowledge: KnowledgeBase, site_url: str, keys: ContentKeys) -> list[Artifact]:
    """A printable pack per workshop outline of „Pro školitele“: PDF and Word."""
    artifacts = []
    for workshop in knowledge.workshops:
        # A pack quotes model situations from its own methodology's current text.
        own = keys.of(knowledge.methodology(workshop.methodology))
        key = (own, repr(workshop), site_url, workshop.id)

        def produce_pdf(output: Path, workshop: Workshop = workshop) -> None:
            source = render_pack_typst(knowledge, workshop, site_url)
            assets = render_pack_assets(knowledge, workshop, site_url)
            workdir = output.parent / "typst" / f"skoleni-{workshop.id}"
            compile_handbook(source, assets, output, workdir)
            log.info("PDF built: %s", workshop_pack_path(workshop, "pdf"))

        word = _writer(lambda w=workshop: render_pack_docx(knowledge, w, site_url))
        artifacts.append(Artifact(workshop_pack_path(workshop, "pdf"), (*key, "pdf"), produce_pdf))
        artifacts.append(Artifact(workshop_pack_path(workshop, "docx"), (*key, "docx"), word))
    return artifacts


def tools_with_origin(knowledge: KnowledgeBase) -> list[tuple[Checklist | DecisionTree, str, str]]:
    """Each current tool with the methodology it belongs to and that methodology's version."""
    tools = [tool for methodology in knowledge.methodologies for tool in own_tools(methodology)]
    return tools + shared_tools(knowledge)


def own_tools(methodology: Methodology) -> list[tuple[Checklist | DecisionTree, str, str]]:
    """A methodology's current tools with its title and version."""
    manifest = methodology.manifest
    return [
        (tool, manifest.title, manifest.version)
        for tool in (*methodology.checklists, *methodology.trees)
    ]


def shared_tools(knowledge: KnowledgeBase) -> list[tuple[Checklist | DecisionTree, str, str]]:
    """The shared tools, with the source they name."""
    return [
        (tool, SHARED_TOOLS_SOURCE, "")
        for tool in (*knowledge.shared_checklists, *knowledge.shared_trees)
    ]


def _embed(
    site: SiteMap, tool: Checklist | DecisionTree, source: str, version: str, site_url: str
) -> str:
    path = embed_path(tool.id)
    targets = site.targets(None)

    def resolve(kind: str, target_id: str) -> tuple[str, str] | None:
        target = targets.get((kind, target_id))
        return (relative_href(target[0], path), target[1]) if target else None

    label = f"{source}, verze {version}" if version else source
    if isinstance(tool, Checklist):
        html = render_checklist_html(tool, version or "1", resolve, origin=label)
        kind = "Kontrolní seznam"
    else:
        html = render_tree_html(tool, resolve, origin=label)
        kind = "Rozhodovací strom"
    home = targets.get(("checklist" if isinstance(tool, Checklist) else "tree", tool.id))
    page_href = relative_href(home[0], path) if home else "../../"
    canonical = f"{site_url.rstrip('/')}/{path}" if site_url else path
    return render_embed_page(html, f"{kind}: {tool.title}", label, page_href, canonical)


def _writer(render: Callable[[], bytes]) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(render())
