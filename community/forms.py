"""Forms for the site pages: the filters above issue and pull request lists."""

from __future__ import annotations

from django import forms

from community.selectors import ItemFilters

ISSUE_STATES = [("open", "Open"), ("closed", "Closed"), ("all", "All")]
PULL_REQUEST_STATES = [*ISSUE_STATES[:2], ("merged", "Merged"), ("draft", "Draft"), ("all", "All")]
SORTS = [
    ("newest", "Newest"),
    ("oldest", "Oldest"),
    ("updated", "Recently updated"),
    ("comments", "Most commented"),
]


class ItemFilterForm(forms.Form):
    """GET filters. A value that does not validate is ignored rather than reported."""

    q = forms.CharField(label="Search", required=False, max_length=200)
    state = forms.ChoiceField(label="State", required=False, choices=ISSUE_STATES)
    label = forms.ChoiceField(label="Label", required=False)
    author = forms.CharField(label="Author", required=False, max_length=100)
    sort = forms.ChoiceField(label="Sort", required=False, choices=SORTS)

    def __init__(self, data, *, label_names: list[str], pull_requests: bool = False) -> None:
        super().__init__(data)
        self.fields["label"].choices = [("", "Any label"), *((n, n) for n in label_names)]
        if pull_requests:
            self.fields["state"].choices = PULL_REQUEST_STATES
        self.fields["q"].widget.attrs.update(type="search", placeholder="Title or text")
        self.fields["author"].widget.attrs.update(placeholder="login", autocomplete="off")

    def filters(self) -> ItemFilters:
        self.is_valid()
        cleaned = self.cleaned_data
        defaults = ItemFilters()
        return ItemFilters(
            state=cleaned.get("state") or defaults.state,
            label=cleaned.get("label") or "",
            author=(cleaned.get("author") or "").strip().lstrip("@"),
            q=(cleaned.get("q") or "").strip(),
            sort=cleaned.get("sort") or defaults.sort,
        )
