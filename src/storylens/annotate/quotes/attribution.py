"""Attributions: direct quotes with their cue and speaker, and reported speech from the parse."""

from __future__ import annotations

import re
from typing import Any

from storylens.annotate import ParsedDoc
from storylens.annotate.quotes.cues import (
    _ACCUSE,
    _ADDRESS_CUES,
    _CUE_PREPS,
    _DOBJ_CUES,
    _DOBJ_SPEECH,
    _NEAR,
    _ORG_ROLES,
    _PERSON_ROLES,
    _PREP_CUES,
    _SAY_LIKE,
    _SHARE_WORDS,
    _SPEAKER_NOUNS,
    _SPEECH_EVAL,
    _STATEMENT_NOUNS,
    _XCOMP_CUES,
    EVAL_CUES,
    INTENT_CUES,
    SCARE_WORDS,
    SPEECH_CUES,
    Attribution,
    QuoteRegion,
    quote_id,
)
from storylens.annotate.quotes.regions import (
    _paragraphs,
    _word_count,
    find_quote_regions,
)
from storylens.annotate.quotes.speakers import (
    _person_like,
    _Resolver,
    _role_word,
    _Speaker,
)
from storylens.annotate.quotes.view import (
    _DocView,
    _is_cue,
    _is_per,
    _subject,
)
from storylens.models import Quote, Span

_CUE_LEFT = {"aux", "auxpass", "neg", "advmod"}


#: verbs that end an elliptical clause ("they had", "it would not")
_AUXILIARIES = frozenset({"have", "be", "do", "will", "would", "can", "could", "shall", "should", "may", "might", "must"})


#: cues whose object can be named "as" something ("described the plan as reckless")
_AS_CUES = frozenset({
    "describe", "refer", "dismiss", "label", "brand", "characterize", "characterise", "portray", "depict",
    "hail", "denounce", "condemn", "praise", "criticize", "criticise", "reject", "welcome", "slam", "blast",
    "decry", "laud", "cite",
})


#: cues that say nothing without that complement ("described the summit")
_NEEDS_AS = frozenset({"describe", "refer", "characterize", "characterise", "portray", "depict"})


#: cues that deny or reject what follows them: their content alone reads as its opposite
_DENIAL_CUES = frozenset({
    "deny", "reject", "dismiss", "refute", "dispute", "rebut", "contest", "disavow", "repudiate", "disown",
    "contradict", "doubt", "question",
})


_TIME_WORDS = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tonight", "week", "month", "year", "morning", "evening", "night", "afternoon",
}


def _cue_span(tok: Any, broad: bool = False) -> tuple[int, int]:
    """The cue as written: the verb with its auxiliaries, negation and adverbs right
    before it ("has also said"), a day right after it ("said Friday"), and a colon."""
    start = _cue_core(tok, broad)
    begin, end = start
    if tok.lemma_ == "accord" or _is_per(tok):
        return begin, end
    sp = tok.doc
    i = tok.i - 1
    while i >= 0 and sp[i].head.i == tok.i and sp[i].dep_ in _CUE_LEFT and not sp[i].is_punct:
        begin = sp[i].idx
        i -= 1
    j = tok.i + 1
    while j < len(sp) and sp[j].idx < end:
        j += 1
    if j < len(sp) and sp[j].head.i == tok.i and sp[j].dep_ in ("npadvmod", "nmod") and (
            sp[j].lower_ in _TIME_WORDS or sp[j].ent_type_ in ("DATE", "TIME")):
        k = j
        while k + 1 < len(sp) and sp[k + 1].head.i == j and sp[k + 1].i == k + 1:
            k += 1
        end = sp[k].idx + len(sp[k].text)
        j = k + 1
    if j < len(sp) and sp[j].text == ":":
        end = sp[j].idx + 1
    return begin, end


def _cue_core(tok: Any, broad: bool = False) -> tuple[int, int]:
    if _is_per(tok):
        before = tok.doc[tok.i - 1] if tok.i > 0 else None
        start = before.idx if before is not None and before.lower_ == "as" else tok.idx
        return start, tok.idx + len(tok.text)
    if tok.lemma_ == "accord":
        for c in tok.children:
            if c.lower_ == "to":
                return tok.idx, c.idx + len(c.text)
    end = tok.idx + len(tok.text)
    for c in tok.rights:
        if c.dep_ == "prt" and c.i == tok.i + 1:
            end = c.idx + len(c.text)
    lemma = tok.lemma_.lower()
    if lemma in _PREP_CUES or broad:
        children = list(tok.children)
        if not any(c.dep_ in ("ccomp", "dobj") for c in children):
            prep = next((c for c in children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _CUE_PREPS), None)
            if prep is not None and _between_ok(tok.doc, tok.i, prep.i) and any(
                g.dep_ in ("pobj", "pcomp") for g in prep.children
            ):
                end = prep.idx + len(prep.text)
    return tok.idx, end


