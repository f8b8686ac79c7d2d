"""GitHub webhook payloads written for the tests: one function per event, no file from outside.

Each function returns a fresh payload in the shape GitHub documents for the event ("Webhook events
and payloads", docs.github.com): the fields Steward's parsers and handlers read, plus the common
ones around them (URLs, node ids) so that a payload reads like a real delivery. Keyword arguments
replace fields of the event's main object (`issues(title="…")` changes the issue).

The defaults describe one small world, the one of GitHub's documentation examples, so that the
payloads of different events agree with one another: the Codertocat/Hello-World repository, its
issue #1 ("Spelling error in the README file"), its pull request #2, and the `bug` label. The
real recorded payloads are replayed by the conformance suite (tests/community/webhooks/
test_corpus.py); these are what the core tests stand on.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

Json = dict[str, Any]

API = "https://api.github.com"
WEB = "https://github.com"

OWNER_LOGIN, OWNER_ID = "Codertocat", 21031067
REVIEWER_LOGIN, REVIEWER_ID = "octocat", 5346
REPOSITORY_ID, REPOSITORY_NAME = 186853002, "Hello-World"
FULL_NAME = f"{OWNER_LOGIN}/{REPOSITORY_NAME}"
REPOSITORY_URL = f"{API}/repos/{FULL_NAME}"
ISSUE_ID, ISSUE_NUMBER = 444500041, 1
ISSUE_TITLE = "Spelling error in the README file"
ISSUE_BODY = "It looks like you accidently spelled 'commit' with two 't's."
PULL_ID, PULL_NUMBER = 279147437, 2
BUG_LABEL_ID = 1362934389
MILESTONE_ID = 4317517
COMMENT_ID = 492700400
REVIEW_ID = 237895671
REVIEW_COMMENT_ID = 284312630
RELEASE_ID = 17372790
INSTALLATION_ID = 2  # the full `installation` object; other events name installation 1
HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e"
COMMIT_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246"
CREATED = "2019-05-15T15:20:18Z"


def _reactions(url: str) -> Json:
    return {"url": f"{url}/reactions", "total_count": 0, "+1": 0, "-1": 0, "laugh": 0,
            "hooray": 0, "confused": 0, "heart": 0, "rocket": 0, "eyes": 0}  # fmt: skip


def user(login: str = OWNER_LOGIN, id: int = OWNER_ID, *, type: str = "User") -> Json:
    """A user as GitHub nests it in other objects (no `name`: only full user objects have it)."""
    return {
        "login": login,
        "id": id,
        "node_id": f"MDQ6VXNlcj{id}",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{id}?v=4",
        "gravatar_id": "",
        "url": f"{API}/users/{login}",
        "html_url": f"{WEB}/{login}",
        "type": type,
        "site_admin": False,
    }


def repository(**fields: Any) -> Json:
    full_name = fields.get("full_name", FULL_NAME)
    url = f"{API}/repos/{full_name}"
    data = {
        "id": REPOSITORY_ID,
        "node_id": f"MDEwOlJlcG9zaXRvcnk{REPOSITORY_ID}",
        "name": REPOSITORY_NAME,
        "full_name": full_name,
        "private": False,
        "owner": user(),
        "html_url": f"{WEB}/{full_name}",
        "description": None,
        "fork": False,
        "url": url,
        "issues_url": f"{url}/issues{{/number}}",
        "pulls_url": f"{url}/pulls{{/number}}",
        "created_at": "2019-05-15T15:19:25Z",
        "updated_at": "2019-05-15T15:19:27Z",
        "pushed_at": "2019-05-15T15:20:13Z",
        "homepage": None,
        "size": 0,
        "stargazers_count": 0,
        "watchers_count": 0,
        "language": None,
        "has_issues": True,
        "forks_count": 0,
        "archived": False,
        "disabled": False,
        "open_issues_count": 1,
        "license": None,
        "default_branch": "master",
        "topics": [],
        "visibility": "public",
    }
    return data | fields


def label(**fields: Any) -> Json:
    name = fields.get("name", "bug")
    data = {
        "id": BUG_LABEL_ID,
        "node_id": f"MDU6TGFiZWw{BUG_LABEL_ID}",
        "url": f"{REPOSITORY_URL}/labels/{name}",
        "name": name,
        "color": "d73a4a",
        "default": True,
        "description": "Something isn't working",
    }
    return data | fields


def milestone(**fields: Any) -> Json:
    data = {
        "url": f"{REPOSITORY_URL}/milestones/1",
        "html_url": f"{WEB}/{FULL_NAME}/milestone/1",
        "id": MILESTONE_ID,
        "node_id": f"MDk6TWlsZXN0b25l{MILESTONE_ID}",
        "number": 1,
        "title": "v1.0",
        "description": "Add new space flight simulator",
        "creator": user(),
        "open_issues": 1,
        "closed_issues": 0,
        "state": "closed",
        "created_at": "2019-05-15T15:20:17Z",
        "updated_at": CREATED,
        "due_on": "2019-05-23T07:00:00Z",
        "closed_at": CREATED,
    }
    return data | fields


def issue(**fields: Any) -> Json:
    """Issue #1, open, labelled `bug`, assigned to its author, in milestone v1.0."""
    number = fields.get("number", ISSUE_NUMBER)
    url = f"{REPOSITORY_URL}/issues/{number}"
    data = {
        "url": url,
        "repository_url": REPOSITORY_URL,
        "comments_url": f"{url}/comments",
        "html_url": f"{WEB}/{FULL_NAME}/issues/{number}",
        "id": ISSUE_ID,
        "node_id": f"MDU6SXNzdWU{ISSUE_ID}",
        "number": number,
        "title": ISSUE_TITLE,
        "user": user(),
        "labels": [label()],
        "state": "open",
        "locked": False,
        "assignee": user(),
        "assignees": [user()],
        "milestone": milestone(),
        "comments": 0,
        "created_at": CREATED,
        "updated_at": CREATED,
        "closed_at": None,
        "author_association": "OWNER",
        "active_lock_reason": None,
        "body": ISSUE_BODY,
        "reactions": _reactions(url),
    }
    return data | fields


