"""Fixtures that read a module's shared world: a module that builds its records once
(``module_data``, tests/conftest.py) defines a module-scoped ``world`` fixture and imports from here
the ones it overrides, so each test gets those records re-read (``fresh``) rather than another
test's Python objects. Import only what the module's world holds."""

import pytest

from tests.plans.conftest import fresh


@pytest.fixture
def media_root(module_data):
    return module_data.media_root


@pytest.fixture
def partnership(world):
    return fresh(world.partnership)


@pytest.fixture
def other_partnership(world):
    return fresh(world.other_partnership)


@pytest.fixture
def coordinator(world):
    return fresh(world.coordinator)


@pytest.fixture
def police_officer(world):
    return fresh(world.police_officer)


@pytest.fixture
def signers(world):
    return {seat: fresh(user) for seat, user in world.signers.items()}


@pytest.fixture
def assessment(world):
    return fresh(world.assessment)


@pytest.fixture
def open_assessment(world):
    return fresh(world.open_assessment)


@pytest.fixture
def contribution(world):
    return fresh(world.contribution)
