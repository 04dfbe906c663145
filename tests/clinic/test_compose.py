"""docker-compose.yml: its services, one shared image, health checks (no engine needed)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]


def load() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_has_the_services():
    services = load()["services"]
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)


def test_web_worker_and_beat_share_one_image():
    services = load()["services"]
    images = {services[name].get("image") for name in ("web", "worker", "beat", "migrate")}
    assert len(images) == 1 and None not in images
    assert "build" in services["web"]


def test_every_long_running_service_has_a_health_check():
    services = load()["services"]
    for name in ("web", "worker", "postgres", "redis", "beat"):
        assert "test" in services[name]["healthcheck"], name


def test_postgres_keeps_its_data_in_a_volume_and_config_comes_from_env():
    data = load()
    assert any("/var/lib/postgresql/data" in v for v in data["services"]["postgres"]["volumes"])
    assert data["services"]["web"]["env_file"]


def test_web_waits_for_migrations():
    web = load()["services"]["web"]
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def production_hosts() -> list[str]:
    """ALLOWED_HOSTS as .env.example (the compose file's env_file) sets it."""
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("ALLOWED_HOSTS="):
            return line.split("=", 1)[1].split(",")
    raise AssertionError(".env.example sets no ALLOWED_HOSTS")


def test_the_web_health_check_passes_on_the_production_configuration(db, settings):
    from clinic import healthcheck

    assert load()["services"]["web"]["healthcheck"]["test"] == [
        "CMD",
        "python",
        "-m",
        "clinic.healthcheck",
    ]
    url = urlsplit(healthcheck.URL)
    settings.ALLOWED_HOSTS = production_hosts()
    settings.SECURE_SSL_REDIRECT = True  # production's default (the tests turn it off)
    # The check runs inside the container: plain http, no proxy; it sends what one would.
    environ = {"ALLOWED_HOSTS": ",".join(production_hosts())}
    headers = healthcheck.request_headers(environ)
    response = Client().get(
        url.path,
        HTTP_HOST=headers["Host"],
        HTTP_X_FORWARDED_PROTO=headers["X-Forwarded-Proto"],
    )
    # urllib raises on a 4xx or 5xx, and follows a redirect to https:// the port cannot speak.
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("clinic.example.org,www.example.org", "clinic.example.org"),
        (".example.org", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_the_health_check_names_the_clinics_host(allowed, host):
    from clinic.healthcheck import request_headers

    assert request_headers({"ALLOWED_HOSTS": allowed}) == {
        "Host": host,
        "X-Forwarded-Proto": "https",
    }


def test_the_beat_health_check_asks_whether_beat_still_sends():
    beat = load()["services"]["beat"]
    assert beat["healthcheck"]["test"] == ["CMD", "python", "manage.py", "beat_health"]
    # Beat sends its first heartbeat within a minute of starting.
    assert beat["healthcheck"]["start_period"] == "2m"


def seconds(duration: str) -> int:
    """A compose duration ("5m30s", "90s") in seconds."""
    units = {"h": 3600, "m": 60, "s": 1}
    total, number = 0, ""
    for char in str(duration):
        if char.isdigit():
            number += char
        else:
            total, number = total + int(number) * units[char], ""
    return total + (int(number) if number else 0)


def test_a_stopping_worker_may_finish_the_task_it_runs(settings):
    """`docker compose stop` (a deploy) sends SIGTERM and, after the grace period, SIGKILL.
    Celery's warm shutdown finishes the running task first; killed sooner, its message
    (acks_late) waits out Redis's visibility timeout (an hour) before anyone runs it."""
    worker = load()["services"]["worker"]
    assert seconds(worker.get("stop_grace_period", "10s")) > settings.CELERY_TASK_TIME_LIMIT


def test_the_web_port_is_published_on_the_hosts_loopback_only():
    """Plain http to gunicorn, past the TLS proxy, would let any client on the network send
    its own X-Forwarded-Proto and X-Forwarded-For (the address lockouts and the audit
    trail trust): only the proxy on the host reaches it."""
    for port in load()["services"]["web"].get("ports", []):
        assert str(port).startswith("127.0.0.1:"), port


def test_the_database_password_comes_from_the_environment_and_is_required():
    """No password is written in the compose file (every clinic's would be 'clinic', and the
    file is in the repository): PostgreSQL and the app's DATABASE_URL take it from .env,
    and `docker compose` refuses to start, naming the variable, while it is unset."""
    text = (ROOT / "docker-compose.yml").read_text()
    data = load()
    required = "${POSTGRES_PASSWORD:?"
    assert data["services"]["postgres"]["environment"]["POSTGRES_PASSWORD"].startswith(required)
    assert data["x-app"]["environment"]["DATABASE_URL"].startswith(
        "postgres://clinic:${POSTGRES_PASSWORD:?"
    )
    assert "clinic:clinic@" not in text and "POSTGRES_PASSWORD: clinic" not in text


def test_the_example_environment_and_readme_name_the_database_password():
    example = (ROOT / ".env.example").read_text()
    assert any(line.startswith("POSTGRES_PASSWORD=") for line in example.splitlines())
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Running on PostgreSQL and Redis", 1)[1].split("\n## ", 1)[0]
    assert any(line.startswith("| `POSTGRES_PASSWORD`") for line in section.splitlines())


def test_the_example_environment_trusts_the_one_tls_proxy_compose_expects():
    """Compose publishes gunicorn to the host's loopback for the TLS proxy there, so every
    connection comes from that proxy (through Docker's gateway). Left at 0, every client
    had the gateway's address: one stranger's five wrong passwords locked that username
    for everyone, 20 "Forgot your password?" asks an hour stopped everyone's, and the
    audit trail named the gateway for every event."""
    example = (ROOT / ".env.example").read_text().splitlines()
    assert "TRUSTED_PROXY_COUNT=1" in [line.split("#")[0].strip() for line in example]


def test_each_start_runs_the_deploy_checks_before_migrating():
    """`manage.py check --deploy` found a SITE_URL its ALLOWED_HOSTS refuse (every emailed
    link answering 400), DEBUG left on or mail going nowhere, but nothing ran it: compose's
    `migrate`, which every start waits for, now does, so an error stops the start and the
    warnings are in `docker compose logs migrate`."""
    command = load()["services"]["migrate"]["command"]
    script = " ".join(command)
    assert "manage.py check --deploy" in script and "manage.py migrate --no-input" in script
    assert script.index("check --deploy") < script.index("migrate --no-input")
    assert "&&" in script  # a failed check stops it
