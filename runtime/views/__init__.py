"""The runtime's web pages, as Flask blueprints."""