def _find_cue_for_region(view: _DocView, a: int, b: int, broad: bool) -> Any | None:
    """The speech verb that governs the quotation at tokens ``a..b-1`` (or stands beside it)."""
    sp = view.sp
    if b <= a:
        return None
    s_first = view.sents[view.sent_of[a]]
    s_last = view.sents[view.sent_of[b - 1]]
    cands: list[tuple[int, Any]] = []
    # tokens outside the quotation in the first and last sentences, within the paragraph
    lo, hi = s_first[0], s_last[1]
    for i in range(a - 1, lo - 1, -1):
        if "\n" in sp[i].text_with_ws:
            lo = i + 1
            break
    for i in range(max(b - 1, 0), hi):
        if "\n" in sp[i].text_with_ws:
            hi = i + 1
            break
    before = range(lo, a)
    after = range(b, hi)
    region_set_lo, region_set_hi = a, b
    for i in list(before) + list(after):
        tok = sp[i]
        if view.in_quote[i] or not _is_cue(tok, broad):
            continue
        dist = a - i if i < a else i - b + 1
        # syntactic link: the quote's words hang under the cue, or the cue under them
        linked = False
        for j in (list(range(a, min(b, a + 60))) + list(range(max(a, b - 60), b))):
            h = sp[j]
            if h.head.i < region_set_lo or h.head.i >= region_set_hi:
                # h is a root of the quotation's words
                anc = h.head
                steps = 0
                while steps < 6:
                    if anc.i == tok.i:
                        linked = True
                        break
                    if anc.head is anc:
                        break
                    anc = anc.head
                    steps += 1
                if linked:
                    break
        if not linked:
            anc = tok
            for _ in range(4):
                if region_set_lo <= anc.i < region_set_hi:
                    linked = True
                    break
                if anc.head is anc:
                    break
                anc = anc.head
        if not linked and dist > _NEAR:
            continue
        cands.append(((0 if linked else 1) * 100 + dist, tok))
    if not cands:
        return None
    cands.sort(key=lambda x: x[0])
    return cands[0][1]


def _adjacent_say(view: _DocView, a: int, b: int) -> bool:
    """A short quotation right beside a 'say'-type verb: a reply, not a scare quote."""
    sp = view.sp
    n = len(sp)
    # after: '"No," she said' / '"No," said the mayor'
    j = b
    if j < n and sp[j].text == ",":
        j += 1
    for k in range(j, min(n, j + 5)):
        if view.in_quote[k] or "\n" in sp[k].text:
            break
        if sp[k].lemma_.lower() in _SAY_LIKE and sp[k].pos_ in ("VERB", "AUX"):
            inner_last = sp[b - 2] if b - 2 >= a else None
            return (inner_last is not None and inner_last.text in (",", "?", "!", ".")) or (
                b < n and sp[b].text == ","
            )
        if sp[k].text in (".", ";", "\n"):
            break
    # before: 'she said: "No."' / 'he replied, "Never."'
    k = a - 1
    if k >= 0 and sp[k].text in (":", ","):
        k -= 1
        for m in range(k, max(-1, k - 4), -1):
            if view.in_quote[m]:
                break
            if sp[m].lemma_.lower() in _SAY_LIKE and sp[m].pos_ in ("VERB", "AUX"):
                return True
    return False


def _colon_speaker(view: _DocView, region: QuoteRegion, a: int, b: int, resolver: _Resolver) -> _Speaker | None:
    """Headline-style attribution without a verb: 'Mayor: "..."' or '"...": mayor'."""
    text = view.text
    line_start = text.rfind("\n", 0, region.start) + 1
    line_end = text.find("\n", region.end)
    line_end = len(text) if line_end < 0 else line_end
    head = text[line_start : region.start].rstrip()
    if head.endswith(":") and 0 < _word_count(head) <= 6:
        return _phrase_speaker(view, line_start, line_start + len(head) - 1, resolver)
    tail = text[region.end : line_end]
    if tail.lstrip().startswith(":"):
        s = region.end + tail.index(":") + 1
        e = line_end
        if 0 < _word_count(text[s:e]) <= 6:
            return _phrase_speaker(view, s, e, resolver)
    return None


