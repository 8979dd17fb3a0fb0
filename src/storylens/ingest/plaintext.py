"""Plain-text cleaning: boilerplate lines, headline, byline and date.

Pasted articles carry navigation, share bars, promos, author bios and
related-article lists. We decide per line from general signals — shape
(length, terminal punctuation, separators), position (top/bottom of the
document), repetition (inside the document and across the batch) and a small
generic lexicon of interface words — never from site-specific phrases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from storylens.ingest.dates import parse_date_text, parse_numeric_date

_TERMINAL = re.compile(r"""[.!?]["')\]]*\s*$""")
_ELLIPSIS_END = re.compile(r"(\s*\[?\s*\.\.\.\s*\]?|\s*\[\s*\])\s*$")
_MENU_SEP = re.compile(r"\s*[|•·»›>/]\s*")
_WORD = re.compile(r"[^\W\d_][\w'.-]*")
_KEY_WORD = re.compile(r"\w+")
# Section labels that say what kind of piece follows (a kicker above the headline).
_GENRE_LABELS = {
    "opinion": "opinion", "comment": "opinion", "editorial": "opinion", "column": "opinion",
    "op-ed": "opinion", "oped": "opinion", "commentary": "opinion", "viewpoint": "opinion",
    "analysis": "analysis", "explainer": "analysis", "interview": "interview",
    "letters": "opinion", "review": "review", "obituary": "obituary",
}
# Interface words that name a platform or an action, not news content.
_UI_WORDS = {
    "subscribe", "subscribed", "follow", "share", "shares", "tweet", "channel",
    "newsletter", "whatsapp", "telegram", "facebook", "twitter", "instagram",
    "youtube", "linkedin", "tiktok", "reddit", "pinterest", "email", "print",
    "download", "app", "login", "log", "sign", "register", "advertisement",
    "sponsored", "cookies", "cookie", "comments", "comment", "copy", "link",
    "podcast", "rss", "menu", "search", "home", "listen", "article", "audio", "play", "alerts",
}
_COPYRIGHT = re.compile(r"^\s*(?:©|\(c\)|copyright\b)", re.I)
# "Tags: a, b, c" / "Topics: x, y": a label and a comma-separated list of short items
#: lines from the top where a date line is looked for
DATE_LINE_TOP = 6
_TAG_LINE = re.compile(r"^\s*[A-Z][\w ]{0,15}:\s*[^,.!?]{1,30}(?:,\s*[^,.!?]{1,30}){1,}\s*$")
_CAPTION_CREDIT = re.compile(r"\((?P<credit>[^()]{2,80})\)\s*$")
_RELATED_HEADING = re.compile(
    r"^[\[(]?(more|related|read|see|also|recommended|latest|popular|trending|top|other|further)\b",
    re.I,
)
_NAME = r"[A-Z][\w'.-]+(?:\s+(?:[A-Z][\w'.-]*|de|da|van|von|bin|al|el|la|le))*\s+[A-Z][\w'.-]+"
#: a byline's cue that no headline opens with (a bare "By …" may open one: "By Sea to Vell")
_CREDIT_CUE = re.compile(r"^[\s/|·•–—-]*(?:written|reporting|updated|edited|compiled)\s+by\b", re.I)
_BY_LINE = re.compile(
    rf"^[\s/|·•–—-]*(?:by|written by|words by|reporting by|updated by|edited by|compiled by)\s*:?\s+(?P<name>{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*)"
    r"(?P<rest>.*)$",
    re.I,
)
#: what may stand beside the date on a timestamp line: clock times (also as "3: 00pm"),
#: time zones, "Last updated at", "Posted", separators
_STAMP_TOKEN = re.compile(
    r"(?i:first|last|updated?|posted|published|at|on):?|[|@,/·–—-]+"
    r"|\d{1,2}[:.]?|(?:\d{1,2}[:.])?\d{2}(?:[:.]\d{2})?(?i:[ap]\.?m\.?)?,?|\d{1,2}(?i:[ap]\.?m\.?),?|(?i:[ap]\.?m\.?),?"
    r"|[A-Z]{2,4},?"  # a time zone (EST, GMT, BST) or country code, in capitals
)
#: an outlet or place name beside a byline's date ("Jane Roe | Reuters | March 3")
_CAPITALISED = re.compile(r"[A-Z][\w.&'-]*[,|]?")
_NAME_THEN_DATE = re.compile(rf"^\s*(?P<name>{_NAME})\s*(?:,|-|\||/)\s*(?P<rest>.+)$")
_BIO_START = re.compile(rf"^\s*(?P<name>{_NAME})\s*(?:-\s*)?(?:,\s*)?(?:is|was|has been|writes)\b")
#: the trade a writer's bio names ("… is a reporter covering transport", "… writes about food")
_BIO_CUE = re.compile(
    r"\b(?:reporter|correspondent|writer|journalist|editor|columnist|author|contributor|commentator|analyst"
    r"|fellow|professor|researcher|lecturer|producer|blogger|intern|staff|freelance|covers|covering|writes"
    r"|writing|based in|graduate|follow (?:him|her|them))\b", re.I)
