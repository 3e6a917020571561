"""Vietnamese text in a legacy encoding (TCVN3/ABC, VNI-Windows, Windows-1258), in raw bytes or in Unicode text.

Each possible reading is scored word by word: a well-formed Vietnamese syllable earns 1 point and 1 more per
letter with a diacritic (the 134 letters); a word with a non-ASCII character that is not a syllable loses 4
(foreign letters, symbols inside a word, leftover combining marks, mixed case); an acronym (HĐND) or other ASCII
word counts 0; a control character loses 4, a stray symbol 1. The best reading (ties: Windows-1258, VNI, TCVN3)
is reported when it earns at least 3 points, 4 more than the text as Windows shows it (cp1252), and holds a
syllable with a diacritic.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

TCVN3 = "TCVN3 (ABC)"
VNI = "VNI-Windows"
CP1258 = "Windows-1258"

HINT = (
    "Cách sửa: chép phần chữ bị lỗi (Ctrl+C), mở Công cụ chuyển mã của Unikey (Ctrl+Shift+F6), chọn bảng mã "
    "Nguồn là bảng mã nêu trên (TCVN3 (ABC), VNI Windows hoặc Vietnamese locale CP 1258) và bảng mã Đích là "
    "Unicode, bấm Chuyển mã rồi dán lại (Ctrl+V); sau đó lưu tệp dưới dạng CSV UTF-8 (Excel: Lưu Như → "
    "CSV UTF-8) hoặc giữ sổ tính ở Unicode."
)


@dataclass(frozen=True)
class LegacyText:
    """Text that reads as Vietnamese in a legacy encoding."""

    encoding: str  # TCVN3, VNI or CP1258
    sample: str  # a short excerpt (at most 40 characters) as it appears
    reading: str  # the same excerpt converted to Unicode (NFC)
    line: int | None  # 1-based line of the excerpt in a file, None for a cell


# The five tones, in the order of every series below: sắc, huyền, hỏi, ngã, nặng.
_TONES = "\u0301\u0300\u0309\u0303\u0323"
_MARKS = {"": "aeiouy", "\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}  # none, circumflex, breve, horn: vowels

# Every lower-case vowel with a diacritic -> (base, modifier, tone).
_VOWELS = {
    unicodedata.normalize("NFC", base + mark + tone): (base, mark, tone)
    for mark, bases in _MARKS.items()
    for base in bases
    for tone in ("", *_TONES)
    if mark or tone
}
_LOWER = "".join(_VOWELS) + "đ"
LETTERS = frozenset(_LOWER + _LOWER.upper())  # the 134 Vietnamese letters with a diacritic

# VNI-Windows: a base letter and a modifier character, the modifier's series in the order of _TONES;
# capitals are the same characters upper-cased.
_VNI_SERIES = {"": "ùøûõï", "\u0302": "áàåãä", "\u0306": "éèúüë", "\u031b": "ùøûõï"}
_VNI_UNTONED = {"\u0302": "â", "\u0306": "ê"}
_VNI_HORN = {"o": "ô", "u": "ö"}  # ơ and ư are one character
_VNI_I = "íìæóò"  # i with a tone is one character
_VNI_OWN = {"đ": "ñ", "ỵ": "î"}


def _vni_code(letter: str, base: str, mark: str, tone: str) -> str:
    """The VNI-Windows characters of one lower-case letter."""
    if letter in _VNI_OWN:
        return _VNI_OWN[letter]
    if base == "i":
        return _VNI_I[_TONES.index(tone)]
    head = _VNI_HORN[base] if mark == "\u031b" else base
    return head + (_VNI_SERIES[mark][_TONES.index(tone)] if tone else _VNI_UNTONED.get(mark, ""))


_VNI_LOWER = {_vni_code(letter, *parts): letter for letter, parts in (_VOWELS | {"đ": ("d", "", "")}).items()}
_VNI_TABLE = _VNI_LOWER | {code.upper(): letter.upper() for code, letter in _VNI_LOWER.items()}
_VNI_CODE = re.compile("|".join(map(re.escape, sorted(_VNI_TABLE, key=len, reverse=True))))

# TCVN3 (ABC): one byte per lower-case letter and 7 capitals; other capitals use a capitals font (.VnTimeH).
_TCVN3_CODES = "µ¸¶·¹ ¨»¾¼½Æ ©ÇÊÈÉË ÌÐÎÏÑ ªÒÕÓÔÖ ×ÝØÜÞ ßãáâä «åèæçé ¬êíëìî ïóñòô \xadõøö÷ù úýûüþ ®¡¢§£¤¥¦"
_TCVN3_LETTERS = "àáảãạ ăằắẳẵặ âầấẩẫậ èéẻẽẹ êềếểễệ ìíỉĩị òóỏõọ ôồốổỗộ ơờớởỡợ ùúủũụ ưừứửữự ỳýỷỹỵ đĂÂĐÊÔƠƯ"
_TCVN3_TABLE = dict(zip(_TCVN3_CODES.replace(" ", ""), _TCVN3_LETTERS.replace(" ", ""), strict=True))

# Text is handled as "raw", one character per byte (Latin-1); _VIEW shows it as Windows does, _RAW goes back.
_VIEW = {byte: bytes([byte]).decode("cp1252", "ignore") or chr(byte) for byte in range(0x80, 0xA0)}
_RAW = {ord(char): chr(byte) for byte, char in _VIEW.items()}
_TCVN3_VIEW = _VIEW | {ord(code): letter for code, letter in _TCVN3_TABLE.items()}
_NOT_CP1252 = re.compile("[^\\x00-\\xff" + re.escape("".join(_VIEW.values())) + "]")


# Raw text read in each encoding (Windows-1258: a character beyond one byte becomes "?").
_READERS: dict[str, Callable[[str], str]] = {
    CP1258: lambda raw: raw.encode("latin-1", errors="replace").decode("cp1258", errors="replace"),
    VNI: lambda raw: _VNI_CODE.sub(lambda m: _VNI_TABLE[m.group()], raw.translate(_VIEW)),
    TCVN3: lambda raw: _tcvn3_case(raw.translate(_TCVN3_VIEW)),
}
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def _caps_kind(word: str) -> int:
    """2 when a word is capitals with lower-case TCVN3 codes in it, 1 when it may be, else 0."""
    if word.isascii() or any("a" <= c <= "z" for c in word) or not any(c.islower() for c in word):
        return 0
    return min(2, sum(c.isupper() for c in word))


def _tcvn3_case(text: str) -> str:
    """Upper-case the words typed in a capitals font ("CéNG HßA" -> "CỘNG HÒA"); a one-capital word follows them."""
    words = list(_LETTER_RUN.finditer(text))
    kinds = [_caps_kind(m.group()) for m in words]
    if 2 not in kinds:
        return text
    out, last = [], 0
    for i, m in enumerate(words):
        caps = kinds[i] == 2 or (kinds[i] == 1 and 2 in kinds[max(i - 1, 0) : i + 2])
        out += [text[last : m.start()], m.group().upper() if caps else m.group()]
        last = m.end()
    return "".join(out) + text[last:]


def read_legacy(text: str, encoding: str) -> str:
    """Convert text typed with a legacy font (as Windows shows it) to Unicode.

    Parameters
    ----------
    text : str
        The text as it appears, e.g. ``"nh©n d©n"``.
    encoding : str
        ``TCVN3``, ``VNI`` or ``CP1258`` (their display names).

    Returns
    -------
    str
        The Unicode reading (NFC).

    >>> read_legacy("Uû ban nh©n d©n", TCVN3), read_legacy("Xin chaøo", VNI)
    ('Uỷ ban nhân dân', 'Xin chào')
    """
    return unicodedata.normalize("NFC", _READERS[encoding](text.translate(_RAW)))


# Vietnamese syllables (tone removed, lower case): onset, then an open rhyme or a vowel group and a coda.
_ONSETS = "ngh ng nh ch gh gi kh ph th tr qu b c d đ g h k l m n p r s t v x"
_OPEN = "iêu yêu oai oao oay oeo uây uôi ươi ươu uya uyu ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu"
_CLOSABLE = "uyê iê yê oă oe oo uâ uô ươ ă â e o ô ơ u ư"
_BEFORE_CH = "oa uê uy a ê i y"  # the vowels that take -ch and -nh
_CODAS = "ng c k m n p t"


def _any(words: str) -> str:
    """A regex alternation of the space-separated ``words``, longest first."""
    return "|".join(sorted(words.split(), key=len, reverse=True))


_RHYME = f"{_any(_OPEN)}|(?:{_any(_CLOSABLE)})(?:{_any(_CODAS)})?|(?:{_any(_BEFORE_CH)})(?:ch|nh|{_any(_CODAS)})?"
_SYLLABLE = re.compile(f"(?:{_any(_ONSETS)})?(?:{_RHYME})")
_SPELLING = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") | LETTERS
_VOWEL = frozenset("aeiouy").union(_VOWELS)
_MODIFIED = frozenset(letter for letter, (_, mark, _) in _VOWELS.items() if mark)  # ă â ê ô ơ ư with a tone
_UNTONE = str.maketrans({v: unicodedata.normalize("NFC", b + m) for v, (b, m, t) in _VOWELS.items() if t})
_NEUTRAL = "\u00a0“”‘’‚„–—…•°€₫«»§"
_CONTROL = re.compile("[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\ufffd]")
_WORD = re.compile("[^\\s!-@\\[-`{-~\\x00-\\x1f\\x7f-\\x9f\ufffd" + re.escape(_NEUTRAL) + "]+")


def _word_points(word: str) -> int:
    """The points of one word (see the module docstring)."""
    lower = word.lower()
    if word.isupper() and not any(c in _VOWEL for c in lower):
        return 0
    bare = lower.translate(_UNTONE)
    toned = [c for c, b in zip(lower, bare, strict=True) if c != b]
    if (
        all(c in _SPELLING for c in word)
        and (word.islower() or word.isupper() or word.istitle())
        and len(toned) <= 1
        and (not toned or toned[0] in _MODIFIED or not any(c in _MODIFIED for c in lower))  # tone on â, ơ ...
        and _SYLLABLE.fullmatch(bare)
    ):
        return 1 + sum(c in LETTERS for c in word)
    return 0 if word.isascii() else -4


def _score(text: str) -> tuple[int, int]:
    """(points, Vietnamese syllables) of one reading, as described in the module docstring."""
    text = unicodedata.normalize("NFC", text)
    points, syllables = -4 * len(_CONTROL.findall(text)), 0
    for word in _WORD.findall(text):
        if not any(c.isalpha() for c in word):
            points -= len(word)
            continue
        word_points = _word_points(word)
        points, syllables = points + word_points, syllables + (word_points > 1)
    return points, syllables


def _best(raw: str, encodings: tuple[str, ...]) -> str | None:
    """The encoding whose reading of ``raw`` is clearly more Vietnamese than cp1252, or None."""
    base, _ = _score(raw.translate(_VIEW))
    scores = {encoding: _score(_READERS[encoding](raw)) for encoding in encodings}
    encoding = max(scores, key=lambda e: scores[e][0])
    points, syllables = scores[encoding]
    return encoding if syllables and points >= 3 and points >= base + 4 else None


def _excerpt(line: str, pos: int) -> str:
    """At most 40 characters of ``line`` from a word start shortly before ``pos``, cut at a space if possible."""
    start = 0
    if pos > 12:
        space = line.rfind(" ", max(pos - 24, 0), pos - 8)
        start = space + 1 if space >= 0 else pos - 12
    text = line[start : start + 40]
    cut = text.rfind(" ", pos - start + 1)
    if start + 40 < len(line) and cut > 0:
        text = text[:cut]
    return text.strip(' "')


def _found(encoding: str, raw_line: str, line: int | None, stops: str) -> LegacyText:
    """The excerpt of ``raw_line`` around its first non-ASCII character (within its field), shown and read."""
    pos = next(i for i, c in enumerate(raw_line) if c >= "\x80")
    begin = max(raw_line.rfind(stop, 0, pos) for stop in stops) + 1
    end = min((i for stop in stops if (i := raw_line.find(stop, pos)) >= 0), default=len(raw_line))
    raw = _excerpt(raw_line[begin:end], pos - begin)
    reading = unicodedata.normalize("NFC", _READERS[encoding](raw))
    return LegacyText(encoding, raw.translate(_VIEW), reading, line)


_HIGH = re.compile(rb"[\x80-\xff]")


def detect_bytes(data: bytes) -> LegacyText | None:
    """Find the legacy encoding of bytes that are not valid UTF-8.

    The first lines holding a non-ASCII byte (some 20,000 characters) are read as Windows-1258, VNI-Windows
    and TCVN3.

    Parameters
    ----------
    data : bytes
        The file's content.

    Returns
    -------
    LegacyText or None
        The most plausible encoding, with the CSV field around the first non-ASCII byte and its line,
        or None when no reading looks Vietnamese (random binary, Latin-1 French, ...).
    """
    lines, first, pos, size = [], 0, 0, 0
    while size < 20_000 and (m := _HIGH.search(data, pos)):
        begin = max(data.rfind(b"\n", 0, m.start()) + 1, m.start() - 500)
        end = data.find(b"\n", m.start())
        end = len(data) if end < 0 else end
        first = first or data.count(b"\n", 0, m.start()) + 1
        lines.append(data[begin : min(end, m.start() + 1500)].rstrip(b"\r").decode("latin-1"))
        pos, size = end + 1, size + len(lines[-1])
    encoding = _best("\n".join(lines), (CP1258, VNI, TCVN3)) if lines else None
    return None if encoding is None else _found(encoding, lines[0], first, ",;\t")


def detect_text(text: str) -> LegacyText | None:
    """Find Unicode text (a cell, a field) typed with a TCVN3 or VNI font.

    Parameters
    ----------
    text : str
        The text as read.

    Returns
    -------
    LegacyText or None
        The encoding, an excerpt and its Unicode reading (``line`` None); None for plain ASCII, for
        plausible Unicode Vietnamese and for any text holding a character beyond cp1252 (ạ ơ ư đ ă ...).

    >>> detect_text("ViÖt Nam").reading
    'Việt Nam'
    """
    if text.isascii() or _NOT_CP1252.search(text):
        return None
    raw = text.translate(_RAW)
    encoding = _best(raw, (VNI, TCVN3))
    return None if encoding is None else _found(encoding, raw, None, "\n")


def message(found: LegacyText) -> str:
    """Explain ``found`` in Vietnamese.

    Parameters
    ----------
    found : LegacyText
        What :func:`detect_bytes` or :func:`detect_text` found.

    Returns
    -------
    str
        E.g. ``Văn bản có vẻ gõ bằng bảng mã TCVN3 (ABC): "ViÖt Nam" đọc là "Việt Nam".``
    """
    where = "Văn bản có vẻ gõ" if found.line is None else f"Tệp có vẻ lưu (dòng {found.line})"
    return f'{where} bằng bảng mã {found.encoding}: "{found.sample}" đọc là "{found.reading}".'
