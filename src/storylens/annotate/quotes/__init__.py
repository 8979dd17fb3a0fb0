"""Direct and reported quotes with speaker and cue (see issue 5).

Two passes over one annotated document:

1. **Direct quotes** are found on the characters: double marks paired within a
   paragraph, a paragraph that ends inside a quotation continued by the next
   paragraph when that one opens with a mark (the newspaper convention for
   multi-paragraph quotes), single marks (U+2018/U+2019 pairs become ASCII
   ``'`` in ``Document.text``) paired only where the shape says "quotation",
   never "apostrophe". Nested quotations stay inside their outer quote. An
   unclosed mark ends at its paragraph, so it never swallows the document.
   A quotation of one to three words with no speech verb right beside it is a
   scare quote and is dropped.
2. **Reported speech** comes from the dependency parse: a speech verb ("say",
   "tell", "warn", "accuse", ...) outside quotation marks with a clausal
   complement ("X said (that) ..."), "accused Y of ...", "warned of ...",
   "according to X, ...". ``direct`` is false and the span is the content; it starts at
   the cue when the content cannot stand alone as what the speaker said: a denial or a
   negated cue ("denied that ...", "did not confirm ..."), a noun of saying ("allegations
   that ..."), or content that is no clause of its own ("urged residents to leave", "called
   on X to withdraw", "described the deal as a threat"). "Described the summit" with no
   "as" says nothing and is no quote; neither is an ellipsis ("..., but X said they had").

Speakers are the subject of the cue verb (or the object of "according to";
the possessor of "statement"; the pronoun-free object before a gerund, "despite X
denying ..."), reduced to a named PERSON/ORG mention when the phrase holds one;
coordinated names ("Valdoria and Ostmark have both denied ...") are one joint speaker
whose span covers them all. A pronoun goes to the nearest preceding compatible named
mention (he/she: a person; it/they: an organisation); a role noun ("the
spokesman", "state media") goes to the nearest preceding named mention whose
own words or context carry that role, else it stays as text with no entity.
When a quote's speaker is resolved, ``speaker_span`` is the named mention it
resolves to (so the cross-document index can give its canonical entity) and
``speaker_text`` is that mention's text; the surface words ("he", "the
spokesman") are kept on the internal :class:`Attribution` records that the
PolNeAR benchmark scores.
"""

from __future__ import annotations

from storylens.annotate.quotes.attribution import extract_attributions, extract_quotes
from storylens.annotate.quotes.cues import SPEECH_CUES, Attribution, QuoteRegion, quote_id
from storylens.annotate.quotes.regions import find_quote_regions

__all__ = [
    "Attribution",
    "QuoteRegion",
    "SPEECH_CUES",
    "extract_attributions",
    "extract_quotes",
    "find_quote_regions",
    "quote_id",
]
