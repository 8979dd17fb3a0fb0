"""Small made-up news articles for the store tests: several events, several outlets each.

Each event has a few ways of saying each fact; an article picks one per fact (and a
count that sometimes differs between outlets), so articles about one event overlap
the way real reports do without being copies. Every article's text is different.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

EVENTS: list[dict[str, Any]] = [
    {
        "titles": ["Riverside opens new rail bridge", "New rail bridge opens in Riverside", "Riverside bridge opens"],
        "date": "2031-04-07",
        "facts": [
            ["The mayor of Riverside opened the new rail bridge on Monday, officials said.",
             "Riverside's new rail bridge was opened by the mayor on Monday.",
             "On Monday the mayor of Riverside opened the city's new rail bridge."],
            ["About {n} people attended the ceremony, according to the city council.",
             "Some {n} people came to the opening ceremony, police said."],
            ["The bridge cost 40 million euros and took three years to build.",
             "Construction of the bridge took three years and cost 40 million euros."],
        ],
        "counts": ["300", "300", "450"],
    },
    {
        "titles": ["Fire destroys paint factory in Eastport", "Eastport paint factory burns", "Blaze at Eastport factory"],
        "date": "2031-05-12",
        "facts": [
            ["A fire destroyed a paint factory in Eastport on Thursday night, the fire brigade said.",
             "Fire swept through a paint factory in Eastport late on Thursday.",
             "An Eastport paint factory burned down on Thursday night."],
            ["{n} firefighters fought the blaze for six hours.",
             "The fire brigade sent {n} firefighters to the site."],
            ["No workers were injured, the company said.",
             "The company said no one was hurt in the fire."],
        ],
        "counts": ["80", "80", "120"],
    },
    {
        "titles": ["Northfield United sacks coach", "Coach fired by Northfield United", "Northfield United dismiss manager"],
        "date": "2031-06-02",
        "facts": [
            ["Northfield United fired its head coach Marta Olsen on Sunday after a run of defeats.",
             "Marta Olsen was dismissed as head coach of Northfield United on Sunday.",
             "On Sunday Northfield United sacked head coach Marta Olsen."],
            ["The club had lost {n} of its last ten matches.",
             "Northfield United lost {n} of their previous ten games."],
            ["Assistant coach Pavel Novak will lead the team until the end of the season.",
             "Pavel Novak, the assistant coach, takes charge until the season ends."],
        ],
        "counts": ["seven", "seven", "eight"],
    },
    {
        "titles": ["Floods hit Lake Orin valley", "Lake Orin valley flooded after storms", "Storms flood Orin valley"],
        "date": "2031-07-19",
        "facts": [
            ["Heavy rain flooded villages in the Lake Orin valley on Saturday, the regional government said.",
             "Villages across the Lake Orin valley were flooded by heavy rain on Saturday.",
             "On Saturday heavy rain left villages in the Lake Orin valley under water."],
            ["About {n} residents were evacuated from their homes.",
             "Rescue teams evacuated some {n} residents."],
            ["The main road to the valley remains closed.",
             "The valley's main road is still closed, police said."],
        ],
        "counts": ["1,200", "1,200", "900"],
    },
]


def articles(per_event: int = 3) -> list[dict[str, str]]:
    """``per_event`` articles for each event, interleaved across events, as JSONL rows."""
    outlets = ["harbor-times.example", "valley-news.example", "daily-ledger.example", "evening-post.example",
               "metro-wire.example", "coast-herald.example"]
    rows: list[dict[str, str]] = []
    for k in range(per_event):
        for e, event in enumerate(EVENTS):
            counts = event["counts"]
            n = counts[k % len(counts)]
            facts = event["facts"]
            sentences = [variants[(k + j) % len(variants)].format(n=n) for j, variants in enumerate(facts)]
            if k >= 3:
                sentences.append(f"This is update number {k} from the scene.")
            outlet = outlets[(k + e) % len(outlets)]
            titles = event["titles"]
            rows.append({
                "text": " ".join(sentences),
                "title": titles[k % len(titles)],
                "outlet": outlet,
                "url": f"https://{outlet}/{e}/{k}",
                "published": str(event["date"]),
            })
    return rows


def write_jsonl(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
