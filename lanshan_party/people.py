"""What every register of people (members, inflow members) does alike with their personal data: the model saves the
blind indexes of the normalized values and shows them masked, the form keeps a stored value when its field is left
empty and derives gender and birth date from the ID number. Their ledgers' columns: lanshan_party.ledgers.people."""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.personal_data import (
    Undecryptable,
    blind_index,
    id_birth_date,
    id_gender,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    normalize_phone,
    search_hash,
    validate_id_number,
)

FROM_ID_NUMBER = gettext_lazy("Leave empty to take it from the ID number.")


def person_search(text: str) -> Q | None:
    """People whose name contains the text, or whose full ID number or phone it is (matched by blind index); None when
    the text is empty, which filters nothing."""
    # No name, ID number or phone holds a NUL, and PostgreSQL refuses one in a query (a 500): it is dropped.
    text = (text or "").replace("\x00", "").strip()
    if not text:
        return None
    hashed = search_hash(text)  # a full number as it travels in URLs (lanshan_party.personal_data.search_token)
    if hashed is not None:
        return Q(**{hashed[0]: hashed[1]})
    condition = Q(name__icontains=text) | Q(id_number_hash=blind_index(normalize_id_number(text)))
    try:
        phone = normalize_phone(text)
    except ValidationError:
        phone = ""
    if phone:
        condition |= Q(phone_hash=blind_index(phone))
    return condition


class PersonalDataMixin(models.Model):
    """A person with an encrypted `id_number` and `phone` and their blind indexes `id_number_hash` and `phone_hash`
    (the concrete model declares the four fields)."""

    id_number: Any
    phone: Any
    id_number_hash: Any
    phone_hash: Any
    gender: Any
    birth_date: Any

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The hash is what uniqueness and search rely on: it must always be of the normalized value.
        # A value that could not be decrypted keeps its hash; writing the value itself is refused by its field.
        if not isinstance(self.id_number, Undecryptable):
            self.id_number = normalize_id_number(self.id_number)
            self.id_number_hash = blind_index(self.id_number)
        if not isinstance(self.phone, Undecryptable):
            self.phone_hash = blind_index(self.phone) if self.phone else ""
        super().save(*args, **kwargs)

    def gender_label(self, value: str) -> Any:
        field = self._meta.get_field("gender")
        return dict(cast(models.Field, field).flatchoices)[value]

    def id_number_errors(self) -> dict[str, Any]:
        """The gender and birth date that disagree with a full ID number, as clean() errors."""
        errors: dict[str, Any] = {}
        if self.id_number and len(self.id_number) == 18:
            if self.birth_date and self.birth_date != id_birth_date(self.id_number):
                errors["birth_date"] = _(
                    "The birth date does not match the ID number, which says %(date)s. Correct one of them."
                ) % {"date": id_birth_date(self.id_number).isoformat()}
            if self.gender and self.gender != id_gender(self.id_number):
                errors["gender"] = _(
                    "The gender does not match the ID number, whose 17th digit says %(gender)s. Correct one of them."
                ) % {"gender": self.gender_label(id_gender(self.id_number))}
        return errors

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PersonalDataFormMixin(forms.Form):
    """The ID number and phones of a ModelForm for a PersonalDataMixin model. Editing never puts the full values on the
    page: the fields start empty, say the masked stored value, and left empty keep it. Gender and birth date left
    empty are taken from the ID number."""

    id_number = forms.CharField(
        label=gettext_lazy("citizen ID number"),
        max_length=40,
        help_text=gettext_lazy("18 characters; a trailing x is accepted. Gender and birth date are read from it."),
    )
    phone = forms.CharField(label=gettext_lazy("phone"), max_length=30, required=False)

    instance: Any
    phones: tuple[str, ...] = ("phone",)  # the phone fields, each normalized and kept when left empty
    checks_duplicates = True  # a ledger row's form leaves duplicates to its importer, which sees the whole file

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("gender", "birth_date"):
            self.fields[name].required = False
            self.fields[name].help_text = FROM_ID_NUMBER
        if self.instance.pk:
            masked = [("id_number", mask_id_number(self.instance.id_number))]
            masked += [(name, mask_phone(getattr(self.instance, name)) or "—") for name in self.phones]
            for name, value in masked:
                self.initial[name] = ""
                self.fields[name].help_text = _("Now %(masked)s. Leave empty to keep it.") % {"masked": value}
            self.fields["id_number"].required = False

    duplicate_id_number: Any = ""  # the error when another person of the model has the ID number

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the member's name."))
        return name

    def check_duplicate_id_number(self, digest: str) -> None:
        """Raise a ValidationError if another person has the ID number of this blind index."""
        others = type(self.instance)._default_manager.filter(id_number_hash=digest).exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(self.duplicate_id_number)

    def clean_id_number(self) -> str:
        raw = self.cleaned_data.get("id_number", "")
        if self.instance.pk and not raw.strip():
            return self.instance.id_number
        number = validate_id_number(raw)
        if self.checks_duplicates:
            self.check_duplicate_id_number(blind_index(number))
        return number

    def kept_phone(self, name: str) -> str:
        raw = self.cleaned_data.get(name, "")
        if self.instance.pk and not raw.strip():
            return getattr(self.instance, name)
        return normalize_phone(raw)

    def clean_phone(self) -> str:
        return self.kept_phone("phone")

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())
        number = cleaned.get("id_number")
        if number:
            # Derive what was left empty; what was typed is checked against the ID in the model's clean().
            if not cleaned.get("gender"):
                cleaned["gender"] = self.instance.gender = id_gender(number)
            if not cleaned.get("birth_date"):
                cleaned["birth_date"] = self.instance.birth_date = id_birth_date(number)
        return cleaned
