from django import forms
from django.utils.translation import gettext_lazy as _

VALIDITY_CHOICES = [
    ("30", _("30 days")),
    ("90", _("90 days")),
    ("180", _("180 days")),
    ("365", _("one year")),
    ("", _("until revoked")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=60,
        help_text=_("What the token is for, e.g. the provincial platform."),
        error_messages={"required": _("Give the token a name saying what it is for, so you can revoke the right one.")},
    )
    valid_days = forms.ChoiceField(label=_("Valid for"), choices=VALIDITY_CHOICES, initial="90", required=False)
    submission = forms.CharField(widget=forms.HiddenInput, max_length=32, required=False)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].replace("\x00", "").strip()
        if not name:
            raise forms.ValidationError(
                _("Give the token a name saying what it is for, so you can revoke the right one.")
            )
        return name

    def clean_valid_days(self) -> int | None:
        value = self.cleaned_data.get("valid_days")
        return int(value) if value else None
