"""Word lists shared by every stage: one place for each list, derived from one another.

Where two stages need different lists, the difference is spelled out here (a
named subset or union) rather than written twice and left to drift apart.
"""

from __future__ import annotations

import re

__all__ = [
    "POST_SIGNATURE",
    "NEGATORS", "SPEECH_VERBS", "STATING_VERBS", "SPEECH_CUES", "BELIEF_VERBS", "TITLES", "HONORIFICS",
    "GENDER_TITLES", "MONTHS", "MONTH_NAMES", "WEEKDAYS", "NUMBER_WORDS", "DURATION_NUMBER_WORDS",
    "STOP_WORDS", "PREDICATE_CLASSES", "EVENT_NOUNS", "POSSESSOR_UNDERGOES", "DENYING_FORMS", "NAMING_FORMS",
    "SYMMETRIC_VERBS", "ANNOUNCING_VERBS", "VERB_IDIOMS",
]

#: words that negate the statement they stand in ("not", "n't", "no" on a subject or object)
NEGATORS = frozenset({"not", "n't", "never", "no", "neither", "nor", "nobody", "nothing", "none", "nowhere"})

#: verbs that report what someone said or wrote (lemmas); a clause under one of them is
#: attributed to the speaker, not stated by the outlet
SPEECH_VERBS = frozenset({
    "say", "tell", "announce", "report", "confirm", "accuse", "warn", "add", "claim", "state",
    "deny", "insist", "note", "explain", "write", "declare", "argue", "allege", "assert", "stress",
    "suggest", "admit", "acknowledge", "reveal", "indicate", "describe", "call", "quote", "urge",
    "promise", "vow", "pledge", "predict", "estimate", "tweet", "post",
})

#: the written forms of verbs that deny, reject or refuse what follows them: a speaker's
#: "denied the report" or "declined to comment" says something in few words
DENYING_FORMS = frozenset({
    f"{stem}{end}"
    for stem, ends in {
        "den": ("y", "ies", "ied", "ying"), "refus": ("e", "es", "ed", "ing"), "declin": ("e", "es", "ed", "ing"),
        "reject": ("", "s", "ed", "ing"), "dismiss": ("", "es", "ed", "ing"), "refut": ("e", "es", "ed", "ing"),
        "rebuff": ("", "s", "ed", "ing"), "disput": ("e", "es", "ed", "ing"), "rebut": ("", "s", "ted", "ting"),
        "repudiat": ("e", "es", "ed", "ing"),
    }.items()
    for end in ends
})

#: the written forms of verbs that name or label something ('called it "a farce"'): what
#: they quote is a phrase inside the outlet's sentence, not an utterance
NAMING_FORMS = frozenset({
    "call", "calls", "called", "calling", "describe", "describes", "described", "describing", "dub", "dubs",
    "dubbed", "dubbing", "label", "labels", "labelled", "labeled", "labelling", "labeling", "brand", "brands",
    "branded", "branding", "term", "terms", "termed", "terming",
})

#: verbs of belief and knowledge: an attribution with a clause ("believes that ...")
BELIEF_VERBS = frozenset({
    "believe", "think", "feel", "expect", "hope", "fear", "know", "doubt", "worry", "suspect",
    "assume", "consider", "see", "find", "show", "agree", "disagree", "decide", "acknowledge",
    "recognize", "recognise", "understand", "realize", "realise", "conclude", "learn", "hear",
    "determine", "reckon", "guess", "imagine", "figure", "sense", "suppose", "presume", "trust",
    "remember", "forget", "question", "dispute", "deny", "prove", "demonstrate", "reveal",
    "suggest", "indicate", "imply", "contend", "judge", "convince", "persuade",
})

#: verbs whose complement clause a claim attributes to their subject ("X said Y", "X thinks Y"):
#: speech plus the two commonest belief verbs
STATING_VERBS = SPEECH_VERBS | {"believe", "think"}

