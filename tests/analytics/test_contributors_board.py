"""The contributor leaderboard and organisational diversity: the metrics on hand-built frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.metrics.contributors_board import (
    affiliation_resolve,
    elephant_factor,
    email_organisation,
    leaderboard,
    organisation_normalise,
    organisational_diversity,
)


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


@pytest.mark.parametrize(
    ("company", "key"),
    [
        ("@acme", "acme"),
        ("Acme Inc.", "acme"),
        ("ACME, Ltd", "acme"),
        ("  acme  ", "acme"),
        ("@Acme-Labs and @globex", "acme-labs"),
        ("The Globex Corporation", "globex"),
        ("Initech GmbH", "initech"),
        ("Red Hat", "red-hat"),
        ("", ""),
    ],
)
def test_organisation_names_are_normalised(company, key):
    assert organisation_normalise(company) == key


@pytest.mark.parametrize(
    ("email", "organisation"),
    [
        ("dana@acme.com", "acme"),
        ("dana@mail.acme.com", "acme"),
        ("x@acme.co.uk", "acme"),
        ("Fox@FBI.gov", "fbi"),
        ("someone@gmail.com", ""),
        ("someone@hotmail.co.uk", ""),
        ("12345+ada@users.noreply.github.com", ""),
        ("not-an-email", ""),
        ("root@localhost", ""),
    ],
)
def test_email_domains_name_organisations_but_public_providers_do_not(email, organisation):
    assert email_organisation(email) == organisation


def test_a_maintainer_overrides_the_profile_which_overrides_email():
    claims = pd.DataFrame(
        [
            (1, "acme", "email"),
            (1, "globex", "profile"),
            (1, "initech", "maintainer"),
            (2, "acme", "email"),
            (2, "globex", "profile"),
            (3, "acme", "email"),
            (3, "initech", "email"),
            (3, "initech", "email"),
            (4, "acme", "email"),
            (4, "", "maintainer"),  # "independent": hides the email domain
            (5, "", "email"),  # a public provider: no claim at all
        ],
        columns=["contributor_id", "organisation", "source"],
    )
    resolved = affiliation_resolve(claims).set_index("contributor_id")
    assert resolved.to_dict("index") == {
        1: {"organisation": "initech", "source": "maintainer"},
        2: {"organisation": "globex", "source": "profile"},
        3: {"organisation": "initech", "source": "email"},  # most of the person's addresses
    }


CONTRIBUTIONS = pd.DataFrame(
    [
        (10, "issue", "2024-05-01 10:00", False),
        (10, "pr", "2024-05-02 10:00", False),
        (10, "merged", "2024-05-03 10:00", False),
        (10, "comment", "2024-05-04 10:00", False),
        (20, "review", "2024-05-02 09:00", False),
        (20, "review", "2024-05-05 09:00", False),
        (20, "comment", "2024-05-06 09:00", False),
        (20, "comment", "2024-05-07 09:00", False),
        (30, "issue", "2024-05-03 12:00", False),
        (99, "pr", "2024-05-01 00:00", True),
        (99, "merged", "2024-05-01 01:00", True),
    ],
    columns=["contributor_id", "kind", "at", "is_bot"],
)


def test_the_leaderboard_counts_each_kind_and_leaves_bots_out():
    board = leaderboard(CONTRIBUTIONS).set_index("contributor_id")
    assert list(board.index) == [20, 10, 30]  # 4, 3 (a merge is no extra contribution), 1
    assert board.loc[10, ["issues", "prs", "merged", "reviews", "comments", "total"]].tolist() == [
        1, 1, 1, 0, 1, 3
    ]  # fmt: skip
    assert board.loc[20, ["reviews", "comments", "total"]].tolist() == [2, 2, 4]
    assert board.loc[20, "first_at"] == ts("2024-05-02 09:00")
    assert board.loc[20, "last_at"] == ts("2024-05-07 09:00")
    with_bots = leaderboard(CONTRIBUTIONS, include_bots=True).set_index("contributor_id")
    assert with_bots.loc[99, ["prs", "merged", "total"]].tolist() == [1, 1, 1]
    assert bool(with_bots.loc[99, "is_bot"]) is True


def test_organisational_diversity_and_the_elephant_factor():
    board = leaderboard(CONTRIBUTIONS)
    resolved = pd.DataFrame(
        [(10, "acme", "email"), (20, "globex", "maintainer")],
        columns=["contributor_id", "organisation", "source"],
    )
    diversity = organisational_diversity(board, resolved)
    assert diversity[["organisation", "contributors", "contributions"]].values.tolist() == [
        ["globex", 1, 4],
        ["acme", 1, 3],
        ["", 1, 1],  # person 30: unknown, listed last
    ]
    assert diversity["share"].round(4).tolist() == [round(4 / 7, 4), round(3 / 7, 4), 0.125]
    # globex alone makes 4 of the 7 affiliated contributions: more than half.
    assert elephant_factor(diversity) == 1


@pytest.mark.parametrize(
    ("counts", "factor"),
    [([60, 30, 10], 1), ([40, 35, 25], 2), ([25, 25, 25, 25], 2), ([20, 20, 20, 20, 20], 3),
     ([50, 50], 1), ([], 0)],
)  # fmt: skip
def test_elephant_factor_is_the_fewest_organisations_reaching_half(counts, factor):
    diversity = pd.DataFrame(
        {
            "organisation": [f"org{i}" for i in range(len(counts))],
            "contributors": [1] * len(counts),
            "contributions": counts,
            "share": [c / (sum(counts) or 1) for c in counts],
        }
    )
    assert elephant_factor(diversity) == factor


def test_no_one_affiliated_means_no_factor():
    board = leaderboard(CONTRIBUTIONS)
    empty = pd.DataFrame(columns=["contributor_id", "organisation", "source"])
    diversity = organisational_diversity(board, empty)
    assert diversity["organisation"].tolist() == [""]
    assert elephant_factor(diversity) == 0
