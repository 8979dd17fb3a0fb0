"""Markdown report. Each section is one function; ``SECTIONS`` sets the order."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable

from storylens._disjoint import DisjointSet
from storylens.models import Analysis, Claim, Document, Quote, Span, doc_label, outlets_phrase
from storylens.report.marks import (
    board_quotes,
    cell_mark,
    claim_order,
    day_range,
    disputed_spans,
    speaker_of,
    when_published,
)

_META_REASONS = {"headline", "byline"}


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def md_escape(text: str) -> str:
    """Escape text for a Markdown table cell or inline run (control characters dropped)."""
    out = " ".join(_CONTROLS.sub("", text).split())
    for ch in "\\|*_`[]<>#&~":
        out = out.replace(ch, "\\" + ch)
    return out


def section_documents(analysis: Analysis) -> list[str]:
    lines = ["## Documents", "", "| # | outlet / source | title | author | date | words | boilerplate removed |",
             "|---|---|---|---|---|---|---|"]
    index = {d.id: i for i, d in enumerate(analysis.documents, 1)}
    for i, doc in enumerate(analysis.documents, 1):
        removed = [b for b in doc.boilerplate if b.reason not in _META_REASONS]
        reasons = Counter(b.reason for b in removed)
        removed_txt = ", ".join(f"{r} ×{n}" if n > 1 else r for r, n in reasons.items()) or "none"
        date = when_published(doc.published) or "—"
        if doc.published_source == "batch":
            date += " (year from batch)"
        extra = ""
        if doc.duplicate_of:
            extra = f" (near-duplicate of #{index.get(doc.duplicate_of, '?')})"
        elif doc.syndicated_from:
            extra = f" (copy of #{index.get(doc.syndicated_from, '?')})"
        lines.append(
            f"| {i} | {md_escape(doc_label(doc))}{extra} | {md_escape(doc.title or '—')} | "
            f"{md_escape(doc.author or '—')} | {md_escape(date)} | {doc.words} | {md_escape(removed_txt)} |"
        )
    return lines


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def _labels(analysis: Analysis) -> dict[str, str]:
    """Document id → unique column label (outlet, numbered when an outlet has several)."""
    base = {d.id: doc_label(d) for d in analysis.documents}
    counts = Counter(base.values())
    seen: Counter[str] = Counter()
    out = {}
    for d in analysis.documents:
        label = base[d.id]
        if counts[label] > 1:
            seen[label] += 1
            label = f"{label} ({seen[label]})"
        out[d.id] = label
    return out


MATRIX_CLAIMS = 40
MATRIX_COLUMNS = 12
#: a batch of several stories gets one matrix per story, each this long at most
MATRIX_STORY_CLAIMS = 10
MATRIX_STORIES = 30


def section_stories(analysis: Analysis) -> list[str]:
    if len(analysis.stories) < 2:
        return []
    labels = _labels(analysis)
    lines = ["## Stories", ""]
    for story in analysis.stories:
        outlets = ", ".join(md_escape(labels[d]) for d in story.docs if d in labels)
        dates = day_range(story.first_seen, story.last_seen)
        span = f" ({md_escape(dates)})" if dates else ""
        lines.append(f"- **{md_escape(story.label)}**{span}: {_count(len(story.docs), 'document')} — {outlets}")
    return lines


MAX_TIMELINE = 40


def section_timeline(analysis: Analysis) -> list[str]:
    """Dated claims per story, oldest first, with the outlets that state each."""
    stories = [s for s in analysis.stories if s.timeline]
    if not stories:
        return []
    labels = _labels(analysis)
    lines = ["## Timeline", "", "Claims whose sentence dates what happened, oldest first.", ""]
    for story in stories:
        if len(analysis.stories) > 1:
            lines += [f"### {md_escape(story.label)}", ""]
        for entry in story.timeline[:MAX_TIMELINE]:
            outlets = ", ".join(dict.fromkeys(md_escape(labels.get(s.doc, s.doc)) for s in entry.support))
            status = f" ({entry.status.replace('_', ' ')})" if entry.status else ""
            against = ", ".join(dict.fromkeys(md_escape(labels.get(s.doc, s.doc)) for s in entry.conflicting))
            conflict = f"; conflicting: {against}" if against else ""
            lines.append(f"- **{md_escape(entry.when or '')}** {md_escape(entry.what)}{status} — {outlets}{conflict}")
        if len(story.timeline) > MAX_TIMELINE:
            lines.append(f"- … {len(story.timeline) - MAX_TIMELINE} more in the JSON report")
        lines.append("")
    return lines[:-1]


def section_matrix(analysis: Analysis) -> list[str]:
    """Claims × outlets: ✓ where an outlet states the claim, ≠ where it disputes it. One table per
    story when the batch has several: one table across stories had mostly empty rows (a story's
    outlets cut from the columns) and hid the disputed cells of a contested claim."""
    if not analysis.claims:
        return []
    labels = _labels(analysis)
    shown = [c for c in analysis.claims if c.independent_sources >= 2 or c.status == "contested"]
    if not shown:
        return ["## Corroboration matrix", "", "No claim is stated by two independent sources."]
    shown = sorted(shown, key=claim_order(analysis))
    disputed = disputed_spans(analysis)
    lines = ["## Corroboration matrix", "",
             "✓ the outlet states the claim; ≠ it states it with a conflicting detail (see Contradictions). "
             "Sources counts independent sources: syndicated copies and one outlet's articles count once."]
    if len(analysis.stories) <= 1:
        return lines + [""] + _matrix_table(shown[:MATRIX_CLAIMS], analysis.documents, labels, disputed)
    by_story: dict[str | None, list[Claim]] = {}
    for c in shown:
        by_story.setdefault(c.story, []).append(c)
    docs = {d.id: d for d in analysis.documents}
    groups = [(s.label, [docs[d] for d in s.docs if d in docs], by_story[s.id])
              for s in analysis.stories if s.id in by_story]
    if None in by_story:
        groups.append(("Claims outside any story", list(analysis.documents), by_story[None]))
    for label, members, claims in groups[:MATRIX_STORIES]:
        lines += ["", f"### {md_escape(label)}", ""] + _matrix_table(claims[:MATRIX_STORY_CLAIMS], members, labels,
                                                                     disputed)
        if len(claims) > MATRIX_STORY_CLAIMS:
            lines += ["", f"({_count(len(claims) - MATRIX_STORY_CLAIMS, 'more claim')} of this story in the JSON "
                          "and HTML reports.)"]
    if len(groups) > MATRIX_STORIES:
        lines += ["", f"({_count(len(groups) - MATRIX_STORIES, 'more story', 'more stories')} with corroborated or "
                      "contested claims in the JSON and HTML reports.)"]
    return lines


def _matrix_table(claims: list[Claim], members: list[Document], labels: dict[str, str],
                  disputed: dict[str, dict[str, list[Span]]]) -> list[str]:
    """One matrix: the documents that state or dispute most of ``claims`` as columns (a disputing
    document always, so no ≠ is hidden), in reading order; a note says which are left out."""
    support_count: Counter[str] = Counter(s.doc for c in claims for s in c.support)
    disputing = {d for c in claims for d in disputed.get(c.id, {})}
    ranked = sorted((d.id for d in members if support_count[d.id] or d.id in disputing),
                    key=lambda d: (d not in disputing, -support_count[d]))
    chosen = set(ranked[:MATRIX_COLUMNS])
    columns = [d.id for d in members if d.id in chosen]
    lines = ["| claim | sources | status | " + " | ".join(md_escape(labels[d]) for d in columns) + " |",
             "|---|---|---|" + "---|" * len(columns)]
    for c in claims:
        stated = {s.doc for s in c.support}
        cells = [cell_mark(d in stated, d in disputed.get(c.id, {})) for d in columns]
        text = _short(c.text) if c.slots.modality == "asserted" else f"{_short(c.text)} ({c.slots.modality})"
        lines.append(f"| {md_escape(text)} | {c.independent_sources} | {md_escape(c.status)} | " + " | ".join(cells) + " |")
    silent = len(members) - len(ranked)
    beyond = len(ranked) - len(columns)
    left_out = [f"{_count(silent, 'document')} state none of these claims"] if silent else []
    if beyond:
        left_out.append(f"{_count(beyond, 'more document')} beyond the first {MATRIX_COLUMNS} columns")
    if left_out:
        lines += ["", f"(Not shown as columns: {'; '.join(left_out)}.)"]
    return lines


def section_single_source(analysis: Analysis) -> list[str]:
    """What only one outlet reports, grouped by outlet."""
    labels = _labels(analysis)
    genre = {d.id: d.genre for d in analysis.documents}
    by_doc: dict[str, list[str]] = defaultdict(list)
    for c in analysis.claims:
        if c.status != "single_source":
            continue
        docs = sorted({s.doc for s in c.support})
        # an allegation, a hedge, a denial or a plan is shown as what it is
        by_doc[docs[0]].append(c.text if c.slots.modality == "asserted" else f"{c.text} ({c.slots.modality})")
    if not by_doc:
        return []
    lines = ["## Single-source claims", "", "Claims only one independent source makes (its copies included).", ""]
    for d in analysis.documents:
        items = by_doc.get(d.id)
        if not items:
            continue
        tag = " (opinion)" if genre.get(d.id) == "opinion" else ""
        lines.append(f"### {md_escape(labels[d.id])}{tag}")
        lines.append("")
        lines += [f"- {md_escape(_short(t, 240))}" for t in items[:25]]
        if len(items) > 25:
            lines.append(f"- … and {len(items) - 25} more")
        lines.append("")
    return lines


def section_contradictions(analysis: Analysis) -> list[str]:
    if not analysis.contradictions:
        return ["## Contradictions", "", "No contradiction found between the documents."] if analysis.claims else []
    labels = _labels(analysis)
    lines = ["## Contradictions", "", "| kind | what differs | confidence | says A | says B |", "|---|---|---|---|---|"]
    for x in analysis.contradictions:
        a = f"**{md_escape(labels.get(x.a.doc, x.a.doc))}**: {md_escape(_short(x.a.text, 220))}"
        b = f"**{md_escape(labels.get(x.b.doc, x.b.doc))}**: {md_escape(_short(x.b.text, 220))}"
        lines.append(f"| {md_escape(x.kind)} | {md_escape(x.explanation)} | {x.confidence:.2f} | {a} | {b} |")
    return lines


def section_briefing(analysis: Analysis) -> list[str]:
    """The cited briefing: each sentence with numbered citations, the cited words listed below."""
    sentences = analysis.briefing.sentences
    if not sentences:
        if analysis.documents and all(d.genre == "opinion" for d in analysis.documents):
            return ["## Briefing", "", "No briefing: every document here reads as an opinion piece, and no "
                    "sentence of theirs could be stated as theirs with its citation.", ""]
        return []
    docs = {d.id: d for d in analysis.documents}
    story_of = {d: s for s in analysis.stories for d in s.docs}
    numbers: dict[tuple[str, int, int], int] = {}
    cited: list[tuple[int, str, str]] = []
    lines = ["## Briefing", "",
             "Every sentence is taken from the articles and cites the words it came from; "
             "what only one source reports, where outlets differ and what opinion pieces say is marked as such.", ""]
    current = None
    for sent in sentences:
        story = story_of.get(sent.citations[0].doc)
        if len(analysis.stories) > 1 and story is not None and story is not current:
            current = story
            lines += [f"### {md_escape(story.label)}", ""]
        marks = []
        for c in sent.citations:
            key = (c.doc, c.start, c.end)
            if key not in numbers:
                numbers[key] = len(numbers) + 1
                label = doc_label(docs[c.doc]) if c.doc in docs else c.doc
                cited.append((numbers[key], label, c.text))
            marks.append(f"[{numbers[key]}]")
        lines.append(f"- {md_escape(sent.text)} {''.join(marks)}")
    lines += ["", "Cited:", ""]
    lines += [f"{n}. **{md_escape(label)}**: “{md_escape(_short(text, 300))}”" for n, label, text in cited]
    return lines


def section_framing(analysis: Analysis) -> list[str]:
    """Per document: whom it quotes, its evaluative wording, claims it leaves out or alone carries."""
    if not analysis.framing:
        return []
    labels = _labels(analysis)
    claims = {c.id: c for c in analysis.claims}
    lines = ["## Framing", "",
             "Per document, with the words as evidence; no outlet is rated. Loaded terms are the "
             "document's own words (quotations excluded): *evaluative* from the TextBlob subjectivity "
             "lexicon, *descriptor* an adjective on a named actor; *unique* marks a word no other "
             "source uses for that actor.", "",
             "| document | genre | quotes | speakers | loaded terms | claims only it carries | "
             "widely carried claims it omits |",
             "|---|---|---|---|---|---|---|"]
    for f in analysis.framing:
        lines.append(
            f"| {md_escape(labels.get(f.doc, f.doc))} | {md_escape(f.genre)} | {sum(s.quotes for s in f.quoted_speakers)} | "
            f"{len(f.quoted_speakers)} | {len(f.loaded_terms)} | {len(f.unique_claims)} | {len(f.omitted_claims)} |"
        )
    for f in analysis.framing:
        details = []
        if f.quoted_speakers:
            who = ", ".join(f"{md_escape(s.speaker)}{' [' + md_escape(s.side) + ']' if s.side else ''} "
                            f"({s.quotes} quote{'s' if s.quotes != 1 else ''}, "
                            f"{s.words} words)" for s in f.quoted_speakers[:10])
            details.append(f"- Quotes: {who}")
        if f.loaded_terms:
            terms = []
            for t in f.loaded_terms[:20]:
                target = f" → {md_escape(t.target)}" if t.target else ""
                terms.append(f"“{md_escape(t.term)}”{target} ({md_escape(t.kind.replace('_', ', '))})")
            details.append("- Loaded terms: " + "; ".join(terms))
        for title, ids in (("Only it carries", f.unique_claims), ("Omits", f.omitted_claims)):
            shown = [claims[i] for i in ids if i in claims][:8]
            if shown:
                details.append(f"- {title}:")
                details += [f"  - {md_escape(_short(c.text, 200))}" for c in shown]
                if len(ids) > len(shown):
                    details.append(f"  - … and {len(ids) - len(shown)} more")
        if details:
            lines += ["", f"### {md_escape(labels.get(f.doc, f.doc))}", "", *details]
    return lines


def section_entities(analysis: Analysis) -> list[str]:
    per_doc: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in analysis.entities:
        for m in ent.mentions:
            per_doc[m.doc][f"{ent.name} ({ent.type})"] += 1
    lines = ["## Entities per document", ""]
    for doc in analysis.documents:
        top = per_doc.get(doc.id, Counter()).most_common(25)
        listing = ", ".join(f"{md_escape(name)} ×{n}" if n > 1 else md_escape(name) for name, n in top)
        lines.append(f"- **{md_escape(doc_label(doc))}**: {listing or 'none found'}")
    return lines


def section_times(analysis: Analysis) -> list[str]:
    lines = ["## Dates and times", ""]
    for doc in analysis.documents:
        resolved = [f"{md_escape(t.span.text)} → {md_escape(t.value)}" for t in doc.times if t.value]
        if resolved:
            lines.append(f"- **{md_escape(doc_label(doc))}**: " + "; ".join(resolved[:20]))
    return lines if len(lines) > 2 else []


def section_errors(analysis: Analysis) -> list[str]:
    if not analysis.errors:
        return []
    lines = ["## Inputs skipped", ""]
    lines += [f"- {md_escape(e.source)}: {md_escape(e.code)} {md_escape(e.message)}" for e in analysis.errors]
    return lines


QUOTE_BOARD_SPEAKERS = 30
QUOTE_BOARD_UTTERANCES = 12
QUOTE_BOARD_CHARS = 500


def _utterances(quotes: list[Quote]) -> list[list[Quote]]:
    """Quotes linked through ``also_in`` (one utterance each), in input order."""
    sets = DisjointSet(q.id for q in quotes)
    for q in quotes:
        for linked in q.also_in:
            if linked in sets.parent:
                sets.union(linked, q.id)
    groups: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        groups[sets.find(q.id)].append(q)
    return list(groups.values())


def section_quote_board(analysis: Analysis) -> list[str]:
    """Per story: speaker → utterances → outlets carrying each (exact words); per outlet, whom it quotes."""
    shown_quotes = board_quotes(analysis.quotes)
    if not shown_quotes:
        return []
    labels = _labels(analysis)
    names = {e.id: e.name for e in analysis.entities}
    by_id = {q.id: q for q in analysis.quotes}
    stories = [(s.label, list(s.docs)) for s in analysis.stories] or [("", [d.id for d in analysis.documents])]
    order = {d.id: i for i, d in enumerate(analysis.documents)}

    def who(q: Quote) -> tuple[str, str]:
        key, name = speaker_of(q, names)
        return key, name or "(no speaker named)"

    lines = ["## Quote board", "",
             "Who is quoted, each utterance once, with every outlet that carries it and the exact words "
             "it printed (\"reported\" = indirect speech). ⚠ marks the same words given to another speaker."]
    for title, doc_ids in stories:
        docs = set(doc_ids)
        quotes = sorted((q for q in shown_quotes if q.span.doc in docs),
                        key=lambda q: (order.get(q.span.doc, 0), q.span.start))
        if not quotes:
            continue
        speakers: dict[str, list[list[Quote]]] = defaultdict(list)
        shown_name: dict[str, str] = {}
        for members in _utterances(quotes):
            keys = Counter(who(q)[0] for q in members)
            key = max(keys, key=lambda k: (keys[k], k != ""))
            speakers[key].append(members)
            shown_name[key] = next(who(q)[1] for q in members if who(q)[0] == key)
        lines += ["", f"### {md_escape(title)}" if title and len(stories) > 1 else "### Speakers", ""]
        ranked = sorted(speakers.items(), key=lambda kv: (
            kv[0] == "", -len({q.span.doc for u in kv[1] for q in u}), -sum(len(u) for u in kv[1])))
        for key, utterances in ranked[:QUOTE_BOARD_SPEAKERS]:
            outlets = {q.span.doc for u in utterances for q in u}
            lines.append(f"**{md_escape(shown_name[key])}** — {len(utterances)} "
                         f"utterance{'s' if len(utterances) != 1 else ''} in {len(outlets)} "
                         f"outlet{'s' if len(outlets) != 1 else ''}")
            lines.append("")
            utterances.sort(key=lambda u: (-len({q.span.doc for q in u}), order.get(u[0].span.doc, 0),
                                           u[0].span.start))
            for n, u in enumerate(utterances[:QUOTE_BOARD_UTTERANCES], 1):
                carried = sorted({labels.get(q.span.doc, q.span.doc) for q in u})
                if len(u) > 1:
                    lines.append(f"{n}. carried by {len(carried)}: {md_escape(', '.join(carried))}")
                for q in u:
                    words = q.span.text
                    if len(words) > QUOTE_BOARD_CHARS:
                        words = _short(words, QUOTE_BOARD_CHARS)
                    kind = "" if q.direct else " (reported)"
                    given = who(q)
                    credit = f" — as {md_escape(given[1])}" if given[0] != key else ""
                    warn = ""
                    wrong = [by_id[x] for x in q.misattribution if x in by_id]
                    if wrong:
                        alt = sorted({who(x)[1] for x in wrong})
                        warn = " ⚠ same words given to " + md_escape(", ".join(alt))
                    # one outlet's one printing is one line: "carried by 1: X" above "X: …" said X twice
                    bullet = "   - " if len(u) > 1 else f"{n}. "
                    lines.append(f"{bullet}{md_escape(labels.get(q.span.doc, q.span.doc))}{kind}: "
                                 f"{md_escape(words)}{credit}{warn}")
            if len(utterances) > QUOTE_BOARD_UTTERANCES:
                lines.append(f"- … and {len(utterances) - QUOTE_BOARD_UTTERANCES} more")
            lines.append("")
        if len(ranked) > QUOTE_BOARD_SPEAKERS:
            lines += [f"… and {len(ranked) - QUOTE_BOARD_SPEAKERS} more speakers", ""]
        lines += ["| outlet | direct | reported | speakers quoted |", "|---|---|---|---|"]
        for doc_id in sorted({q.span.doc for q in quotes}, key=lambda d: order.get(d, 0)):
            mine = [q for q in quotes if q.span.doc == doc_id]
            counts = Counter(who(q)[1] for q in mine if who(q)[0])
            listing = ", ".join(f"{md_escape(name)} ({n})" for name, n in counts.most_common())
            lines.append(f"| {md_escape(labels.get(doc_id, doc_id))} | {sum(q.direct for q in mine)} | "
                         f"{sum(not q.direct for q in mine)} | {listing or '—'} |")
    return lines


Section = Callable[[Analysis], list[str]]
SECTIONS: list[Section] = [
    section_briefing,
    section_documents,
    section_stories,
    section_timeline,
    section_contradictions,
    section_matrix,
    section_single_source,
    section_framing,
    section_entities,
    section_times,
    section_errors,
    section_quote_board,
]


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def render_markdown(analysis: Analysis, title: str = "storylens report") -> str:
    out = [f"# {md_escape(title)}", "",
           f"{outlets_phrase(analysis.documents)}; {_count(len(analysis.stories), 'story', 'stories')}, "
           f"{_count(len(analysis.claims), 'claim')}, {_count(len(analysis.contradictions), 'contradiction')}.", ""]
    for section in SECTIONS:
        lines = section(analysis)
        if lines:
            out += lines + [""]
    return "\n".join(out).rstrip() + "\n"

