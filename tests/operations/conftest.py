from tests.assessments.conftest import org, other_org  # noqa: F401 - shared fixtures
