"""A local CKAN action API stand-in (data.gov.lv runs CKAN): status_show, package_show,
package_create, package_update, resource_create and resource_update, under
`/api/3/action/` and `/dati/lv/api/3/action/`, with CKAN's answer shape
(`{"success": ..., "result" | "error": {"__type": ...}}`), its API key check and the
validation the real site does on names and organisations; it keeps each resource's file."""
from __future__ import annotations

import json
import re
import uuid
from typing import Any

from werkzeug.wrappers import Request, Response

from .standin import StandIn

PATH = re.compile(r"^(?:/dati/lv)?/api(?:/3)?/action/(?P<action>[a-z_]+)$")   # CKAN serves both
NAME = re.compile(r"^[a-z0-9_-]{2,100}$")


def _answer(status: int, result: Any = None, error: dict | None = None) -> Response:
    body = {"help": "pkip CKAN stand-in", "success": error is None}
    body.update({"result": result} if error is None else {"error": error})
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


class CkanStandIn(StandIn):
    title = "data.gov.lv (CKAN) stand-in"

    def __init__(self, *, api_key: str | None = None, organisations: tuple[str, ...] = ("pkip",), **options: Any):
        super().__init__(**options)
        self.api_key, self.organisations = api_key, set(organisations)
        self.packages: dict[str, dict[str, Any]] = {}
        self.files: dict[str, bytes] = {}          # resource id -> the uploaded file

    def handle(self, request: Request) -> Response:
        match = PATH.match(request.path)
        if match is None:
            return _answer(404, error={"__type": "Not Found Error", "message": "Not found"})
        action = match["action"]
        if action == "status_show":
            return _answer(200, {"ckan_version": "2.10.4", "site_title": "stand-in"})
        if request.files or request.form:
            data = request.form.to_dict()
        else:
            data = request.get_json(silent=True) or request.args.to_dict()
        if action == "package_show":
            found = self.packages.get(data.get("id", "")) or next(
                (p for p in self.packages.values() if p["id"] == data.get("id")), None)
            return _answer(200, found) if found else _answer(404, error={"__type": "Not Found Error",
                                                                           "message": "Not found"})
        if self.api_key and request.headers.get("Authorization") != self.api_key:
            self.record(None, "refused: not authorised", action)
            return _answer(403, error={"__type": "Authorization Error", "message": "Access denied"})
        handler = {"package_create": self._package_create, "package_update": self._package_update,
                   "resource_create": self._resource, "resource_update": self._resource}.get(action)
        if handler is None:
            return _answer(400, error={"__type": "Bad Request", "message": f"unknown action {action}"})
        return handler(data, request)

    def _invalid(self, data: dict) -> dict | None:
        problems = {}
        if not NAME.match(str(data.get("name", ""))):
            problems["name"] = ["Must be purely lowercase alphanumeric (ascii) characters and these symbols: -_"]
        if data.get("owner_org") not in self.organisations:
            problems["owner_org"] = ["Organization does not exist"]
        if not data.get("title"):
            problems["title"] = ["Missing value"]
        return {"__type": "Validation Error", **problems} if problems else None

    def _package_create(self, data: dict, _request: Request) -> Response:
        problem = self._invalid(data) or ({"__type": "Validation Error", "name": ["That URL is already in use."]}
                                          if data.get("name") in self.packages else None)
        if problem:
            self.record(None, "refused: validation", str(data.get("name")))
            return _answer(409, error=problem)
        with self.lock:
            created = {**data, "id": str(uuid.uuid4()), "resources": []}
            self.apply(f"package:{created['id']}", f"created {data['name']}", data,
                       lambda: self.packages.__setitem__(data["name"], created))
        return _answer(200, created)

    def _package_update(self, data: dict, _request: Request) -> Response:
        problem = self._invalid(data)
        current = next((p for p in self.packages.values() if p["id"] == data.get("id")), None)
        if problem or current is None:
            return _answer(409 if problem else 404, error=problem or {"__type": "Not Found Error", "message": "Not found"})
        with self.lock:
            current.update({k: v for k, v in data.items() if k not in ("id", "resources")})
            self.record(None, "applied", f"updated {current['name']}")
        return _answer(200, current)

    def _resource(self, data: dict, request: Request) -> Response:
        owner = next((p for p in self.packages.values() if p["id"] == data.get("package_id")), None)
        upload = request.files.get("upload")
        if owner is None or upload is None:
            return _answer(409, error={"__type": "Validation Error", "package_id": ["Not found or no file"]})
        content = upload.read()
        with self.lock:
            resource = next((r for r in owner["resources"] if r["id"] == data.get("id")), None)
            if resource is None:
                resource = {"id": str(uuid.uuid4()), "package_id": owner["id"]}
                owner["resources"].append(resource)
            resource.update(name=data.get("name"), format=data.get("format"), hash=data.get("hash"), size=len(content))
            self.files[resource["id"]] = content
            self.record(None, "applied", f"{owner['name']}: {resource['name']} ({len(content)} bytes)")
        return _answer(200, resource)

    def csv_of(self, name: str) -> str:
        with self.lock:
            package = self.packages[name]
            return self.files[package["resources"][0]["id"]].decode("utf-8")
