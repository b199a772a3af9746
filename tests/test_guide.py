"""The editor guide (docs/guide.md) explains every field the schemas allow, with an example.

The property names are read from data/schema/*.json (every nested ``properties``, in
``$defs`` too), so a field added to a schema later must be added to the guide, or this
test names it. "Explained" means: named in the guide's prose (outside code blocks) and
written as a key in one of its YAML examples.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def property_names(schema, out: set[str] | None = None) -> set[str]:
    out = set() if out is None else out
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "properties" and isinstance(value, dict):
                out.update(value)
            property_names(value, out)
    elif isinstance(schema, list):
        for item in schema:
            property_names(item, out)
    return out


def schema_properties() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "data" / "schema").glob("*.json"):
        property_names(json.loads(path.read_text("utf-8")), names)
    return names


def guide_parts() -> tuple[str, str]:
    """(prose, the YAML examples) of the guide."""
    text = GUIDE.read_text("utf-8")
    yaml_blocks = "\n".join(body for lang, body in FENCE.findall(text) if lang in ("yaml", "yml"))
    return FENCE.sub("", text), yaml_blocks


def as_key(name: str, yaml_text: str) -> bool:
    return re.search(rf"(^|[\s{{,\[-]){re.escape(name)}:", yaml_text, re.M) is not None


def test_the_schemas_have_properties():
    assert {"quote", "sanction", "ladder", "measures"} <= schema_properties()


def test_every_schema_property_is_explained_with_an_example():
    prose, examples = guide_parts()
    unexplained = sorted(n for n in schema_properties() if not re.search(rf"(?<![\w]){re.escape(n)}(?![\w])", prose))
    no_example = sorted(n for n in schema_properties() if not as_key(n, examples))
    assert not unexplained, f"docs/guide.md does not name these fields in its prose: {unexplained}"
    assert not no_example, f"docs/guide.md has no YAML example with these keys: {no_example}"


def test_the_check_catches_a_field_the_guide_lacks():
    prose, examples = guide_parts()
    assert not as_key("zzz_field", examples)
    assert as_key("quote", "  - id: a1\n    quote: 第一条") and as_key("text", "quote: [{text: x, context: y}]")
