import pytest
from django.test import modify_settings

from tests.assessments.conftest import org, other_org  # noqa: F401 - shared fixtures


@pytest.fixture
def operations_app():
    """The operations app installed, so that its management commands are found."""
    with modify_settings(INSTALLED_APPS={"append": "operations"}):
        yield