#: an author's note that names the writer's role as a commentator's: the piece is opinion
#: whatever its wording ("X is a columnist for …", "The views expressed are the author's own")
_COMMENTATOR_BIO = re.compile(
    r"\b(?:columnist|commentator|op-?ed|opinion (?:writer|editor|contributor)|editorial (?:board|writer)"
    r"|(?:political|geopolitical|foreign[- ]policy|military|security) (?:observer|analyst|commentator)"
    r"|views expressed)", re.IGNORECASE)
#: a line that is the page's media furniture, whatever follows on it: a player's notice
#: ("Media playback is unsupported on your device", "Please turn on JavaScript"), a photo's
#: credit and caption labels ("Image copyright … Image caption …"), a share widget's text
#: ("Click to email this to a friend (Opens in new window)"), an embed bar
_MEDIA_NOTICE = re.compile(
    r"^\W*(?:media playback is (?:unsupported|not supported)|(?:please )?(?:turn on|enable) javascript"
    r"|(?:this )?media requires javascript|your browser (?:does not|doesn't) support|this video is (?:unavailable|"
    r"no longer available)|(?:image|media|video) (?:copyright|caption)\b|enlarge this image|toggle caption\b"
    r"|click to (?:email|share|print|open)\b|skip in skip\b|warning: (?:this|the) video contains"
    # a social network's embed ("Tweet with a location", "You can add location information to …")
    r"|tweet with a location\b|you can add location information to your tweets\b)",
    re.I,
)
_NEW_WINDOW = re.compile(r"\(opens in (?:a )?new window\)", re.I)
#: a wire photo's caption, as pasted from an agency page: it opens by saying it is a photo
#: ("FILE - In this March 3, 2030, file photo, …", "This photo released by … shows …") or
#: says what "is seen" and ends on the day it was taken ("A ferry is seen at the pier in Vell,
#: March 3, 2030.") or carries the agency's photo credit ("(AP Photo/Jane Roe)") or is cut
#: short before its credit ("… at the pier. (AP... (Harbour Wire)", "… at the pier. The... (Harbour Wire)")
_WIRE_CAPTION = re.compile(
    r"^\W*(?:FILE(?:\s+PHOTO)?\s*[-–—:]"
    r"|(?i:in this\b[^;:]{0,40}?\b(?:file |handout |undated |still |aerial )*"
    r"(?:photo|image|picture|frame grab)s?"
    r"(?:,|\s+(?:taken|provided|released|made available|shot|obtained|posted|distributed|from|by)\b))"
    r"|(?i:this (?:undated |handout |file |aerial )*(?:photo|image|picture)s?\b[^.]{0,120}\b"
    r"(?:shows?|provided|released|taken|made available)\b))"
    # the same after a correction notice ("CORRECTS … - This photo provided by … shows …")
    r"|\s[-–—]\s+(?i:this (?:undated |handout |file |aerial )*(?:photo|image|picture)s?\s+(?:provided|released|taken"
    r"|made available)\b)"
    r"|\b(?:is|are) (?:seen|pictured|shown)\b(?!\s+(?:as|to)\b)(?:(?!\b(?:said|says|told)\b).){0,250}\b(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December) \d{1,2}, \d{4}\.?\s*$"
    r"|\([A-Z][\w.&-]{1,12}\s+(?:Photo|Photos|Images)\b[^()]{0,60}\)"
    r"|(?:\.\.\.|…)\s*\([A-Z][^()]{1,40}\)\s*$"
    # a photo credit inside the line ("… on Wednesday. (Photo: Jane Roe, HW) Story Highlights …")
    # or opening it ("HW/Getty Images A ferry leaves …")
    r"|\((?i:photo|photos|image|picture)s?:\s*[A-Z][^()]{1,60}\)"
    r"|^\W*[A-Z][\w.&-]{1,15}\s*/\s*Getty\s+Images\s+[A-Z]"
    # a photographer's credit opening the caption ("Orla Finch / HW Ana Reyes speaks …"), or the
    # day the picture was taken ("June 2, 2031 Crowds wave from the pier …")
    r"|^[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s+/\s+(?:AP|AFP|Reuters|EPA|Getty Images)\s+[A-Z]"
    # or the credit after a bar, as a photo's caption bar is flattened ("… leave the pier. | Orla
    # Finch/HW Ferry deal reached …")
    r"|(?:^|\s)\|\s*[A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,3}\s*/\s*[A-Z][\w.&-]+"
    r"|^(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4}\s+[A-Z][a-z]"
    # a gallery's caption ("Hide Caption 5 of 6 Photos: …") and an agency credit inside the
    # text ("CREDIT: HW Photo/Orla Finch")
    r"|\b(?i:hide caption)\s+\d+\s+of\s+\d+\b"
    r"|\b(?:CREDIT|Credit):\s*[A-Z][\w.&-]{1,12}\s+(?:Photo|Images)\s*/"
    # ends by saying it is a photo ("… on patrol in this March 3, 2030 handout photo.")
    r"|\b(?i:in this\b[^;:]{0,40}?\b(?:file |handout |undated |still |aerial )*(?:photo|image|picture)s?)\.?\s*$"
    # a picture agency's caption, which opens on the day in capitals ("MARCH 3: …",
    # "VELL, NORLAND - MARCH 3: …")
    r"|^(?:[A-Z][A-Z.'-]+(?:[ ,]+[A-Z][A-Z.'-]+){0,4}\s+[-–—]\s+)?(?:JANUARY|FEBRUARY|MARCH|APRIL|MAY|JUNE|JULY"
    r"|AUGUST|SEPTEMBER|OCTOBER|NOVEMBER|DECEMBER)\s+\d{1,2}:\s+[A-Z]",
)
#: a newsletter's or a subscription's blurb ("The stories that matter, delivered weekday mornings.",
#: "For the most complete local coverage, subscribe today."): the site's offer to its reader, on a
#: short line of its own
_NEWSLETTER_BLURB = re.compile(
    r"\bsubscribe\s+(?:today|now)\b|\bpremium\s+content\s+for\b"
    r"|(?:^|[,:–—-])\s*delivered\s+(?:(?:straight\s+|right\s+)?to\s+your\s+inbox|(?:every|each)\s+(?:weekday|morning|day|week"
    r"|evening)|weekday\s+mornings|daily|weekly)\b", re.I)
