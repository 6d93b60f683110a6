"""Validation against the JSON Schemas of the output streams, plus the contract's cross-field checks.

    validate(record, stream) -> [{"path": "$.images[0].url", "message": "...", "rule": "format"}, ...]

An empty list means valid. Streams: `articles`, `tombstones`, `rejected`, and `latest` (a row of the
latest view: a tombstone when it has a `status` key, else an article record). Schemas are package data
(`crawler/schemas/*.schema.json`, draft 2020-12) loaded with importlib.resources. Each stream's
validators are built once: a fastjsonschema-compiled check answers "valid?" (~0.8 ms for a typical
article with the checks below), and only a failing record goes through jsonschema's
Draft202012Validator for its exact paths. Both use jsonschema's format checker, whose `uri`, `iri` and
`date-time` checks are verified to be active (they need the optional packages of `jsonschema[format]`;
without them formats would pass silently).

Cross-field checks (rule `contract:<check>`: what a JSON Schema cannot say) live in
crawler/contract.py; validate runs them after the schema. `json_path` stays importable from here.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Iterator, Mapping
from functools import cache, partial
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from crawler.contract import CHECKS, json_path, short
from crawler.items import NESTED_CLASSES, RECORD_CLASSES, SCHEMA_VERSION, field_docs

SCHEMA_FILES = {
    "articles": "article.schema.json",
    "tombstones": "tombstone.schema.json",
    "rejected": "rejected.schema.json",
    "sightings": "sightings.schema.json",
}
STREAMS = (*SCHEMA_FILES, "latest")
REQUIRED_FORMATS = ("uri", "iri", "date-time")

# Characters no string may hold (newline is allowed in body fields only; the schemas say where).
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200d\u2060\ufeff\ufffd]")


# --- loading ----------------------------------------------------------------------------------


@cache
def _load(stream: str) -> dict[str, Any]:
    try:
        name = SCHEMA_FILES[stream]
    except KeyError:
        raise ValueError(f"unknown stream {stream!r}; expected one of {STREAMS}") from None
    folder = resources.files("crawler").joinpath("schemas")
    return json.loads(folder.joinpath(name).read_text(encoding="utf-8"))


def load_schema(stream: str) -> dict[str, Any]:
    """The JSON Schema of a stream (a fresh copy; `articles`, `tombstones` or `rejected`)."""
    return json.loads(json.dumps(_load(stream)))


def _inline(node: Any, root: Mapping[str, Any]) -> Any:
    """`node` with every local `$ref` replaced by its target: the same constraints, but without a
    reference lookup per value (which made up half of validation time)."""
    if isinstance(node, list):
        return [_inline(v, root) for v in node]
    if not isinstance(node, Mapping):
        return node
    out = {k: _inline(v, root) for k, v in node.items() if k != "$defs"}
    ref = out.pop("$ref", None)
    if ref is None:
        return out
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    target = _inline(target, root)
    clash = (set(out) & set(target)) - {"description"}
    if clash:  # both constrain the same keyword: keep both, as `$ref` beside siblings means
        return {**out, "allOf": [*out.get("allOf", []), target]}
    return {**target, **out}


def _format_checker() -> FormatChecker:
    checker = Draft202012Validator.FORMAT_CHECKER
    missing = [f for f in REQUIRED_FORMATS if f not in checker.checkers]
    if missing:
        raise RuntimeError(
            f"JSON Schema formats {missing} would not be checked: install jsonschema[format] "
            "(rfc3339-validator for date-time, rfc3987 for uri/iri)"
        )
    return checker


@cache
def _validator(stream: str) -> Draft202012Validator:
    """The reference validator: exact failing paths (used when the fast check fails)."""
    Draft202012Validator.check_schema(_load(stream))
    schema = _inline(_load(stream), _load(stream))
    return Draft202012Validator(schema, format_checker=_format_checker())


@cache
def _fast(stream: str) -> Callable[[Any], Any]:
    """The same schema compiled to Python by fastjsonschema (~5x faster than jsonschema), with
    jsonschema's own format checks. Compiled as draft-07: once the `$ref`s are inlined the schemas
    only use keywords whose meaning draft-07 and 2020-12 share (tests check the two agree)."""
    schema = {k: v for k, v in _inline(_load(stream), _load(stream)).items() if k != "$id"}
    schema["$schema"] = "http://json-schema.org/draft-07/schema#"
    checker = _format_checker()
    formats = {name: partial(_conforms, checker, name) for name in REQUIRED_FORMATS}
    return fastjsonschema.compile(schema, formats=formats, use_default=False)


def _conforms(checker: FormatChecker, name: str, value: Any) -> bool:
    return checker.conforms(value, name)


@cache
def _text_rules(stream: str) -> dict[str, str]:
    """{pattern: $defs name} for the text rules, to explain a failing pattern in words."""
    defs = _load(stream).get("$defs", {})
    return {
        d["pattern"]: name for name, d in defs.items() if name in ("line", "paragraphs", "block")
    }


# --- validation -------------------------------------------------------------------------------


def latest_stream(row: Mapping[str, Any]) -> str:
    """Which schema a row of the latest view follows: tombstones carry `status`, records do not."""
    return "tombstones" if "status" in row else "articles"


def validate(record: Mapping[str, Any] | Any, stream: str) -> list[dict[str, str]]:
    """Every failing path of `record` (a mapping or a record dataclass) against `stream`'s schema and
    the contract's cross-field checks, sorted by path; empty when valid."""
    data = plain(record)
    if stream == "latest":
        stream = latest_stream(data) if isinstance(data, Mapping) else "articles"
    found: dict[tuple[str, str], str] = {}
    try:
        _fast(stream)(data)
    except fastjsonschema.JsonSchemaValueException as fast_error:
        for error in _validator(stream).iter_errors(data):
            for path, rule, message in _describe(error, stream):
                found.setdefault((path, rule), message)
        if not found:  # the engines disagree: never let the record through silently
            path = "$" + fast_error.name.removeprefix("data")
            found[(path, str(fast_error.rule))] = fast_error.message
    if isinstance(data, Mapping):
        check = CHECKS.get(stream)
        if check is not None:
            for path, rule, message in check(data):
                found.setdefault((path, rule), message)
    return [
        {"path": path, "message": message, "rule": rule}
        for (path, rule), message in sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    ]


