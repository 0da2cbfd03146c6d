"""A full ID number or phone searched for never appears in a URL, a log, a stored export query or filter, an export's
title or an audit note: the search form posts it and the list is reached with a keyed-hash token, shown masked."""

import io
import json
import logging

import openpyxl
from django.db import connection
from django.test import TestCase
from django.urls import reverse

from lanshan_party.models import ExportJob
from tests.conftest import login
from tests.ledgers.workbooks import download_bytes


def every_stored_text() -> list[str]:
    """Every value of every column of every table, read with raw SQL, as text."""
    texts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            texts.extend(str(value) for row in cursor.fetchall() for value in row if value is not None)
    return texts


def search(client, text: str, *, htmx: bool = False) -> tuple[str, list[str]]:
    """Search the member list as the filter form does; returns the list's URL and every address the browser saw."""
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(reverse("members:search"), {"q": text, "status": "", "next": "/members/"}, **headers)
    if htmx:
        url = json.loads(response["HX-Location"])["path"]
        return url, [url, response["HX-Location"]]
    assert response.status_code == 302
    return response["Location"], [response["Location"]]


def test_a_full_id_number_or_phone_searched_and_exported_is_nowhere_in_clear(county, caplog, settings):
    caplog.set_level(logging.DEBUG)
    client = login(county.admin)
    yuan = county.yuan
    seen: list[str] = []

    for number in (yuan.id_number, yuan.phone):
        url, addresses = search(client, number)
        seen += addresses
        page = client.get(url)
        assert f'href="/members/{yuan.pk}/"' in page.content.decode() and "马云" not in page.content.decode()
        seen.append(page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"])
        htmx_url, addresses = search(client, number, htmx=True)
        seen += addresses
        assert client.get(htmx_url, HTTP_HX_REQUEST="true").status_code == 200

        settings.LEDGER_EXPORT_SYNC_ROWS = 2000  # exported at once
        exported = client.post(url, {"format": "xlsx"})
        title = openpyxl.load_workbook(io.BytesIO(download_bytes(exported))).active["A1"].value
        assert "搜索：" in title and ("****" in title) and number not in title

        settings.LEDGER_EXPORT_SYNC_ROWS = 0  # as a background job
        with TestCase.captureOnCommitCallbacks(execute=True):
            job_page = client.post(url, {"format": "csv"})
        seen.append(job_page["Location"])
        assert client.get(job_page["Location"]).status_code == 200

        found = client.post(reverse("members:member_search"), {"q": number, "for": "pick"}).content.decode()
        assert f'data-pk="{yuan.pk}"' in found

    history = client.get(reverse("ledgers:export_list")).content.decode()
    assert "身份证号 " + yuan.id_number[:6] in history

    jobs = ExportJob.objects.order_by("pk")
    assert jobs.count() == 4 and all("****" in job.filters for job in jobs)
    for text in (yuan.id_number, yuan.phone):
        assert sum(text in stored for stored in every_stored_text()) == 0
        assert text not in caplog.text
        assert not [record for record in caplog.records if text in record.getMessage()]
        assert not [address for address in seen if text in address]
    assert yuan.id_number not in history


def test_names_and_partial_text_go_through_the_search_unchanged(county):
    url, _addresses = search(login(county.admin), "袁芳")
    assert "q=%E8%A2%81%E8%8A%B3" in url


def test_a_search_posted_with_a_foreign_address_goes_back_to_the_member_list(county):
    response = login(county.admin).post(reverse("members:search"), {"q": "袁", "next": "https://evil.example/"})
    assert response["Location"].startswith("/members/?")
