"""The audit log in words: names, labels, dates, no unchanged fields, long text as the words that
changed, GOV.UK date inputs to filter by, and a table that scrolls in its own region."""

import pytest

from audit.models import AuditEvent
from audit.presentation import changes_in_words, value_text, words_diff
from audit.services import audit_record
from partnerships.models import Role

from ..conftest import signed_in
from ..factories import member

pytestmark = pytest.mark.django_db


def test_values_read_as_words():
    assert value_text(["2027-04-01", "2028-03-31"]) == "1 April 2027 to 31 March 2028"
    assert value_text("2027-04-01") == "1 April 2027"
    assert value_text("on_track") == "On track"
    assert value_text("coordinator") == "CSP coordinator"
    assert value_text([]) == "none" and value_text(None) == "none"
    assert value_text(1369) == "1,369"
    assert value_text(["Violence", "Drugs"]) == "Violence, Drugs"


def test_unchanged_fields_are_left_out_and_the_rest_labelled():
    lines = changes_in_words(
        {
            "status": ["on_track", "on_track"],
            "priorities_added": [[], []],
            "dates": [None, ["2027-04-01", "2028-03-31"]],
            "progress": ["at_risk", "on_track"],
        }
    )
    assert [(line.field, line.text) for line in lines] == [
        ("Dates", "1 April 2027 to 31 March 2028"),
        ("Progress", "was At risk, now On track"),
    ]


def test_long_markdown_shows_only_the_words_that_changed():
    before = "We will **reduce** harm in the night-time economy. " * 4 + "\n- Patrols on Fridays"
    after = "We will **reduce** harm in the night-time economy. " * 4 + "\n- Patrols on Saturdays"
    diff = str(words_diff(before, after))
    assert "<del>Fridays</del>" in diff and "<ins>Saturdays</ins>" in diff
    assert "**" not in diff and "- Patrols" not in diff
    assert "…" in diff and diff.count("night-time") <= 1
    [line] = changes_in_words({"vision.text": [before, after]})
    assert line.field == "Vision: text" and line.diff == diff


def test_the_page_names_people_and_filters_by_gov_uk_dates(partnership, coordinator):
    coordinator.full_name = "Cora Ordinator"
    coordinator.save()
    analyst = member(partnership, Role.CONTRIBUTOR, email="ann@police.example.org")
    audit_record(
        acting_user=coordinator,
        partnership=partnership,
        action="membership.update",
        target=analyst,
        changes={"role": ["contributor", "strategy_member"], "seat": ["police", "police"]},
    )
    client = signed_in(coordinator)
    page = client.get("/p/trafford/audit/", {"who": "Cora"}).content.decode()
    table = page.split('data-testid="audit-events"', 1)[1]
    assert "Cora Ordinator" in table and "coordinator@example.org" in table
    assert "<strong>Role</strong>: was Partner contributor, now Strategy group member" in table
    assert "<strong>Seat</strong>" not in table
    assert 'role="region"' in page and 'tabindex="0"' in page
    for part in ("date_from_0", "date_from_1", "date_from_2", "date_to_2"):
        assert f'name="{part}"' in page
    assert 'type="date"' not in page

    AuditEvent.objects.update(occurred_at="2026-04-15T10:00:00Z")
    inside = client.get(
        "/p/trafford/audit/",
        {"date_from_0": "1", "date_from_1": "4", "date_from_2": "2026", "who": "Cora"},
    ).content.decode()
    outside = client.get(
        "/p/trafford/audit/",
        {"date_from_0": "1", "date_from_1": "5", "date_from_2": "2026", "who": "Cora"},
    ).content.decode()
    assert "Cora Ordinator" in inside.split('data-testid="audit-events"', 1)[1]
    assert "No changes match these filters." in outside