#: a link to the story's video ("Watch the report | Raw video from the rescue", "Watch the full
#: interview"): a player's label, not a sentence of the report (short lines only)
_VIDEO_LINK = re.compile(
    r"^\W*(?:(?:watch|see|view)\s+(?:the|our|this)\s+(?:full\s+|raw\s+|uncut\s+|extended\s+)?"
    r"(?:report|video|clip|interview|segment|broadcast)s?\b|(?:raw|uncut|extended)\s+video\b)",
    re.I,
)
#: a broadcaster's video blurb, which ends on the clip's credit and stamp ("… her son, who was
#: killed last month. Ana Reyes reports for the 6 p.m. news on June 2, 2031. (Published Tuesday,
#: June 2, 2031)"): it describes a video, the report's own sentences tell it again
_VIDEO_BLURB = re.compile(
    r"\((?:Published|Updated|Posted)\s+(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+\d{4}"
    r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}\s*[ap]\.?m\.?(?:\s+[A-Z]{2,4})?)?\)\s*$"
)
#: a wire photo's caption in the agencies' form: what the picture shows in the present tense, then
#: the weekday and full date after a comma or a noun, then the place ("A ferry leaves the pier,
#: Tuesday, June 2, 2031, in Vell."); a report's sentence names the weekday alone, or says "on"
_DATED_CAPTION = re.compile(
    r"(?:,|(?<!\bon)\s)\s*(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},\s+\d{4},\s+"
    r"(?:in|at|near|outside|on|off)\s+(?:the\s+)?[A-Z]"
    # or the date ends the caption, or the caption is cut short after it ("…, in Vell, Tuesday,
    # June 2, 2031." / "…, Tuesday, June 2,...")
    r"|,\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\s+"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2},"
    r"(?:\s+\d{4}\.?\s*$|\s*(?:\d{4})?\s*(?:\.\.\.|…)\s*$)"
    # another agency's form: the place, then the full date without a weekday, ending the caption
    # ("… attend a news conference at the courthouse in Vell, June 2, 2031.")
    r"|\bin\s+[A-Z][\w.'-]+(?:[ ,]+[A-Z][\w.'-]+){0,3},\s+(?:January|February|March|April|May|June|July|August"
    r"|September|October|November|December|Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.)\s+\d{1,2},\s+\d{4}\.?\s*$"
)
#: a photo gallery pasted as one paragraph ("… Hide Caption 3 of 6 Photos: … Hide Caption 4 of 6"):
#: however long, every part of it is a caption
_GALLERY_CAPTION = re.compile(r"\b(?i:hide caption)\s+\d+\s+of\s+\d+\b")
_SAID = re.compile(r"\b(?:said|says|told|according)\b")
#: a contributor's credit at the end of a wire story ("The Harbour Wire contributed to this
#: report.", "Ana Reyes contributed reporting from Vell.", "Reporting by Ana Reyes; Editing by
#: Tom Lind"): who helped write it, not what happened
_CONTRIBUTOR_CREDIT = re.compile(
    r"^\W*[A-Z][^.;]{0,150}?\s+(?:also\s+)?contributed\s+(?:to\s+this\s+(?:report|story|article)"
    r"|(?:additional\s+)?reporting(?:\s+(?:from|in|for)\b[^.]*)?)\s*\.?\s*$"
    r"|^\W*(?i:(?:additional\s+)?reporting\s+by)\s+[A-Z][^.]{0,120};\s*(?i:writing|editing)\s+by\b",
)
#: a sign-up form's small print ("By signing up you agree to receive email newsletters …", "You
#: can unsubscribe at any time"), however much of the newsletter's pitch the line carries
_SIGNUP_TERMS = re.compile(r"\bby signing up,? you agree\b|\byou can unsubscribe at any time\b", re.I)
#: a contact line: an e-mail address with perhaps a social handle ("(jroe@example.com; @jroe)")
_CONTACT_LINE = re.compile(r"^\W*[\w.+-]+@[\w-]+(?:\.[\w-]+)+(?:\s*[;,|/]\s*@\w+)?\W*$")
#: an editor's note about the page itself ("This story is updated at the bottom with a response
#: from …", "This article has been updated to note that …"): how the page changed, not the report
_EDITOR_NOTE = re.compile(
    r"^\W*(?:editor'?s note:\s*)?(?:this|the)\s+(?:story|article|post|piece)\s+"
    r"(?:is|was|has\s+been|had\s+been|will\s+be)\s+(?:updated|corrected|amended|edited|changed|revised)\b",
    re.I)
