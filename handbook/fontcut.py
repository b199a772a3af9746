"""Cut one face of an installed font down to a set of characters, with HarfBuzz's subsetter.

WeasyPrint already loads libharfbuzz-subset to subset each PDF's fonts; the handbook uses
it once more, before the PDFs, to cut the 65 535-glyph CJK face to the characters the PDFs
and sources use (see handbook/pdf.py). It does in 0.02 s what fontTools' subsetter did in
1 s per weight, and the pages it prints are the same: rendered at 110 dpi, a booklet, a
card and both quiz editions gave byte-identical PNGs and the same extracted text.

Every layout feature and name record stays, so text shapes as with the whole font, and
``.notdef`` keeps its outline. Where the library is missing (it is optional for
WeasyPrint), ``available()`` is False and the caller cuts with fontTools instead.
"""

from __future__ import annotations

from functools import cache
from typing import Any

_DECLARATIONS = """
typedef struct hb_blob_t hb_blob_t;
typedef struct hb_face_t hb_face_t;
typedef struct hb_set_t hb_set_t;
typedef struct hb_subset_input_t hb_subset_input_t;
const char *hb_version_string(void);
hb_blob_t *hb_blob_create_from_file_or_fail(const char *file_name);
void hb_blob_destroy(hb_blob_t *blob);
const char *hb_blob_get_data(hb_blob_t *blob, unsigned int *length);
hb_face_t *hb_face_create(hb_blob_t *blob, unsigned int index);
void hb_face_destroy(hb_face_t *face);
hb_blob_t *hb_face_reference_blob(hb_face_t *face);
unsigned int hb_face_get_glyph_count(const hb_face_t *face);
void hb_set_add(hb_set_t *set, uint32_t codepoint);
void hb_set_clear(hb_set_t *set);
void hb_set_invert(hb_set_t *set);
hb_subset_input_t *hb_subset_input_create_or_fail(void);
void hb_subset_input_destroy(hb_subset_input_t *input);
hb_set_t *hb_subset_input_set(hb_subset_input_t *input, int set_type);
void hb_subset_input_set_flags(hb_subset_input_t *input, unsigned int value);
hb_face_t *hb_subset_or_fail(hb_face_t *source, const hb_subset_input_t *input);
"""
# From hb-subset.h (hb_subset_sets_t, hb_subset_flags_t).
_SETS_UNICODE, _SETS_NAME_ID, _SETS_LAYOUT_FEATURE_TAG = 1, 4, 6
_FLAGS_NOTDEF_OUTLINE = 0x40


@cache
def _libraries() -> tuple[Any, Any, Any] | None:
    """(ffi, libharfbuzz, libharfbuzz-subset), or None where either cannot be loaded."""
    try:
        import cffi

        ffi = cffi.FFI()
        ffi.cdef(_DECLARATIONS)
        hb, subset = ffi.dlopen("libharfbuzz.so.0"), ffi.dlopen("libharfbuzz-subset.so.0")
        # cffi finds a function when it is first used: look up now the newest ones (HarfBuzz
        # 2.8.2 and 2.9), so that an older library counts as missing instead of failing a cut.
        for library, name in (
            (hb, "hb_blob_create_from_file_or_fail"),
            (subset, "hb_subset_input_set"),
            (subset, "hb_subset_or_fail"),
        ):
            getattr(library, name)  # AttributeError where the library lacks it
        return ffi, hb, subset
    except (ImportError, OSError, AttributeError):
        return None


def available() -> bool:
    return _libraries() is not None


def version() -> str:
    """HarfBuzz's version: part of a cut's cache key (another version may cut other bytes)."""
    libraries = _libraries()
    if libraries is None:
        return ""
    ffi, hb, _subset = libraries
    return str(ffi.string(hb.hb_version_string()).decode())


def cut(source: str, index: int, text: str) -> bytes:
    """The face ``index`` of the font file ``source``, cut to the characters of ``text``."""
    libraries = _libraries()
    if libraries is None:
        raise OSError("libharfbuzz-subset is not installed")
    ffi, hb, subset = libraries
    blob = hb.hb_blob_create_from_file_or_fail(source.encode())
    if blob == ffi.NULL:
        raise OSError(f"cannot read the font file {source}")
    face = hb.hb_face_create(blob, index)
    request = subset.hb_subset_input_create_or_fail()
    result = out = ffi.NULL
    try:
        if hb.hb_face_get_glyph_count(face) == 0 or request == ffi.NULL:
            raise OSError(f"no face {index} in the font file {source}")
        characters = subset.hb_subset_input_set(request, _SETS_UNICODE)
        for char in sorted(set(text)):
            hb.hb_set_add(characters, ord(char))
        for kind in (_SETS_NAME_ID, _SETS_LAYOUT_FEATURE_TAG):  # all of them: an empty set inverted
            kept = subset.hb_subset_input_set(request, kind)
            hb.hb_set_clear(kept)
            hb.hb_set_invert(kept)
        subset.hb_subset_input_set_flags(request, _FLAGS_NOTDEF_OUTLINE)
        result = subset.hb_subset_or_fail(face, request)
        if result == ffi.NULL:
            raise OSError(f"HarfBuzz could not cut face {index} of {source}")
        out = hb.hb_face_reference_blob(result)
        length = ffi.new("unsigned int *")
        data = hb.hb_blob_get_data(out, length)
        return bytes(ffi.buffer(data, length[0]))
    finally:
        if out != ffi.NULL:
            hb.hb_blob_destroy(out)
        if result != ffi.NULL:
            hb.hb_face_destroy(result)
        if request != ffi.NULL:
            subset.hb_subset_input_destroy(request)
        hb.hb_face_destroy(face)
        hb.hb_blob_destroy(blob)
