"""Stage ``store``: a persistent corpus in SQLite (default) or PostgreSQL.

``open_store(url)`` opens and migrates a database; ``add_sources`` adds articles and
re-links the stories they touch; ``Store.list_stories`` / ``Store.story_analysis``
read them back. See docs/DESIGN.md ("Store") for the tables and the guarantees.
"""

from __future__ import annotations

from storylens.store.engine import DEFAULT_URL
from storylens.store.repo import Store, StoryRow, open_store

__all__ = ["DEFAULT_URL", "Store", "StoryRow", "open_store"]
