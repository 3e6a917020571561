"""A YAML loader for files people edit by hand: the line of every key, every key given twice, few aliases.

Aliases (``*name``) are refused beyond a small budget: nested aliases are how a few hundred bytes of YAML
expand into gigabytes ("billion laughs"), and no params or targets file needs more than a handful.
"""

from __future__ import annotations

import yaml

from cchc_lib.ingest.units_file import date_problem

MAX_ALIASES = 20


class TooManyAliases(yaml.composer.ComposerError):
    """Raised when a file uses more than MAX_ALIASES aliases."""


class KeyLinesLoader(yaml.SafeLoader):
    """Safe loader that records duplicate keys (PyYAML keeps the last silently) and the line of each key."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.aliases = 0
        self.duplicates: list[tuple[str, int, int]] = []  # (key path, first line, repeated line)
        self.lines: dict[str, int] = {}  # "CODE" or "CODE.field" -> 1-based line
        self._paths: dict[int, str] = {}  # id(mapping node) -> key path of that mapping

    def compose_node(self, parent, index):
        """Compose as SafeLoader does, counting aliases against the budget."""
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise TooManyAliases(None, None, f"more than {MAX_ALIASES} aliases (*name)",
                                     self.peek_event().start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node, deep=False):
        """Construct as SafeLoader does, first noting each key's line and any key given twice."""
        prefix = self._paths.get(id(node), "")
        first: dict = {}
        for key_node, value_node in node.value:
            try:
                key = self.construct_object(key_node, deep=True)
                hash(key)
            except (TypeError, yaml.YAMLError):
                continue  # merge keys and unhashable keys: PyYAML itself reports or handles them
            path = f"{prefix}.{key}" if prefix else str(key)
            line = key_node.start_mark.line + 1
            if key in first:
                self.duplicates.append((path, first[key], line))
            else:
                first[key] = line
                self.lines.setdefault(path, line)
            if isinstance(value_node, yaml.MappingNode):
                self._paths[id(value_node)] = path
        return super().construct_mapping(node, deep)


class DateCheckingLoader(KeyLinesLoader):
    """KeyLinesLoader that reads a date which does not exist (2024-02-30) as its text, noting line and value."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.bad_dates: list[tuple[int, str, str]] = []  # (1-based line, value as typed, what is wrong)

    def construct_yaml_timestamp(self, node):
        """Construct as SafeLoader does; a day or month that does not exist gives the text instead."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            text = str(node.value)
            self.bad_dates.append((node.start_mark.line + 1, text, date_problem(text) or "ngày không có thật"))
            return text


DateCheckingLoader.add_constructor("tag:yaml.org,2002:timestamp", DateCheckingLoader.construct_yaml_timestamp)


def read_yaml(text: str) -> tuple[object, list[tuple[int, str, str]]]:
    """Read a hand-edited YAML text; return (its data, the dates in it that do not exist).

    Parameters
    ----------
    text : str
        The YAML text.

    Returns
    -------
    tuple
        The data as PyYAML's safe loader reads it (a date that does not exist left as its text), and each
        such date as (line, value, what is wrong).

    Raises
    ------
    yaml.YAMLError
        When the text is not YAML.
    """
    loader = DateCheckingLoader(text)
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.bad_dates
