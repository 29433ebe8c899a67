"""The vectorised language comparison of a ranking gives the loop's answer."""

from __future__ import annotations

import numpy as np

from app.matching.matcher import _language_codes


def test_language_codes_give_the_rows_written_in_another_known_language() -> None:
    languages = ("fr", "", "en", "rw", "fr", "", "en")
    for need_language in ("en", "fr", "de"):
        codes, vocab = _language_codes(languages)
        cross = (codes != vocab.get("", -1)) & (codes != vocab.get(need_language, -1))
        expected = [bool(lang) and lang != need_language for lang in languages]
        assert cross.tolist() == expected
    # The cache follows the tuple it was given, not an equal-length other one.
    other = ("en",) * len(languages)
    codes, vocab = _language_codes(other)
    assert np.all(codes == vocab["en"])