#: verbs that introduce a quotation: speech verbs plus the manner-of-speaking and framing
#: verbs a quotation sits beside ('"...," she quipped', '"...," he began')
SPEECH_CUES = (SPEECH_VERBS - {"quote"}) | frozenset({
    "reply", "respond", "answer", "ask", "complain", "comment", "concede", "caution",
    "emphasize", "emphasise", "recall", "remark", "repeat", "quip", "joke",
    "testify", "maintain", "contend", "charge", "demand", "blame", "criticize", "criticise",
    "condemn", "threaten", "agree", "observe", "conclude", "recount", "inform", "proclaim",
    "lament", "boast", "hint", "shout", "yell", "scream", "whisper", "continue", "counter",
    "retort", "brief", "disclose", "point",
    "dub", "label", "brand", "thank", "praise", "welcome", "reiterate", "signal",
    "object", "protest", "plead", "pray", "rule", "order", "propose", "recommend",
    "advise", "assure", "guarantee", "swear", "forecast", "speculate", "wonder", "mutter",
    "exclaim", "chant", "sing", "read", "begin", "tout", "accord", "herald", "hail", "laud",
    "elaborate", "clarify", "underline", "underscore", "highlight",
})

#: honorifics and office titles that may lead a name ("Gen.", "Deputy Minister")
TITLES = frozenset({
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
    "president", "vice", "prime", "minister", "premier", "chancellor", "secretary",
    "general", "gen", "colonel", "col", "major", "maj", "captain", "capt", "lieutenant",
    "lt", "admiral", "adm", "sergeant", "sgt", "commander", "chief", "king", "queen",
    "prince", "princess", "emperor", "pope", "bishop", "cardinal", "rev", "father",
    "senator", "sen", "rep", "representative", "governor", "gov", "mayor", "judge",
    "justice", "ambassador", "envoy", "spokesman", "spokeswoman", "spokesperson",
    "chairman", "chairwoman", "chair", "director", "leader", "officer", "inspector",
    "defence", "defense", "foreign", "interior", "finance", "health", "transport",
    "state", "deputy", "acting", "former", "supreme", "first", "coach", "dr.",
    "mr.", "mrs.", "ms.", "st", "saint", "ayatollah", "sheikh", "imam", "rabbi", "crown", "emir",
})

#: words that the parser leaves inside a name when they open a sentence or a headline ("Top
#: Orrin aides met …", "Ousted Orrin spoke"): they describe the person, they are no given name
NAME_MODIFIERS = frozenset({
    "top", "senior", "late", "then", "ex", "veteran", "embattled", "outgoing", "incoming", "disgraced",
    "beleaguered", "fellow", "longtime", "retired", "jailed", "ousted", "slain", "exiled",
})

#: courtesy forms: they say nothing about office or role
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "sir", "dame", "dr", "prof", "professor", "madam", "lady", "lord"})

#: titles that tell a person's gender (for pronoun resolution of speakers)
GENDER_TITLES = {
    "mr": "m", "mr.": "m", "sir": "m", "lord": "m", "king": "m", "prince": "m", "father": "m",
    "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f", "dame": "f", "lady": "f",
    "queen": "f", "princess": "f", "mother": "f",
}

MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
)
#: month names and their abbreviations → month number
MONTHS = {
    **{name: n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)},
    "sept": 9,
}

#: weekday name → ISO weekday index (Monday = 0)
WEEKDAYS = {
    name: n for n, name in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
}

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
#: number words → value (a bare plural, "hundreds", stands for its unit)
NUMBER_WORDS = {
    **_UNITS,
    "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12,
    "dozen": 12, "dozens": 12, "hundreds": 100, "thousands": 1000, "millions": 10**6,
}
#: number words that count a duration ("a year", "three weeks", "a dozen days")
DURATION_NUMBER_WORDS = {
    "a": 1, "an": 1, **{k: v for k, v in _UNITS.items() if v}, "hundred": 100, "dozen": 12,
}

