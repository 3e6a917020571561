"""Decoy fonts: matplotlib's DejaVu files renamed "Liberation Sans/Serif", for font-isolation tests.

A machine may have a font whose family name is one the reports ask for but whose metrics differ (another
version, a substitute). Reports must not change on such a machine; these decoys make one.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib
from fontTools.ttLib import TTFont

MPL_FONTS = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
DECOYS = {  # decoy file -> (DejaVu source, family, subfamily)
    "DecoySans-Regular.ttf": ("DejaVuSans.ttf", "Liberation Sans", "Regular"),
    "DecoySans-Bold.ttf": ("DejaVuSans-Bold.ttf", "Liberation Sans", "Bold"),
    "DecoySerif-Regular.ttf": ("DejaVuSerif.ttf", "Liberation Serif", "Regular"),
    "DecoySerif-Bold.ttf": ("DejaVuSerif-Bold.ttf", "Liberation Serif", "Bold"),
    "DecoySerif-Italic.ttf": ("DejaVuSerif-Italic.ttf", "Liberation Serif", "Italic"),
}


def make_decoys(folder: Path) -> list[Path]:
    """Write the decoy fonts into ``folder``: same family names, other metrics, a newer version number."""
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name, (source, family, sub) in DECOYS.items():
        font = TTFont(MPL_FONTS / source)
        table = font["name"]
        full = f"{family} {sub}" if sub != "Regular" else family
        ps = f"Decoy{family.split()[1]}-{sub}"
        for record in list(table.names):
            if record.nameID in (16, 17, 21, 22):  # typographic names would win over ours
                table.removeNames(nameID=record.nameID)
        for name_id, text in ((1, family), (2, sub), (3, ps), (4, full), (6, ps)):
            table.setName(text, name_id, 3, 1, 0x409)
            table.setName(text, name_id, 1, 0, 0)
        font["head"].fontRevision = 99.0  # fontconfig prefers the newer version of equal matches
        path = folder / name
        font.save(path)
        out.append(path)
    return out
