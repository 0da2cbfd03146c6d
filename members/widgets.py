"""A member picker: search as you type instead of a dropdown of every member, which at provincial size would
list hundreds of thousands. The field's queryset (always `visible_to(user)`) still decides what is valid."""

from typing import Any

from django import forms
from django.db.models import QuerySet


class MemberPicker(forms.Widget):
    template_name = "members/includes/member_picker.html"

    def __init__(self, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.multiple = multiple
        self.queryset: QuerySet | None = None  # set by the form: only these members are ever shown by name

    @property
    def allow_multiple_selected(self) -> bool:
        return self.multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False if self.multiple else name not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else [value]
        ids = []
        for v in values:
            try:
                ids.append(int(v))
            except (TypeError, ValueError):  # not an id ("abc", "²", 5,000 digits): nobody to show
                pass
        picked = []
        if ids and self.queryset is not None:
            members = {m.pk: m for m in self.queryset.filter(pk__in=ids).select_related("home_branch")}
            picked = [members[pk] for pk in ids if pk in members]
        context["widget"].update({"picked": picked, "multiple": self.multiple})
        return context


def use_member_picker(field: forms.ModelChoiceField, multiple: bool = False) -> None:
    """Swap the field's dropdown for a picker showing only the field's own (scoped) members by name."""
    field.widget = MemberPicker(multiple=multiple, attrs=field.widget.attrs)
    field.widget.queryset = field.queryset
    field.widget.is_required = field.required
