from tests.assessments.conftest import org  # noqa: F401 - shared fixture
