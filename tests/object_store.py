"""The S3 path under test: moto's server mode, an S3-compatible store on 127.0.0.1.

`make test` starts one (scripts/services.sh) and names it in CSP_TEST_S3_ENDPOINT_URL; a targeted
pytest run without it starts its own for the session. Each test gets a bucket of its own and the
settings that choose it (CSP_STORAGE=s3), the same that a deployment sets.
"""

import os
import shutil
import socket
import subprocess
import time
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings

ACCESS_KEY, SECRET_KEY, REGION = "testing", "testing", "eu-west-2"  # moto accepts any


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/", timeout=2):  # noqa: S310 (local)
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    url = os.environ.get("CSP_TEST_S3_ENDPOINT_URL", "")
    if url and _answers(url):
        yield url
        return
    moto = shutil.which("moto_server", path=str(Path(__import__("sys").executable).parent))
    assert moto, "moto[server] is in the test extras: make install-test"
    port = _free_port()
    process = subprocess.Popen(
        [moto, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while not _answers(url):
        assert time.monotonic() < deadline, "moto_server did not start"
        time.sleep(0.2)
    yield url
    process.terminate()
    process.wait(timeout=10)


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    """The variables a web node or worker is deployed with to use the bucket."""
    return {
        "CSP_STORAGE": "s3",
        "CSP_S3_BUCKET": bucket,
        "CSP_S3_ENDPOINT_URL": endpoint,
        "CSP_S3_REGION": REGION,
        "CSP_S3_ACCESS_KEY_ID": ACCESS_KEY,
        "CSP_S3_SECRET_ACCESS_KEY": SECRET_KEY,
        "CSP_S3_ADDRESSING_STYLE": "path",
    }


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )


def s3_storages(endpoint: str, bucket: str) -> dict:
    """STORAGES as csp_portal/settings.py makes it for a deployment with s3_environment()."""
    from csp_portal.settings import s3_storage

    return {
        **django_settings.STORAGES,
        "default": s3_storage(s3_environment(endpoint, bucket)),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def s3_bucket(s3_endpoint, settings):
    """A new private bucket, and this test's storage in it instead of MEDIA_ROOT."""
    bucket = f"csp-test-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_endpoint)
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})
    settings.STORAGES = s3_storages(s3_endpoint, bucket)
    yield bucket
    objects = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=bucket, Key=item["Key"])
    client.delete_bucket(Bucket=bucket)


def bucket_keys(endpoint: str, bucket: str) -> list[str]:
    listing = s3_client(endpoint).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


@pytest.fixture(params=["local", "s3"])
def each_storage(request):
    """The test runs once on the file system and once on the object store. Name it first among
    the test's fixtures, so that no file is stored before the storage is chosen."""
    if request.param == "s3":
        request.getfixturevalue("s3_bucket")
    return request.param
