"""Cue verbs, speaker nouns and other word classes of attribution, and the records
(quotation regions, attributions) both passes fill."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from storylens import wordlists

#: verbs that introduce speech or writing (lemmas); verbs of belief, knowledge and
#: inference count in broad mode only, and only with a clause ("believes that ...", "the
#: poll shows (that) ..."), never with a plain object ("saw the ice", "found a job")
SPEECH_CUES = wordlists.SPEECH_CUES


BELIEF_CUES = wordlists.BELIEF_VERBS


#: verbs of intention and will (broad mode only): an attribution only with an infinitive
#: ("wants to ...", "refused to ...", "plans to ...")
INTENT_CUES = frozenset({
    "want", "plan", "intend", "hope", "expect", "refuse", "decide", "vow", "promise", "pledge",
    "threaten", "agree", "decline", "aim", "mean", "wish", "prefer", "resolve", "offer",
})


#: verbs that evaluate or take up what someone said or did (broad mode only), with an object
#: ("criticized the plan", "cited the report")
EVAL_CUES = frozenset({
    "cite", "quote", "reference", "mention", "discuss", "question", "dispute", "reject", "oppose",
    "attack", "criticize", "criticise", "condemn", "praise", "endorse", "welcome",
    "dismiss", "slam", "blast", "decry", "applaud", "tout", "echo", "express", "describe",
    "acknowledge", "admit", "deny", "predict", "propose", "demand", "denounce", "mock",
    "ridicule", "lambaste", "chastise", "fault", "hail", "laud", "champion", "back",
})


#: cues whose object names what was said ("denied the allegations")
_DOBJ_CUES = frozenset({
    "announce", "deny", "confirm", "claim", "report", "reveal", "cite", "mention", "criticize",
    "criticise", "condemn", "praise", "defend", "endorse", "reject", "demand", "propose", "discuss",
    "express", "question", "echo", "blast", "tout", "describe", "promise", "pledge", "vow", "predict",
    "acknowledge", "admit", "dispute", "repeat", "reiterate", "welcome", "dismiss", "slam", "decry",
    "applaud", "recommend", "allege", "forecast", "estimate", "disclose", "tweet", "post", "write",
})


#: cues whose infinitive complement is the content ("vowed to fight")
_XCOMP_CUES = frozenset({
    "promise", "vow", "pledge", "threaten", "urge", "warn", "ask", "tell", "call", "demand", "order",
    "advise", "agree", "refuse", "decline", "offer", "propose", "encourage", "claim", "appeal",
    "beg", "implore", "invite", "challenge", "swear", "insist", "recommend",
})


#: cues that take their content through a preposition ("warned of", "called for")
_PREP_CUES = frozenset({
    "warn", "caution", "complain", "speak", "talk", "call", "comment", "ask", "write", "testify",
    "tweet", "post", "argue", "joke", "boast", "brag", "lament", "rail", "inquire", "enquire",
    "remark", "reflect", "point", "refer", "allude", "hint", "respond", "reply", "plead", "appeal",
    "push", "press", "campaign", "lobby", "advocate", "worry", "fret", "care", "think", "know",
})


#: speech-like verbs of the lists above that are not in SPEECH_CUES
_SPEECH_EXTRA = (_XCOMP_CUES | _PREP_CUES) - BELIEF_CUES - {"care", "offer", "push", "press"}


#: the objects of these verbs are what was said, even without a clause ("denied the report");
#: the rest of _DOBJ_CUES ("discussed the summit") only counts in broad mode
_DOBJ_SPEECH = frozenset({
    "announce", "deny", "confirm", "claim", "report", "reveal", "predict", "promise", "pledge",
    "vow", "demand", "propose", "allege", "acknowledge", "admit", "repeat", "reiterate",
})


#: "spoke to reporters": after these verbs "to" names the addressee, not what was said
_ADDRESS_CUES = frozenset({"speak", "talk", "write", "tweet", "post", "say", "explain", "complain", "boast",
                           "brag", "lament", "joke", "remark", "testify", "reply", "respond", "plead"})


#: verbs of speaking about something, whose object is what was spoken about ("condemned the
#: attack", "cited the report"): cues in every mode
_SPEECH_EVAL = frozenset({
    "cite", "mention", "reference", "criticize", "criticise", "condemn", "praise", "denounce", "slam",
    "blast", "decry", "applaud", "hail", "laud", "welcome", "endorse", "express", "describe", "reject",
    "dispute", "echo", "tout", "question", "deplore", "lambaste",
})


_CUE_PREPS = frozenset({"of", "about", "on", "against", "for", "to", "over", "at"})


_ACCUSE = frozenset({
    "accuse", "blame", "charge", "criticize", "criticise", "praise", "thank", "condemn", "fault",
    "attack", "slam", "blast", "commend", "credit",
})


#: cues next to which a one- to three-word quotation is a real reply, not a scare quote
_SAY_LIKE = frozenset({
    "say", "add", "reply", "respond", "answer", "tell", "ask", "shout", "yell", "write", "tweet",
    "insist", "repeat", "whisper", "exclaim", "retort", "counter", "snap", "quip", "joke",
    "continue", "declare", "state", "post", "mutter",
})


_SUBJ_DEPS = {"nsubj", "nsubjpass", "csubj"}


_STATEMENT_NOUNS = {
    "statement", "release", "communique", "communiqué", "report", "letter", "post", "tweet",
    "message", "note", "notice", "announcement", "memo", "filing", "editorial", "commentary",
    "broadcast", "bulletin", "spokesman", "spokeswoman", "spokesperson", "representative",
    "spokespeople", "office", "website", "account", "newspaper",
}


#: plural and collective nouns for people who speak ("critics said", "residents told")
_SPEAKER_NOUNS = {
    "critic", "supporter", "opponent", "expert", "analyst", "source", "resident", "voter", "people",
    "member", "worker", "protester", "protestor", "observer", "economist", "scientist", "lawmaker",
    "politician", "leader", "citizen", "parent", "student", "teacher", "doctor", "nurse", "farmer",
    "investor", "trader", "banker", "employee", "staff", "neighbor", "neighbour", "friend", "family",
    "relative", "victim", "survivor", "witness", "activist", "advocate", "conservative", "liberal",
    "democrat", "republican", "candidate", "aide", "adviser", "advisor", "insider", "participant",
    "organizer", "organiser", "fan", "customer", "user", "reader", "viewer", "poll", "survey",
    "study", "report", "document", "memo", "ad", "advertisement", "campaign", "court", "judge",
    "jury", "panel", "committee", "commission", "spokesperson", "official", "officer", "coastguard",
    "data", "figure", "record", "estimate", "statistic", "census", "filing", "transcript", "footage",
    "rescuer", "firefighter", "paramedic", "crew", "passenger", "authority", "prosecutor",
}


_SHARE_WORDS = {
    "percent", "%", "half", "third", "quarter", "majority", "minority", "most", "many", "some",
    "few", "other", "all", "plurality", "share", "proportion", "fraction", "number",
}


_PERSON_PRONOUNS = {"he": "m", "she": "f", "him": "m", "her": "f"}


_ORG_PRONOUNS = {"it", "they"}


_PRONOUNS = set(_PERSON_PRONOUNS) | _ORG_PRONOUNS | {"i", "we", "you", "who", "that", "which"}


#: role nouns a speaker may be described by, with the entity type they can resolve to
_PERSON_ROLES = {
    "spokesman", "spokeswoman", "spokesperson", "official", "minister", "president", "premier",
    "chancellor", "secretary", "aide", "adviser", "advisor", "mayor", "governor", "senator",
    "ambassador", "envoy", "leader", "chief", "director", "chairman", "chairwoman", "chair",
    "executive", "ceo", "prosecutor", "judge", "lawyer", "attorney", "commander", "general",
    "captain", "officer", "king", "queen", "prince", "princess", "pope", "candidate", "nominee",
    "diplomat", "negotiator", "coach", "manager", "founder", "owner", "head", "representative",
    "lawmaker", "legislator", "congressman", "congresswoman", "mp", "deputy", "inspector",
    "investigator", "analyst", "economist", "scientist", "researcher", "professor", "doctor",
    "witness", "survivor", "resident", "father", "mother", "son", "daughter", "wife", "husband",
    "man", "woman", "boy", "girl", "author", "writer", "journalist", "reporter", "correspondent",
    "editor", "activist", "campaigner", "organiser", "organizer", "superintendent", "sheriff",
    "administrator", "commissioner", "auditor", "regulator", "pilot", "driver", "teacher",
}


_ORG_ROLES = {
    "ministry", "agency", "media", "government", "company", "firm", "group", "army", "military",
    "police", "court", "office", "department", "party", "campaign", "organisation",
    "organization", "union", "council", "committee", "administration", "authority",
    "authorities", "regime", "embassy", "newspaper", "broadcaster", "television", "network",
    "channel", "outlet", "station", "radio", "board", "commission", "bank", "parliament",
    "assembly", "coalition", "alliance", "federation", "association", "institute", "service",
    "team", "club", "school", "university", "hospital", "charity", "cabinet",
    "spokesman's office", "guard", "navy", "force", "forces", "operator", "airline", "carrier",
}


#: role words that stand for each other when a role noun is matched against a mention's context
_ROLE_SYNONYMS = {
    "media": {"media", "agency", "news", "television", "tv", "broadcaster", "newspaper", "radio",
              "outlet", "press", "channel", "network", "daily"},
    "agency": {"agency", "news", "media"},
    "spokesman": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "spokeswoman": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "spokesperson": {"spokesman", "spokeswoman", "spokesperson", "spokespeople", "representative"},
    "ministry": {"ministry", "ministries"},
    "government": {"government", "cabinet", "administration"},
    "company": {"company", "firm", "corp", "corporation", "inc", "ltd", "plc", "group", "maker",
                "operator"},
    "firm": {"company", "firm", "corp", "corporation", "inc", "ltd", "plc"},
    "official": {"official", "officer", "spokesman", "spokeswoman", "spokesperson"},
}


_GENDER_TITLES = wordlists.GENDER_TITLES


_WORD = re.compile(r"[^\W_]+(?:['.-][^\W_]+)*")


_DOUBLE_MARK = re.compile("\"|''")


_OPEN_BEFORE = set(" \n([{-/:;,\u2014") | {""}


_ELISION = re.compile(r"'(?:\d0s|\d\d\b|em\b|til\b|tis\b|twas\b|cause\b|n\b|round\b|bout\b)", re.I)


#: a quotation of at most this many words needs a speech verb beside it (else: scare quote)
SCARE_WORDS = 3


#: tokens between a cue and the quotation it introduces or follows
_NEAR = 8


@dataclass
class QuoteRegion:
    """A quotation in the text: ``start``/``end`` include the marks."""

    start: int
    end: int
    closed: bool = True
    mark: str = '"'
    paragraphs: int = 1
    mark_width: int = 1

    @property
    def inner(self) -> tuple[int, int]:
        w = self.mark_width
        end = self.end - w if self.closed else self.end
        return self.start + w, max(self.start + w, end)


@dataclass
class Attribution:
    """One quote as the extractor sees it (character offsets into the text).

    ``source`` is the speaker as written (a pronoun, a role noun, a name with
    its apposition); ``speaker`` is what it resolves to: a named mention when
    ``named`` is true, else the role words themselves.
    """

    start: int
    end: int
    direct: bool
    cue: tuple[int, int] | None = None
    source: tuple[int, int] | None = None
    speaker: tuple[int, int] | None = None
    named: bool = False
    #: content spans, several for a quote split by its attribution (benchmark view)
    parts: list[tuple[int, int]] = field(default_factory=list)
    cue_token: int | None = None
    #: the attribution this quote continues (same cue, or the next sentence/paragraph of it)
    owner: Attribution | None = None


def quote_id(doc_id: str, start: int, end: int) -> str:
    """Stable id of a quote: a hash of the document id and its offsets."""
    return "q_" + hashlib.sha1(f"{doc_id}|{start}|{end}".encode()).hexdigest()[:12]
