"""The project's settings plus the toy domain: one app in INSTALLED_APPS and its URLs in front of the project's."""

from lanshan_party.settings import *  # noqa: F403
from lanshan_party.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.toy"]
ROOT_URLCONF = "tests.toy.urls"
