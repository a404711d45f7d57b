from tests.assessments.conftest import as_user, org, other_org  # noqa: F401 - shared fixtures
from tests.practices.conftest import practice  # noqa: F401 - shared fixture
