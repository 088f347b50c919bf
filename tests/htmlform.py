"""Read a page's form controls by their labels, the way a person finds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Control:
    tag: str
    attrs: dict[str, str]
    label: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, text) for selects

    @property
    def name(self) -> str:
        return self.attrs.get("name", "")

    @property
    def value(self) -> str:
        return self.attrs.get("value", "")


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self.labels: dict[str, str] = {}  # for-id -> text
        self._label_stack: list[tuple[str | None, list[str], list[Control]]] = []
        self._select: Control | None = None
        self._option: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag == "label":
            self._label_stack.append((attrs.get("for"), [], []))
        elif tag in ("input", "textarea", "select", "button"):
            control = Control(tag, attrs)
            self.controls.append(control)
            if self._label_stack:
                self._label_stack[-1][2].append(control)
            if tag == "select":
                self._select = control
        elif tag == "option" and self._select is not None:
            self._option = (attrs.get("value", ""), [])

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._label_stack:
            target, text, wrapped = self._label_stack.pop()
            label = " ".join("".join(text).split())
            if target:
                self.labels[target] = label
            for control in wrapped:
                control.label = control.label or label
        elif tag == "select":
            self._select = None
        elif tag == "option" and self._option is not None and self._select is not None:
            value, text = self._option
            self._select.options.append((value, " ".join("".join(text).split())))
            self._option = None

    def handle_data(self, data: str) -> None:
        for _target, text, _wrapped in self._label_stack:
            text.append(data)
        if self._option is not None:
            self._option[1].append(data)


def controls(html: str) -> list[Control]:
    parser = _FormParser()
    parser.feed(html)
    for control in parser.controls:
        control_id = control.attrs.get("id")
        if control_id and control_id in parser.labels:
            control.label = parser.labels[control_id]
    return parser.controls


def by_label(html: str, text: str) -> Control:
    """The control whose label contains `text` (case-insensitive)."""
    found = [c for c in controls(html) if text.casefold() in c.label.casefold()]
    assert found, f"no control labelled {text!r}"
    return found[0]


def unlabelled(html: str) -> list[Control]:
    """Controls a screen reader could not name (hidden inputs and buttons aside)."""
    return [
        c for c in controls(html)
        if c.tag != "button" and c.attrs.get("type") not in ("hidden", "submit")
        and not c.label and "aria-label" not in c.attrs and "aria-labelledby" not in c.attrs
    ]
