"""The font cut (handbook/fontcut.py): HarfBuzz's subsetter keeps the asked characters and
every layout feature that applies to them, the same bytes each time, and a missing file or
face is an OSError naming it (the PDF step turns it into its message)."""

from __future__ import annotations

import io

import pytest

from conftest import require
from handbook import fontcut
from handbook.pdf import CJK_FONT, _fc

TEXT = "党委主体责任ABC123，。“”"


@pytest.fixture(scope="module")
def face() -> tuple[str, int]:
    found = _fc(["fc-match", "--format=%{file}\t%{index}\t%{family}", CJK_FONT]).split("\t")
    require(len(found) == 3 and CJK_FONT in found[2], f"the font {CJK_FONT} (fonts-noto-cjk)")
    require(fontcut.available(), "libharfbuzz-subset")
    return found[0], int(found[1] or 0)


def test_the_cut_holds_the_characters_and_their_features(face):
    from fontTools.ttLib import TTFont

    source, index = face
    data = fontcut.cut(source, index, TEXT)
    assert data == fontcut.cut(source, index, TEXT)  # deterministic: cached PDFs equal fresh ones
    cut = TTFont(io.BytesIO(data))
    whole = TTFont(source, fontNumber=index, lazy=True)
    assert set(cut.getBestCmap()) == {ord(c) for c in TEXT}
    assert len(cut.getGlyphOrder()) < 100 < len(whole.getGlyphOrder())
    # The same features as fontTools' cut with every feature asked for (its recipe before).
    from fontTools import subset

    reference = TTFont(source, fontNumber=index, lazy=True, recalcBBoxes=False)
    subsetter = subset.Subsetter(subset.Options(layout_features=["*"], name_IDs=["*"], notdef_outline=True))
    subsetter.populate(text=TEXT)
    subsetter.subset(reference)
    for table in ("GSUB", "GPOS"):
        tags = {record.FeatureTag for record in cut[table].table.FeatureList.FeatureRecord}
        expected = {record.FeatureTag for record in reference[table].table.FeatureList.FeatureRecord}
        assert tags == expected and tags, table
    assert CJK_FONT in cut["name"].getDebugName(1)


def test_a_missing_file_or_face_is_an_oserror_naming_it(face, tmp_path):
    source, _index = face
    with pytest.raises(OSError, match="nowhere.ttc"):
        fontcut.cut(str(tmp_path / "nowhere.ttc"), 0, TEXT)
    with pytest.raises(OSError, match="no face 99"):
        fontcut.cut(source, 99, TEXT)


def test_without_harfbuzz_the_cut_is_made_by_fonttools_under_another_key(face, monkeypatch, tmp_path):
    """Where libharfbuzz-subset is missing, fontTools cuts the same characters, and the cut
    is named differently, so a PDF cached with one cutter is never taken for the other's."""
    from fontTools.ttLib import TTFont

    from handbook import pdf

    source, index = face
    with_harfbuzz = pdf.cutter()
    monkeypatch.setattr(fontcut, "available", lambda: False)
    assert pdf.cutter().startswith("fontTools") and pdf.cutter() != with_harfbuzz
    cut = pdf.FontCut(400, source, index, TEXT, tmp_path / "cut.otf")
    pdf.make_cut(cut)
    assert set(TTFont(cut.path).getBestCmap()) == {ord(c) for c in TEXT}
