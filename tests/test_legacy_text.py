import random
import unicodedata

import pytest

from cchc_lib.ingest.legacy_text import (
    CP1258,
    HINT,
    LETTERS,
    TCVN3,
    VNI,
    LegacyText,
    detect_bytes,
    detect_text,
    message,
    read_legacy,
)

SENTENCES = ("Ủy ban nhân dân xã Mẫu 02", "Tổng số hồ sơ tiếp nhận", "Đã giải quyết đúng hạn", "Cải cách hành chính")

# Typed from the published tables (xvnkb tcvn.h / vni.h), independently of the module's own construction.
TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ ×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ ïù óú ñủ òũ ôụ \xadư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â §Đ £Ê ¤Ô ¥Ơ ¦Ư"
)
TO_TCVN3 = {pair[1]: pair[0] for pair in TCVN3_PAIRS.split()}
VNI_ROWS = {  # none, sắc, huyền, hỏi, ngã, nặng
    "a á à ả ã ạ": "a aù aø aû aõ aï",
    "â ấ ầ ẩ ẫ ậ": "aâ aá aà aå aã aä",
    "ă ắ ằ ẳ ẵ ặ": "aê aé aè aú aü aë",
    "e é è ẻ ẽ ẹ": "e eù eø eû eõ eï",
    "ê ế ề ể ễ ệ": "eâ eá eà eå eã eä",
    "i í ì ỉ ĩ ị": "i í ì æ ó ò",
    "o ó ò ỏ õ ọ": "o où oø oû oõ oï",
    "ô ố ồ ổ ỗ ộ": "oâ oá oà oå oã oä",
    "ơ ớ ờ ở ỡ ợ": "ô ôù ôø ôû ôõ ôï",
    "u ú ù ủ ũ ụ": "u uù uø uû uõ uï",
    "ư ứ ừ ử ữ ự": "ö öù öø öû öõ öï",
    "y ý ỳ ỷ ỹ ỵ": "y yù yø yû yõ î",
    "đ": "ñ",
}
TO_VNI = {
    letter: code
    for letters, codes in VNI_ROWS.items()
    for letter, code in zip(letters.split(), codes.split(), strict=True)
}
TO_VNI |= {letter.upper(): code.upper() for letter, code in TO_VNI.items()}


def to_tcvn3(text):
    """Capitals without a code are written with the lower-case code, as a capitals font (.VnTimeH) does."""
    return "".join(TO_TCVN3.get(c, TO_TCVN3.get(c.lower(), c)) for c in unicodedata.normalize("NFC", text))


def to_vni(text):
    return "".join(TO_VNI.get(c, c) for c in unicodedata.normalize("NFC", text))


def to_cp1258(text):
    """What Windows writes: a precomposed byte where cp1258 has one, else the letter and a combining tone byte."""
    out = b""
    for c in unicodedata.normalize("NFC", text):
        try:
            out += c.encode("cp1258")
        except UnicodeEncodeError:
            base, tone = unicodedata.normalize("NFD", c), ""
            for mark in "\u0300\u0301\u0303\u0309\u0323":
                if mark in base:
                    base, tone = base.replace(mark, ""), mark
            out += unicodedata.normalize("NFC", base).encode("cp1258") + tone.encode("cp1258")
    return out


def all_letters():
    """The Vietnamese letters with a diacritic, found from the Unicode database alone."""
    tones, mods = set("\u0300\u0301\u0303\u0309\u0323"), {"\u0302": "aeo", "\u0306": "a", "\u031b": "ou"}
    found = {"đ", "Đ"}
    for c in map(chr, range(0xC0, 0x1EFA)):
        base, *marks = unicodedata.normalize("NFD", c)
        mod = [m for m in marks if m in mods]
        if base.lower() in "aeiouy" and set(marks) <= tones | set(mods) and len(marks) - len(mod) <= 1:
            if len(mod) <= 1 and all(base.lower() in mods[m] for m in mod) and marks:
                found.add(c)
    return found


def test_the_134_letters():
    assert len(all_letters()) == 134
    assert LETTERS == all_letters()


def test_vni_round_trips_every_letter():
    assert set(TO_VNI) == LETTERS | set("aeiouyAEIOUY")
    assert {letter: read_legacy(to_vni(letter), VNI) for letter in LETTERS} == {letter: letter for letter in LETTERS}


def test_tcvn3_round_trips_every_letter_capitals_from_a_capitals_font_as_lower_case():
    back = {letter: read_legacy(to_tcvn3(letter), TCVN3) for letter in LETTERS}
    exact = {letter for letter in LETTERS if back[letter] == letter}
    assert len(exact) == 74 and exact >= {c for c in LETTERS if c.islower()} | set("ĂÂĐÊÔƠƯ")
    assert {back[letter] for letter in LETTERS - exact} == {letter.lower() for letter in LETTERS - exact}
    assert len(LETTERS - exact) == 60


