"""docker-compose.yml: its services, one shared image, health checks (no engine needed)."""

from __future__ import annotations

from pathlib import Path

import yaml

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