def pull_request(**fields: Any) -> Json:
    """Pull request #2 as webhooks send it (detail fields included), closed without merge."""
    number = fields.get("number", PULL_NUMBER)
    url = f"{REPOSITORY_URL}/pulls/{number}"
    data = {
        "url": url,
        "id": PULL_ID,
        "node_id": f"MDExOlB1bGxSZXF1ZXN0{PULL_ID}",
        "html_url": f"{WEB}/{FULL_NAME}/pull/{number}",
        "issue_url": f"{REPOSITORY_URL}/issues/{number}",
        "number": number,
        "state": "closed",
        "locked": False,
        "title": "Update the README with new information.",
        "user": user(),
        "body": "This is a pretty simple change that we need to pull into master.",
        "created_at": "2019-05-15T15:20:33Z",
        "updated_at": "2019-05-15T15:21:18Z",
        "closed_at": "2019-05-15T15:21:18Z",
        "merged_at": None,
        "merge_commit_sha": "c4295bd74fb0f4fda03689c3df3f2803b658fd85",
        "assignee": None,
        "assignees": [user()],
        "requested_reviewers": [user(REVIEWER_LOGIN, REVIEWER_ID)],
        "requested_teams": [],
        "labels": [label()],
        "milestone": None,
        "head": {"label": f"{OWNER_LOGIN}:changes", "ref": "changes", "sha": HEAD_SHA,
                 "user": user(), "repo": repository()},
        "base": {"label": f"{OWNER_LOGIN}:master", "ref": "master", "sha": BASE_SHA,
                 "user": user(), "repo": repository()},
        "_links": {"self": {"href": url}, "issue": {"href": f"{REPOSITORY_URL}/issues/{number}"}},
        "author_association": "OWNER",
        "auto_merge": None,
        "active_lock_reason": None,
        "draft": False,
        "merged": False,
        "mergeable": True,
        "merged_by": None,
        "comments": 0,
        "review_comments": 1,
        "maintainer_can_modify": False,
        "commits": 1,
        "additions": 1,
        "deletions": 1,
        "changed_files": 1,
    }  # fmt: skip
    return data | fields


def issue_comment_object(**fields: Any) -> Json:
    """A comment on issue #1 (the issue's number is read from `issue_url`)."""
    data = {
        "url": f"{REPOSITORY_URL}/issues/comments/{COMMENT_ID}",
        "html_url": f"{WEB}/{FULL_NAME}/issues/1#issuecomment-{COMMENT_ID}",
        "issue_url": f"{REPOSITORY_URL}/issues/{ISSUE_NUMBER}",
        "id": COMMENT_ID,
        "node_id": f"MDEyOklzc3VlQ29tbWVudA{COMMENT_ID}",
        "user": user(),
        "created_at": "2019-05-15T15:20:21Z",
        "updated_at": "2019-05-15T15:20:21Z",
        "author_association": "OWNER",
        "body": "You are totally right! I'll get this fixed right away.",
        "reactions": _reactions(f"{REPOSITORY_URL}/issues/comments/{COMMENT_ID}"),
    }
    return data | fields


