"""Reading content files: text normalisation and YAML with source positions."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError

Location = tuple[int, int]
YamlPath = tuple[str | int, ...]

# libyaml's parser is several times faster and reports the same positions; fall back if absent.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_FILE_BYTES = 2 * 1024 * 1024
# Deep enough for any real content; stops recursive aliases and runaway nesting.
MAX_DEPTH = 40
# Below this many collection indicators libyaml cannot nest deep enough to overflow its C stack.
SAFE_NESTING_BOUND = 2000


@dataclass
class YamlDocument:
    """Parsed YAML plus the line and column of every key and list item."""

    data: Any
    positions: dict[YamlPath, Location] = field(default_factory=dict)

    def locate(self, path: YamlPath) -> Location:
        """Find the closest known position for a path, walking up to its parents."""
        path = tuple(part if isinstance(part, int) else str(part) for part in path)
        while path:
            if path in self.positions:
                return self.positions[path]
            textual = tuple(str(part) for part in path)  # YAML keys like `1:` are stored as text
            if textual in self.positions:
                return self.positions[textual]
            path = path[:-1]
        return self.positions.get((), (1, 1))


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 content file, accepting a BOM and Windows line endings."""
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        raise_content_error(shown, 1, 1, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise_content_error(shown, line, 1, "file is not valid UTF-8 text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def raise_content_error(path: str, line: int, column: int, message: str, hint: str = "") -> None:
    """Abort loading one file with a single positioned error."""
    from .errors import ContentErrors

    raise ContentErrors([ContentError(path, line, column, message, hint)])


def load_yaml(text: str, shown: str) -> YamlDocument:
    """Parse YAML, rejecting duplicate keys, and remember where each value stands."""
    _reject_runaway_nesting(text, shown)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {(): (1, 1)})
        errors: list[ContentError] = []
        positions: dict[YamlPath, Location] = {}
        _walk(node, (), positions, errors, shown, set())
        if errors:
            from .errors import ContentErrors

            raise ContentErrors(errors)
        data = _construct(loader, node, shown)
    except yaml.MarkedYAMLError as error:
        # libyaml (0.2.5 in PyYAML 6.0.4) stops at its own nesting limit: word that as ours.
        _reject_nesting_at(_searched_too_deep_mark(text, yaml.SafeLoader), shown)
        line, column, message = _describe_yaml_error(_pure_python_error(text) or error)
        raise_content_error(shown, line, column, message, _yaml_hint(text, line))
    except yaml.YAMLError as error:
        raise_content_error(shown, 1, 1, f"invalid YAML: {error}")
    finally:
        loader.dispose()
    return YamlDocument(data, positions)


def _reject_runaway_nesting(text: str, shown: str) -> None:
    """Stop nesting too deep to compose: composing recurses, in C or in Python, and may crash."""
    # Every nested collection needs one of these characters, so few of them mean shallow nesting.
    if sum(text.count(char) for char in "[{-:?") <= _safe_nesting_bound():
        return
    try:
        mark = _too_deep_mark(text, _Loader)
    except yaml.YAMLError:
        # libyaml scans up to 1024 characters ahead and may stop at its own nesting limit before
        # our count gets there; PyYAML's pure-Python parser is iterative, so it may look instead.
        mark = _searched_too_deep_mark(text, yaml.SafeLoader)
    _reject_nesting_at(mark, shown)


def _reject_nesting_at(mark: yaml.Mark | None, shown: str) -> None:
    if mark is not None:
        message = f"nesting deeper than {MAX_DEPTH} levels"
        raise_content_error(shown, mark.line + 1, mark.column + 1, message)


def _searched_too_deep_mark(text: str, loader: type) -> yaml.Mark | None:
    """Like _too_deep_mark, but a syntax error within safe depth is left to the ordinary parse."""
    try:
        return _too_deep_mark(text, loader)
    except yaml.YAMLError:
        return None


def _safe_nesting_bound() -> int:
    """libyaml's composer copes with thousands of levels; PyYAML's recurses two frames a level."""
    return SAFE_NESTING_BOUND if _Loader is not yaml.SafeLoader else MAX_DEPTH


def _too_deep_mark(text: str, loader: type) -> yaml.Mark | None:
    """Where the first collection beyond MAX_DEPTH opens, read from parser events (no recursion)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH + 1:  # the top collection is level 0, as in _walk
                return event.start_mark
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def _pure_python_error(text: str) -> yaml.MarkedYAMLError | None:
    """PyYAML's own parser words syntax errors better than libyaml: ask it once more on failure.

    Only its parser runs, which is a loop over events; its composer recurses and would overflow
    Python's stack on the hostile input that brought us here.
    """
    try:
        for _event in yaml.parse(text, Loader=yaml.SafeLoader):
            pass
    except yaml.MarkedYAMLError as error:
        return error
    return None


def _describe_yaml_error(error: yaml.MarkedYAMLError) -> tuple[int, int, str]:
    """Position and wording of a syntax error; an unclosed quote or bracket points where it opened."""
    problem, context = error.problem or "", error.context or ""
    mark = error.problem_mark or error.context_mark
    if error.context_mark and ("end of stream" in problem or "expected ','" in problem):
        mark = error.context_mark
    message = f"invalid YAML: {problem}"
    if context.startswith("expected"):
        message = f"invalid YAML: {context}, {problem.removeprefix('but ')}"
    elif context and context != "while scanning for the next token":
        started = f" started on line {error.context_mark.line + 1}" if error.context_mark else ""
        message += f" ({context}{started})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line, column, message


def _construct(loader: yaml.SafeLoader, node: yaml.Node, shown: str) -> Any:
    """Build Python values; a value YAML cannot represent (e.g. 2026-13-01) is a content error."""
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, OverflowError) as error:
        bad = _first_unconstructible_scalar(node)
        line, column = (bad.start_mark.line + 1, bad.start_mark.column + 1) if bad else (1, 1)
        value = f"'{bad.value}' " if bad else ""
        raise_content_error(shown, line, column, f"invalid value {value}({error})")


def _first_unconstructible_scalar(node: yaml.Node) -> yaml.ScalarNode | None:
    stack = [node]
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.ScalarNode):
            try:
                yaml.SafeLoader("").construct_object(current, deep=True)
            except (ValueError, TypeError, OverflowError):
                return current
        elif isinstance(current, yaml.MappingNode):
            stack.extend(value for pair in current.value for value in pair)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _yaml_hint(text: str, line: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and "\t" in lines[line - 1]:
        return "YAML does not allow tabs for indentation; use spaces"
    return ""


def _walk(
    node: yaml.Node,
    path: YamlPath,
    positions: dict[YamlPath, Location],
    errors: list[ContentError],
    shown: str,
    walked: set[int],
) -> None:
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(path) > MAX_DEPTH:
        line, column = positions[path]
        errors.append(ContentError(shown, line, column, f"nesting deeper than {MAX_DEPTH} levels"))
        return
    if isinstance(node, yaml.CollectionNode):
        # An alias repeats a whole list or mapping; nested aliases grow exponentially.
        if id(node) in walked:
            line, column = positions[path]
            message = "a YAML alias may not repeat a list or mapping; write the values out"
            errors.append(ContentError(shown, line, column, message))
            return
        walked.add(id(node))
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else key_node.tag
            line = key_node.start_mark.line + 1
            if key in seen:
                errors.append(
                    ContentError(
                        shown,
                        line,
                        key_node.start_mark.column + 1,
                        f"duplicate key '{key}' (first used on line {seen[key]})",
                    )
                )
                continue
            seen[key] = line
            positions[path + (key,)] = (line, key_node.start_mark.column + 1)
            _walk(value_node, path + (key,), positions, errors, shown, walked)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            positions[path + (index,)] = (item.start_mark.line + 1, item.start_mark.column + 1)
            _walk(item, path + (index,), positions, errors, shown, walked)


# Folders whose files the build reads or publishes; nothing in them may lead outside the project.
SOURCE_TREES = ("docs", "methodology", "glossary", "registry", "overrides", "macros")


def scan_source_trees(root: Path) -> list[ContentError]:
    """Refuse symlinks that leave the project or loop, and files that are not regular files.

    Runs before anything is read: a link to /proc/self/environ would otherwise be published, and
    reading a FIFO would hang the build.
    """
    root = root.resolve()
    errors: list[ContentError] = []
    for name in SOURCE_TREES:
        top = root / name
        if not top.exists() and not top.is_symlink():
            continue
        for folder, folders, files in os.walk(top, followlinks=False):
            base = Path(folder)
            for entry in sorted(folders) + sorted(files):
                problem = _entry_problem(base / entry, root)
                if problem:
                    shown = (base / entry).relative_to(root).as_posix()
                    errors.append(ContentError(shown, 1, 1, problem))
            # Symlinked folders inside the project are walked through their real path elsewhere.
            folders[:] = [f for f in folders if not (base / f).is_symlink()]
        if top.is_symlink():
            problem = _entry_problem(top, root)
            if problem:
                errors.append(ContentError(name, 1, 1, problem))
    return errors


def _entry_problem(path: Path, root: Path) -> str:
    if path.is_symlink():
        try:
            target = path.resolve(strict=True)
        except RuntimeError:  # Python 3.11 and 3.12 report a loop this way
            return "symbolický odkaz tvoří smyčku"
        except OSError as error:
            if error.errno == errno.ELOOP:
                return "symbolický odkaz tvoří smyčku"
            return "symbolický odkaz vede na soubor, který neexistuje"
        if not target.is_relative_to(root):
            return "symbolický odkaz vede mimo projekt; zkopírujte soubor do projektu"
        path = target
    mode = path.lstat().st_mode
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return "není obyčejný soubor ani složka (například pojmenovaná roura nebo zařízení)"
    return ""
