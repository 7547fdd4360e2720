"""Reading content files: text normalisation and YAML with source positions."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, quoted

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
        raise_content_error(shown, 1, 1, f"soubor je větší než {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise_content_error(shown, line, 1, "soubor není platný text v kódování UTF-8")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def raise_content_error(path: str, line: int, column: int, message: str, hint: str = "") -> None:
    """Abort loading one file with a single positioned error."""
    from .errors import ContentErrors

    raise ContentErrors([ContentError(path, line, column, message, hint)])


# Parsed documents by file and content: `serve` loads the whole project after each edit, and
# parsing every YAML file again is most of that time at scale. Documents are only read.
_DOCUMENTS: dict[tuple[str, bytes], YamlDocument] = {}
_DOCUMENTS_LIMIT = 20_000


def load_yaml_remembered(text: str, shown: str) -> YamlDocument:
    """`load_yaml`, reusing the document parsed from the same text of the same file."""
    key = (shown, hashlib.blake2b(text.encode(), digest_size=16).digest())
    if key not in _DOCUMENTS:
        if len(_DOCUMENTS) >= _DOCUMENTS_LIMIT:
            _DOCUMENTS.clear()
        _DOCUMENTS[key] = load_yaml(text, shown)
    return _DOCUMENTS[key]


def load_yaml(text: str, shown: str) -> YamlDocument:
    """Parse YAML, rejecting duplicate keys, and remember where each value stands."""
    _reject_runaway_nesting(text, shown)
    loader = None
    try:
        # PyYAML's pure-Python reader checks the characters already here (a NUL, for one).
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return YamlDocument(None, {(): (1, 1)})
        errors: list[ContentError] = []
        positions: dict[YamlPath, Location] = {}
        _walk(node, (), positions, errors, shown, _Walked())
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
        raise_content_error(shown, 1, 1, f"neplatný YAML: {_describe_unmarked_error(error)}")
    finally:
        if loader is not None:
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
        message = f"vnoření hlubší než {MAX_DEPTH} úrovní"
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
    message = f"neplatný YAML: {_czech_yaml_problem(problem)}"
    if context.startswith("expected"):
        message = f"neplatný YAML: {_czech_yaml_problem(f'{context}, {problem}')}"
    elif context and context != "while scanning for the next token":
        started = error.context_mark.line + 1 if error.context_mark else None
        message += f" ({_czech_yaml_context(context, started)})"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return line, column, message


# The wording of PyYAML's and libyaml's syntax errors in Czech; anything else is shown as it is.
_YAML_PROBLEMS = [
    (r"mapping values are not allowed (?:here|in this context)", "dvojtečka zde nesmí oddělovat klíč a hodnotu"),
    (r"found character (.+) that cannot start any token", "znakem {0} nesmí nic začínat"),
    (r"found character that cannot start any token", "nalezen znak, kterým nesmí nic začínat"),
    (r"could not find expected ':'", "chybí očekávaná dvojtečka „:“"),
    (r"found unexpected end of stream", "soubor neočekávaně skončil"),
    (r"found unexpected document separator", "neočekávaný oddělovač dokumentů „---“"),
    (r"(?:block )?sequence entries are not allowed (?:here|in this context)", "položka seznamu „-“ zde nesmí začínat"),
    (r"mapping keys are not allowed (?:here|in this context)", "klíč zde nesmí začínat"),
    (r"found unknown escape character (.+)", "neznámý znak {0} za zpětným lomítkem"),
    (r"found undefined alias (.+)", "alias {0} odkazuje na kotvu, která neexistuje"),
    (r"found undefined alias", "alias odkazuje na kotvu, která neexistuje"),
    (r"second occurrence", "kotva definovaná podruhé"),
    (r"found unhashable key", "klíčem nesmí být seznam ani mapování"),
    (r"could not determine a constructor for the tag (.+)", "neznámá značka {0}"),
    (r"found incompatible YAML document \(version 1\.\* is required\)", "nepodporovaná verze YAML (je třeba verze 1.x)"),
    (r"found a tab character (?:where an indentation space is expected|that violates indentation)", "tabulátor v odsazení místo mezer"),
    (r"invalid indentation or unclosed '\[' or '\{'", "chybné odsazení nebo neuzavřená závorka „[“ či „{“"),
    (r"expected a single document in the stream, but found another document", "soubor smí obsahovat jen jeden dokument, ale začíná v něm další"),
    (r"expected (.+?),? but (?:found|got) (.+)", "zde má být {0}, ale je tu {1}"),
    (r"did not find expected (.+)", "chybí {0}"),
]  # fmt: skip
_YAML_CONTEXTS = [
    (r"while scanning a simple key", "při čtení klíče"),
    (r"while scanning a (?:double-)?quoted scalar", "při čtení textu v uvozovkách"),
    (r"while scanning a plain scalar", "při čtení textu"),
    (r"while scanning a block scalar", "při čtení víceřádkového textu"),
    (r"while scanning an alias", "při čtení aliasu"),
    (r"while scanning an anchor", "při čtení kotvy"),
    (r"while (?:scanning|parsing) a tag", "při čtení značky"),
    (r"while scanning a (?:%\w+ )?directive", "při čtení direktivy"),
    (r"while parsing a flow sequence", "při čtení seznamu v hranatých závorkách"),
    (r"while parsing a flow mapping", "při čtení mapování ve složených závorkách"),
    (r"while parsing a block mapping", "při čtení mapování"),
    (r"while parsing a block collection", "při čtení seznamu"),
    (r"while parsing a (?:block |flow )?node", "při čtení hodnoty"),
    (r"while constructing a mapping", "při sestavování mapování"),
]
_YAML_TOKENS = {
    "<block end>": "konec bloku",
    "<stream end>": "konec souboru",
    "<document start>": "začátek dokumentu „---“",
    "<document end>": "konec dokumentu „...“",
    "<scalar>": "text",
    "<block sequence start>": "začátek seznamu",
    "<block mapping start>": "začátek mapování",
    "<anchor>": "kotva",
    "<alias>": "alias",
    "<tag>": "značka",
    "<directive>": "direktiva",
    "the node content": "hodnota",
    "node content": "hodnota",
    "key": "klíč",
    "' '": "mezera",
    "'-' indicator": "„-“",
    "a comment or a line break": "komentář nebo konec řádku",
    "alphabetic or numeric character": "písmeno nebo číslice",
    "indentation indicator in the range 1-9": "odsazení od 1 do 9",
}


def _czech_yaml_problem(problem: str) -> str:
    for pattern, czech in _YAML_PROBLEMS:
        match = re.fullmatch(pattern, problem)
        if match:
            return czech.format(*(_czech_yaml_token(part) for part in match.groups()))
    return problem


def _czech_yaml_context(context: str, started: int | None) -> str:
    anchor = re.fullmatch(r"found duplicate anchor(?: (.+))?; first occurrence", context)
    if anchor:
        name = f"kotva {_czech_yaml_token(anchor.group(1))} " if anchor.group(1) else ""
        return f"{name}poprvé na řádku {started}" if started else f"{name}poprvé jinde"
    czech = next((cz for pattern, cz in _YAML_CONTEXTS if re.fullmatch(pattern, context)), context)
    return f"{czech} od řádku {started}" if started else czech


def _czech_yaml_token(text: str) -> str:
    """A token or character PyYAML names (`'<stream end>'`, `']'`) as an author reads it."""
    bare = text[1:-1] if len(text) > 2 and text[0] == text[-1] == "'" else text
    if bare in _YAML_TOKENS:
        return _YAML_TOKENS[bare]
    return re.sub(r"'(.+?)'(?=,| or |$)", "„\\1“", text).replace(" or ", " nebo ")


def _describe_unmarked_error(error: yaml.YAMLError) -> str:
    """A YAML error without a position, e.g. a control character in the text, on one line."""
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        return (
            f"nepovolený znak #x{error.character:04x} (řídicí a zvláštní znaky nejsou dovoleny) "
            f"na pozici {error.position}"
        )
    return " ".join(str(error).split())


def _construct(loader: yaml.SafeLoader, node: yaml.Node, shown: str) -> Any:
    """Build Python values; a value YAML cannot represent (e.g. 2026-13-01) is a content error."""
    try:
        return loader.construct_document(node)
    except (ValueError, TypeError, OverflowError) as error:
        bad = _first_unconstructible_scalar(node)
        line, column = (bad.start_mark.line + 1, bad.start_mark.column + 1) if bad else (1, 1)
        value = f"{quoted(bad.value)} " if bad else ""
        raise_content_error(
            shown, line, column, f"neplatná hodnota {value}({_czech_value_error(error)})"
        )


_VALUE_ERRORS = [
    (r"month must be in 1\.\.12", "měsíc musí být od 1 do 12"),
    (r"day is out of range for month", "takový den v měsíci není"),
    (r"year (-?\d+) is out of range", "rok {0} je mimo povolený rozsah"),
    (r"hour must be in 0\.\.23", "hodina musí být od 0 do 23"),
    (r"minute must be in 0\.\.59", "minuta musí být od 0 do 59"),
    (r"second must be in 0\.\.59", "sekunda musí být od 0 do 59"),
    (
        r"Exceeds the limit \((\d+) digits\) for integer string conversion.*",
        "číslo má víc než {0} číslic",
    ),
]


def _czech_value_error(error: Exception) -> str:
    """Why Python could not build a value (a date, a number), in Czech when the reason is known."""
    text = str(error)
    for pattern, czech in _VALUE_ERRORS:
        match = re.fullmatch(pattern, text, re.S)
        if match:
            return czech.format(*match.groups())
    return text


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
        return "YAML nedovoluje odsazovat tabulátorem; použijte mezery"
    return ""


@dataclass
class _Walked:
    """Nodes met so far (an alias meets one again) and the text repeated through aliases."""

    seen: set[int] = field(default_factory=set)
    repeated_chars: int = 0
    reported: bool = False


def _walk(
    node: yaml.Node,
    path: YamlPath,
    positions: dict[YamlPath, Location],
    errors: list[ContentError],
    shown: str,
    walked: _Walked,
) -> None:
    positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if len(path) > MAX_DEPTH:
        line, column = positions[path]
        message = f"vnoření hlubší než {MAX_DEPTH} úrovní"
        errors.append(ContentError(shown, line, column, message))
        return
    if isinstance(node, yaml.ScalarNode):
        if id(node) in walked.seen:
            # Each alias of a text repeats it in every output; bound the repeats like a file.
            walked.repeated_chars += len(node.value)
            if walked.repeated_chars > MAX_FILE_BYTES and not walked.reported:
                walked.reported = True
                line, column = positions[path]
                message = "aliasy YAML opakují příliš mnoho textu; vypište hodnoty celé"
                errors.append(ContentError(shown, line, column, message))
        walked.seen.add(id(node))
        return
    if isinstance(node, yaml.CollectionNode):
        # An alias repeats a whole list or mapping; nested aliases grow exponentially.
        if id(node) in walked.seen:
            line, column = positions[path]
            message = "alias YAML nesmí opakovat seznam ani mapování; vypište hodnoty celé"
            errors.append(ContentError(shown, line, column, message))
            return
        walked.seen.add(id(node))
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
                        f"duplicitní klíč {quoted(key)} (poprvé na řádku {seen[key]})",
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