def review_comment_object(**fields: Any) -> Json:
    """A diff comment on pull request #2, in review `REVIEW_ID`."""
    url = f"{REPOSITORY_URL}/pulls/comments/{fields.get('id', REVIEW_COMMENT_ID)}"
    data = {
        "url": url,
        "pull_request_review_id": REVIEW_ID,
        "id": REVIEW_COMMENT_ID,
        "node_id": f"MDI0OlB1bGxSZXF1ZXN0UmV2aWV3Q29tbWVudA{REVIEW_COMMENT_ID}",
        "diff_hunk": "@@ -1 +1 @@\n-# Hello-World",
        "path": "README.md",
        "commit_id": HEAD_SHA,
        "original_commit_id": HEAD_SHA,
        "user": user(),
        "body": "Maybe you should use more emoji on this line.",
        "created_at": "2019-05-15T15:20:37Z",
        "updated_at": "2019-05-15T15:20:38Z",
        "html_url": f"{WEB}/{FULL_NAME}/pull/2#discussion_r{REVIEW_COMMENT_ID}",
        "pull_request_url": f"{REPOSITORY_URL}/pulls/{PULL_NUMBER}",
        "author_association": "OWNER",
        "reactions": _reactions(url),
        "line": 1,
        "side": "RIGHT",
    }
    return data | fields


def review_object(**fields: Any) -> Json:
    data = {
        "id": REVIEW_ID,
        "node_id": f"MDE3OlB1bGxSZXF1ZXN0UmV2aWV3{REVIEW_ID}",
        "user": user(),
        "body": None,
        "commit_id": HEAD_SHA,
        "submitted_at": "2019-05-15T15:20:38Z",
        "state": "commented",  # webhooks send it in lower case, the REST API in upper case
        "html_url": f"{WEB}/{FULL_NAME}/pull/2#pullrequestreview-{REVIEW_ID}",
        "pull_request_url": f"{REPOSITORY_URL}/pulls/{PULL_NUMBER}",
        "author_association": "OWNER",
    }
    return data | fields


def release_object(**fields: Any) -> Json:
    url = f"{REPOSITORY_URL}/releases/{RELEASE_ID}"
    data = {
        "url": url,
        "assets_url": f"{url}/assets",
        "html_url": f"{WEB}/{FULL_NAME}/releases/tag/0.0.1",
        "id": RELEASE_ID,
        "node_id": f"MDc6UmVsZWFzZQ{RELEASE_ID}",
        "tag_name": "0.0.1",
        "target_commitish": "master",
        "name": "",
        "draft": False,
        "author": user(),
        "prerelease": False,
        "created_at": "2019-05-15T15:19:25Z",
        "published_at": "2019-05-15T15:20:53Z",
        "assets": [],
        "body": "",
    }
    return data | fields


def installation_object(**fields: Any) -> Json:
    """The full installation object (`installation` events); other events send only its id."""
    data = {
        "id": INSTALLATION_ID,
        "account": user(REVIEWER_LOGIN, 1),
        "repository_selection": "selected",
        "app_id": 5725,
        "target_id": 3880403,
        "target_type": "User",
        "permissions": {"metadata": "read", "contents": "read", "issues": "write"},
        "events": ["push", "pull_request"],
        "created_at": 1525109898,  # Unix seconds in these events, ISO 8601 elsewhere
        "updated_at": 1525109899,
        "single_file_name": "config.yml",
        "suspended_at": None,
        "suspended_by": None,
    }
    return data | fields


def repository_stub(**fields: Any) -> Json:
    """A repository as installation events list it: id and names, no owner."""
    data = {"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "Hello-World",
            "full_name": "octocat/Hello-World", "private": False}  # fmt: skip
    return data | fields


def commit(**fields: Any) -> Json:
    """A commit as `push` lists it; `author.username` is the GitHub account, when one matched."""
    sha = fields.get("id", COMMIT_SHA)
    identity = {"name": OWNER_LOGIN, "email": f"{OWNER_ID}+{OWNER_LOGIN}@users.noreply.github.com"}
    data = {
        "id": sha,
        "tree_id": "31b122c26a97cf9af023e9ddab94a82c6e77b0ea",
        "distinct": True,
        "message": "Initial commit",
        "timestamp": "2019-05-15T15:19:25Z",
        "url": f"{WEB}/{FULL_NAME}/commit/{sha}",
        "author": identity | {"username": OWNER_LOGIN},
        "committer": identity,  # no username: GitHub matched no account to the committer
        "added": ["README.md"],
        "removed": [],
        "modified": [],
    }
    return data | fields


