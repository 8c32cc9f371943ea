"""WTForms built from the compiled service model: one Form class per (service version,
page) and per (service version, repeat), built at first use and cached."""
from .classes import entry_form_class, page_form_class
from .naming import html_name, target_id
from .parse import posted_files, posted_values

__all__ = ["entry_form_class", "page_form_class", "html_name", "target_id", "posted_files", "posted_values"]
