"""The verifier finds a name as a whole phrase with str.find, as the word-boundary pattern would."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from storylens.storify.verify import _contains_phrase, _number_list, _numbers_of

_ALPHABET = st.sampled_from(list("ab _-.'é1²٣\n") + ["ab", "a b"])


def _pattern_says(haystack: str, phrase: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)", haystack) is not None


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=12).map("".join), st.lists(_ALPHABET, max_size=4).map("".join))
def test_find_agrees_with_the_word_boundary_pattern(haystack: str, phrase: str) -> None:
    assert _contains_phrase(haystack, phrase) == _pattern_says(haystack, phrase)


def test_a_phrase_inside_a_longer_word_is_not_found_but_a_later_whole_one_is() -> None:
    assert not _contains_phrase("the minister_of ministers", "minister")
    assert _contains_phrase("ministers and the minister.", "minister")
    assert not _contains_phrase("café2 cafés", "caf")


def test_number_lists_are_fresh_lists_with_repeats() -> None:
    first = _number_list("Two boats and 2 ferries carried 1,200 people on 3,4 March.")
    assert first == ["2", "1200", "3", "4", "2"]
    first.append("99")  # the caller's list is its own: the cached numbers do not change
    assert _number_list("Two boats and 2 ferries carried 1,200 people on 3,4 March.") == ["2", "1200", "3", "4", "2"]
    assert _numbers_of.cache_info().hits >= 1


def test_negation_counts_are_fresh_dicts() -> None:
    from storylens.storify.verify import _negation_counts

    counts = _negation_counts("The port did not open and can't open, officials said, not yet.")
    assert counts == {"not": 3}
    counts["never"] = 1  # the caller's dict is its own
    assert _negation_counts("The port did not open and can't open, officials said, not yet.") == {"not": 3}
