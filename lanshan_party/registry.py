"""Where the apps hand their content to the shared machinery: ledgers, reminder sweeps, demo data and page figures.

Each app declares its own in `<app>/ledgers.py` (with `lanshan_party.ledgers.definitions.register`),
`<app>/reminders.py`, `<app>/demo.py` and `<app>/dashboard.py` (with the decorators below); `autodiscover()` imports
those modules once at start-up (from `LanshanPartyConfig.ready`), the way the admin finds `admin.py`. So
`lanshan_party` runs every app's ledgers, sweeps, demos and figures without importing any app itself.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from django.core.management.base import OutputWrapper
    from django.core.management.color import Style

    from lanshan_party.demo import People
    from lanshan_party.models import User

F = TypeVar("F", bound=Callable[..., Any])

# ------------------------------------------------------------------------------------------- reminder sweeps

Sweep = Callable[[datetime.date], int]
SWEEPS: dict[str, Sweep] = {}


def register_sweep(name: str) -> Callable[[F], F]:
    """A reminder sweep: `sweep(today) -> new outbox rows`. It writes through `notifications.write`, under keys that
    make a second run on the same day write nothing; `notifications.sweep_all` runs every one."""

    def register(sweep: F) -> F:
        if name in SWEEPS:
            raise ValueError(f"Two reminder sweeps are named {name!r}.")
        SWEEPS[name] = sweep
        return sweep

    return register


# ------------------------------------------------------------------------------------------- demo data


@dataclass
class DemoContext:
    """What every demo gets from `manage.py load_demo`."""

    people: "People"  # names, unique phones and ID numbers; its rng also draws the organization tree and members
    rng: random.Random  # the random source of everything built on the county's members, in demo order
    today: datetime.date
    members: int  # how many members to create (--members)
    batch_size: int  # members per transaction (--batch-size)
    stdout: "OutputWrapper"  # progress and summary lines
    style: "Style"
    # What a demo leaves for the ones after it that the database cannot tell them (the branches' relative sizes).
    shared: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Demo:
    name: str
    load: Callable[[DemoContext], dict[str, int]]
    after: tuple[str, ...]  # demos that must run first: they build what this one uses, or draw from rng before it
    clear: Callable[[DemoContext], None] | None  # delete what `load` made; called in reverse order by --reset
    existing: Callable[[], int] | None  # how many of its rows the database has already (load_demo then stops)


DEMOS: dict[str, Demo] = {}


def register_demo(
    name: str,
    *,
    after: tuple[str, ...] = (),
    clear: Callable[[DemoContext], None] | None = None,
    existing: Callable[[], int] | None = None,
) -> Callable[[F], F]:
    """A demo: `load(context) -> {what: how many}` builds one part of the demo county."""

    def register(load: F) -> F:
        if name in DEMOS:
            raise ValueError(f"Two demos are named {name!r}.")
        DEMOS[name] = Demo(name, load, tuple(after), clear, existing)
        return load

    return register


def demos_in_order() -> list[Demo]:
    """Every demo after the ones it names in `after`; otherwise in the order they were registered."""
    ordered: list[Demo] = []
    placed: set[str] = set()

    def place(demo: Demo, path: tuple[str, ...]) -> None:
        if demo.name in placed:
            return
        if demo.name in path:
            raise ValueError(f"Demos wait for each other: {' → '.join([*path, demo.name])}.")
        for name in demo.after:
            if name not in DEMOS:
                raise ValueError(f"Demo {demo.name!r} runs after {name!r}, which no app registers.")
            place(DEMOS[name], (*path, demo.name))
        placed.add(demo.name)
        ordered.append(demo)

    for demo in DEMOS.values():
        place(demo, ())
    return ordered


# ------------------------------------------------------------------------------------------- page figures

Figures = Callable[["User", int, datetime.date], dict[str, Any]]
FIGURES: dict[str, list[Figures]] = {}


def register_figures(page: str) -> Callable[[F], F]:
    """Figures an app adds to a page ("home" or "dashboard"): `figures(user, year, today) -> context entries`, from
    what the user may see. Entries named "charts" are merged into one dict of chart rows."""

    def register(figures: F) -> F:
        FIGURES.setdefault(page, []).append(figures)
        return figures

    return register


def figures_for(page: str, user: "User", year: int, today: datetime.date) -> dict[str, Any]:
    result: dict[str, Any] = {"charts": {}}
    for figures in FIGURES.get(page, []):
        entries = figures(user, year, today)
        result["charts"].update(entries.pop("charts", {}))
        result.update(entries)
    return result


# ------------------------------------------------------------------------------------------- discovery


def autodiscover() -> None:
    """Import every installed app's reminders.py, demo.py and dashboard.py, which register their content here."""
    autodiscover_modules("ledgers", "reminders", "demo", "dashboard")