#: nouns of saying whose "that" clause is what was said ("the senator's claim that ...")
_CLAIM_NOUNS = frozenset({
    "claim", "assertion", "argument", "statement", "allegation", "charge", "suggestion", "insistence",
    "assurance", "announcement", "accusation", "admission", "warning", "promise", "pledge", "vow",
    "threat", "prediction", "contention", "complaint", "denial", "acknowledgment", "acknowledgement",
    "declaration", "report", "remark", "comment", "message", "reminder", "recommendation", "demand",
})


#: nouns of belief: the same, in broad mode ("her belief that ...")
_BELIEF_NOUNS = frozenset({
    "belief", "view", "hope", "fear", "concern", "conclusion", "finding", "expectation", "assumption",
    "conviction", "suspicion", "worry", "impression", "understanding", "opinion", "theory",
})


def _nominal(view: _DocView, resolver: _Resolver, found: list[Attribution], broad: bool) -> list[Attribution]:
    """Nominal attribution: a noun of saying (or, in broad mode, of belief) with a "that" clause:
    "the minister's claim that ...", "a warning by the agency that ..."."""
    sp = view.sp
    out: list[Attribution] = []
    for tok in sp:
        if tok.pos_ != "NOUN" or view.in_quote[tok.i] or tok.dep_ == "ROOT":
            continue  # a noun with no verb above it: "the statement that the board published was short"
        lemma = tok.lemma_.lower()
        if lemma not in _CLAIM_NOUNS and not (broad and lemma in _BELIEF_NOUNS):
            continue
        clause = next((c for c in tok.rights if c.dep_ in ("acl", "ccomp") and any(
            g.dep_ == "mark" and g.lower_ == "that" and g.i == c.left_edge.i == tok.i + 1 for g in c.children)), None)
        if clause is None:
            continue
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        hi = _cut_trailing(clause, lo, hi, sp)
        while hi > lo and (sp[hi - 1].is_space or (sp[hi - 1].is_punct and sp[hi - 1].text not in ('"', "''"))):
            hi -= 1
        if hi <= lo:
            continue
        c_start, c_end = view.char_span(lo, hi)
        if any(x.start < c_end and c_start < x.end and x.direct for x in found):
            continue
        holder = next((c for c in tok.children if c.dep_ == "poss"), None)
        if holder is None:
            by = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in ("by", "from", "of")), None)
            holder = next((g for g in by.children if g.dep_ == "pobj"), None) if by is not None else None
        attr = Attribution(c_start, c_end, False, cue=(tok.idx, tok.idx + len(tok.text)), parts=[(c_start, c_end)],
                           cue_token=tok.i)
        if holder is not None:
            spk = resolver.speaker(holder)
            if spk is not None:
                attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        out.append(attr)
    return out


_COLON_LINE = re.compile(r"[\"']?([A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,3}) ?: +(?=\S)")


def _colon_lines(view: _DocView, resolver: _Resolver, found: list[Attribution]) -> list[Attribution]:
    """Headline and transcript attribution without a verb, not in quotation marks:
    'Senator: Plan Will Fail' or 'SMITH: Well, look, ...'. The speaker must be a name the
    recogniser knows, a name in capitals, or a word for a poll or report; the content is the
    rest of the paragraph."""
    text = view.text
    out: list[Attribution] = []
    for p_start, p_end in _paragraphs(text):
        m = _COLON_LINE.match(text, p_start, p_end)
        if m is None or re.search(r"['’]s\b", m.group(1)):
            continue  # "Brevik's Harbour Visit: ...": a topic, not a speaker
        h_start, h_end = m.span(1)
        head = m.group(1)
        c_start, c_end = m.end(), p_end
        while c_end > c_start and text[c_end - 1] in ".;, ":
            c_end -= 1
        if _word_count(text[c_start:c_end]) < 3:
            continue
        if any(x.direct and x.start < c_end and c_start < x.end for x in found):
            continue  # a quotation already attributed
        shouting = head.replace(" ", "").replace(".", "").isalpha() and head.isupper() and len(head) > 2
        # "New Zealand: Climber Killed In Fall" is a dateline when the text uses the name as a place
        place = re.search(r"\b(?:in|to|from|across|near|into)\s+(?:the\s+)?" + re.escape(head) + r"\b", text)
        named = not place and any(mm.label in ("PERSON", "ORG") or _person_like(mm, view)
                                  for mm in view.mentions_in(h_start, h_end))
        last = head.split()[-1].lower()
        if not (shouting or named or last in ("poll", "survey", "study", "report", "data")):
            continue
        spk = _phrase_speaker(view, h_start, h_end, resolver)
        colon = text.index(":", h_end)
        attr = Attribution(c_start, c_end, False, cue=(colon, colon + 1), source=(h_start, h_end),
                           parts=[(c_start, c_end)])
        if spk is not None:
            attr.speaker, attr.named = spk.speaker, spk.named
        out.append(attr)
    return out