#: an advertisement slot's label and the link that resumes the story after it
_AD_SLOT = re.compile(
    r"^\W*(?:(?:photo|video)\s+)?(?:advertisement|sponsored content)\b(?:\s+continue reading(?: the main story)?)?\W*$"
    r"|^\W*(?:(?:photo|video)\s+)?(?:advertisement\s+)?continue reading (?:the main story|below)\W*$",
    re.I,
)
#: a relative age standing alone ("2 years ago", "Updated 3 hours ago"): when a page was
#: crawled, not when the story happened
_AGE_STAMP = re.compile(
    r"^\W*(?:(?:updated|posted|published|last updated)\s*:?\s*)?(?:\d+|an?|one|two|three|four|five|six|seven|"
    r"eight|nine|ten|several|a few)\s+(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\W*$",
    re.I,
)
#: "Photo: Lena Ashby/Harbour Wire", "Image: Archive": a picture's credit line
_CREDIT_LINE = re.compile(r"^\W*(?:photo(?:graph)?s?|images?|pictures?|video|graphic|illustration)\s*(?:credit)?\s*:\s*\S", re.I)
#: a short line ending in a "more" arrow ("Local News More>>"): a section link
_MORE_LINK = re.compile(r"\bmore\s*(?:>>|»|›|→)\s*$", re.I)


