"""SQLAlchemy models, Alembic migrations and case references. The back-office tables live
in their own module and are imported here, so that `models.Base` always knows them."""
from . import api_models  # noqa: F401  (registers the tables on Base.metadata)