def rejected_row(
    record: Mapping[str, Any] | Any, stream: str, errors: list[dict[str, str]], run_id: str
) -> dict[str, Any]:
    """The `rejected` stream row for a record that failed `stream` with `errors`."""
    data = plain(record)
    rid = data.get("id") if isinstance(data, Mapping) else None
    return {
        "schema_version": SCHEMA_VERSION,
        "stream": stream,
        "id": rid if isinstance(rid, str) and rid else None,
        "run_id": run_id,
        "errors": list(errors),
        "record": data if isinstance(data, Mapping) else {"value": data},
    }


def plain(value: Any) -> Any:
    """Dataclasses, mappings and tuples turned into the dicts and lists a JSON writer would emit."""
    kind = type(value)
    if kind is str or kind is int or value is None or kind is float or kind is bool:
        return value
    if kind is dict or isinstance(value, Mapping):
        return {k: plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, Mapping):
        return "object"
    return type(value).__name__


def _text_problem(value: str, rule: str) -> str:
    """What breaks a text rule, in words (first problem only)."""
    if value == "":
        return "empty string (absent values are null)"
    m = _FORBIDDEN.search(value)
    if m:
        return f"forbidden character U+{ord(m.group()):04X} at offset {m.start()}"
    if rule == "block":
        return "does not follow the block rule"
    blocks = value.split("\n\n") if rule == "paragraphs" else [value]
    offset = 0
    for block in blocks:
        if block == "":
            return f"empty paragraph or stray newline near offset {offset}"
        if block != block.strip():
            return f"leading or trailing whitespace near offset {offset}"
        m = re.search(r"\s\s|[^\S ]", block)
        if m:
            return f"whitespace not collapsed to single spaces at offset {offset + m.start()}"
        offset += len(block) + 2
    return "does not follow the text rule"


def _describe(error: ValidationError, stream: str) -> Iterator[tuple[str, str, str]]:
    """(path, rule, message) for one jsonschema error; missing and extra fields get their own paths."""
    parts = list(error.absolute_path)
    kind, value, inst = error.validator, error.validator_value, error.instance
    if kind == "required" and isinstance(inst, Mapping):
        for name in value:
            if name not in inst:
                yield json_path([*parts, name]), "required", "required field is missing"
        return
    if kind == "additionalProperties" and isinstance(inst, Mapping):
        known = set(error.schema.get("properties", {}))
        for name in inst:
            if name not in known:
                yield json_path([*parts, name]), kind, "field is not part of the contract"
        return
    path = json_path(parts)
    if kind == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        message = f"expected {expected}, got {_json_type(inst)} {short(inst)}"
    elif kind == "format":
        message = f"{short(inst)} is not a valid {value}"
    elif kind == "pattern":
        rule = _text_rules(stream).get(value)
        if rule and isinstance(inst, str):
            message = f"{short(inst)}: {_text_problem(inst, rule)} ({rule} rule)"
        else:
            message = f"{short(inst)} does not match {value}"
    elif kind == "enum":
        message = f"{short(inst)} is not one of {short(value, 200)}"
    elif kind == "const":
        message = f"{short(inst)} is not {short(value)}"
    else:
        message = error.message if len(error.message) <= 300 else error.message[:299] + "…"
    yield path, kind, message


