"""Benchmark: 10,000 guessed personal-link tokens against a local server, while a real member uses their link.

    .venv/bin/python benchmarks/guesses.py                # its own server on the loopback, a scratch SQLite database
    .venv/bin/python benchmarks/guesses.py --guesses 2000 --attackers 50 --threads 4

Builds a scratch county (one member away, a personal link sent through the outbox and read off the text message),
serves the application on 127.0.0.1 in this process (behind a pretend proxy, so each attacker has an address of its
own), and sends the guesses from --attackers addresses, GETs and ID-digit POSTs, on --threads connections. Meanwhile
the real member opens their own link from their own address now and then. Prints how the guesses were answered, how
many pages had a member's data (must be 0), and the real member's slowest page (must stay under 1 s). Loopback only:
it never sends a request anywhere else.
"""

import argparse
import http.client
import os
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCRATCH = Path(tempfile.mkdtemp(prefix="lanshan-guesses-")) / "db.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanshan_party.settings")
os.environ["BEHIND_PROXY"] = "true"  # the addresses below come in X-Forwarded-For from the loopback "proxy"
os.environ["TRUSTED_PROXIES"] = "127.0.0.1"
os.environ["SMS_BACKEND"] = "lanshan_party.notifications.LocmemSMSBackend"
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["LOG_LEVEL"] = "ERROR"


def build_county() -> tuple[str, str, list[str]]:
    """A member away with a personal link: (the link's path, the ID digits, the member's data that must never show)."""
    import datetime

    from django.core.management import call_command

    from lanshan_party import notifications
    from lanshan_party.models import Notification, Role, User
    from members import actions as member_actions
    from members.models import Member
    from organizations.models import Organization, OrgKind, OrgLevel
    from selfservice import actions
    from selfservice.models import Purpose

    call_command("migrate", verbosity=0)
    county = Organization.objects.create(name="中共蓝山县委员会", kind=OrgKind.COUNTY, level=OrgLevel.COMMITTEE)
    township = Organization.objects.create(name="中共蓝山县塔峰镇委员会", kind=OrgKind.TOWNSHIP, parent=county)
    branch = Organization.objects.create(name="中共蓝山县塔峰镇花果村支部委员会", kind=OrgKind.VILLAGE, parent=township)
    Organization.objects.create(
        name="中共蓝山县驻花都区流动党员总支部委员会",
        kind=OrgKind.FLOWING,
        parent=county,
        province="广东省",
        city="广州市",
    )
    secretary = User.objects.create_user("secretary", role=Role.SECRETARY, organization=branch)
    member = Member.objects.create(
        name="袁芳伟",
        gender="M",
        birth_date=datetime.date(1985, 6, 15),
        id_number="431127198506150018",
        phone="18712345678",
        home_branch=branch,
    )
    member_actions.register_outflow(
        member, by=secretary, departure_date=datetime.date(2024, 3, 1), province="广东省", city="广州市"
    )
    link = actions.send_link(member, purpose=Purpose.WHEREABOUTS, by=secretary)
    notifications.send(Notification.objects.get(key__startswith=f"personal-link:{link.pk}:").pk)
    text = notifications.LocmemSMSBackend.outbox[-1][1]
    path = text[text.index("/m/") :].split()[0]
    secrets_of_member = ["袁芳伟", "袁**", member.id_number, "431127", member.phone, "187****5678", "广州市"]
    return path, member.id_number[-4:], secrets_of_member


def serve() -> int:
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    server = ThreadedWSGIServer(("127.0.0.1", 0), Quiet, allow_reuse_address=True)
    server.daemon_threads = True
    server.set_app(get_wsgi_application())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server.server_address[1]


