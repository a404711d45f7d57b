from tests.assessments.conftest import media, org, other_org  # noqa: F401 - shared fixtures
