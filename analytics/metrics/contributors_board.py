"""The contributor leaderboard and organisational diversity (CHAOSS) over one time window.

Frames:
- contributions: contributor_id, kind, at, is_bot — one row per contribution in the window.
  kind is "issue" (opened), "pr" (opened), "merged" (a PR of theirs merged), "review"
  (submitted) or "comment". Commits are not tracked, so they are not a column.
- affiliations: contributor_id, organisation, source ("maintainer", "profile", "email"): every
  claim Steward knows about who works where (an empty organisation from a maintainer means
  "none": it hides the other sources).
"""

from __future__ import annotations

import re

import pandas as pd

from analytics.metrics.periods import empty
from analytics.periods import to_utc

# Leaderboard column → contribution kind it counts.
COUNTED = {"issues": "issue", "prs": "pr", "merged": "merged", "reviews": "review",
           "comments": "comment"}  # fmt: skip
BOARD_COLUMNS = [*COUNTED, "total", "first_at", "last_at"]
SOURCE_PRECEDENCE = ("maintainer", "profile", "email")

# Legal forms dropped from company names ("Acme Inc." is acme).
_LEGAL_FORMS = {
    "inc", "incorporated", "llc", "ltd", "limited", "gmbh", "corp", "corporation", "co",
    "company", "plc", "sa", "ag", "bv", "srl", "sas", "oy", "ab", "as", "pty", "kk", "the",
}  # fmt: skip
# Mail providers anyone can sign up to: their domain says nothing about an employer.
PUBLIC_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "hotmail.co.uk", "live.com",
    "msn.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "ymail.com", "icloud.com", "me.com",
    "mac.com", "aol.com", "protonmail.com", "proton.me", "pm.me", "gmx.de", "gmx.net",
    "gmx.com", "web.de", "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com",
    "fastmail.com", "fastmail.fm", "zoho.com", "hey.com", "tutanota.com", "posteo.de",
    "mailbox.org", "users.noreply.github.com", "noreply.github.com", "example.com",
    "example.org", "localhost",
})  # fmt: skip
# Second-level labels of country domains ("acme.co.uk" is acme, not co).
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "edu", "ltd", "plc", "ne", "or"}
_WORD = re.compile(r"[a-z0-9]+")


def organisation_normalise(company: str) -> str:
    """A company as people write it → one key: "@acme", "Acme Inc.", "ACME, Ltd" are "acme".

    Lower-cased; GitHub's "@org" mention kept as the org; punctuation dropped; legal forms
    (Inc, LLC, GmbH…) dropped; words joined by "-". Of several "@org"s, the first one counts.
    """
    text = (company or "").strip().lower()
    mentioned = re.search(r"@([a-z0-9][a-z0-9-]*)", text)
    if mentioned:
        return mentioned.group(1)
    words = [w for w in _WORD.findall(text) if w not in _LEGAL_FORMS]
    return "-".join(words)


def email_organisation(email: str) -> str:
    """The organisation an email's domain names, or "" for public providers and GitHub's
    noreply addresses: "dana@mail.acme.com" and "x@acme.co.uk" are acme, "x@gmail.com" is ""."""
    domain = (email or "").rpartition("@")[2].strip().lower().rstrip(".")
    if not domain or "." not in domain:
        return ""
    if any(domain == d or domain.endswith("." + d) for d in PUBLIC_MAIL_DOMAINS):
        return ""
    labels = domain.split(".")[:-1]  # without the top-level domain
    if len(labels) > 1 and labels[-1] in _SECOND_LEVEL:
        labels = labels[:-1]
    return organisation_normalise(labels[-1])


def affiliation_resolve(affiliations: pd.DataFrame) -> pd.DataFrame:
    """contributor_id, organisation, source: one organisation per person, by precedence.

    A maintainer's correction wins, then the GitHub profile company, then email domains; within
    email, the domain seen on most of the person's addresses (ties: alphabetical). A maintainer's
    empty organisation leaves the person unaffiliated.
    """
    if affiliations.empty:
        return empty(["contributor_id", "organisation", "source"])
    frame = affiliations.copy()
    frame["organisation"] = frame["organisation"].fillna("").astype(str)
    rank = {source: i for i, source in enumerate(SOURCE_PRECEDENCE)}
    frame["rank"] = frame["source"].map(rank).fillna(len(rank))
    keep = (frame["organisation"] != "") | (frame["source"] == "maintainer")
    frame = frame[keep]
    votes = frame.groupby(["contributor_id", "rank", "source", "organisation"]).size()
    votes = votes.rename("votes").reset_index()
    votes = votes.sort_values(
        ["contributor_id", "rank", "votes", "organisation"], ascending=[True, True, False, True]
    )
    best = votes.drop_duplicates("contributor_id")
    best = best[best["organisation"] != ""]
    return best[["contributor_id", "organisation", "source"]].reset_index(drop=True)


