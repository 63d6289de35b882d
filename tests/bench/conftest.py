"""A seeded market for query-count tests: the bench's small scale (open listings with order
books, active loans with notes and schedules, lenders with bids and notes, the six bots)."""

import pytest
from django.test import Client

from communitylend.bench.scale import SCALES
from communitylend.bench.seed import seed
from tests.factories import api_client_for


@pytest.fixture
def market(db):
    return seed(SCALES["small"], log=lambda *_: None)


def page_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clients():
    """(api client, page client) for a user."""
    return lambda user: (api_client_for(user), page_client(user))
