import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from partnerships.models import Role

from .factories import PartnershipFactory, member


@pytest.fixture(autouse=True)
def _celery_runs_tasks_in_process():
    """Tasks run at once, in the test's process; tests/test_worker.py uses a real worker."""
    from csp_portal.celery import app

    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = False, False


@pytest.fixture(autouse=True)
def _fast_tests(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def signed_in(user, *, verified: bool = True) -> Client:
    """A client signed in as ``user``; ``verified`` also passes two-factor, as after a real code."""
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    if verified:
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Backup codes")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def other_partnership(db):
    return PartnershipFactory(name="Cardiff", slug="cardiff")


@pytest.fixture
def coordinator(partnership):
    return member(partnership, Role.COORDINATOR, email="coordinator@example.org")


@pytest.fixture
def coordinator_client(coordinator):
    return signed_in(coordinator)
