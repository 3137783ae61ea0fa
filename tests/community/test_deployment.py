"""The embedded defaults, the switch to real services, demo data and the deployment files."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[2]


def _settings_in_subprocess(env: dict, expression: str) -> str:
    """Evaluate settings in a fresh interpreter with exactly this environment."""
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}}
    clean.update(env)
    code = f"import django, os; django.setup(); from django.conf import settings as s; print({expression})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**clean, "DJANGO_SETTINGS_MODULE":
                            "community.settings"}, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_embedded_default_is_sqlite_in_wal_mode_with_immediate_transactions(tmp_path):
    out = _settings_in_subprocess({"VAR_DIR": str(tmp_path)},
                                  "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['OPTIONS'], "
                                  "s.CHANNEL_LAYERS['default']['BACKEND']")
    assert "sqlite3" in out
    assert "journal_mode=WAL" in out
    assert "'transaction_mode': 'IMMEDIATE'" in out
    assert "'timeout': 20" in out
    assert "channels.layers.InMemoryChannelLayer" in out


def test_database_and_redis_urls_switch_to_the_real_services(tmp_path):
    out = _settings_in_subprocess(
        {"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://app@db.internal:5432/sic",
         "REDIS_URL": "redis://cache.internal:6379/0"},
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['CONN_HEALTH_CHECKS'], "
        "s.CHANNEL_LAYERS['default']['BACKEND'], s.CHANNEL_LAYERS['default']['CONFIG']['hosts'][0]",
    )
    assert "django.db.backends.postgresql" in out
    assert "True" in out
    # Our subclass of channels-redis (notifications/layers.py) carries the Redis push.
    assert "notifications.layers.RedisChannelLayer" in out
    assert "'socket_connect_timeout': 0.5" in out and "'socket_timeout': 1" in out


def test_postgresql_connections_are_pooled_per_process_unless_switched_off(tmp_path):
    expression = "s.DATABASES['default'].get('OPTIONS', {}).get('pool'), s.DATABASES['default']['CONN_MAX_AGE']"
    base = {"VAR_DIR": str(tmp_path), "DATABASE_URL": "postgres://app@db.internal:5432/sic"}
    pooled = _settings_in_subprocess({**base, "DB_POOL_MAX_SIZE": "6", "DB_CONN_MAX_AGE": "60"}, expression)
    # A pool hands connections back at the end of each request: persistent ones would bypass it.
    assert pooled == "{'min_size': 1, 'max_size': 6, 'timeout': 10} 0"
    assert _settings_in_subprocess({**base, "DB_POOL": "0", "DB_CONN_MAX_AGE": "60"}, expression) == "None 60"


def test_cache_and_sessions_never_depend_on_redis(tmp_path):
    out = _settings_in_subprocess({"VAR_DIR": str(tmp_path), "REDIS_URL": "redis://cache.internal:6379/0"},
                                  "s.CACHES['default']['BACKEND'], s.SESSION_ENGINE")
    assert out == "django.core.cache.backends.db.DatabaseCache django.contrib.sessions.backends.db"


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update({"DEBUG": "0", "VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "community.settings"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_compose_file_describes_the_production_stack():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "migrate", "web"}
    assert services["postgres"]["image"].startswith("postgres")
    assert services["redis"]["image"].startswith("redis")
    for name in ("migrate", "web"):
        assert services[name]["build"] == "."
    assert services["migrate"]["command"][-2:] == ["migrate", "--noinput"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["web"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_healthy"
    for name in ("postgres", "redis", "web"):
        assert services[name]["healthcheck"]["test"]
    assert services["web"]["deploy"]["replicas"] >= 2
    env = services["web"]["environment"]
    assert env["DEBUG"] == "0"
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")
    assert {"media", "private", "static"} <= set(compose["volumes"])
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "daphne" in dockerfile and "collectstatic" in dockerfile
    assert "--websocket-max-message-size" in dockerfile
    assert services["scheduler"]["command"] == ["sh", "scripts/scheduler.sh"]
    assert "replicas" not in services["scheduler"].get("deploy", {})


def test_every_periodic_job_is_scheduled():
    """A management command written for cron does nothing until something runs it."""
    one_off = {"seed_demo"}
    commands = {path.stem for path in ROOT.glob("*/management/commands/*.py") if not path.stem.startswith("_")}
    scheduler = (ROOT / "scripts" / "scheduler.sh").read_text()
    unscheduled = sorted(name for name in commands - one_off if f"run {name}" not in scheduler)
    assert commands - one_off, "the apps have periodic jobs"
    assert unscheduled == []


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_gives_one_person_per_role(settings):
    from community.models import Membership, Role, User

    settings.DEBUG = True
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    counts = (User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    assert (User.objects.count(), Membership.objects.count()) == counts
    for role in Role:
        assert User.objects.filter(groups__name=role).exists(), role
    assert Membership.objects.filter(status=Membership.Status.PENDING).count() >= 2


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing"):
        call_command("seed_demo")


def test_redis_channel_layer_round_trip(redis_url, settings):
    """On the service-backed pass: a message through the real Redis reaches a group member."""
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [redis_url]}}}
    layer = get_channel_layer()

    async def round_trip():
        channel = await layer.new_channel()
        await layer.group_add("round-trip", channel)
        await layer.group_send("round-trip", {"type": "hello", "text": "from Redis"})
        message = await layer.receive(channel)
        await layer.group_discard("round-trip", channel)
        return message

    assert async_to_sync(round_trip)()["text"] == "from Redis"
