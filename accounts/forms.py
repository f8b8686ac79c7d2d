from __future__ import annotations

import re

from django import forms

from accounts.models import Profile

# GitHub logins: letters, digits and single hyphens, at most 39 characters.
GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label="Token name",
        help_text="What the token is for, e.g. “weekly report script”.",
    )


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["github_login"]
        labels = {"github_login": "GitHub login"}

    def clean_github_login(self) -> str:
        login = self.cleaned_data["github_login"].strip().lstrip("@")
        if login and not GITHUB_LOGIN.match(login):
            raise forms.ValidationError("A GitHub login: letters, digits and single hyphens.")
        return login
