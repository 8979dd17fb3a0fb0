"""Locust users for benchmarks/serve_load.py (not run on its own).

Readers open story pages and call the read API; uploaders paste a new article (a
202 with a job) and follow their job. Every response is recorded (kind, name,
milliseconds, status) to the file in SERVE_LOAD_OUT when locust quits, with the ids
of the accepted jobs, so the benchmark computes its own percentiles and checks that
no accepted job was lost.
"""

from __future__ import annotations

import json
import os
import random
import threading
from typing import Any

from locust import HttpUser, between, events, task

STORIES: list[str] = json.loads(os.environ.get("SERVE_LOAD_STORIES", "[]"))
OUT = os.environ.get("SERVE_LOAD_OUT", "serve-load.json")
WORDS = ["river", "council", "harbour", "minister", "report", "inquiry", "bridge", "storm", "vote", "court", "school", "budget", "police", "hospital", "election", "strike", "airport", "factory", "museum", "festival", "contract"]
records: list[tuple[str, float, int]] = []
accepted: list[int] = []
lock = threading.Lock()


@events.request.add_listener
def _record(request_type: str, name: str, response_time: float, response_length: int,
            exception: Any = None, response: Any = None, **_: Any) -> None:
    status = getattr(response, "status_code", 0) or 0
    with lock:
        records.append((name, response_time, int(status)))


@events.quitting.add_listener
def _dump(**_: Any) -> None:
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"records": records, "accepted": accepted}, fh)


def _article(rng: random.Random) -> str:
    place = rng.choice(WORDS).title()
    title = f"{place} {rng.choice(WORDS)} {rng.randint(1, 10**9)}"
    body = " ".join(
        f"The {rng.choice(WORDS)} in {place} said on Monday that {rng.randint(2, 900)} people were affected "
        f"by the {rng.choice(WORDS)}, officials said." for _ in range(rng.randint(3, 8)))
    return f"{title}\n\n{body}"


class Reader(HttpUser):
    weight = 9
    wait_time = between(0.5, 2.0)

    @task(4)
    def story_page(self) -> None:
        self.client.get(f"/stories/{random.choice(STORIES)}", name="read: story page")

    @task(2)
    def story_list(self) -> None:
        self.client.get("/stories", name="read: story list page")

    @task(2)
    def api_stories(self) -> None:
        self.client.get("/api/stories?limit=20", name="read: GET /api/stories")

    @task(2)
    def api_story(self) -> None:
        self.client.get(f"/api/stories/{random.choice(STORIES)}", name="read: GET /api/stories/{id}")

    @task(1)
    def search(self) -> None:
        self.client.get(f"/api/stories?q={random.choice(WORDS)}", name="read: search")


class Uploader(HttpUser):
    weight = 1
    wait_time = between(1.0, 3.0)

    def on_start(self) -> None:
        self.rng = random.Random()
        self.job: int | None = None

    @task(1)
    def upload(self) -> None:
        with self.client.post("/api/documents", data={"text": _article(self.rng)}, name="write: POST /api/documents",
                              catch_response=True) as resp:
            if resp.status_code == 202:
                self.job = int(resp.json()["id"])
                with lock:
                    accepted.append(self.job)
                resp.success()
            else:
                resp.failure(f"status {resp.status_code}")

    @task(2)
    def follow(self) -> None:
        if self.job is not None:
            self.client.get(f"/api/jobs/{self.job}", name="read: GET /api/jobs/{id}")
