"""A disjoint-set (union-find) over string keys, used wherever links are closed transitively."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class DisjointSet:
    def __init__(self, keys: Iterable[str] = ()) -> None:
        self.parent: dict[str, str] = {k: k for k in keys}

    def find(self, x: str) -> str:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]  # path halving
            x = parent[x]
        return x

    def union(self, a: str, b: str, keep_smaller: bool = False) -> None:
        """Join the sets of ``a`` and ``b``; the root is ``b``'s, or the smaller key."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if keep_smaller:
            ra, rb = max(ra, rb), min(ra, rb)
        self.parent[ra] = rb

    def groups(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = defaultdict(list)
        for key in self.parent:
            out[self.find(key)].append(key)
        return out
