"""The Lanshan flowing-party-member platform: project package, accounts, audit and shared pieces."""

from lanshan_party.celery import app as celery_app

__all__ = ["celery_app"]