def test_tcvn3_capitals_font_words_read_in_capitals():
    assert to_tcvn3("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == "CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM"
    assert read_legacy("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", TCVN3) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert read_legacy("UBND X· MÉu 02", TCVN3) == "UBND Xã Mẫu 02"


def csv_of(rows, encode):
    data = b"STT,Noi dung,So luong\r\n" + b"".join(encode(f"{i},{row},{i * 10}\r\n") for i, row in enumerate(rows, 1))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    return data


def test_tcvn3_bytes():
    rows = ("Uỷ ban nhân dân xã Mẫu 02", *SENTENCES[1:], "ĐĂNG KÝ, ƯU TIÊN")
    found = detect_bytes(csv_of(rows, lambda s: to_tcvn3(s).encode("cp1252")))
    assert found == LegacyText(TCVN3, "Uû ban nh©n d©n x· MÉu 02", "Uỷ ban nhân dân xã Mẫu 02", 2)
    # "Ký" (K, ý's code): one capital, next to no word with lower-case codes among capitals, so it stays as typed.
    assert read_legacy(to_tcvn3(" | ".join(rows)), TCVN3) == " | ".join(rows).replace("KÝ", "Ký")


def test_vni_bytes():
    data = csv_of(("Danh sách", *SENTENCES, "ỦY BAN NHÂN DÂN TỈNH"), lambda s: to_vni(s).encode("cp1252"))
    assert detect_bytes(data) == LegacyText(VNI, "Danh saùch", "Danh sách", 2)
    data = b"\n\n" + to_vni("Ủy ban nhân dân; CẢI CÁCH HÀNH CHÍNH").encode("cp1252")
    assert detect_bytes(data) == LegacyText(VNI, "UÛy ban nhaân daân", "Ủy ban nhân dân", 3)


def test_cp1258_bytes():
    data = csv_of((*SENTENCES, "CẢI CÁCH HÀNH CHÍNH"), to_cp1258)
    found = detect_bytes(data)
    assert found == LegacyText(CP1258, "UÒy ban nhân dân xaÞ MâÞu 02", "Ủy ban nhân dân xã Mẫu 02", 2)
    assert detect_bytes(b"1;" + to_cp1258("ĐÃ GIẢI QUYẾT ĐÚNG HẠN")).reading == "ĐÃ GIẢI QUYẾT ĐÚNG HẠN"


def test_a_long_line_gives_a_short_excerpt():
    text = "Báo cáo tổng hợp kết quả thực hiện công tác cải cách hành chính năm 2021"
    found = detect_bytes(b"x\n" + to_cp1258(text))
    assert found.line == 2 and len(found.sample) <= 40 and found.reading == "Báo cáo tổng hợp kết quả thực"
    found = detect_bytes(b"Ma so: HS-000123-2021, ghi chu: " + to_vni(text).encode("cp1252"))
    assert found.reading == "ghi chu: Báo cáo tổng hợp kết" and found.sample.startswith("ghi chu: Baùo caùo toång")
    found = detect_text("Noi dung bao cao: " + to_tcvn3("Tổng số hồ sơ tiếp nhận trong kỳ báo cáo"))
    assert (found.sample, found.reading) == (
        "bao cao: Tæng sè hå s¬ tiÕp nhËn trong",
        "bao cao: Tổng số hồ sơ tiếp nhận trong",
    )


@pytest.mark.parametrize(
    ("text", "encoding", "reading"),
    [
        ("Uû ban nh©n d©n", TCVN3, "Uỷ ban nhân dân"),
        ("ViÖt Nam", TCVN3, "Việt Nam"),
        ("X· MÉu 02", TCVN3, "Xã Mẫu 02"),
        (to_tcvn3("Tổng số hồ sơ tiếp nhận"), TCVN3, "Tổng số hồ sơ tiếp nhận"),
        ("Xin chaøo caùc baïn", VNI, "Xin chào các bạn"),
        ("UÛy ban nhaân daân", VNI, "Ủy ban nhân dân"),
        (to_vni("Đã giải quyết đúng hạn"), VNI, "Đã giải quyết đúng hạn"),
        (to_vni("CẢI CÁCH HÀNH CHÍNH"), VNI, "CẢI CÁCH HÀNH CHÍNH"),
    ],
)
def test_legacy_cell_text(text, encoding, reading):
    assert detect_text(text) == LegacyText(encoding, text, reading, None)


def test_a_cell_on_several_lines_is_excerpted_on_the_first_legacy_line():
    assert detect_text("Noi dung:\nBa Mai\nTæng sè hå s¬") == LegacyText(TCVN3, "Tæng sè hå s¬", "Tổng số hồ sơ", None)


@pytest.mark.parametrize(
    "text",
    [
        *SENTENCES,
        *(unicodedata.normalize("NFD", s) for s in SENTENCES),
        "UBND xa Mau 02",
        "1234",
        "22.296",
        "99,16%",
        "",
        "Café Müller",
        "Straße",
        "À la carte, élève, déjà vu, où est la fête?",
        "Preis: 25 € – Summe 100 €",
        "Tây Ninh",
        "Cà Mau",
        "Giá 25 €",
        "Cà phê ©",
        "Microsoft® Office",
        "5 µm",
        "ViÖt Nam – Hà Nội",  # ộ is beyond cp1252: never legacy
        "Uû ban nh©n d©n ạ",
    ],
)
def test_no_false_positive_on_text(text):
    assert detect_text(text) is None


@pytest.mark.parametrize(
    "data",
    [
        "Café Müller; Straße; à la carte, élève, déjà vu\n".encode("latin-1") * 3,
        "Preis: 25 € – Summe 100 € (ca. 3 ‰)\n".encode("cp1252"),
        random.Random(0).randbytes(4096),
        bytes(range(256)) * 4,
    ],
)
def test_no_false_positive_on_bytes(data):
    assert detect_bytes(data) is None


def test_message_and_hint():
    found = detect_text("Uû ban nh©n d©n")
    assert message(found) == 'Văn bản có vẻ gõ bằng bảng mã TCVN3 (ABC): "Uû ban nh©n d©n" đọc là "Uỷ ban nhân dân".'
    found = LegacyText(VNI, "Xin chaøo", "Xin chào", 4)
    assert message(found) == 'Tệp có vẻ lưu (dòng 4) bằng bảng mã VNI-Windows: "Xin chaøo" đọc là "Xin chào".'
    assert "Ctrl+Shift+F6" in HINT and "CSV UTF-8" in HINT and "Unicode" in HINT
    assert HINT == unicodedata.normalize("NFC", HINT)
