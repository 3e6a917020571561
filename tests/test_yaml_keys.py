import pytest
import yaml

from cchc_lib.ingest.yaml_keys import MAX_ALIASES, KeyLinesLoader, TooManyAliases


def load(text):
    loader = KeyLinesLoader(text)
    try:
        return loader.get_single_data(), loader
    finally:
        loader.dispose()


def test_lines_and_keys_given_twice():
    data, loader = load("A:\n  threshold: 95\nB:\n  threshold: 90\n  threshold: 80\n")
    assert data == {"A": {"threshold": 95}, "B": {"threshold": 80}}
    assert loader.lines == {"A": 1, "A.threshold": 2, "B": 3, "B.threshold": 4}
    assert loader.duplicates == [("B.threshold", 4, 5)]


def test_a_few_aliases_are_fine():
    data, _ = load("base: &b {threshold: 95}\n" + "".join(f"K{i}: *b\n" for i in range(MAX_ALIASES)))
    assert data["K0"] == {"threshold": 95} and len(data) == MAX_ALIASES + 1


def test_billion_laughs_is_refused_before_it_expands():
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    with pytest.raises(TooManyAliases) as err:
        load(text)
    assert isinstance(err.value, yaml.YAMLError)
    assert f"more than {MAX_ALIASES} aliases" in str(err.value) and "line 4, column 14" in str(err.value)  # the 21st alias