def leaderboard(contributions: pd.DataFrame, *, include_bots: bool = False) -> pd.DataFrame:
    """One row per person: issues, prs, merged, reviews, comments, total, first_at, last_at.

    Counts are contributions in the window: issues and PRs the person opened, their PRs merged,
    reviews they submitted, comments they wrote. total is the sum of them all but `merged` (a
    merge is the outcome of a PR already counted, not another contribution). first_at/last_at:
    their first and last contribution in the window. Bots are left out unless `include_bots`.
    Sorted by total, then most recently active.
    """
    frame = contributions if include_bots else contributions[~contributions["is_bot"].astype(bool)]
    if frame.empty:
        return empty(["contributor_id", "is_bot", *BOARD_COLUMNS])
    counts = pd.crosstab(frame["contributor_id"], frame["kind"])
    board = pd.DataFrame(index=counts.index)
    for column, kind in COUNTED.items():
        board[column] = counts.get(kind, 0)
    board["total"] = board[[c for c in COUNTED if c != "merged"]].sum(axis=1)
    at = to_utc(frame["at"])
    board["first_at"] = at.groupby(frame["contributor_id"]).min()
    board["last_at"] = at.groupby(frame["contributor_id"]).max()
    board["is_bot"] = frame.groupby("contributor_id")["is_bot"].max().astype(bool)
    board = board.reset_index().sort_values(
        ["total", "last_at", "contributor_id"], ascending=[False, False, True]
    )
    return board[["contributor_id", "is_bot", *BOARD_COLUMNS]].reset_index(drop=True)


def organisational_diversity(board: pd.DataFrame, resolved: pd.DataFrame) -> pd.DataFrame:
    """CHAOSS Organizational Diversity: each organisation's share of the window's contributions.

    Returns organisation, contributors, contributions, share (0 to 1 of the contributions made by
    people with a known organisation), largest first. People without a known organisation are
    one extra row, organisation "" (unknown), whose share is of *all* contributions; the other
    shares are among the affiliated only, so they add up to 1.
    """
    if board.empty:
        return empty(["organisation", "contributors", "contributions", "share"])
    frame = board[["contributor_id", "total"]].merge(
        resolved[["contributor_id", "organisation"]], on="contributor_id", how="left"
    )
    frame["organisation"] = frame["organisation"].fillna("")
    grouped = frame.groupby("organisation").agg(
        contributors=("contributor_id", "nunique"), contributions=("total", "sum")
    )
    grouped = grouped[grouped["contributions"] > 0].reset_index()
    known = grouped["organisation"] != ""
    known_total = grouped.loc[known, "contributions"].sum()
    grouped["share"] = grouped["contributions"] / known_total if known_total else 0.0
    grouped.loc[~known, "share"] = grouped.loc[~known, "contributions"] / frame["total"].sum()
    grouped = grouped.sort_values(["contributions", "organisation"], ascending=[False, True])
    known = grouped["organisation"] != ""
    ordered = pd.concat([grouped[known], grouped[~known]])
    return ordered.reset_index(drop=True)


def elephant_factor(diversity: pd.DataFrame) -> int:
    """CHAOSS Elephant Factor: the minimum number of organisations whose members account for
    at least 50% of the (affiliated) contributions in the window. 0 when no one is affiliated.

    A factor of 1 means one company does half the work: if it left, the project would halve.
    """
    known = diversity[diversity["organisation"] != ""]
    total = known["contributions"].sum()
    if not total:
        return 0
    largest_first = known["contributions"].sort_values(ascending=False)
    before = largest_first.cumsum() - largest_first
    return int((before < total / 2).sum())
