"""A partnership's change stamp (csp_portal.changes) moves with every audited change in it and with
nothing of another partnership's; a part of a page kept under the stamps is rendered again once one
moves, and always where the cache cannot be reached."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import translation
from redis.exceptions import ConnectionError as RedisConnectionError

from audit.services import audit_record
from csp_portal import changes

pytestmark = pytest.mark.django_db


def test_an_audited_change_moves_its_partnerships_stamp_and_no_other(
    partnership, other_partnership, coordinator
):
    ours, theirs = changes.stamps([partnership.pk]), changes.stamps([other_partnership.pk])
    assert changes.stamps([partnership.pk]) == ours  # nothing changed: the same stamp

    audit_record(
        acting_user=coordinator, partnership=partnership, action="test.change", target=partnership
    )

    assert changes.stamps([partnership.pk]) != ours
    assert changes.stamps([other_partnership.pk]) == theirs
    both = changes.stamps([partnership.pk, other_partnership.pk])
    assert both == changes.stamps([other_partnership.pk, partnership.pk])  # order does not count


def test_a_stamp_lost_from_the_cache_never_comes_back_as_an_old_one(partnership):
    before = changes.stamps([partnership.pk])
    cache.clear()  # Redis restarted, or the key evicted
    assert changes.stamps([partnership.pk]) != before


def test_a_kept_part_is_rendered_again_once_a_stamp_moves_or_the_language_changes(
    partnership, coordinator
):
    rendered = []

    def render():
        rendered.append(translation.get_language())
        return f"<p>{len(rendered)}</p>"

    def body():
        return changes.stamped_body(
            name="test", partnership_ids=[partnership.pk], parts=["someone"], render=render
        )

    assert body() == "<p>1</p>"
    assert body() == "<p>1</p>"  # kept
    with translation.override("cy"):
        assert body() == "<p>2</p>"  # Welsh is another rendering
    audit_record(
        acting_user=coordinator, partnership=partnership, action="test.change", target=partnership
    )
    assert body() == "<p>3</p>"
    assert len(rendered) == 3 and rendered[1] == "cy"


def test_without_a_cache_every_request_renders_afresh(partnership):
    rendered = []

    def render():
        rendered.append(1)
        return "<p>fresh</p>"

    with mock.patch.object(cache, "get_many", side_effect=RedisConnectionError("down")):
        for _ in range(2):
            assert (
                changes.stamped_body(
                    name="test", partnership_ids=[partnership.pk], parts=[], render=render
                )
                == "<p>fresh</p>"
            )
    assert len(rendered) == 2
