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
