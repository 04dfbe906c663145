import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")

from clinic.config import settings_or_exit

settings_or_exit()  # a misconfigured variable: one line naming it, not a traceback
application = get_wsgi_application()

# After Django is set up: the first booking of each worker no longer imports the broker's
# client inside the request (clinic/celery.py).
from clinic.celery import load_broker_client  # noqa: E402

load_broker_client()
