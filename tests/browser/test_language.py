"""The language toggle in a real browser, JavaScript on and off: every page it leads to (Welsh
ones included) is checked with axe as it loads, and says which language it is in."""

import pytest

from accounts.models import User

from ..factories import DEFAULT_PASSWORD, member

pytestmark = pytest.mark.browser


def test_a_visitor_switches_to_welsh_signs_in_and_back_to_english(visitor, partnership):
    user = member(partnership, email="eleri@example.org")
    html = visitor.page.locator("html")

    visitor.open("/account/sign-in/")
    assert html.get_attribute("lang") == "en"
    visitor.click_link("Newid yr iaith i’r Gymraeg")

    assert visitor.path == "/account/sign-in/"
    assert html.get_attribute("lang") == "cy"
    assert visitor.heading() == "Mewngofnodi i CSP Portal"
    visitor.fill("Cyfeiriad e-bost", user.email)
    visitor.fill("Cyfrinair", DEFAULT_PASSWORD)
    visitor.click_button("Mewngofnodi")

    visitor.open("/account/")
    assert html.get_attribute("lang") == "cy"
    assert visitor.heading() == "Eich cyfrif"
    visitor.click_link("Change the language to English")

    assert visitor.path == "/account/"
    assert html.get_attribute("lang") == "en"
    assert visitor.heading() == "Your account"
    assert User.objects.get(pk=user.pk).language == "en"