# --- cross-field checks -----------------------------------------------------------------------


# --- shape and documentation ------------------------------------------------------------------


def _resolve(node: Mapping[str, Any], root: Mapping[str, Any]) -> dict[str, Any]:
    """`node` with local `$ref`s merged in (the referring node's keys win)."""
    out = dict(node)
    while "$ref" in out:
        ref = out.pop("$ref")
        target: Any = root
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        out = {**target, **out, "_def": ref.rsplit("/", 1)[-1]}
    return out


def _types(node: Mapping[str, Any]) -> list[str]:
    t = node.get("type", [])
    return [t] if isinstance(t, str) else list(t)


def _flatten(
    props: Mapping[str, Any], root: Mapping[str, Any], prefix: str, cls: type | None
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None, type | None]]:
    """(path, resolved node, resolved array item or None, dataclass owning the field), depth-first."""
    for name, raw in props.items():
        node = _resolve(raw, root)
        item = _resolve(node["items"], root) if "items" in node else None
        yield f"{prefix}{name}", node, item, cls
        for sub, sub_prefix in ((node, f"{prefix}{name}."), (item, f"{prefix}{name}[].")):
            if sub is not None and "properties" in sub:
                nested = NESTED_CLASSES.get(cls.__name__, {}).get(name) if cls else None
                yield from _flatten(sub["properties"], root, sub_prefix, nested)


def _type_code(node: Mapping[str, Any], item: Mapping[str, Any] | None) -> str:
    """Compact type of a field for the snapshot: `string|null(date-time)`, `array<string(uri)>`…"""
    code = "|".join(_types(node)) or "any"
    if "format" in node:
        code += f"({node['format']})"
    if "enum" in node:
        code += "{" + ",".join(str(v) for v in node["enum"] if v is not None) + "}"
    if item is not None:
        inner = "object" if "properties" in item else _type_code(item, None)
        code = code.replace("array", f"array<{inner}>", 1)
    return code


def schema_shape() -> dict[str, Any]:
    """{stream: {field path: type code}} of every stream: what the stable-names guard snapshots."""
    shape: dict[str, Any] = {}
    for stream in SCHEMA_FILES:
        root = _load(stream)
        shape[stream] = {
            path: _type_code(node, item)
            for path, node, item, _ in _flatten(root["properties"], root, "", None)
        }
    return shape


# How the table names the shared definitions of the schemas (`$defs`); docs/fields.md explains them.
_DEF_LABELS = {
    "utc": "date-time, UTC `Z`",
    "local": "date-time, `+07:00`",
    "httpUrl": "uri, http(s)",
    "httpIri": "iri, http(s)",
    "line": "text line",
    "paragraphs": "text paragraphs",
    "block": "markup block",
    "runId": "run id",
}


def _type_label(node: Mapping[str, Any], item: Mapping[str, Any] | None) -> str:
    types = [t for t in _types(node) if t != "null"]
    if "const" in node:
        return f"string, always `{node['const']}`"
    if "enum" in node:
        return "enum " + ", ".join(f"`{v}`" for v in node["enum"] if v is not None)
    label = " or ".join(types)
    if node.get("_def") in _DEF_LABELS:
        label += f" ({_DEF_LABELS[node['_def']]})"
    elif "format" in node:
        label += f" ({node['format']})"
    elif "pattern" in node:
        label += " (pattern)"
    if item is not None:
        inner = "object" if "properties" in item else _type_label(item, None)
        label = f"array of {inner}"
    return label


def field_table_markdown() -> str:
    """The field tables of docs/fields.md: one per stream, rows `name | type | nullable | description`,
    types and nullability from the schemas, descriptions from the dataclass field docs."""
    out: list[str] = []
    for stream, filename in SCHEMA_FILES.items():
        root = _load(stream)
        cls = RECORD_CLASSES[stream]
        out += [
            f"### `{stream}`: `{cls.__name__}` (`crawler/schemas/{filename}`)",
            "",
            "| name | type | nullable | description |",
            "|---|---|---|---|",
        ]
        for path, node, item, owner in _flatten(root["properties"], root, "", cls):
            doc = field_docs(owner)[path.rsplit(".", 1)[-1]] if owner else ""
            nullable = "yes" if "null" in _types(node) else "no"
            cells = [f"`{path}`", _type_label(node, item), nullable, doc]
            out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        out.append("")
    return "\n".join(out)
