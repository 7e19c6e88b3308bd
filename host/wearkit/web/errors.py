"""Errors as the browser and API clients see them: JSON naming the field under /api,
a short page elsewhere. Never a traceback."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from wearkit.classroom.engine import EngineError
from wearkit.classroom.roster import RosterError
from wearkit.errors import WearkitError


class ApiError(WearkitError):
    """A request the web app refuses: ``field`` names what was wrong."""

    def __init__(self, message: str, *, field: str, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def wants_json() -> bool:
    """Whether this request should be answered in JSON (the API and the event stream)."""
    return request.path.startswith("/api/")


def error_response(message: str, field: str | None, status: int) -> Any:
    """``{"error": message, "field": field}`` under /api, a short page elsewhere."""
    if wants_json():
        response: Response = jsonify({"error": message, "field": field})
        response.status_code = status
        return response
    return render_template("error.html", message=message, status=status), status


def json_body() -> dict[str, Any]:
    """The request's JSON object; ApiError (400, field ``body``) if it is not one."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(
            "send a JSON object with Content-Type: application/json", field="body", status=400
        )
    return data


def text_field(data: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    """``data[name]`` as a non-empty string; ApiError naming ``name`` otherwise."""
    value = data.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ApiError(f"'{name}' must be a non-empty string", field=name)
    return value.strip()


def init_app(app: Flask) -> None:
    """Answer every error, ours or Flask's, in the client's terms."""

    @app.errorhandler(ApiError)
    @app.errorhandler(EngineError)
    @app.errorhandler(RosterError)
    def refused(exc: ApiError | EngineError | RosterError) -> Any:
        return error_response(str(exc), exc.field, exc.status)

    @app.errorhandler(WearkitError)
    def failed(exc: WearkitError) -> Any:
        return error_response(str(exc), None, 422)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Any:
        messages = {
            404: "nothing here: check the address",
            405: f"{request.method} is not allowed here",
        }
        status = exc.code or 500
        return error_response(messages.get(status, exc.description or exc.name), None, status)

    @app.errorhandler(Exception)
    def bug(exc: Exception) -> Any:
        app.logger.exception("unexpected error on %s %s", request.method, request.path)
        return error_response(
            f"the web app hit a bug ({type(exc).__name__}); the classroom goes on. "
            "Reload the page; if it happens again, report it with the server's output",
            None,
            500,
        )
