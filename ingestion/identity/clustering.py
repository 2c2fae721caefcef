"""Clusters of linked records: connected components, with a guard against chaining.

Plain connected components let one bad link glue two people together through a third
record (a shared e-mail, a family phone). Components that could hide such a chain (two or
more distinct valid phones, or a pair a person said is not a match) are rebuilt greedily:
edges in order of trust (a person's "same", then deterministic keys, then by probability)
join two groups only when the groups do not conflict. Groups conflict when a person
rejected a pair across them, or when both hold valid phones, none shared, and no name of
one resembles a name of the other. A person's "same" overrides the phone guard, never a
person's "not the same". Every other component is a cluster as is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from rapidfuzz.distance import JaroWinkler
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

RULE_ORDER = {
    "human_accept": 0,
    "same_channel_id": 1,
    "same_phone": 2,
    "same_email": 3,
    "probabilistic": 4,
    "kept_link": 5,
}
SAME_NAME = 0.88


def components(n: int, edges: pd.DataFrame) -> np.ndarray:
    """Connected-component label of each of n records under the edges."""
    graph = coo_matrix((np.ones(len(edges)), (edges["i"], edges["j"])), shape=(n, n))
    return connected_components(graph, directed=False)[1]


def names_resemble(left: set[str], right: set[str]) -> bool:
    """True when a name of one group is close to a name of the other (or one has none)."""
    if not left or not right:
        return True
    return any(JaroWinkler.normalized_similarity(a, b) >= SAME_NAME for a in left for b in right)


class _Groups:
    """Union-find whose roots remember their members' phones, names and rejections."""

    def __init__(self, phones: np.ndarray, names: np.ndarray, rejects: dict[int, set[int]]):
        self.parent: dict[int, int] = {}
        self.members: dict[int, set[int]] = {}
        self.phones, self.names, self.rejects = phones, names, rejects

    def root(self, x: int) -> int:
        if x not in self.parent:
            self.parent[x], self.members[x] = x, {x}
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def conflict(self, a: int, b: int) -> bool:
        """Would joining the groups rooted at a and b chain two different people?"""
        small, large = sorted((self.members[a], self.members[b]), key=len)
        if any(self.rejects.get(x, set()) & large for x in small):
            return True
        phones_a = {self.phones[x] for x in self.members[a]} - {None}
        phones_b = {self.phones[x] for x in self.members[b]} - {None}
        if not phones_a or not phones_b or phones_a & phones_b:
            return False
        names_a = {self.names[x] for x in self.members[a]} - {None}
        names_b = {self.names[x] for x in self.members[b]} - {None}
        return not names_resemble(names_a, names_b)

    def join(self, i: int, j: int, human: bool) -> None:
        a, b = self.root(i), self.root(j)
        if a == b or (self.conflict(a, b) if not human else self._rejected(a, b)):
            return
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a] |= self.members.pop(b)

    def _rejected(self, a: int, b: int) -> bool:
        return any(self.rejects.get(x, set()) & self.members[b] for x in self.members[a])


def _risky(labels: np.ndarray, phones: np.ndarray, rejects: np.ndarray) -> np.ndarray:
    """Component labels that need the guarded rebuild."""
    with_phone = pd.DataFrame({"c": labels, "p": phones}).dropna()
    many_phones = with_phone.groupby("c")["p"].nunique()
    risky = set(many_phones[many_phones > 1].index)
    if len(rejects):
        inside = labels[rejects[:, 0]] == labels[rejects[:, 1]]
        risky |= set(labels[rejects[inside, 0]])
    return np.array(sorted(risky), dtype=np.int64)


def cluster(
    n: int,
    edges: pd.DataFrame,
    phones: np.ndarray,
    names: np.ndarray,
    rejects: np.ndarray | None = None,
) -> np.ndarray:
    """A cluster label per record (0..k-1). `phones`: valid phone keys or None per record;
    `names`: matching names or None; `rejects`: (i, j) pairs that must stay apart."""
    rejects = np.empty((0, 2), dtype=np.int64) if rejects is None else rejects
    labels = components(n, edges)
    risky = _risky(labels, phones, rejects)
    if len(risky):
        reject_map: dict[int, set[int]] = {}
        for i, j in rejects:
            reject_map.setdefault(int(i), set()).add(int(j))
            reject_map.setdefault(int(j), set()).add(int(i))
        groups = _Groups(phones, names, reject_map)
        in_risky = np.isin(labels[edges["i"].to_numpy()], risky)
        ordered = edges[in_risky].assign(order=lambda e: e["rule"].map(RULE_ORDER))
        ordered = ordered.sort_values(["order", "probability"], ascending=[True, False])
        for i, j, rule in zip(ordered["i"], ordered["j"], ordered["rule"], strict=True):
            groups.join(int(i), int(j), human=rule == "human_accept")
        members = np.flatnonzero(np.isin(labels, risky))
        labels = labels.copy()
        labels[members] = labels.max() + 1 + np.array([groups.root(int(x)) for x in members])
    return pd.factorize(labels)[0]


def chained_leads(links: pd.DataFrame) -> list[str]:
    """Leads the guard should have prevented: two valid phones whose records' names are
    all unlike each other, with no person's "same" inside the lead (which overrides it).

    `links` needs lead_id, phone_key (valid phones only), name_key and match_rule.
    """
    phoned = links.dropna(subset=["phone_key"])
    counts = phoned.groupby("lead_id")["phone_key"].nunique()
    human = set(links.loc[links["match_rule"] == "human_accept", "lead_id"])
    chained = []
    for lead_id in counts[counts > 1].index.difference(list(human)):
        rows = phoned[phoned["lead_id"] == lead_id]
        names = rows.groupby("phone_key")["name_key"].agg(lambda s: set(s.dropna()))
        groups = list(names)
        if any(not names_resemble(a, b) for k, a in enumerate(groups) for b in groups[k + 1 :]):
            chained.append(str(lead_id))
    return chained
