from tests.standins import served  # noqa: F401  (a fixture)