#: spaCy's English stop words (MIT), copied so that stages other than annotate never import spaCy
STOP_WORDS = frozenset({
    "'d", "'ll", "'m", "'re", "'s", "'ve", 'a', 'about', 'above', 'across', 'after', 'afterwards',
    'again', 'against', 'all', 'almost', 'alone', 'along', 'already', 'also', 'although', 'always',
    'am', 'among', 'amongst', 'amount', 'an', 'and', 'another', 'any', 'anyhow', 'anyone', 'anything',
    'anyway', 'anywhere', 'are', 'around', 'as', 'at', 'back', 'be', 'became', 'because', 'become',
    'becomes', 'becoming', 'been', 'before', 'beforehand', 'behind', 'being', 'below', 'beside',
    'besides', 'between', 'beyond', 'both', 'bottom', 'but', 'by', 'ca', 'call', 'can', 'cannot',
    'could', 'did', 'do', 'does', 'doing', 'done', 'down', 'due', 'during', 'each', 'eight', 'either',
    'eleven', 'else', 'elsewhere', 'empty', 'enough', 'even', 'ever', 'every', 'everyone',
    'everything', 'everywhere', 'except', 'few', 'fifteen', 'fifty', 'first', 'five', 'for', 'former',
    'formerly', 'forty', 'four', 'from', 'front', 'full', 'further', 'get', 'give', 'go', 'had', 'has',
    'have', 'he', 'hence', 'her', 'here', 'hereafter', 'hereby', 'herein', 'hereupon', 'hers',
    'herself', 'him', 'himself', 'his', 'how', 'however', 'hundred', 'i', 'if', 'in', 'indeed', 'into',
    'is', 'it', 'its', 'itself', 'just', 'keep', 'last', 'latter', 'latterly', 'least', 'less', 'made',
    'make', 'many', 'may', 'me', 'meanwhile', 'might', 'mine', 'more', 'moreover', 'most', 'mostly',
    'move', 'much', 'must', 'my', 'myself', "n't", 'name', 'namely', 'neither', 'never',
    'nevertheless', 'next', 'nine', 'no', 'nobody', 'none', 'noone', 'nor', 'not', 'nothing', 'now',
    'nowhere', 'n‘t', 'n’t', 'of', 'off', 'often', 'on', 'once', 'one', 'only', 'onto', 'or', 'other',
    'others', 'otherwise', 'our', 'ours', 'ourselves', 'out', 'over', 'own', 'part', 'per', 'perhaps',
    'please', 'put', 'quite', 'rather', 're', 'really', 'regarding', 'same', 'say', 'see', 'seem',
    'seemed', 'seeming', 'seems', 'serious', 'several', 'she', 'should', 'show', 'side', 'since',
    'six', 'sixty', 'so', 'some', 'somehow', 'someone', 'something', 'sometime', 'sometimes',
    'somewhere', 'still', 'such', 'take', 'ten', 'than', 'that', 'the', 'their', 'them', 'themselves',
    'then', 'thence', 'there', 'thereafter', 'thereby', 'therefore', 'therein', 'thereupon', 'these',
    'they', 'third', 'this', 'those', 'though', 'three', 'through', 'throughout', 'thru', 'thus', 'to',
    'together', 'too', 'top', 'toward', 'towards', 'twelve', 'twenty', 'two', 'under', 'unless',
    'until', 'up', 'upon', 'us', 'used', 'using', 'various', 'very', 'via', 'was', 'we', 'well',
    'were', 'what', 'whatever', 'when', 'whence', 'whenever', 'where', 'whereafter', 'whereas',
    'whereby', 'wherein', 'whereupon', 'wherever', 'whether', 'which', 'while', 'whither', 'who',
    'whoever', 'whole', 'whom', 'whose', 'why', 'will', 'with', 'within', 'without', 'would', 'yet',
    'you', 'your', 'yours', 'yourself', 'yourselves', '‘d', '‘ll', '‘m', '‘re', '‘s', '‘ve', '’d',
    '’ll', '’m', '’re', '’s', '’ve',
})


