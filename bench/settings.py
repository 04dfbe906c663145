"""Settings for benchmark processes: the clinic's own settings plus the timing middleware.

Everything else is the production configuration driven by the same environment variables;
the orchestrators set them (bench.stack.app_environment). ``CLINIC_SERVER_TIMING=1`` puts
``bench.middleware.ServerTimingMiddleware`` outermost, so its figure covers every other
middleware and the view.
"""

import os

from clinic.config import env_bool
from clinic.settings import *  # noqa: F403
from clinic.settings import MIDDLEWARE

if env_bool("CLINIC_SERVER_TIMING", False):
    MIDDLEWARE = ["bench.middleware.ServerTimingMiddleware", *MIDDLEWARE]

# The harness reads no template debug info and writes no access log lines per request.
LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "WARNING")  # noqa: F405

# Fault drills only: a message held by a killed worker comes back after Redis's visibility
# timeout (an hour in production). BENCH_VISIBILITY_TIMEOUT (seconds) shortens it, and the
# restore sweep with it, so the worker-kill drill sees the redelivery within its bound.
if os.environ.get("BENCH_VISIBILITY_TIMEOUT") and CELERY_BROKER_URL.startswith("redis"):  # noqa: F405
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["BENCH_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
