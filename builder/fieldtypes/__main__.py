"""python -m builder.fieldtypes: write the schema's field-type lists from the registry."""
from .schema import SCHEMA_FILE, write

print(f"{SCHEMA_FILE}: {'updated' if write() else 'already matches the registry'}")