def _phrase_speaker(view: _DocView, start: int, end: int, resolver: _Resolver) -> _Speaker | None:
    seg = view.text[start:end]
    lead = len(seg) - len(seg.lstrip())
    start += lead
    end = start + len(seg.strip())
    if end <= start:
        return None
    a, b = view.token_range(start, end)
    if b <= a:
        return None
    toks = [t for t in view.sp[a:b] if not t.is_punct]
    if not toks:
        return None
    # the phrase's head: the token whose head lies outside it
    head = next((t for t in toks if not (a <= t.head.i < b) or t.head is t), toks[-1])
    found = resolver.speaker(head)
    if found is None:
        return None
    return _Speaker((start, end), found.speaker if found.named else (start, end), found.named)


def _content_of(tok: Any, view: _DocView, broad: bool = False) -> list[tuple[int, int]] | None:
    """Token ranges of what a reported-speech cue reports (two when the cue
    interrupts its content), or None. Kept inside the cue's sentence and paragraph."""
    rng = _raw_content(tok, view, broad)
    if rng is None:
        return None
    lo, hi, kind = rng
    s_lo, s_hi = view.sents[view.sent_of[tok.i]]
    lo, hi = max(lo, s_lo), min(hi, s_hi)
    sp = view.sp
    # a quotation that starts inside the content ends inside it too ('was "true."')
    k = view.region_of.get(hi - 1)
    if k is not None and hi < len(sp) and view.region_of.get(hi) == k:
        _r_lo, r_hi = view.token_range(view.regions[k].start, view.regions[k].end)
        if r_hi - hi <= 3:
            hi = r_hi
    # never across a paragraph break
    for i in range(max(lo, tok.i), hi):
        if "\n" in sp[i].text_with_ws:
            hi = i + 1
            break
    for i in range(min(tok.i, hi) - 1, lo - 1, -1):
        if "\n" in sp[i].text_with_ws:
            lo = i + 1
            break
    pieces = [(lo, hi)]
    if kind == -2:  # the cue phrase sits inside its content
        c_lo, c_hi = tok.left_edge.i, tok.right_edge.i + 1
        pieces = [(lo, c_lo), (c_hi, hi)]
    out = []
    for a, b in pieces:
        while b > a and (sp[b - 1].is_space or (sp[b - 1].is_punct and sp[b - 1].text not in ('"', "''", "'"))):
            b -= 1
        while a < b and (sp[a].is_space or sp[a].text in (",", ":", ";", "-", "--")):
            a += 1
        if b > a:
            out.append((a, b))
    return out or None


