"""Forms for signing in and managing accounts, plus the crispy-forms base every form uses."""

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanshan_party.models import ROLE_ORG_KINDS, Role, User
from lanshan_party.personal_data import mask_phone, normalize_phone


class CrispyFormMixin:
    """Gives a form its crispy FormHelper with one submit button; double clicks are stopped in base.js."""

    submit_label = gettext_lazy("Save")
    # Fields side by side on wide screens, one per line on a phone; unlisted fields follow.
    rows: tuple[tuple[str, ...], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self.helper = FormHelper()
        self.helper.attrs = {"data-once": "true", "novalidate": "novalidate"}
        if self.rows:
            present = [tuple(name for name in row if name in self.fields) for row in self.rows]  # type: ignore[attr-defined]
            self.helper.layout = Layout(
                *(Row(*(Column(name, css_class=f"col-md-{12 // len(row)}") for name in row)) for row in present if row)
            )
            self.helper.render_unmentioned_fields = True
        self.helper.add_input(Submit("submit", self.submit_label, css_class="btn-primary"))


STALE_EDIT = gettext_lazy(
    "Someone else changed this record after you opened it. Reload the page, check their changes and edit again."
)


class StaleEditMixin:
    """Refuses to save an edit made on a version that someone else changed meanwhile.

    The form carries the object's `updated_at` as it was when the page was opened; if the stored
    one differs at submit time, the user is told to reload instead of silently overwriting.
    clean() tells early; claim_version(), in the saving transaction, is what makes it hold under concurrent saves.
    """

    def claim_version(self) -> bool:
        """Take the row for this save if it still is the version the form was opened on; else add the stale error.

        A conditional UPDATE, not a read and then a write: of two saves of one version at the same moment both pass
        clean(), but the second UPDATE waits for the first's row lock, then matches no row and is refused. Call it
        inside the transaction that saves the form.
        """
        instance = self.instance  # type: ignore[attr-defined]
        if not instance.pk or "version" not in self.fields:  # type: ignore[attr-defined]
            return True
        try:
            opened = datetime.datetime.fromisoformat(self.cleaned_data.get("version") or "")  # type: ignore[attr-defined]
        except ValueError:
            opened = None
        claimed = opened is not None and (
            type(instance).objects.filter(pk=instance.pk, updated_at=opened).update(updated_at=timezone.now())
        )
        if not claimed:
            self.add_error(None, forms.ValidationError(STALE_EDIT, code="stale"))  # type: ignore[attr-defined]
        return bool(claimed)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        if self.instance.pk:  # type: ignore[attr-defined]
            self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False)  # type: ignore[attr-defined]
            self.initial["version"] = self.instance.updated_at.isoformat()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()  # type: ignore[misc]
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk and "version" in cleaned:
            current = type(instance).objects.filter(pk=instance.pk).values_list("updated_at", flat=True).first()
            if current is not None and cleaned.get("version") != current.isoformat():
                raise forms.ValidationError(STALE_EDIT, code="stale")
        return cleaned


class LoginForm(CrispyFormMixin, AuthenticationForm):
    submit_label = gettext_lazy("Sign in")
    error_messages = {
        "invalid_login": gettext_lazy(
            "Wrong username or password. Check both (passwords are case-sensitive) and try again; "
            "after several failures the account is locked for a while."
        ),
        "inactive": gettext_lazy("This account is disabled. Ask an administrator to enable it."),
    }

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        bound_username_length(self)


def bound_username_length(form: AuthenticationForm) -> None:
    """Refuse a username longer than any account's before authenticate() sees it.

    AuthenticationForm only sets the input's maxlength; the value itself went to authenticate(), whose failed-login
    signal made django-axes write it to a 255-character column: a 500 on PostgreSQL. Field validators run before the
    form's clean(), which is where authenticate() is called, so a refused name is never written anywhere.
    """
    username = User._meta.get_field(User.USERNAME_FIELD)
    assert isinstance(username, models.Field)  # a column of the user table, not a relation
    limit = username.max_length
    form.fields["username"].validators.append(
        MaxLengthValidator(
            limit,
            message=gettext_lazy(
                "A username has at most %(limit_value)d characters; this one has %(show_value)d. Check what you typed."
            ),
        )
    )


class AdminLoginForm(AdminAuthenticationForm):
    """The Django admin's own login form, with the same bound on the username."""

    def __init__(self, request: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        bound_username_length(self)


class UserFormBase(CrispyFormMixin, forms.ModelForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.fields["organization"]
        # What a ModelForm makes of a ForeignKey: a ModelChoiceField over all rows of the related model.
        assert isinstance(organization, forms.ModelChoiceField) and organization.queryset is not None
        organizations = organization.queryset.model.objects  # the Organization model, named by the User model only
        # Partner organizations too: a destination partner's account is bound to one (the role decides which kinds fit).
        organization.queryset = organizations.visible_to(user).active()
        organization.required = True
        organization.error_messages["required"] = _("Choose the organization this user belongs to.")
        if self.instance.pk and self.instance.mobile:
            self.initial["mobile"] = ""
            self.fields["mobile"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": mask_phone(self.instance.mobile)
            }

    def clean_mobile(self) -> str:
        raw = self.cleaned_data.get("mobile", "")
        if not raw and self.instance.pk:
            return self.instance.mobile  # the form never shows the stored number: empty keeps it
        return normalize_phone(raw)

    def clean(self) -> dict[str, Any]:
        super().clean()  # a ModelForm's clean() returns self.cleaned_data
        cleaned = self.cleaned_data
        role, org = cleaned.get("role"), cleaned.get("organization")
        if role and org and org.kind not in ROLE_ORG_KINDS[role]:
            labels = dict(org._meta.get_field("kind").choices)
            kinds = "、".join(str(labels[kind]) for kind in ROLE_ORG_KINDS[role])
            self.add_error(
                "organization", _("A %(role)s must belong to a %(kinds)s.") % {"role": Role(role).label, "kinds": kinds}
            )
        return cleaned


class UserCreateForm(UserFormBase):
    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, strip=False)
    password2 = forms.CharField(
        label=gettext_lazy("Password again"),
        widget=forms.PasswordInput,
        strip=False,
        help_text=gettext_lazy("Enter the same password again, to catch typing mistakes."),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "email", "mobile", "role", "organization", "may_reveal"]

    def clean_password2(self) -> str:
        # clean_password2 runs only once the field itself is clean, so password2 is there; password1 may not be.
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data["password2"]
        if p1 and p2 and p1 != p2:
            raise forms.ValidationError(_("The two passwords differ. Type the same password twice."))
        if p2:
            password_validation.validate_password(p2, self.instance)
        return p2

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class UserUpdateForm(UserFormBase):
    new_password = forms.CharField(
        label=gettext_lazy("New password"),
        widget=forms.PasswordInput,
        strip=False,
        required=False,
        help_text=gettext_lazy("Leave empty to keep the current password."),
    )

    class Meta:
        model = User
        fields = ["full_name", "email", "mobile", "role", "organization", "may_reveal", "is_active"]
        labels = {"is_active": gettext_lazy("Account enabled")}

    def clean_new_password(self) -> str:
        password = self.cleaned_data["new_password"]  # "" when left empty
        if password:
            password_validation.validate_password(password, self.instance)
        return password

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        if self.cleaned_data.get("new_password"):
            user.set_password(self.cleaned_data["new_password"])
        if commit:
            user.save()
        return user
