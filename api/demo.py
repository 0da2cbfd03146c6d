"""Demo API tokens: the township officer's and the Huadu secretary's for the provincial platform (printed once, as
the tokens page shows them once), and an administrator's revoked one."""

from api import actions
from api.models import ApiToken
from lanshan_party.models import User
from lanshan_party.registry import DemoContext, register_demo


def clear(context: DemoContext) -> None:
    ApiToken.objects.all().delete()


@register_demo("api_tokens", after=("accounts",), clear=clear, existing=ApiToken.objects.count)
def load_api_tokens(context: DemoContext) -> dict[str, int]:
    users = {user.username: user for user in User.objects.filter(username__in=("admin", "township", "secretary"))}
    made = 0
    for username in ("township", "secretary"):
        if username in users:
            _token, value = actions.create_token(users[username], name="省流动党员管理平台（演示）", valid_days=365)
            context.stdout.write(f"  API token of {username} (shown once): {value}")
            made += 1
    if "admin" in users:
        token, _value = actions.create_token(users["admin"], name="旧对接测试（已吊销）", valid_days=30)
        actions.revoke_token(token, by=users["admin"])
        made += 1
    return {"API tokens": made}
