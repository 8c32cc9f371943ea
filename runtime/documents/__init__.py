"""Documents: the application PDF (rendered by the outbox job `render_application_pdf`),
the sandbox for admin-written templates, and the fetcher that keeps WeasyPrint inside
the app.

    application.py  the answers and fees as HTML, in the resident's language
    pdf.py          HTML -> tagged PDF (PDF/UA-1), static files only
    sandbox.py      admin templates in Jinja's immutable sandbox
    jobs.py         the outbox handler and where rendered files live
    versions.py     the compiled service a submission was filled against
"""
