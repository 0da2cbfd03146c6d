import datetime

from lanshan_party.registry import DemoContext, register_demo
from organizations.models import Organization
from tests.toy.models import Visit


def clear(context: DemoContext) -> None:
    Visit.objects.all().delete()


@register_demo("toy_visits", after=("census",), clear=clear)
def load(context: DemoContext) -> dict[str, int]:
    branches = list(Organization.objects.home_branches().order_by("pk")[:5])
    visits = [
        Visit(
            organization=branch,
            family=f"{context.people.name(male=True)}家",
            visited_on=context.today - datetime.timedelta(days=n),
        )
        for n, branch in enumerate(branches)
    ]
    Visit.objects.bulk_create(visits)
    return {"visits": len(visits)}
