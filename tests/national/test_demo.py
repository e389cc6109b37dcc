from django.core.management import call_command

from accounts.models import User
from tests.conftest import signed_in


def test_the_demo_has_a_national_officer_and_a_contact_on_the_register(db, client):
    from io import StringIO

    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=StringIO())
    assert "national@homeoffice.example" in out.getvalue()
    officer = User.objects.get(email="national@homeoffice.example")
    assert officer.national_oversight_grants.filter(ended_at__isnull=True).count() == 1
    page = signed_in(officer).get("/national/").content.decode()
    assert "Trafford" in page and "Cardiff" in page
    assert "csp@trafford.example" in client.get("/partnerships/trafford/").content.decode()
    learning = signed_in(officer).get("/national/dhr-learning/").content.decode()
    assert "647 published reviews" in learning