# Events: the envelope (action, repository, sender, …) around the objects above.


def _event(action: str | None, **parts: Any) -> Json:
    data: Json = {} if action is None else {"action": action}
    return data | parts | {"repository": parts.get("repository", repository()), "sender": user()}


def issues(action: str = "opened", **fields: Any) -> Json:
    data = _event(action, issue=issue(**fields))
    if action == "edited":
        data["changes"] = {}
    if action in ("labeled", "unlabeled"):
        data["label"] = label()
    if action == "deleted":
        data["issue"]["updated_at"] = fields.get("updated_at", "2021-10-11T16:40:56Z")
    return data


def issue_comment(action: str = "created", **fields: Any) -> Json:
    return _event(
        action,
        issue=issue(updated_at="2019-05-15T15:20:21Z"),
        comment=issue_comment_object(**fields),
    )


def pull_request_event(action: str = "closed", **fields: Any) -> Json:
    data = pull_request(**fields)
    return _event(action, number=data["number"], pull_request=data, installation={"id": 1})


# Review events carry the pull request without the fields only its detail sends.
_DETAIL_ONLY = (
    "merged", "mergeable", "merged_by", "comments", "review_comments", "maintainer_can_modify",
    "commits", "additions", "deletions", "changed_files",
)  # fmt: skip


def _open_pull(**fields: Any) -> Json:
    data = pull_request(state="open", updated_at="2019-05-15T15:20:38Z", closed_at=None) | fields
    return {k: v for k, v in data.items() if k not in _DETAIL_ONLY}


def pull_request_review(action: str = "submitted", **fields: Any) -> Json:
    return _event(action, review=review_object(**fields), pull_request=_open_pull())


def pull_request_review_comment(action: str = "created", **fields: Any) -> Json:
    pull = {k: v for k, v in _open_pull().items() if k not in ("auto_merge", "draft")}
    return _event(action, comment=review_comment_object(**fields), pull_request=pull)


def pull_request_review_thread(action: str = "resolved", **fields: Any) -> Json:
    second = review_comment_object(id=REVIEW_COMMENT_ID + 1, body="Done.")
    thread = {"node_id": "PRRT_kwDOB", "comments": [review_comment_object(), second]} | fields
    return _event(action, thread=thread, pull_request=_open_pull())


def release(action: str = "published", **fields: Any) -> Json:
    return _event(action, release=release_object(**fields))


def label_event(action: str = "created", **fields: Any) -> Json:
    created = {"id": 1362937026, "name": ":bug: Bugfix", "color": "cb1f00", "default": False,
               "description": "Fixes a bug"}  # fmt: skip
    return _event(action, label=label(**created) | fields)


def milestone_event(action: str = "created", **fields: Any) -> Json:
    state = {"state": "open", "closed_at": None} if action == "created" else {}
    return _event(action, milestone=milestone(**state) | fields)


def member(action: str = "added", **fields: Any) -> Json:
    data = _event(action, member=user(REVIEWER_LOGIN, REVIEWER_ID) | fields)
    if action == "edited":
        data["changes"] = {"permission": {"from": "write", "to": "admin"}}
    return data


def star(action: str = "created", **fields: Any) -> Json:
    starred_at = "2019-05-15T15:20:40Z" if action == "created" else None
    return _event(action, starred_at=starred_at, **fields)


def watch(action: str = "started", **fields: Any) -> Json:
    return _event(action, **fields)


def fork(**fields: Any) -> Json:
    forkee = repository(id=186853261, full_name="Octocoders/Hello-World", fork=True)
    forkee["owner"] = user("Octocoders", 38302899, type="Organization")
    return _event(None, forkee=forkee, repository=repository(forks_count=1)) | fields


def create(**fields: Any) -> Json:
    return _event(None, ref="simple-tag", ref_type="tag", master_branch="master",
                  description=None, pusher_type="user") | fields  # fmt: skip


def delete(**fields: Any) -> Json:
    return _event(None, ref="simple-tag", ref_type="tag", pusher_type="user") | fields


def repository_event(action: str = "privatized", **fields: Any) -> Json:
    private = action == "privatized"
    state = {"private": private, "visibility": "private" if private else "public"}
    return _event(action, repository=repository(**state) | fields)


def push(**fields: Any) -> Json:
    first = commit()
    data = _event(
        None,
        ref="refs/heads/master",
        before="0" * 40,
        after=first["id"],
        created=True,
        deleted=False,
        forced=False,
        base_ref=None,
        compare=f"{WEB}/{FULL_NAME}/commit/{first['id']}",
        commits=[first],
        head_commit=first,
        pusher={"name": OWNER_LOGIN, "email": first["author"]["email"]},
        installation={"id": 1},
        # `push` alone sends these two repository times as Unix seconds.
        repository=repository(created_at=1557933565, pushed_at=1557933657),
    )
    return data | fields