@dataclass
class Line:
    start: int
    end: int
    text: str
    reason: str | None = None

    @property
    def words(self) -> list[str]:
        return _WORD.findall(self.text)

    @property
    def terminal(self) -> bool:
        return bool(_TERMINAL.search(self.text))


@dataclass
class CleanedText:
    text: str
    #: (start, end) in the input for each kept line, in order
    kept: list[tuple[int, int]]
    removed: list[Line]
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_text: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def split_lines(text: str) -> list[Line]:
    lines = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append(Line(pos + lead, pos + lead + len(stripped), stripped))
        pos = end + 1
    return lines


def _norm_key(text: str) -> str:
    return " ".join(w.lower() for w in _KEY_WORD.findall(text))


def _is_menu(line: Line) -> bool:
    parts = [p for p in _MENU_SEP.split(line.text) if p.strip()]
    if len(parts) < 3 and not (len(parts) >= 2 and "|" in line.text):
        return False
    return all(len(p.split()) <= 3 for p in parts) and not line.terminal


def _is_ui(line: Line, at_edge: bool) -> bool:
    words = [w.lower().strip(".'") for w in line.words]
    ui = sum(1 for w in words if w in _UI_WORDS)
    # a call to action at the top or bottom ("Subscribe to our newsletter for ...")
    if at_edge and ui >= 2 and len(words) <= 12:
        return True
    if not words or len(words) > 8 or line.terminal and len(words) > 4:
        return False
    # one interface word is not enough in a longer line ("Share prices fall")
    return ui >= 2 or (ui >= 1 and (len(words) <= 2 or line.text.endswith(":")))


def _is_caption(line: Line) -> bool:
    """A photo caption ending in a credit such as "(Agency: Photographer/Handout)"."""
    m = _CAPTION_CREDIT.search(line.text)
    if not m or len(line.words) > 45:
        return False
    credit = m.group("credit")
    return len(credit.split()) <= 8 and (":" in credit or "/" in credit) and "http" not in credit


def _truncated_repeat(line: Line, others: Iterable[Line]) -> bool:
    """A teaser or breadcrumb: ends in an ellipsis and repeats text found elsewhere."""
    m = _ELLIPSIS_END.search(line.text)
    if not m or m.start() == 0:
        return False
    body = line.text[: m.start()].strip()
    words = body.split()
    if len(words) < 4:
        return False
    others = [o for o in others if o is not line]
    # allow a short prefix (breadcrumb trail) before the repeated part
    for skip in range(0, min(6, len(words) - 3)):
        tail = " ".join(words[skip:])
        if any(tail in o.text for o in others):
            return True
    return False


def _lines_before(lines: list[Line], target: Line) -> int:
    return next(i for i, ln in enumerate(lines) if ln is target)


