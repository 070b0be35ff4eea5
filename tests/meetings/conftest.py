import datetime

import pytest

from tests import factories


@pytest.fixture
def meeting(db):
    return factories.MeetingFactory(
        date=datetime.date(2027, 3, 4), theme="Projektledelse", status="draft"
    )
