"""A person's notifications in the app: the unread count in the header, the list, marking read,
and the choice of immediate emails or a daily digest. Nobody reaches anyone else's."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reminders.models import EmailPreference, Frequency, Notification
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep
from tests.conftest import signed_in

from .conftest import TODAY

pytestmark = pytest.mark.django_db

LIST = reverse("reminders:list")
SETTINGS = reverse("reminders:settings")


def header_count(page: str) -> str:
    link = re.search(r'data-testid="notifications-link"[^>]*>(.*?)</a>', page, re.S).group(1)
    heard = re.sub(r'<span aria-hidden="true">.*?</span>', "", link)  # what a screen reader says
    return re.sub(r"<[^>]+>", "", heard).strip()


@pytest.fixture
def police_client(requests, people):
    reminders_sweep(today=TODAY)
    outbox_send(today=TODAY)
    return signed_in(people["police"])


def test_the_header_shows_the_unread_count_on_every_page(police_client, people):
    assert header_count(police_client.get("/account/").content.decode()) == (
        "Notifications (1 unread)"
    )
    Notification.objects.filter(user=people["police"]).update(read_at="2027-09-20T08:00Z")
    assert header_count(police_client.get("/account/").content.decode()) == "Notifications"


def test_the_list_shows_each_notification_with_its_partnership_and_due_date(
    police_client, requests
):
    page = police_client.get(LIST).content.decode()
    assert "Violence data (Trafford Police)" in page
    assert "Contribution request · Due in" in page or "Contribution request · Overdue" in page
    assert f'href="/p/trafford/contributions/{requests["police"].pk}/"' in page
    assert requests["police"].due_date.strftime("%-d %b %Y") in page
    assert "Deliberate fires" not in page  # the fire service's, not theirs
    assert "You get an email for each reminder." in page


def test_marking_read_takes_a_post_and_lowers_the_count(police_client, people):
    notification = Notification.objects.get(user=people["police"])
    url = reverse("reminders:read", kwargs={"notification_id": notification.pk})
    assert police_client.get(url).status_code == 405

    response = police_client.post(url, {"page": "1"})

    assert response.status_code == 302 and response.url == LIST
    notification.refresh_from_db()
    assert notification.read_at is not None
    page = police_client.get(LIST).content.decode()
    assert header_count(page) == "Notifications"
    assert "Marked as read: Violence data" in page


def test_mark_all_as_read(police_client, people):
    assert police_client.post(reverse("reminders:read_all")).status_code == 302
    assert not Notification.objects.filter(user=people["police"], read_at__isnull=True).exists()


def test_nobody_reaches_anyone_elses_notifications(police_client, people):
    theirs = Notification.objects.get(user=people["fire"])
    url = reverse("reminders:read", kwargs={"notification_id": theirs.pk})
    assert police_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert theirs.title not in police_client.get(LIST).content.decode()


def test_someone_who_left_a_partnership_no_longer_sees_its_notifications(
    police_client, people, partnership
):
    from partnerships.models import Membership
    from partnerships.services import membership_remove

    membership_remove(
        acting_user=None,
        membership=Membership.objects.get(user=people["police"], partnership=partnership),
    )
    page = police_client.get(LIST).content.decode()
    assert "Violence data" not in page and "You have no notifications." in page
    assert header_count(page) == "Notifications"


def test_signed_out_people_are_sent_to_sign_in(client, db):
    for url in (LIST, SETTINGS):
        response = client.get(url)
        assert response.status_code == 302 and "/account/sign-in/" in response.url


def test_a_person_chooses_a_daily_digest(police_client, people):
    page = police_client.get(SETTINGS).content.decode()
    assert 'type="radio"' in page and "Send each reminder as it happens" in page
    assert re.search(r'value="immediate"[^>]*checked', page)

    refused = police_client.post(SETTINGS, {"frequency": "hourly"})
    assert refused.status_code == 400
    assert "Choose one of the listed options" in refused.content.decode()
    assert not EmailPreference.objects.exists()

    response = police_client.post(SETTINGS, {"frequency": Frequency.DAILY})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=people["police"]).frequency == Frequency.DAILY
    page = police_client.get(LIST).content.decode()
    assert "You get one email a day with your reminders." in page


def test_the_list_runs_a_fixed_number_of_queries(police_client, people):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert police_client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    row = Notification.objects.get(user=people["police"])
    Notification.objects.bulk_create(
        Notification(
            user=row.user,
            partnership=row.partnership,
            kind=row.kind,
            item_key=f"contribution:{1000 + number}",
            due_on=row.due_on,
            stage="7",
            title=f"Request {number}",
            url=row.url,
        )
        for number in range(40)
    )
    assert queries() == few
    assert few <= 12
