"""The export form on list pages, the ledger upload form and the import confirmation."""

from typing import Any, cast

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.forms import CrispyFormMixin
from lanshan_party.ledgers.definitions import importable_ledgers
from lanshan_party.ledgers.reading import LedgerFileError, check_workbook
from lanshan_party.models import LedgerFormat, User

REASON_MIN = 4


class ExportForm(forms.Form):
    """Masked by default. Full ID numbers and phones only for users allowed to see them, with a reason for the log."""

    format = forms.ChoiceField(label=gettext_lazy("format"), choices=LedgerFormat.choices, initial=LedgerFormat.XLSX)
    full = forms.BooleanField(label=gettext_lazy("Full ID numbers and phones"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Why the ledger needs full ID numbers and phones; this is written to the audit log."),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        super().clean()  # a Form's clean() returns self.cleaned_data
        cleaned = self.cleaned_data
        if cleaned.get("full"):
            if not self.user.may_reveal:
                raise forms.ValidationError(
                    _("You are not authorized to export full ID numbers and phones. Export the masked ledger instead.")
                )
            if len(cleaned.get("reason", "").strip()) < REASON_MIN:
                raise forms.ValidationError(
                    _(
                        "Say why you need full ID numbers and phones (at least %(n)d characters); it goes to the audit log."
                    )
                    % {"n": REASON_MIN}
                )
            cleaned["reason"] = cleaned["reason"].strip()
        else:
            cleaned["reason"] = ""
        return cleaned


class ImportUploadForm(CrispyFormMixin, forms.Form):
    submit_label = gettext_lazy("Upload and check")
    ledger = forms.ChoiceField(label=gettext_lazy("Ledger"))
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": gettext_lazy("Choose the ledger workbook (.xlsx) to upload.")},
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["ledger"]).choices = [
            (ledger.key, ledger.title) for ledger in importable_ledgers(user)
        ]
        self.fields["file"].help_text = _(
            "An Excel workbook with the ledger's header row (any column order), at most %(size)s and %(rows)d rows. "
            "Nothing is saved until you have seen the check and confirmed."
        ) % {"size": filesizeformat(settings.LEDGER_IMPORT_MAX_BYTES), "rows": settings.LEDGER_IMPORT_MAX_ROWS}

    def clean_file(self) -> Any:
        # Only what the zip's directory tells (nothing is unpacked or parsed here): the rows are read by the worker.
        upload = self.cleaned_data["file"]
        try:
            check_workbook(upload, upload.name)
        except LedgerFileError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class ConfirmImportForm(forms.Form):
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows only, and leave out the rows with faults"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    # Excel rows of the renames the user ticked: each one is a member whose name the ledger changes.
    renames = forms.TypedMultipleChoiceField(coerce=int, required=False)

    def __init__(self, *args: Any, renames: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["renames"]).choices = [(row, row) for row in renames or []]
