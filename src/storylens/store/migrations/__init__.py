"""Alembic migrations of the store, shipped inside the package (``storylens.store:migrations``)."""