def _raw_content(tok: Any, view: _DocView, broad: bool) -> tuple[int, int, int] | None:
    """(first token, end token, preposition token or -1) of what ``tok`` reports."""
    sp = view.sp
    lemma = tok.lemma_.lower()
    if lemma == "accord" or _is_per(tok):
        # "according to X, CONTENT" / "CONTENT, according to X": the clause it modifies
        clause = tok.head
        if clause is tok:
            return None
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        # the sentence's closing stop and line break (sometimes tagged as words) do not count
        while hi > lo and (sp[hi - 1].is_space or sp[hi - 1].is_punct or sp[hi - 1].text in (".", "?", "!")):
            hi -= 1
        ph_lo, ph_hi = tok.left_edge.i, tok.right_edge.i + 1
        if ph_lo <= lo:
            lo = ph_hi
        elif ph_hi >= hi - 1:
            hi = ph_lo
        else:
            return None
        return (lo, hi, -1) if hi > lo else None
    children = list(tok.children)
    comps = [c for c in children if c.dep_ == "ccomp"]
    obj = next((c for c in children if c.dep_ == "dobj" and c.i > tok.i), None)
    as_phrase = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i > tok.i
                      and any(True for _ in c.children)), None)
    if lemma in _AS_CUES and as_phrase is not None:
        # "described the summit as a threat", "referred to the talks as historic": what is
        # said is the object together with what it is called
        to = next((c for c in children if c.dep_ == "prep" and c.lower_ == "to" and c.i < as_phrase.i), None)
        target = obj if obj is not None else next((g for g in to.children if g.dep_ == "pobj"), None) if to else None
        if target is not None and target.i < as_phrase.i:
            hi = as_phrase.right_edge.i + 1
            for c in tok.rights:  # "... as the worst in forty years"
                if c.i == hi and c.dep_ in ("prep", "npadvmod", "advmod"):
                    hi = c.right_edge.i + 1
                if c.i >= hi and c.dep_ == "ccomp":  # "as historic that underscores ...", mis-parsed
                    hi = c.right_edge.i + 1
            return target.left_edge.i, hi, -1
    if comps:
        c = comps[0]
        lo, hi = c.left_edge.i, max(x.right_edge.i for x in comps) + 1
        if c.lemma_ == "be" and not any(g.dep_ in ("attr", "acomp", "oprd", "ccomp", "xcomp") for g in c.children):
            # a copula whose complement the parser hung on the cue ("argued that ferry work
            # is, for all practical purposes, a business that ...": "business" read as the
            # object of "argued"): the complement is still what is reported
            tail = next((g for g in children if g.dep_ in ("dobj", "attr", "npadvmod") and g.i >= hi), None)
            if tail is not None:
                hi = tail.right_edge.i + 1
        return lo, _cut_trailing(c, lo, hi, sp), -1
    if lemma in _NEEDS_AS and not any(c.dep_ in ("oprd", "xcomp") for c in children):
        return None  # "described the summit": a topic, not a statement
    if tok.dep_ == "parataxis" and obj is None and not any(c.dep_ in ("xcomp", "prep") for c in children):
        # "Acts of protest, Mr. Obama said, are acts of patriotism": the clause around the cue
        clause = tok.head
        lo, hi = clause.left_edge.i, clause.right_edge.i + 1
        if lo < tok.left_edge.i or hi > tok.right_edge.i + 1:
            return lo, hi, -2
    if lemma in _ACCUSE:
        prep = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("of", "for", "over")), None)
        if obj is not None and prep is None:
            prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in ("of", "for")), None)
        if obj is not None and prep is not None:
            return obj.left_edge.i, max(obj.right_edge.i, prep.right_edge.i) + 1, -1
    x = next((c for c in children if c.dep_ == "xcomp" and c.i > tok.i), None)
    # "said legalizing it would ...": a mis-parsed clause that starts with a gerund
    gerund = x is not None and x.tag_ == "VBG" and lemma in ("say", "tell", "add", "claim", "argue", "insist")
    if x is not None and (lemma in _XCOMP_CUES or (broad and lemma in INTENT_CUES) or gerund) and x.pos_ in (
            "VERB", "AUX"):
        lo = obj.left_edge.i if obj is not None and obj.i < x.i else x.left_edge.i
        on = next((c for c in children if c.dep_ == "prep" and c.lower_ in ("on", "upon") and tok.i < c.i < x.i), None)
        addressee = next((g for g in on.children if g.dep_ == "pobj"), None) if on is not None else None
        if obj is None and addressee is not None:
            lo = addressee.left_edge.i  # "called on Ostmark to withdraw": whom the call is to
        return lo, x.right_edge.i + 1, -1
    oprd = next((c for c in children if c.dep_ == "oprd"), None)
    if lemma in ("call", "describe", "label", "brand", "dub", "deem", "consider") and obj is not None and oprd:
        return obj.left_edge.i, oprd.right_edge.i + 1, -1
    # "warned of ...", "called for ...", "spoke about ...": the preposition joins the cue
    prep = next((c for c in children if c.dep_ == "prep" and c.i > tok.i and c.lower_ in _CUE_PREPS), None)
    if prep is not None and obj is None and (lemma in _PREP_CUES or (broad and lemma in EVAL_CUES)) and not (
            prep.lower_ == "to" and lemma in _ADDRESS_CUES):
        pobj = next((g for g in prep.children if g.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None and _between_ok(sp, tok.i, prep.i) and not (
                pobj.ent_type_ in ("DATE", "TIME") or pobj.lower_ in _TIME_WORDS  # "spoke on Monday"
                or (prep.lower_ in ("at", "in") and lemma in _ADDRESS_CUES)):  # "speak at a press conference"
            return pobj.left_edge.i, pobj.right_edge.i + 1, prep.i
    if obj is not None and (lemma in _DOBJ_SPEECH or lemma in _SPEECH_EVAL or (
            broad and lemma in _DOBJ_CUES | EVAL_CUES)) and (
            obj.pos_ not in ("PRON",)):
        return obj.left_edge.i, obj.right_edge.i + 1, -1
    return None


def _cut_trailing(c: Any, lo: int, hi: int, sp: Any) -> int:
    """End of a reported clause headed by ``c``: ", citing ...", ", although ...": a trailing
    adverbial clause is the writer's, not the source's; so is a conjoined clause with its own
    speaker ("..., and critics warned that")."""
    for ch in c.children:
        if ch.i <= c.i or ch.left_edge.i <= lo:
            continue
        trailing = ch.dep_ == "advcl" and sp[ch.left_edge.i - 1].text == ","
        own_cue = ch.dep_ == "conj" and ch.lemma_.lower() in SPEECH_CUES
        if trailing or own_cue:
            cut = ch.left_edge.i
            while cut > lo and (sp[cut - 1].is_punct or sp[cut - 1].dep_ == "cc"):
                cut -= 1
            hi = min(hi, cut)
    return hi


def _between_ok(sp: Any, a: int, b: int) -> bool:
    """Only adverbs (or nothing) between a verb and its preposition."""
    return all(sp[i].pos_ in ("ADV", "PART") for i in range(a + 1, b))


def extract_attributions(ann: ParsedDoc, broad: bool = False) -> list[Attribution]:
    """Direct and reported quotes of one document, with surface and resolved speakers.

    ``broad`` adds verbs of belief and intention ("believe", "want", ...) as
    cues, the way PolNeAR's guidelines count attribution; storylens itself
    runs with ``broad=False`` (speech only).
    """
    text = ann.doc.text
    if not text or ann.sp is None or len(ann.sp) == 0:
        return []
    regions = find_quote_regions(text)
    view = _DocView(ann, regions)
    resolver = _Resolver(view)
    out: list[Attribution] = []
    used_cues: dict[int, Attribution] = {}
    region_attr: dict[int, Attribution] = {}
    prev: Attribution | None = None
    prev_region: QuoteRegion | None = None
    for k, region in enumerate(regions):
        a, b = view.token_range(region.start, region.end)
        inner_s, inner_e = region.inner
        words = _word_count(text[inner_s:inner_e])
        if words == 0:
            continue
        cue = _find_cue_for_region(view, a, b, broad)
        if words <= SCARE_WORDS and not _adjacent_say(view, a, b):
            continue  # a scare quote: not speech
        attr = Attribution(region.start, region.end, True, parts=[(region.start, region.end)])
        spk: _Speaker | None = None
        if cue is not None:
            attr.cue = _cue_span(cue)
            attr.cue_token = cue.i
            subj = _subject(cue)
            if subj is not None and not view.in_quote[subj.i]:
                spk = resolver.speaker(subj)
            if (spk is None or spk.speaker is None) and cue.i in used_cues:
                first = used_cues[cue.i]
                attr.source, attr.speaker, attr.named = first.source, first.speaker, first.named
                spk = None
        if spk is None and attr.source is None:
            spk = _colon_speaker(view, region, a, b, resolver)
        if spk is not None:
            attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if cue is None and attr.source is None and prev is not None and prev_region is not None:
            # a following paragraph or sentence of the same speaker's words
            between = text[prev_region.end : region.start]
            lines = between.split("\n")
            adjoining = _word_count(between) == 0
            same_par = len(lines) == 1 and _starts_sentence(text, region.start)
            # the next paragraph opens with a quote: the same speaker goes on
            next_par = len(lines) > 1 and not any(x.strip() for x in lines[1:])
            if adjoining or same_par or next_par:
                attr.source, attr.speaker, attr.named = prev.source, prev.speaker, prev.named
                attr.cue = prev.cue
                attr.owner = prev.owner or prev
                attr.owner.parts.append((region.start, region.end))
        if cue is None and attr.source is None:
            intro = _intro_cue(view, a, broad)
            if intro is not None:
                attr.cue = _cue_span(intro)
                attr.cue_token = intro.i
                subj = _subject(intro)
                if subj is not None:
                    spk = resolver.speaker(subj)
                    if spk is not None:
                        attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if attr.cue is None and attr.source is None:
            subj = _intro_speaker(view, a)
            if subj is not None:
                spk = resolver.speaker(subj)
                if spk is not None:
                    attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        if cue is not None:
            if cue.i in used_cues:
                attr.owner = used_cues[cue.i]
                attr.owner.parts.append((region.start, region.end))
            else:
                used_cues[cue.i] = attr
        out.append(attr)
        region_attr[k] = attr
        prev, prev_region = attr, region

    # a quote with no attribution right before an attributed one of the same paragraph
    direct = [x for x in out if x.direct]
    for x, y in zip(direct[::-1][1:], direct[::-1][:-1], strict=True):
        if x.source is not None or x.cue is not None or x.owner is not None or y.source is None:
            continue
        between = text[x.end : y.start]
        if "\n" not in between and _word_count(between) == 0:
            owner = y.owner or y
            x.source, x.speaker, x.named, x.cue, x.owner = y.source, y.speaker, y.named, y.cue, owner
            owner.parts.insert(0, (x.start, x.end))

    # reported speech
    for tok in view.sp:
        if view.in_quote[tok.i] or not _is_cue(tok, broad):
            continue
        pieces = _content_of(tok, view, broad)
        if pieces is None:
            continue
        lo, hi = pieces[0][0], pieces[-1][1]
        c_start, c_end = view.char_span(lo, hi)
        frags = [view.char_span(x, y) for x, y in pieces]
        quoted = sum(view.in_quote[lo:hi])
        if tok.i in used_cues:
            # a partial quote inside reported speech: the benchmark view gets the whole clause
            owner = used_cues[tok.i]
            if len(owner.parts) == 1 and c_start <= owner.start and owner.end <= c_end + 1:
                owner.parts = [(c_start, max(c_end, owner.end))]
            continue
        if quoted >= (hi - lo) * 0.6:
            continue
        said_words = [t for t in view.sp[lo:hi] if not (t.is_punct or t.is_space)]
        if len(said_words) <= 3 and all(t.pos_ in ("PRON", "AUX", "PART", "ADV") or t.lemma_.lower() in _AUXILIARIES
                                        for t in said_words):
            continue  # "..., but Ostmark said they had": an ellipsis says nothing on its own
        subj = _subject(tok)
        if not broad and (subj is None or not _can_speak(subj)):
            continue  # "the plan says ...", "the chart shows ...": not speech
        attr = Attribution(c_start, c_end, False, cue=_cue_span(tok, broad), parts=frags, cue_token=tok.i)
        if subj is not None:
            spk = resolver.speaker(subj)
            if spk is not None:
                attr.source, attr.speaker, attr.named = spk.source, spk.speaker, spk.named
        out.append(attr)
    out += _colon_lines(view, resolver, out)
    out += _nominal(view, resolver, out, broad)

    # "X said she thinks ...": an attribution reported inside another's content belongs to the
    # outer one (the writer only vouches for what X said), so it is not a separate attribution
    reported = [x for x in out if not x.direct]
    nested: set[int] = set()
    for x in reported:
        if x.cue is None:
            continue
        c = x.cue[0]
        for y in reported:
            if y is not x and id(y) not in nested and any(s <= c < e for s, e in y.parts):
                nested.add(id(x))
                break
    out = [x for x in out if id(x) not in nested]
    out.sort(key=lambda x: (x.start, x.end))
    return out


def _can_speak(subj: Any) -> bool:
    """A subject that can make a statement: a name, a pronoun, a speaker role or a statement."""
    head = subj
    if head.ent_type_ in ("PERSON", "ORG", "GPE", "NORP") or head.pos_ == "PROPN":
        return True
    low = _role_word(head)
    if head.pos_ == "PRON":
        return low not in ("this", "that", "which", "what", "these", "those")
    # "Twenty-four percent said", "half of the voters told", "four in 10 say"
    if low in _SHARE_WORDS or head.like_num or head.pos_ == "NUM":
        return True
    if low in _PERSON_ROLES or low in _ORG_ROLES or low in _STATEMENT_NOUNS or low in _SPEAKER_NOUNS:
        return True
    return any(t.ent_type_ in ("PERSON", "ORG") for t in head.subtree if t.dep_ in ("poss", "compound"))


def _starts_sentence(text: str, i: int) -> bool:
    before = text[max(0, i - 3) : i].rstrip()
    return not before or before[-1] in ".?!\n"


def _intro_cue(view: _DocView, a: int, broad: bool) -> Any | None:
    """'The ministry said in a statement:' in the sentence before a quotation."""
    si = view.sent_of[a]
    lo = view.sents[si][0]
    # the sentence holding the quote's first mark may start with the mark itself
    tokens = range(lo, a) if lo < a else range(view.sents[si - 1][0], view.sents[si - 1][1]) if si > 0 else range(0)
    toks = [view.sp[i] for i in tokens]
    while toks and (toks[-1].is_space or toks[-1].text == "\n"):
        toks.pop()
    if not toks or toks[-1].text != ":":
        return None
    for t in reversed(toks):
        if not view.in_quote[t.i] and _is_cue(t, broad):
            return t
    return None


def _intro_speaker(view: _DocView, a: int) -> Any | None:
    """'The harbour master explains why. "We had no choice ..."': a quotation that opens a sentence
    right after a sentence of the same paragraph whose main verb is a speech verb."""
    si = view.sent_of[a]
    lo = view.sents[si][0]
    sp = view.sp
    if any(not (sp[i].is_space or sp[i].is_punct) for i in range(lo, a)) or si == 0:
        return None
    p_lo, p_hi = view.sents[si - 1]
    if any("\n" in sp[i].text_with_ws for i in range(p_lo, p_hi)):
        return None
    for t in sp[p_lo:p_hi]:
        if t.dep_ == "ROOT" and not view.in_quote[t.i] and _is_cue(t, False):
            subj = _subject(t)
            if subj is not None and not view.in_quote[subj.i] and _can_speak(subj):
                return subj
    return None


def _span(doc_id: str, text: str, se: tuple[int, int]) -> Span:
    return Span(doc=doc_id, start=se[0], end=se[1], text=text[se[0] : se[1]])


def _reported_start(ann: ParsedDoc, attr: Attribution) -> int:
    """Where a quote's words start as a reader should see them. Reported speech whose content
    cannot stand alone starts at its cue: a denial ("denied that the troops crossed", never
    "that the troops crossed" as if the speaker said it), a negated cue ("did not confirm ..."),
    a noun of saying ("allegations that ..."), and content that is no clause of its own
    ("urged Brindle to withdraw", "described the deal as a threat", "denied the shipments")."""
    if attr.direct or attr.cue_token is None or attr.cue is None or ann.sp is None:
        return attr.start
    cue = ann.sp[attr.cue_token]
    if cue.lemma_ == "accord" or _is_per(cue) or not (cue.idx < attr.start and attr.start - attr.cue[1] <= 40):
        return attr.start  # "according to X, ...", or a cue after or inside its content
    if "\n" in ann.doc.text[cue.idx : attr.start]:
        return attr.start
    negated = any(c.dep_ == "neg" for c in cue.children)
    # the content is the cue's clause ("said (that) ...") when it starts where that clause starts
    clause = cue.pos_ in ("VERB", "AUX") and any(c.dep_ == "ccomp" and c.left_edge.idx == attr.start
                                                 for c in cue.children)
    if negated:
        return min(attr.cue[0], attr.start)
    if cue.pos_ == "NOUN" or cue.lemma_.lower() in _DENIAL_CUES or not clause:
        return int(cue.idx)
    return attr.start


def extract_quotes(ann: ParsedDoc) -> list[Quote]:
    """Quotes in one document, speaker text resolved within the document."""
    doc = ann.doc
    text = doc.text
    quotes: list[Quote] = []
    seen: set[str] = set()
    for attr in extract_attributions(ann):
        qid = quote_id(doc.id, attr.start, attr.end)
        if qid in seen:
            continue
        seen.add(qid)
        speaker_span = _span(doc.id, text, attr.speaker) if attr.speaker else None
        quotes.append(
            Quote(
                id=qid,
                span=_span(doc.id, text, (_reported_start(ann, attr), attr.end)),
                speaker_text=speaker_span.text if speaker_span else None,
                speaker_span=speaker_span,
                cue=_span(doc.id, text, attr.cue) if attr.cue else None,
                direct=attr.direct,
            )
        )
    return quotes
