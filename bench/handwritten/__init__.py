"""The dog-fee service written by hand: Flask + Flask-WTF/WTForms + SQLAlchemy, the
baseline the runtime is measured against. It mirrors definitions/services/dog-fee.yaml
(fields, validations, conditions, rules, Riga's fees) and the runtime's URLs, input names,
writes and page weight, so that one load script drives both. See app.py."""