# ---------------------------------------------------------------- event predicates
# Our own lists (written for this project from news wording, not copied from a lexicon):
# verbs that name one kind of action with the same roles, so that two outlets' wordings of
# one event line up ("supplied" / "delivered", "arrested" / "detained"). A verb of two senses
# belongs to both classes ("dismiss" a minister / "dismiss" a claim). WordNet was considered:
# the maintained reader (`wn`) downloads its data at run time, which storylens cannot do
# offline, and its verb synonym sets join senses news wording keeps apart.
_VERB_CLASSES: dict[str, tuple[str, ...]] = {
    "transfer": ("supply", "provide", "deliver", "send", "give", "ship", "transfer", "export", "hand",
                 "donate", "hand over"),
    "lend": ("lend", "loan"),
    "accuse": ("accuse", "blame"),
    "attack": ("attack", "strike", "hit", "bomb", "shell", "raid", "invade", "jolt", "rock", "shake"),
    "foil": ("foil", "thwart", "repulse", "repel", "avert", "frustrate", "prevent"),
    "arrest": ("arrest", "capture", "nab", "detain", "apprehend", "take into custody"),
    "charge": ("charge", "indict"),
    "sentence": ("sentence", "jail", "imprison"),
    "fire": ("fire", "sack", "dismiss", "oust", "axe", "relieve", "push out", "part ways", "show the door"),
    # a shooting told as the shots or as the gunman opening fire
    "shoot": ("shoot", "open fire"),
    "appoint": ("appoint", "nominate", "name", "pick", "choose", "select", "tap", "hire"),
    "kill": ("kill", "murder", "slay", "assassinate", "execute", "shoot dead", "gun down"),
    "die": ("die", "perish", "pass away", "be dead"),
    # one death told from the victim's side or the killer's ("died Friday" / "was killed Friday")
    "death": ("die", "perish", "be dead", "kill", "murder", "slay", "shoot dead", "gun down"),
    "injure": ("injure", "wound", "hurt"),
    "deny": ("deny", "reject", "dismiss", "refute", "rebuff"),
    "resign": ("resign", "quit", "step down", "stand down"),
    "visit": ("visit", "arrive", "travel", "tour"),
    # one escape told from either side: rescuers evacuate people, people escape or flee
    "evacuate": ("evacuate", "escape", "flee", "rescue"),
    "win": ("win", "clinch"),
    "defeat": ("defeat", "beat", "rout", "edge", "overcome"),
    "buy": ("buy", "acquire", "purchase"),
    "launch": ("launch", "unveil", "introduce", "debut"),
    "release": ("release", "free"),
    "ban": ("ban", "prohibit", "outlaw", "bar"),
    "suspend": ("suspend", "halt", "freeze", "pause"),
    "approve": ("approve", "ratify", "adopt", "endorse"),
    # a chamber "passed" a bill that a party "pushed through" it; not joined with "approve":
    # a story of legislation tells of several bills approved on several days, and the days of
    # two of them would be taken for one day misreported
    "pass": ("pass", "push through"),
    "host": ("host", "emcee"),
    "crash": ("crash", "collide"),
    "raise": ("raise", "increase", "hike", "boost"),
    "cut": ("cut", "reduce", "slash", "lower"),
    "sign": ("sign", "ink"),
}

#: a verb with a fixed object or prepositional phrase that names one action of its own (lemmas:
#: verb, then the object's or the preposition's and its object's): "took 49 into custody" is an
#: arrest, "opened fire" a shooting, "parted ways with the coach" a firing; our own list
VERB_IDIOMS: dict[tuple[str, ...], str] = {
    ("take", "into", "custody"): "take into custody",
    ("open", "fire"): "open fire",
    ("part", "way"): "part ways",
    ("show", "door"): "show the door",
    # "muscled the budget through the Senate", "rushed the bill through parliament": it passed
    **{(verb, "through", body): "push through"
       for verb in ("push", "muscle", "ram", "rush", "force", "steer", "shepherd", "pilot", "railroad")
       for body in ("senate", "house", "parliament", "congress", "assembly", "legislature", "chamber",
                    "committee", "council", "bundestag", "duma", "knesset")},
}

