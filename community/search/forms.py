"""The search page's query and filters (also read by the search API)."""

from __future__ import annotations

from django import forms

from community.search.service import MAX_QUERY_LENGTH, SearchFilters

TYPE_CHOICES = [
    ("", "Everything"),
    ("issue", "Issues"),
    ("pull", "Pull requests"),
    ("comment", "Comments"),
    ("people", "People"),
]
STATE_CHOICES = [("", "Any state"), ("open", "Open"), ("closed", "Closed"), ("merged", "Merged")]


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Words, #123, owner/name#123 or a login"}
        ),
    )
    repository = forms.ChoiceField(label="Repository", required=False)
    type = forms.ChoiceField(label="Type", required=False, choices=TYPE_CHOICES)
    state = forms.ChoiceField(label="State", required=False, choices=STATE_CHOICES)

    def __init__(self, *args, repositories: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["repository"].choices = [("", "All repositories")] + [
            (name, name) for name in repositories
        ]

    def _valid_data(self) -> dict:
        """The fields that validated: a repository one may not see drops only that filter."""
        self.is_valid()
        return self.cleaned_data

    def text(self) -> str:
        return self._valid_data().get("q", "")

    def filters(self) -> SearchFilters:
        data = self._valid_data()
        kind = data.get("type", "")
        return SearchFilters(
            repository=data.get("repository", ""),
            kind="" if kind == "people" else kind,
            state=data.get("state", ""),
        )

    @property
    def people_only(self) -> bool:
        return self._valid_data().get("type") == "people"