def request(
    port: int, method: str, path: str, address: str, body: dict | None = None, csrf: str = ""
) -> tuple[int, str, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)  # the loopback, nothing else
    headers = {"X-Forwarded-For": address, "Host": "127.0.0.1"}
    if csrf:
        headers |= {"Cookie": f"csrftoken={csrf}", "X-CSRFToken": csrf}
    data = None
    if body is not None:
        data = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    connection.request(method, path, data, headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    connection.close()
    took = time.perf_counter() - started
    if path.startswith("/find/"):  # only to collect the CSRF cookie a form page sets
        cookie = response.getheader("Set-Cookie") or ""
        return response.status, cookie.split("csrftoken=")[1].split(";")[0] if "csrftoken=" in cookie else "", took
    return response.status, text, took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guesses", type=int, default=10_000)
    parser.add_argument("--attackers", type=int, default=200, help="distinct attacker addresses")
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()

    import django

    django.setup()
    import logging

    from django.conf import settings

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    path, digits, member_data = build_county()
    port = serve()
    for name in ("django.request", "django.security.csrf", "django.server"):
        logging.getLogger(name).setLevel(logging.ERROR)  # 10,000 "Not Found" lines say nothing
    print(f"server: http://127.0.0.1:{port} (scratch database {SCRATCH})")

    statuses: Counter = Counter()
    with_data: list[str] = []
    times: list[float] = []
    lock = threading.Lock()
    counter = iter(range(args.guesses))
    attackers = [f"203.0.{n // 250}.{n % 250 + 1}" for n in range(args.attackers)]

    def attack(seed: int) -> None:
        rng = random.Random(seed)
        # A CSRF cookie, as a script gets one from the public page, so its POSTs reach the link view.
        _status, csrf, _took = request(port, "GET", "/find/?city=%E5%B9%BF%E5%B7%9E%E5%B8%82", f"192.0.2.{seed + 1}")
        for n in counter:
            token = secrets.token_urlsafe(32) if n % 10 else secrets.token_urlsafe(rng.randint(1, 64))
            address = rng.choice(attackers)
            if n % 4:
                status, text, took = request(port, "GET", f"/m/{token}/", address)
            else:  # ID digits posted, half of them with a CSRF cookie (the others are refused by CSRF first)
                body = {"step": "digits", "digits": f"{rng.randint(0, 9999):04d}"}
                status, text, took = request(port, "POST", f"/m/{token}/", address, body, csrf if n % 8 else "")
            leaked = [value for value in member_data if value in text]
            with lock:
                statuses[status] += 1
                times.append(took)
                if leaked:
                    with_data.append(f"{status} /m/{token[:8]}…: {leaked}")

    real: list[float] = []
    done = threading.Event()

    refused: list[int] = []

    def member_uses_the_link() -> None:
        # Every 5 s: a member opens their own link far less often than its limit (30 in 10 minutes).
        while not done.is_set():
            status, text, took = request(port, "GET", path, "198.51.100.7")
            real.append(took)
            if status != 200 or 'name="digits"' not in text:
                refused.append(status)
            done.wait(5.0)

    started = time.perf_counter()
    member = threading.Thread(target=member_uses_the_link, daemon=True)
    member.start()
    workers = [threading.Thread(target=attack, args=(seed,)) for seed in range(args.threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    done.set()
    member.join()
    elapsed = time.perf_counter() - started

    print(
        f"{sum(statuses.values())} guesses in {elapsed:.1f} s from {args.attackers} addresses on {args.threads} threads"
    )
    for status, count in sorted(statuses.items()):
        print(f"  HTTP {status}: {count}")
    print(f"guess answer time: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms")
    print(f"pages with a member's data: {len(with_data)}")
    for line in with_data[:10]:
        print(f"  {line}")
    print(
        f"real member's link page: {len(real)} opens meanwhile, median {statistics.median(real) * 1000:.0f} ms, "
        f"slowest {max(real) * 1000:.0f} ms ({'under' if max(real) < 1 else 'NOT under'} 1 s)"
    )
    print(f"real member's link page refused: {len(refused)} times {refused}")
    assert not with_data, "a guessed token showed a member's data"
    assert not refused, "the real member could not open their link"
    assert statuses.get(200, 0) == 0, "a guessed token was answered with a page"


if __name__ == "__main__":
    main()