def _looks_like_title(line: Line) -> bool:
    n = len(line.words)
    return 2 <= n <= 30 and not re.search(r"[.;,:]\s*$", line.text)


def _only_stamp(rest: str, names: bool = False) -> bool:
    """Nothing but timestamp words in ``rest`` (and, with ``names``, capitalised names)."""
    return all(_STAMP_TOKEN.fullmatch(t) or (names and _CAPITALISED.fullmatch(t)) for t in rest.split())


def _parse_byline(line: Line) -> tuple[str | None, str | None, str | None] | None:
    """(author, iso_date, date_text) when the line is a byline or date line."""
    text = line.text
    if len(text.split()) > 20:
        return None  # a sentence, not a byline
    m = _BY_LINE.match(text)
    if m:
        rest = m.group("rest").strip(" -,|/")
        iso, dtext = parse_date_text(rest) if rest else (None, None)
        return m.group("name").strip(), iso, dtext
    m = _NAME_THEN_DATE.match(text)
    if m:
        iso, dtext = parse_date_text(m.group("rest"))
        # "Jane Roe, March 3, 2024": only a timestamp may follow the name, not a clause
        # ("On Thursday, November 10th ..., the camp was bombed.")
        if dtext and _only_stamp(m.group("rest").replace(dtext, " "), names=True):
            return m.group("name").strip(), iso, dtext
    iso, dtext = parse_date_text(text, whole=True)
    if dtext:
        return None, iso, dtext
    # a timestamp line: the date with a clock time, a time zone or "Last updated at"
    iso, dtext = parse_date_text(text)
    if dtext and _only_stamp(text.replace(dtext, " ")):
        return None, iso, dtext
    # a numeric one ("Posted 4 / 9 / 2012 8:33 am", "08. 07. 2012"), on a line of its own
    iso, dtext = parse_numeric_date(text)
    if dtext and _only_stamp(text.replace(dtext, " ")):
        return None, iso, dtext
    return None


def _strip_tail(lines: list[Line], result: CleanedText, lists: bool = True) -> None:
    """One pass over the end of a document: a related-links list, then an author bio."""
    live = [ln for ln in lines if ln.reason is None]
    if not lists:
        _strip_bio(live, result)
        return
    j = len(live)
    # related-article titles may end in "?", so only "." and "!" end a body line here
    while j > 0 and not re.search(r"""[.!]["')\]]*$""", live[j - 1].text) and len(live[j - 1].words) <= 20:
        j -= 1
    tail = live[j:]
    # the list's heading may already be gone ("Related articles:" read as navigation)
    after_heading = False
    if tail:
        k = next(i for i, ln in enumerate(lines) if ln is tail[0]) - 1
        while k >= 0 and lines[k].reason == "separator":
            k -= 1
        after_heading = k >= 0 and lines[k].reason in ("navigation", "related-links") and all(
            len(t.words) <= 12 for t in tail
        )
    if len(tail) >= 3 or (tail and (_RELATED_HEADING.match(tail[0].text) or after_heading) and len(tail) >= 2) or (
        after_heading and tail and tail[0].text.lstrip()[:1] in "-•*–"
    ):
        for line in tail:
            line.reason = "related-links"
        # a short heading right before the list ("...on this topic")
        if j > 0 and len(live[j - 1].words) <= 6 and not live[j - 1].terminal:
            live[j - 1].reason = "related-links"
    elif len(tail) == 1 and len(tail[0].words) <= 6 and _RELATED_HEADING.match(tail[0].text):
        tail[0].reason = "related-links"
    _strip_bio([ln for ln in lines if ln.reason is None], result)


def _strip_bio(live: list[Line], result: CleanedText) -> None:
    for line in live[-3:]:
        m = _BIO_START.match(line.text)
        if not m:
            continue
        name = m.group("name")
        author_match = result.author and _norm_key(result.author) == _norm_key(name)
        # the last paragraph may be a bio only when it reads like one: a person's name, not an
        # organisation's ("The Harbour Board is facing …" is news), and a writer's trade
        bio_like = name.split()[0].lower() not in ("the", "a", "an") and bool(_BIO_CUE.search(line.text))
        if author_match or (line is live[-1] and len(live) > 3 and bio_like):
            line.reason = "author-bio"
            if not result.author:
                result.author = name
            if _COMMENTATOR_BIO.search(line.text):
                result.extra.setdefault("genre", "opinion")


