"""A toy domain, in a settings module of its own (tests/toy/settings.py), to prove that a new domain gets a list page, a
ledger, a reminder and demo rows from the shared machinery without one edit to lanshan_party/."""
