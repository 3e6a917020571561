"""A YAML loader for files people edit by hand: the line of every key, and every key given twice."""

from __future__ import annotations

import yaml


class KeyLinesLoader(yaml.SafeLoader):
    """Safe loader that records duplicate keys (PyYAML keeps the last silently) and the line of each key."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []  # (key path, first line, repeated line)
        self.lines: dict[str, int] = {}  # "CODE" or "CODE.field" -> 1-based line
        self._paths: dict[int, str] = {}  # id(mapping node) -> key path of that mapping

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
