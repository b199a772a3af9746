"""Words the site search must keep whole: a jieba user dictionary made from the data.

Material's search plugin cuts the pages' Chinese text into words with jieba at build time,
and the browser can only find whole index words (or their beginnings). jieba's own
dictionary does not know the field's terms, so 三重一大 is indexed as 三重 + 一大 and a
reader's 三重一大 matches neither as typed. The glossary terms (and their variants) and
the roles' names are words readers type; an editor adding a glossary term gets it in
search with data only.
"""

from __future__ import annotations

import re

from .model import Handbook

# Frequency given to each word: well above ordinary words (jieba's dictionary counts
# most in the hundreds or thousands), so a term is cut whole even next to words that
# could take one of its characters.
FREQUENCY = 100_000
HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")


def user_words(book: Handbook) -> list[str]:
    """The glossary's terms and variants, the roles' short names and aliases (the spellings
    the sources use), as runs of two or more Han characters (jieba never joins across
    punctuation), each once. Role labels stay out: a long label such as 领导班子其他成员
    kept whole could no longer be found by its parts (其他成员)."""
    phrases = [t for term in book.terms.values() for t in (term.term, *term.variants)]
    phrases += [name for role in book.roles.values() for name in (role.short, *role.aliases)]
    words: dict[str, None] = {}
    for phrase in phrases:
        words.update(dict.fromkeys(HAN_RUN.findall(phrase)))
    return list(words)


def user_dictionary(book: Handbook) -> str:
    """jieba's user dictionary format: one ``word frequency`` a line."""
    return "".join(f"{word} {FREQUENCY}\n" for word in user_words(book))
