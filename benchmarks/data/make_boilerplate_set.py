"""Build benchmarks/data/boilerplate_lines.jsonl: pasted articles with every line labelled.

Written for this project: fictional article bodies (with the hard cases for a
line cleaner: one-line paragraphs, subheadings, bulleted facts, quotes, a "|"
inside a sentence, sentences that start like a menu word) wrapped in many
kinds of site furniture as people paste it: breadcrumbs, menus, share and
follow bars, language switchers, newsletter and app promos, captions with
credits, tags, "read more" lists, author bios, copyright lines. Labels:
``content``, ``boilerplate``, or ``meta`` (headline, byline, date line: not
body, but extracted as metadata). Deterministic (fixed seed).

Run:  python3 benchmarks/data/make_boilerplate_set.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

BODIES = [
    ["The regional council voted on Tuesday to close the old tram depot in Marlow Vale after an inspection found asbestos in its roof.",
     "Work to remove it will start next month and is expected to cost about 2.4 million euros.",
     "\"We had no choice,\" said council leader Ines Kowal. \"The safety of the workers comes first.\"",
     "What happens next",
     "The depot's 40 staff will move to a temporary site near the ring road.",
     "Union representatives said they were not consulted.",
     "He declined to comment."],
    ["Fishermen in Port Ellery staged a protest on Friday against new catch limits for cod in the northern bay.",
     "About 60 boats blocked the harbour entrance for three hours.",
     "The limits, agreed in Brussels last week, cut the permitted catch by 18 percent.",
     "Key facts:",
     "- Catch limit cut: 18 percent",
     "- Boats involved: about 60",
     "- Harbour closed: three hours",
     "The fisheries ministry said it would meet the protesters on Monday."],
    ["A rare white stork has nested on the chimney of a school in Dornfeld for the first time in 30 years.",
     "Pupils have been watching the bird through a camera installed by the local nature society.",
     "Share prices of the company that made the camera rose after the story spread online.",
     "More than 2,000 people have watched the live stream since it began.",
     "The society asked visitors to keep their distance."],
    ["Heavy rain flooded parts of the old town of Quintero overnight, forcing the closure of two bridges.",
     "Firefighters pumped water from about 150 basements, the city said in a statement.",
     "Follow the river levels on the city website, officials urged residents | updates come every hour.",
     "Schools will stay closed on Thursday.",
     "Forecasters expect more rain at the weekend."],
    ["The national orchestra announced on Wednesday that its chief conductor, Amara Diallo, will step down next year.",
     "Diallo, 67, has led the orchestra since 2011.",
     "Home to the orchestra since 1962, the concert hall will be renovated during the break.",
     "\"It has been the joy of my life,\" Diallo told reporters.",
     "A successor will be named in the spring."],
    ["Police in Velden arrested two men after a break-in at the town museum on Sunday night.",
     "Nothing was taken, police said.",
     "The museum will reopen on Wednesday.",
     "Read the museum's statement in full on its website.",
     "Officers are still looking for a third man seen near the building."],
]
HEADLINES = ["Council closes tram depot over asbestos", "Fishermen block harbour over cod limits",
             "White stork returns to Dornfeld after 30 years", "Floods close two bridges in Quintero",
             "Chief conductor Amara Diallo to step down", "Two arrested after museum break-in"]
TOP = [
    ["Home > News > Local"], ["Home | News | Sport | Business | Culture | Weather"],
    ["EN | FR | DE | ES"], ["Menu", "Search"], ["Subscribe | Log in"],
    ["News » Europe » Regional"], ["Advertisement"],
    ["Listen to this article", "Share this article"],
]
BYLINES = ["By Oskar Lindgren", "By Mira Haddad and Paul Okoro", "Written by Elena Vasquez",
           "By Jonas Weber, Staff Reporter"]
DATES = ["March 4, 2025", "Published: 12 May 2025 10:41", "Updated 2025-06-03 08:15", "June 9, 2025 6:09 pm"]
MIDDLE = [
    ["Photo: Flood water in the old town (Reuters/Handout)"],
    ["Advertisement"], ["Also read: Storm warnings for the coast this week..."],
    ["Sign up for our morning newsletter"],
]
BOTTOM = [
    ["Share on Facebook | Share on X | Share via Email"],
    ["Follow us on: Facebook | Instagram | Telegram"],
    ["Related articles:", "- Tram network to expand by 2030", "- Asbestos found in three schools", "- Council budget approved"],
    ["More on this topic", "Harbour works delayed again", "New ferry route to the islands", "Bay water quality improves"],
    ["Tags: floods, weather, Quintero"],
    ["© 2025 The Valley Courier. All rights reserved."],
    ["Download our app for breaking news alerts"],
    ["Comments (12)"],
    ["Oskar Lindgren is a reporter covering regional politics. He joined the paper in 2018."],
]


def make(seed: int = 11, n: int = 36) -> list[dict[str, object]]:
    rng = random.Random(seed)
    docs = []
    for k in range(n):
        b = k % len(BODIES)
        lines: list[tuple[str, str]] = []
        for block in rng.sample(TOP, rng.randint(1, 3)):
            lines += [(t, "boilerplate") for t in block]
        lines.append((HEADLINES[b], "meta"))
        if rng.random() < 0.8:
            lines.append((rng.choice(BYLINES), "meta"))
        if rng.random() < 0.8:
            lines.append((rng.choice(DATES), "meta"))
        body = [(t, "content") for t in BODIES[b]]
        if rng.random() < 0.5:
            pos = rng.randint(1, len(body) - 1)
            body[pos:pos] = [(t, "boilerplate") for t in rng.choice(MIDDLE)]
        lines += body
        for block in rng.sample(BOTTOM, rng.randint(1, 3)):
            lines += [(t, "boilerplate") for t in block]
        docs.append({"id": f"bp{k:02d}", "lines": [{"text": t, "label": lab} for t, lab in lines]})
    return docs


if __name__ == "__main__":
    out = Path(__file__).with_name("boilerplate_lines.jsonl")
    out.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in make()) + "\n", encoding="utf-8")
    print(out)
