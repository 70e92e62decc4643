import pytest

from tests.factories import site_with_newsroom


@pytest.fixture
def newsroom(db):
    _home, newsroom = site_with_newsroom()
    return newsroom


@pytest.fixture
def home(newsroom):
    return newsroom.get_parent().specific
