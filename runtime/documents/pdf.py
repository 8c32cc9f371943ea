"""HTML to PDF with WeasyPrint, without reaching outside the app.

`StaticOnlyFetcher` is the only way WeasyPrint gets a resource: it serves files from the
app's static folder (stylesheets, coats of arms) and refuses everything else (other
files, `http(s)`, `data:` is handled by WeasyPrint itself), so a template cannot read
`/etc/passwd` or make the server call an internal address. Refused URLs are kept in
`refused` (and WeasyPrint logs a warning); rendering carries on without them.

PDFs are PDF/UA-1 (tagged, with the document language and title), for screen readers.
"""
from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

ALLOWED_SUFFIXES = {".css", ".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".woff", ".woff2", ".ttf", ".otf"}
PDF_VARIANT = "pdf/ua-1"


class StaticOnlyFetcher(URLFetcher):
    def __init__(self, static_folder: str | Path):
        super().__init__(allowed_protocols=("file",), allow_redirects=False, fail_on_errors=False)
        self.root = Path(static_folder).resolve()
        self.refused: list[str] = []

    @property
    def base_url(self) -> str:
        return self.root.as_uri() + "/"

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        path = self._allowed_path(url)
        if path is None:
            self.refused.append(url)
            raise ValueError(f"refused to fetch {url[:200]!r}: only the app's static files are available")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})

    def _allowed_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = Path(unquote(parts.path)).resolve()
        inside = path == self.root or self.root in path.parents
        return path if inside and path.suffix.lower() in ALLOWED_SUFFIXES and path.is_file() else None


def html_to_pdf(html: str, *, static_folder: str | Path, fetcher: StaticOnlyFetcher | None = None) -> bytes:
    """The PDF of `html` (which carries its own `<html lang>` and `<title>`)."""
    fetcher = fetcher or StaticOnlyFetcher(static_folder)
    document = HTML(string=html, base_url=fetcher.base_url, url_fetcher=fetcher)
    return document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=False)
