# One image for web, worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
COPY requirements.txt constraints-build.txt ./
RUN PIP_CONSTRAINT=constraints-build.txt pip install --no-cache-dir -r requirements.txt
COPY . .
RUN useradd --system --home /app clinic && mkdir -p /app/var && chown -R clinic /app/var
USER clinic
# DJANGO_DEBUG=1 only so that no SECRET_KEY is needed here; the manifest (hashed names,
# which production links) is written as in production.
RUN DJANGO_DEBUG=1 STATIC_MANIFEST=1 python manage.py collectstatic --no-input -v0
EXPOSE 8000
# Bind, workers and the access log (no query strings, no secrets): clinic/gunicorn_config.py.
CMD ["gunicorn", "-c", "python:clinic.gunicorn_config", "clinic.wsgi:application"]