def installation(action: str = "created", **fields: Any) -> Json:
    account = installation_object()["account"]
    data = {
        "action": action,
        "installation": installation_object(**fields),
        "repositories": [repository_stub()],
        "requester": None,
        "sender": account,
    }
    if action in ("suspend", "unsuspend"):  # these list no repositories
        del data["repositories"]
    if action == "suspend":
        data["installation"]["suspended_at"] = "2019-05-15T15:25:00Z"
    return data


def installation_repositories(action: str = "added", **fields: Any) -> Json:
    moved = {"repositories_added": [repository_stub()], "repositories_removed": []}
    if action == "removed":
        moved = {"repositories_added": [], "repositories_removed": [repository_stub()]}
    return {
        "action": action,
        "installation": installation_object(),
        "repository_selection": "selected",
        **moved,
        "requester": None,
        "sender": installation_object()["account"],
    } | fields


def ping(**fields: Any) -> Json:
    hook = {"type": "Repository", "id": 109948940, "name": "web", "active": True, "events": ["*"],
            "config": {"content_type": "json", "insecure_ssl": "0"}}  # fmt: skip
    data = {"zen": "Anything added dilutes everything else.", "hook_id": 109948940, "hook": hook}
    return data | {"repository": repository(), "sender": user()} | fields


def gollum(**fields: Any) -> Json:
    page = {"page_name": "Home", "title": "Home", "summary": None, "action": "edited",
            "sha": "6bf911d3801dd1ef957fc6ade5a8d96429e7fa39",
            "html_url": f"{WEB}/{FULL_NAME}/wiki/Home"}  # fmt: skip
    return {"pages": [page], "repository": repository(), "sender": user()} | fields


# (event, action or variant) → payload: the examples the core tests apply one by one.
EXAMPLES: dict[tuple[str, str], Callable[[], Json]] = {
    **{("issues", a): (lambda a=a: issues(a)) for a in (
        "opened", "edited", "closed", "reopened", "labeled", "unlabeled", "assigned",
        "pinned", "unpinned", "locked", "deleted")},
    **{("issue_comment", a): (lambda a=a: issue_comment(a)) for a in (
        "created", "edited", "deleted")},
    **{("pull_request", a): (lambda a=a: pull_request_event(a)) for a in (
        "opened", "closed", "reopened", "synchronize", "review_requested")},
    ("pull_request_review", "submitted"): pull_request_review,
    **{("pull_request_review_comment", a): (lambda a=a: pull_request_review_comment(a)) for a in (
        "created", "deleted")},
    ("pull_request_review_thread", "resolved"): pull_request_review_thread,
    **{("release", a): (lambda a=a: release(a)) for a in ("published", "deleted")},
    **{("label", a): (lambda a=a: label_event(a)) for a in ("created", "deleted")},
    **{("milestone", a): (lambda a=a: milestone_event(a)) for a in ("created", "closed")},
    **{("member", a): (lambda a=a: member(a)) for a in ("added", "edited", "removed")},
    **{("star", a): (lambda a=a: star(a)) for a in ("created", "deleted")},
    ("watch", "started"): watch,
    ("fork", "payload"): fork,
    ("create", "payload"): create,
    ("delete", "payload"): delete,
    **{("repository", a): (lambda a=a: repository_event(a)) for a in (
        "privatized", "publicized", "archived", "deleted")},
    ("push", "payload"): push,
    **{("installation", a): (lambda a=a: installation(a)) for a in (
        "created", "suspend", "deleted")},
    **{("installation_repositories", a): (lambda a=a: installation_repositories(a)) for a in (
        "added", "removed")},
    ("ping", "payload"): ping,
    ("gollum", "payload"): gollum,
}  # fmt: skip

# The names of GitHub's example files for variants that are not an action.
_ALIASES = {("push", "with-no-username-committer"): ("push", "payload")}


def example(event: str, name: str) -> Json:
    """A fresh payload by event and action (`"opened"`); names of GitHub's example files
    (`"opened.payload.json"`, `"payload.json"`) are understood too."""
    name = name.removesuffix(".json").removesuffix("payload").removesuffix(".") or "payload"
    key = _ALIASES.get((event, name), (event, name))
    if key not in EXAMPLES:
        raise KeyError(f"no test payload for {event}/{name}: add one to {__name__}")
    return copy.deepcopy(EXAMPLES[key]())
