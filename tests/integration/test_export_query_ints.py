"""Integers taken from a download URL's query (`?participant=`) are checked before they reach the
database: anything but 1…2,147,483,647 written in ASCII digits is a 400 `invalid_payload` naming
the parameter, on SQLite and on PostgreSQL (where 99999999999 used to be a 500: integer out of range).
"""
from __future__ import annotations

import pytest

INT_MAX = 2**31 - 1

# Not a whole number in range, as the query string carries it (already URL-encoded where needed).
BAD_VALUES = [
    "99999999999", "2147483648", "9223372036854775808", "9" * 5000, "0", "-1", "-2147483649",
    "abc", "1.5", "1e3", "%2B12", "%2012", "12%20", "0x10", "1_000", "12abc", "%D9%A1%D9%A2",  # Arabic-Indic 12
    "%EF%BC%91",  # fullwidth 1
    "%00", "1%002",
]


@pytest.fixture
def site(make_app, db_url):
    """(test client, board code, facilitator secret, Ana's token, Ana's id) on SQLite or PostgreSQL."""
    http = make_app(db_url).test_client()
    created = http.post("/api/boards", json={"title": "Atelier"}).get_json()
    code = created["board"]["code"]
    ana = http.post(f"/api/boards/{code}/join", json={"name": "Ana"}).get_json()
    return http, code, created["facilitator_token"], ana["token"], ana["participant"]["id"]


def booklet(http, code: str, token: str, query: str = ""):
    return http.get(f"/api/boards/{code}/exports/booklet.md{query}", headers={"Authorization": f"Bearer {token}"})


def assert_bad_parameter(response, name: str = "participant") -> None:
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True)[:300])
    body = response.get_json()
    assert body["ok"] is False
    error = body["error"]
    assert error["code"] == "invalid_payload" and name in error["message"], error
    assert error["params"] == {"field": name, "minimum": 1, "maximum": INT_MAX}, error


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_facilitator_gets_400_for_a_participant_out_of_range_or_not_a_number(site, value):
    http, code, facilitator, _ana, _ana_id = site
    assert_bad_parameter(booklet(http, code, facilitator, f"?participant={value}"))


def test_a_participant_gets_the_same_400(site):
    http, code, _facilitator, ana, ana_id = site
    for value in ("99999999999", "-1", "abc"):
        assert_bad_parameter(booklet(http, code, ana, f"?participant={value}"))
    assert booklet(http, code, ana, f"?participant={ana_id}").status_code == 200


def test_two_values_for_one_parameter_are_refused(site):
    http, code, facilitator, _ana, ana_id = site
    response = booklet(http, code, facilitator, f"?participant={ana_id}&participant=99999999999")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_payload" and error["params"]["field"] == "participant", error


def test_values_in_range_still_work(site):
    http, code, facilitator, ana, ana_id = site
    found = booklet(http, code, facilitator, f"?participant={ana_id}")
    assert found.status_code == 200 and "Ana" in found.get_data(as_text=True)
    assert booklet(http, code, facilitator, f"?participant=00{ana_id}").status_code == 200  # leading zeros
    for value in (str(INT_MAX), "1000000"):
        missing = booklet(http, code, facilitator, f"?participant={value}")
        assert missing.status_code == 404, missing.get_data(as_text=True)[:300]
        assert missing.get_json()["error"]["code"] == "participant_not_found"
    # Absent or empty: not given (the facilitator must choose; a participant gets their own).
    for query in ("", "?participant="):
        needed = booklet(http, code, facilitator, query)
        assert needed.status_code == 400 and needed.get_json()["error"]["code"] == "participant_required"
        assert booklet(http, code, ana, query).status_code == 200


def test_the_parameter_is_checked_after_the_token(site):
    http, code, *_ = site
    response = http.get(f"/api/boards/{code}/exports/booklet.md?participant=99999999999")
    assert response.status_code == 401 and response.get_json()["error"]["code"] == "unauthorised"
