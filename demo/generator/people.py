"""Who the demo community is made of: core maintainers, regulars, a long tail, bots, stargazers.

Activity is Zipf-like: the person of rank r opens about 1/r^1.2 of the items, so a handful of
maintainers do most of the work while most people show up once or twice. Newcomers keep arriving
(more of them as the project grows) and some people stop contributing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from community.github.payloads import GitHubUser
from demo.generator.ids import IdAllocator
from demo.generator.timing import growing_moment, skewed_delay

FIRST_NAMES = [
    "Ada",
    "Alan",
    "Amara",
    "Ana",
    "Arjun",
    "Bea",
    "Bruno",
    "Carla",
    "Chen",
    "Chidi",
    "Dana",
    "Diego",
    "Elena",
    "Emeka",
    "Farah",
    "Felix",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Ivan",
    "Jamal",
    "Jonas",
    "Kai",
    "Kemal",
    "Lars",
    "Lea",
    "Lina",
    "Malik",
    "Maya",
    "Mei",
    "Nadia",
    "Noah",
    "Olga",
    "Omar",
    "Pablo",
    "Priya",
    "Quinn",
    "Rafael",
    "Rosa",
    "Sami",
    "Sara",
    "Sofia",
    "Tariq",
    "Teo",
    "Uma",
    "Vera",
    "Wei",
    "Yara",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Abe",
    "Adeyemi",
    "Bauer",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kim",
    "Kowalski",
    "Larsen",
    "Lopez",
    "Mahmoud",
    "Meyer",
    "Nakamura",
    "Novak",
    "Okafor",
    "Oliveira",
    "Park",
    "Patel",
    "Petrov",
    "Quispe",
    "Rossi",
    "Sato",
    "Schmidt",
    "Silva",
    "Singh",
    "Tanaka",
    "Torres",
    "Ueda",
    "Varga",
    "Wagner",
    "Wang",
    "Yilmaz",
    "Zhang",
]
ROLE_MAINTAINER, ROLE_REGULAR, ROLE_CASUAL = "maintainer", "regular", "casual"


@dataclass(frozen=True, slots=True)
class Person:
    user: GitHubUser
    role: str
    arrival: datetime
    departure: datetime
    items: int  # how many issues and pull requests this person opens

    @property
    def is_maintainer(self) -> bool:
        return self.role == ROLE_MAINTAINER


@dataclass(frozen=True, slots=True)
class Cast:
    org: GitHubUser
    people: list[Person]  # humans, by decreasing activity
    dependabot: GitHubUser
    github_actions: GitHubUser
    renovate: GitHubUser

    @property
    def maintainers(self) -> list[Person]:
        return [p for p in self.people if p.is_maintainer]

    @property
    def bots(self) -> list[GitHubUser]:
        return [self.dependabot, self.github_actions, self.renovate]


def cast_build(
    rng: random.Random,
    ids: IdAllocator,
    *,
    start: datetime,
    until: datetime,
    humans: int,
    human_items: int,
) -> Cast:
    """The organization, `humans` people sharing `human_items` issues/PRs, and three bots."""
    org = GitHubUser(id=ids.next("actor"), login="acme", type="Organization", name="Acme")
    maintainers = max(3, round(humans * 0.027))
    regulars = max(3, round(humans * 0.08))
    counts = _zipf_counts(rng, people=humans, total=human_items)
    logins: set[str] = {"acme"}
    people = []
    for rank, items in enumerate(counts):
        role = ROLE_MAINTAINER if rank < maintainers else ROLE_CASUAL
        if maintainers <= rank < maintainers + regulars:
            role = ROLE_REGULAR
        arrival, departure = _active_window(rng, role=role, rank=rank, start=start, until=until)
        user = _person_user(rng, ids, logins)
        people.append(Person(user, role, arrival, departure, items))
    return Cast(
        org=org,
        people=people,
        dependabot=GitHubUser(id=ids.next("actor"), login="dependabot[bot]", type="Bot"),
        github_actions=GitHubUser(id=ids.next("actor"), login="github-actions[bot]", type="Bot"),
        renovate=GitHubUser(id=ids.next("actor"), login="renovate-bot", type="User"),
    )


def stargazers_build(
    rng: random.Random, ids: IdAllocator, *, cast: Cast, count: int
) -> list[GitHubUser]:
    """Accounts that only star repositories (most stargazers never contribute)."""
    logins = {p.user.login for p in cast.people}
    return [_person_user(rng, ids, logins, suffix_digits=True) for _ in range(count)]


def _zipf_counts(rng: random.Random, *, people: int, total: int) -> list[int]:
    """Items per person: rank r gets about C/r^1.2, and everyone at least one.

    C is solved so the counts add up to `total`; with 300 people and ~3,000 items the top
    maintainer opens about a quarter of them and six people in ten open one or two.
    """
    weights = [1.0 / (rank + 1) ** 1.2 for rank in range(people)]
    low, high = 0.0, float(total)
    for _ in range(50):
        middle = (low + high) / 2
        if sum(max(1.0, w * middle) for w in weights) > total:
            high = middle
        else:
            low = middle
    counts = []
    for weight in weights:
        share = max(1.0, weight * low)
        counts.append(int(share) + (1 if rng.random() < share - int(share) else 0))
    return counts


def _active_window(
    rng: random.Random, *, role: str, rank: int, start: datetime, until: datetime
) -> tuple[datetime, datetime]:
    if role == ROLE_MAINTAINER:
        # One early maintainer steps back halfway: real projects lose core people too.
        leaves = rank == 2
        return start, start + (until - start) / 2 if leaves else until
    if role == ROLE_REGULAR:
        arrival = growing_moment(rng, start=start, end=start + (until - start) / 2, growth=0.0)
    else:
        arrival = growing_moment(rng, start=start, end=until - timedelta(days=2), growth=0.8)
    departure = until
    if rng.random() < 0.35:
        stay = skewed_delay(rng, median=timedelta(days=120), spread=0.8)
        departure = min(until, arrival + max(stay, timedelta(days=14)))
    return arrival, departure


def _person_user(
    rng: random.Random, ids: IdAllocator, taken: set[str], *, suffix_digits: bool = False
) -> GitHubUser:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    styles = (f"{first}{last}", f"{first[0]}{last}", f"{first}-{last}", f"{first}{last[:3]}")
    login = rng.choice(styles).lower()
    if suffix_digits or login in taken:
        login = f"{login}{rng.randint(1, 9999)}"
    while login in taken:
        login = f"{login}{rng.randint(0, 9)}"
    taken.add(login)
    user_id = ids.next("actor")
    avatar = f"https://avatars.githubusercontent.com/u/{user_id}?v=4"
    return GitHubUser(id=user_id, login=login, name=f"{first} {last}", avatar_url=avatar)


# Where the demo's people work, as their commit emails say: the company behind the project
# (acme) employs most maintainers; a few other companies send regulars; most of the long tail
# contributes on their own time. (name, email domain, weight among the employed)
EMPLOYERS = (
    ("Acme", "acme.com", 4),
    ("Globex", "globex.com", 3),
    ("Initech", "initech.io", 2),
    ("Hooli", "hooli.dev", 2),
    ("Umbrella", "umbrella.org", 1),
)
# Share of each role with an employer that shows in their commit email.
EMPLOYED = {ROLE_MAINTAINER: 0.85, ROLE_REGULAR: 0.6, ROLE_CASUAL: 0.3}
PERSONAL_MAIL = ("gmail.com", "proton.me", "outlook.com")


def commit_emails_build(rng: random.Random, *, cast: Cast) -> dict[int, str]:
    """The email each person's commits carry (by account id): a work address for people with
    an employer, otherwise a personal address or GitHub's noreply one (which name no company).

    The first two maintainers work for Acme, the third for Globex, so the project reads as
    company-led but not single-vendor. Draws come from `rng` only (its own stream), so the rest
    of the demo is unchanged by them.
    """
    names = [name for name, _, _ in EMPLOYERS]
    weights = [weight for _, _, weight in EMPLOYERS]
    domains = {name: domain for name, domain, _ in EMPLOYERS}
    emails = {}
    for rank, person in enumerate(cast.people):
        user = person.user
        local = (user.name or user.login).lower().replace(" ", ".")
        employer = {0: "Acme", 1: "Acme", 2: "Globex"}.get(rank)
        if employer is None and rng.random() < EMPLOYED[person.role]:
            employer = rng.choices(names, weights=weights)[0]
        if employer is not None:
            emails[user.id] = f"{local}@{domains[employer]}"
        elif rng.random() < 0.5:
            emails[user.id] = f"{local}@{rng.choice(PERSONAL_MAIL)}"
        else:
            emails[user.id] = f"{user.id}+{user.login}@users.noreply.github.com"
    return emails


def profile_companies_build(
    rng: random.Random, *, cast: Cast, emails: dict[int, str]
) -> dict[int, str]:
    """The company each person's GitHub profile states (by account id), written as people
    write it: about half of those with a work email name their employer there, and a few who
    commit from a personal address name one too (so the profile is sometimes the only evidence).
    Its own `rng` stream: the rest of the demo is unchanged by it."""
    by_domain = {domain: name for name, domain, _ in EMPLOYERS}
    names = [name for name, _, _ in EMPLOYERS]
    weights = [weight for _, _, weight in EMPLOYERS]
    companies = {}
    for person in cast.people:
        user_id = person.user.id
        employer = by_domain.get(emails.get(user_id, "").rpartition("@")[2])
        if employer is None:
            if rng.random() >= 0.1:
                continue
            employer = rng.choices(names, weights=weights)[0]
        elif rng.random() >= 0.5:
            continue
        written = rng.choice((employer, f"@{employer.lower()}", f"{employer} Inc."))
        companies[user_id] = written
    return companies