def _finish(lines: list[Line], result: CleanedText) -> CleanedText:
    kept = [ln for ln in lines if ln.reason is None]
    result.kept = [(ln.start, ln.end) for ln in kept]
    result.removed = [ln for ln in lines if ln.reason is not None]
    result.text = "\n\n".join(ln.text for ln in kept)
    return result


def clean_plain_text(
    text: str, batch_lines: dict[str, int] | None = None, from_html: bool = False
) -> CleanedText:
    """Remove boilerplate lines and pull headline, byline and date from ``text``.

    ``from_html``: the text is an article body already extracted from HTML
    (trafilatura removed the page furniture). The list, menu and repetition
    rules then remove more real body (lists, short subheadings) than furniture
    — measured on the extraction benchmark — so only line-level rules run.

    ``batch_lines`` maps a normalised short line to the number of documents in
    the batch that contain it (cross-document repetition signal).
    """
    lines = split_lines(text)
    n = len(lines)
    if n == 0:
        return CleanedText("", [], [])
    edge = max(2, n // 6)

    def near_edge(i: int) -> bool:
        return i < edge or i >= n - edge

    # 1. shape and interface signals
    for i, line in enumerate(lines):
        # "4 / 9 / 2031 8:33 am" has no word and splits into short parts like a menu: at the top it
        # is the date line, which step 3 reads as the published date
        numeric_date = i < DATE_LINE_TOP and parse_numeric_date(line.text)[1] is not None
        if not line.words and not numeric_date:
            line.reason = "separator"
        elif _is_menu(line) and not from_html and not numeric_date:
            line.reason = "navigation"
        elif _is_ui(line, near_edge(i)) or _AD_SLOT.match(line.text) or (
                _NEWSLETTER_BLURB.search(line.text) and len(line.words) <= (25 if near_edge(i) else 15)) or (
                _SIGNUP_TERMS.search(line.text) and len(line.words) <= 60):
            line.reason = "share-or-promo"
        elif line.text.endswith(":") and len(line.words) <= 5 and near_edge(i) and not from_html:
            line.reason = "navigation"
        elif _is_caption(line) or _MEDIA_NOTICE.match(line.text) or _NEW_WINDOW.search(line.text) or (
                _CREDIT_LINE.match(line.text) and len(line.words) <= 8 and not line.terminal) or (
                _WIRE_CAPTION.search(line.text) and len(line.words) <= 90) or (
                _VIDEO_LINK.match(line.text) and len(line.words) <= 12) or (
                _VIDEO_BLURB.search(line.text) and len(line.words) <= 90) or (
                _DATED_CAPTION.search(line.text) and len(line.words) <= 60 and not _SAID.search(line.text)) or (
                len(_GALLERY_CAPTION.findall(line.text)) >= 2):
            line.reason = "caption"
        elif _CONTRIBUTOR_CREDIT.match(line.text) and len(line.words) <= 40 or _CONTACT_LINE.match(line.text):
            line.reason = "byline"
        elif _EDITOR_NOTE.match(line.text) and len(line.words) <= 40:
            line.reason = "editor-note"
        elif _AGE_STAMP.match(line.text):
            line.reason = "timestamp"
        elif _MORE_LINK.search(line.text) and len(line.words) <= 8:
            line.reason = "navigation"
        elif _COPYRIGHT.match(line.text) and len(line.words) <= 15:
            line.reason = "copyright"
        elif _TAG_LINE.match(line.text) and not line.terminal and not (
                i < DATE_LINE_TOP and (parsed_date := _parse_byline(line)) is not None and parsed_date[2]):
            # "Updated: May 24, 2005, 3:23 PM ET" has a tag list's shape; at the top it is the
            # date line, which step 3 reads as the published date
            line.reason = "tags"
        elif _RELATED_HEADING.match(line.text) and ":" in line.text[:20] and len(line.words) <= 15 and (
            line.text.rstrip().endswith(("...", "…")) or not line.terminal
        ):
            line.reason = "related-links"  # "Also read: …", "See also: …" teasers
        elif _truncated_repeat(line, lines):
            line.reason = "truncated-repeat"
        elif (
            batch_lines
            and not line.terminal
            and len(line.words) <= 12
            and batch_lines.get(_norm_key(line.text), 0) >= 2
            and i > 0
            and near_edge(i)  # a subheading shared by two copies of a story is still content
            and not parse_date_text(line.text, whole=True)[1]
        ):
            line.reason = "repeated-in-batch"

    result = CleanedText("", [], [])

    # 2a. masthead: a short unpunctuated first line right above a navigation bar
    first = lines[0]
    if n >= 3 and first.reason is None and lines[1].reason == "navigation" and len(first.words) <= 4 and not first.terminal:
        first.reason = "masthead"
        result.extra["site"] = first.text
    # 2b. kicker: a one- or two-word section label above the headline
    live = [ln for ln in lines if ln.reason is None]
    if (
        len(live) >= 3
        and len(live[0].words) <= 2
        and not live[0].terminal
        and _looks_like_title(live[1])
        and len(live[1].words) >= 3
        and _lines_before(lines, live[0]) <= 3
        # "DECEMBER 16, 2008" has one or two words too: a date line, which step 3 reads as the date
        and _parse_byline(live[0]) is None
    ):
        live[0].reason = "section-label"
        label = _GENRE_LABELS.get(live[0].text.lower().strip(" :"))
        if label:
            result.extra["genre"] = label

    # 2c. headline: the first title-shaped line before the body starts (a timestamp
    # line above it is no headline; step 3 reads it as the date)
    live = [ln for ln in lines if ln.reason is None]
    while len(live) >= 3 and (parsed := _parse_byline(live[0])) is not None and (
            parsed[0] is None or parsed[1] is not None or _CREDIT_CUE.match(live[0].text)):
        # a date line, a byline with its date ("By Jane Roe / Published March 3, 2031") or a credit
        # no headline opens with ("Updated by …"): step 3 reads it
        live.pop(0)
    if len(live) >= 2 and _looks_like_title(live[0]):
        title_line = live[0]
        title_line.reason = "headline"
        result.title = title_line.text
        key = _norm_key(title_line.text)
        for other in live[1:]:
            if _norm_key(other.text) == key:
                other.reason = "headline-repeat"

    # 3. byline / date lines near the top
    live = [ln for ln in lines if ln.reason is None]
    for line in live[:4]:
        parsed = _parse_byline(line)
        if parsed is None:
            continue
        author, iso, dtext = parsed
        if author and not result.author:
            result.author = author
        if dtext and not result.published_text:
            result.published, result.published_text = iso, dtext
        line.reason = "byline"

    # 4. exact repeats inside the document (keep the first)
    if from_html:
        _strip_tail(lines, result, lists=False)
        return _finish(lines, result)
    seen: set[str] = set()
    for line in lines:
        if line.reason is not None:
            continue
        key = _norm_key(line.text)
        if key in seen and len(line.words) >= 3:
            line.reason = "repeated"
        seen.add(key)

    # 5. the tail: related-article lists, their heading, and the author bio, in
    # whichever order they come (each removal can expose the next)
    for _ in range(3):
        before = sum(ln.reason is None for ln in lines)
        _strip_tail(lines, result)
        if sum(ln.reason is None for ln in lines) == before:
            break

    return _finish(lines, result)


def batch_line_counts(texts: Iterable[str]) -> dict[str, int]:
    """How many documents contain each short, unpunctuated line."""
    counts: dict[str, int] = {}
    for text in texts:
        keys = {
            _norm_key(ln.text)
            for ln in split_lines(text)
            if not ln.terminal and 0 < len(ln.words) <= 12
        }
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    return counts