#: verb lemma → the classes of action it names (a verb of no class is its own class)
PREDICATE_CLASSES: dict[str, frozenset[str]] = {}
for _cls, _verbs in _VERB_CLASSES.items():
    for _verb in _verbs:
        PREDICATE_CLASSES[_verb] = PREDICATE_CLASSES.get(_verb, frozenset()) | {_cls}

#: nouns that name an event → the verb they nominalise ("her arrival" → arrive, "the
#: shipment of rifles" → ship); our own list, as above
EVENT_NOUNS: dict[str, str] = {
    "arrest": "arrest", "detention": "detain", "capture": "capture", "arrival": "arrive", "visit": "visit",
    "trip": "travel", "tour": "tour", "death": "die", "killing": "kill", "murder": "murder",
    "assassination": "assassinate", "execution": "execute", "shooting": "shoot", "attack": "attack",
    "strike": "strike", "bombing": "bomb", "raid": "raid", "invasion": "invade", "resignation": "resign",
    "appointment": "appoint", "nomination": "nominate", "selection": "select", "hiring": "hire",
    "victory": "win", "win": "win", "defeat": "defeat", "release": "release", "launch": "launch",
    "unveiling": "unveil", "acquisition": "acquire", "purchase": "buy", "takeover": "acquire",
    "injury": "injure", "escape": "escape", "evacuation": "evacuate", "rescue": "rescue",
    "delivery": "deliver", "shipment": "ship", "supply": "supply", "transfer": "transfer",
    "donation": "donate", "loan": "lend", "sentencing": "sentence", "conviction": "convict",
    "indictment": "indict", "denial": "deny", "rejection": "reject", "dismissal": "dismiss",
    "firing": "fire", "sacking": "sack", "ouster": "oust", "ban": "ban", "suspension": "suspend",
    "approval": "approve", "ratification": "ratify", "signing": "sign", "crash": "crash",
    "collision": "collide", "explosion": "explode", "collapse": "collapse", "departure": "leave",
    "hike": "hike", "increase": "increase", "cut": "cut",
}

#: event nouns whose possessor is what the action is done to ("his arrest", "her appointment");
#: for the others the possessor is the one who acts ("her arrival", "the country's invasion of")
POSSESSOR_UNDERGOES = frozenset({
    "arrest", "detention", "capture", "killing", "murder", "assassination", "execution", "shooting",
    "appointment", "nomination", "selection", "hiring", "release", "injury", "evacuation", "rescue",
    "sentencing", "conviction", "indictment", "dismissal", "firing", "sacking", "ouster", "suspension",
    "approval", "ratification", "defeat",
})

#: verbs whose two participants do the same to each other ("A met B" is "B met A"): their roles
#: swapped are no conflict; our own list
SYMMETRIC_VERBS = frozenset({
    "meet", "talk", "clash", "fight", "collide", "marry", "negotiate", "play", "face", "tie", "speak",
    "battle", "compete", "merge", "partner", "agree", "embrace", "wed", "date", "divorce", "spar",
    "compromise", "cooperate", "collaborate", "kiss", "hug",
})

#: verbs of saying that name one public act, made once: the day of an announcement is news
#: ("the academy announced Friday that ..."), unlike the day someone "said" something
ANNOUNCING_VERBS = frozenset({"announce", "confirm", "declare"})


#: an embedded social-media post's signature ("— Ana Ruiz (@anaruiz) June 20, 2031", "A post
#: shared by Ana Ruiz (@anaruiz) on Jun 20, 2031") or its picture link ("pic.twitter.com/…"): the
#: paragraph is the poster's words, which the outlet reproduces (annotate reads opinion without
#: them; the briefing never states them)
POST_SIGNATURE = re.compile(
    r"\(@\w{1,30}\)\s+(?:on\s+)?[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}|\bpic\.twitter\.com/")
