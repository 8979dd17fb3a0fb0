"""Named, ordered migrations: ``NNNN_what.py``, each revising the one before."""
