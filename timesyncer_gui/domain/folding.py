"""How names and addresses compare when searched and sorted: without case or accents.

A receptionist types "jose" for "José" and "muller" for "Müller", and looks for "Émile" among
the E's. Text is decomposed (NFKD), case-folded and stripped of the combining accents of the
Latin, Greek and Cyrillic alphabets, so both sides of a search compare alike. Only that block of
marks goes: the vowel signs of Indic scripts are letters to their readers, and letters that are
not a base letter plus an accent (ø, ł, æ) stay themselves. Written with the standard library,
as the libraries that go further transliterate every script into ASCII.
"""

from __future__ import annotations

# Unicode's "Combining Diacritical Marks" block: the accents NFKD splits off Latin letters.
_ACCENTS = dict.fromkeys(range(0x0300, 0x0370))


def fold(text: str) -> str:
    """``text`` as search and sort compare it: "Émile Müller" -> "emile muller"."""
    if text.isascii():  # most names and almost every address: the quick way
        return text.lower()
    import unicodedata  # a library of its own to load, which start-up never needs

    # Decomposed first, so a letter's compatibility form folds too ("ℌ" -> "h"); accents are
    # dropped last, as case folding can leave one ("İ" -> "i" and a dot above).
    return unicodedata.normalize("NFKD", text).casefold().translate(_ACCENTS)
