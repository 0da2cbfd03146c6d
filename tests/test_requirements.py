"""requirements.txt alone installs everything the production processes import: the dev tools must not hide a gap."""

import json
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent

# What the web, worker and beat processes load when they start and do their work.
PRODUCTION_IMPORTS = [
    "lanshan_party.wsgi",
    "lanshan_party.celery",
    "lanshan_party.tasks",
    "celery.bin.worker",
    "celery.bin.beat",
    "celery.apps.worker",
    "celery.concurrency.prefork",
    "kombu.transport.redis",
    "django.core.cache.backends.redis",
    "django.db.backends.postgresql.base",
    "gunicorn.app.wsgiapp",
    "gunicorn.workers.sync",
]

# Imported only because the dev venv has them (each import is inside a try: ... except ImportError).
OPTIONAL = {"greenlet", "pygments", "pip", "setuptools", "pyyaml"}  # pyyaml: kombu's optional yaml serializer


def requirement_lines(path: Path) -> list[str]:
    lines = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            lines.append(line)
    return lines


def closure(requirements: list[str]) -> set[str]:
    """Every distribution pip installs for these requirements (extras included), from the installed metadata."""
    environment = default_environment()
    seen: set[tuple[str, str]] = set()
    names: set[str] = set()
    todo = [(Requirement(line), "") for line in requirements]
    while todo:
        requirement, extra = todo.pop()
        if requirement.marker and not requirement.marker.evaluate({**environment, "extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        names.add(name)
        for wanted in [""] + sorted(requirement.extras):
            if (name, wanted) in seen:
                continue
            seen.add((name, wanted))
            for line in metadata.distribution(name).requires or []:
                dependency = Requirement(line)
                marker = str(dependency.marker) if dependency.marker else ""
                if "extra" in marker:
                    if not wanted or not dependency.marker.evaluate({**environment, "extra": wanted}):
                        continue
                    todo.append((dependency, wanted))
                else:
                    todo.append((dependency, ""))
    return names


def distributions_imported(modules: list[str]) -> set[str]:
    """The distributions whose code a fresh process loads to import these modules."""
    script = (
        "import importlib, json, sys\n"
        "import django\n"
        "django.setup()\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from importlib.metadata import packages_distributions\n"
        "owners = packages_distributions()\n"
        "found = set()\n"
        "for module in list(sys.modules):\n"
        "    for dist in owners.get(module.split('.')[0], []):\n"
        "        found.add(dist)\n"
        "print(json.dumps(sorted(found)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={"DJANGO_SETTINGS_MODULE": "lanshan_party.settings", "PATH": "", "REDIS_URL": "redis://127.0.0.1:1/0"},
        capture_output=True,
        text=True,
        check=True,
    )
    return {canonicalize_name(name) for name in json.loads(result.stdout.strip().splitlines()[-1])}


def test_every_distribution_the_production_processes_import_is_installed_by_requirements_txt_alone():
    installed = closure(requirement_lines(ROOT / "requirements.txt"))
    imported = distributions_imported(PRODUCTION_IMPORTS)

    assert {"django", "celery", "kombu", "redis", "gunicorn", "psycopg2-binary"} <= installed
    assert sorted(imported - installed - OPTIONAL) == []


def test_the_redis_transport_needs_packaging_and_requirements_txt_brings_it():
    # kombu's Redis transport imports packaging.version; before it was pinned only pytest brought it into the venv.
    assert "packaging" in closure(requirement_lines(ROOT / "requirements.txt"))


def test_every_runtime_requirement_is_pinned_to_one_version():
    for line in requirement_lines(ROOT / "requirements.txt"):
        assert re.fullmatch(r"[A-Za-z0-9_.\-]+(\[[a-z,]+\])?==[0-9][0-9A-Za-z.]*", line), line
