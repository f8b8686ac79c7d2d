"""Issue titles and markdown bodies by category, assembled from template parts.

Each category has its own vocabulary (tracebacks and "steps to reproduce" for bugs, motivation and
proposal for features, "how do I" for questions, pages and typos for docs), so a label model
trained on the demo data has something real to learn; the component names make texts vary.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from demo.generator.repos import BUG, DOCS, FEATURE, QUESTION

TRIGGERS = (
    "the window is resized",
    "an empty list is passed",
    "the text contains emoji",
    "running on Python 3.13",
    "two themes are loaded at once",
    "the config file starts with a BOM",
    "a plugin is registered twice",
    "it is called from a worker thread",
    "the terminal width is zero",
    "a relative path is used",
    "the input has more than 10k rows",
    "NO_COLOR is set",
)
SYMPTOMS = (
    "renders nothing",
    "leaks memory",
    "hangs forever",
    "ignores the padding option",
    "raises an exception",
    "writes a corrupted file",
    "becomes very slow",
    "draws overlapping borders",
)
EXCEPTIONS = (
    ("KeyError", "'fg'"),
    ("TypeError", "unsupported operand type(s) for +: 'int' and 'NoneType'"),
    ("ValueError", "width must be positive, got 0"),
    ("AttributeError", "'NoneType' object has no attribute 'children'"),
    ("RecursionError", "maximum recursion depth exceeded"),
    ("UnicodeDecodeError", "'utf-8' codec can't decode byte 0xff in position 0"),
)
FEATURES = (
    "dark mode presets",
    "a right-to-left layout option",
    "async data sources",
    "PNG export",
    "keyboard navigation",
    "custom border styles",
    "a JSON output format",
    "per-widget refresh intervals",
    "theme inheritance",
    "sparkline charts",
)
TASKS = (
    "change the default font",
    "update a widget from a background task",
    "align two tables side by side",
    "load a theme from a package",
    "test a custom widget",
    "disable colors in CI logs",
    "embed the output in a web page",
    "pin the header row while scrolling",
)
OSES = ("Ubuntu 24.04", "macOS 15.2", "Windows 11", "Debian 12", "Fedora 41", "Arch Linux")
PYTHONS = ("3.11.9", "3.12.7", "3.13.1")
_SNIPPETS = (
    "from widgets import Table\n\ntable = Table(rows=[])\ntable.render(width={n})",
    'from widgets import Grid, Theme\n\ngrid = Grid(theme=Theme.load("{word}"))\ngrid.show()',
    'import widgets\n\napp = widgets.App()\napp.add(widgets.Text("{word} 🚀"))\napp.run()',
)


@dataclass(frozen=True, slots=True)
class Text:
    title: str
    body: str


def issue_text(rng: random.Random, *, category: str, component: str, version: str) -> Text:
    """A believable issue for `category` about `component` of the given version."""
    writers = {BUG: _bug, FEATURE: _feature, QUESTION: _question, DOCS: _docs}
    return writers[category](rng, component, version)


def snippet(rng: random.Random) -> str:
    code = rng.choice(_SNIPPETS)
    return code.format(n=rng.choice((0, 40, 120)), word=rng.choice(("dracula", "solar", "mono")))


def _bug(rng: random.Random, component: str, version: str) -> Text:
    trigger, symptom = rng.choice(TRIGGERS), rng.choice(SYMPTOMS)
    symptom = "becomes very slow" if component == "renderer" else symptom  # what search demos
    exception, message = rng.choice(EXCEPTIONS)
    title = rng.choice(
        (
            f"{component.capitalize()} {symptom} when {trigger}",
            f"{exception} in {component} when {trigger}",
            f"Regression in {version}: {component} {symptom}",
            f"Crash in {component}: {exception}: {message}",
        )
    )
    module = component.split()[0].lower()
    body = (
        f"### Describe the bug\n{component.capitalize()} {symptom} when {trigger}. "
        f"{rng.choice(('It worked in the previous release.', 'This breaks our CI.', ''))}\n\n"
        "### Steps to reproduce\n"
        f"1. Install version {version}\n2. Run the snippet below\n3. See the error\n\n"
        f"```python\n{snippet(rng)}\n```\n\n"
        "### Traceback\n```\nTraceback (most recent call last):\n"
        '  File "app.py", line 4, in <module>\n'
        f'  File "widgets/{module}.py", line {rng.randint(20, 900)}, in {module}_update\n'
        f"{exception}: {message}\n```\n\n"
        f"### Expected behavior\nNo error, the {component} should just work.\n\n"
        f"### Environment\n- version: {version}\n- Python: {rng.choice(PYTHONS)}\n"
        f"- OS: {rng.choice(OSES)}\n"
    )
    return Text(title, body)


def _feature(rng: random.Random, component: str, version: str) -> Text:
    feature = rng.choice(FEATURES)
    title = rng.choice(
        (
            f"Add {feature} to the {component}",
            f"Feature request: {feature}",
            f"Support {feature} in {component}",
            f"It would be great to have {feature}",
        )
    )
    body = (
        f"### Motivation\nWe build dashboards for {rng.choice(('ops', 'finance', 'research'))} "
        f"teams and keep re-implementing {feature} on top of the {component}. "
        "Having it built in would save everyone time.\n\n"
        f"### Proposal\nAdd an opt-in option to the {component}:\n\n"
        f"```python\nwidget = Widget(..., {feature.split()[-1].replace('-', '_')}=True)\n```\n\n"
        "### Alternatives considered\nA plugin would work, but it needs private APIs.\n\n"
        f"I am happy to send a pull request if the design sounds good.\n"
    )
    return Text(title, body)


def _question(rng: random.Random, component: str, version: str) -> Text:
    task = rng.choice(TASKS)
    title = rng.choice(
        (
            f"How do I {task}?",
            f"Is it possible to {task} with the {component}?",
            f"What is the recommended way to {task}?",
            f"Question: {component} and how to {task}",
        )
    )
    body = (
        f"Hi! I'm trying to {task} using the {component} (version {version}), "
        "but I could not find how in the docs.\n\n"
        f"This is what I have so far:\n\n```python\n{snippet(rng)}\n```\n\n"
        "Is there a supported way to do this, or am I missing something? Thanks!\n"
    )
    return Text(title, body)


def _docs(rng: random.Random, component: str, version: str) -> Text:
    page = rng.choice(("README", "tutorial", "API reference", "changelog", f"{component} page"))
    topic = rng.choice(TASKS)
    title = rng.choice(
        (
            f"Docs: the {page} is missing an example of how to {topic}",
            f"Typo in the {page}",
            f"Broken link in the {page}",
            f"Document how to {topic}",
        )
    )
    body = (
        f"The {page} explains the {component} but never shows how to {topic}. "
        f"The link to the {component} section also returns 404.\n\n"
        "Suggested fix: add a short example and update the link in the documentation. "
        "I can open a docs PR.\n"
    )
    return Text(title, body)
