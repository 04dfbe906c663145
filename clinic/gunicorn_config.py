"""gunicorn's settings for the image and compose: ``gunicorn -c python:clinic.gunicorn_config``.

The access log names each request by method, path (secrets replaced: ``clinic.logs
.path_for_log``), status, size and time, and the request's id (the proxy's, or the one
the clinic gave it: clinic/middleware.py).
Never the query string (whatever a page's filters hold), the referring page (its address
holds the previous page's query and secrets) or the user agent.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

bind = "0.0.0.0:8000"
workers = 3
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss request_id=%({x-request-id}o)s'
logger_class = "clinic.gunicorn_config.AccessLogWithoutSecrets"

# Atoms that hold a query string, a referring address or browser details, in any format.
WITHHELD_ATOMS = ("q", "f", "a", "{referer}i", "{user-agent}i", "{cookie}i", "{authorization}i")


class AccessLogWithoutSecrets(Logger):
    """gunicorn's logger whose request atoms hold only the path, secrets replaced."""

    def atoms(self, resp, req, environ, request_time) -> dict:
        from clinic.logs import path_for_log

        atoms = super().atoms(resp, req, environ, request_time)
        path = path_for_log(environ.get("PATH_INFO") or "/")
        atoms["U"] = path
        atoms["r"] = f"{environ['REQUEST_METHOD']} {path} {environ['SERVER_PROTOCOL']}"
        for name in WITHHELD_ATOMS:
            atoms[name] = "-"
        for name in [key for key in atoms if key.endswith("}e")]:
            del atoms[name]  # the WSGI environ: the query string, cookies, every header
        return atoms
