"""The API tokens page: a user with the right makes and revokes their own tokens; an administrator sees and may
revoke everybody's. A new token's value is shown once, on the answer to the form, and never stored."""

import secrets
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from api import actions
from api.forms import TokenCreateForm
from api.models import ApiToken
from lanshan_party.http import AuthenticatedHttpRequest
from lanshan_party.rights import Right
from lanshan_party.views import RoleRequiredMixin


class TokenListView(RoleRequiredMixin, View):
    required_right = Right.USE_API
    template_name = "api/token_list.html"
    page_title = gettext_lazy("API tokens")

    def _render(self, request: AuthenticatedHttpRequest, form: TokenCreateForm, **context: Any) -> HttpResponse:
        tokens = ApiToken.objects.visible_to(request.user).select_related("user", "revoked_by")
        response = render(
            request,
            self.template_name,
            {"page_title": self.page_title, "form": form, "tokens": tokens[:200], **context},
        )
        response["Cache-Control"] = "no-store"
        return response

    def _blank_form(self) -> TokenCreateForm:
        return TokenCreateForm(initial={"submission": secrets.token_hex(16)})

    def get(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        return self._render(request, self._blank_form())

    def post(self, request: AuthenticatedHttpRequest) -> HttpResponse:
        form = TokenCreateForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        token, value = actions.create_token(
            request.user,
            name=form.cleaned_data["name"],
            valid_days=form.cleaned_data["valid_days"],
            submission=form.cleaned_data["submission"] or None,
        )
        if value is None:
            messages.warning(
                request,
                _(
                    "This form was already sent: the token “%(token)s” it made is listed below, and its value was shown "
                    "only the first time. If you did not copy it, revoke it and make a new one."
                )
                % {"token": token},
            )
            return redirect("api:token_list")
        return self._render(request, self._blank_form(), new_token=token, new_value=value)


class TokenRevokeView(RoleRequiredMixin, View):
    required_right = Right.USE_API

    def post(self, request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        token = get_object_or_404(ApiToken.objects.visible_to(request.user), pk=pk)
        if actions.revoke_token(token, by=request.user):
            messages.success(request, _("The token “%(token)s” is revoked: it no longer works.") % {"token": token})
        else:
            messages.info(request, _("The token “%(token)s” was already revoked.") % {"token": token})
        return redirect("api:token_list")
