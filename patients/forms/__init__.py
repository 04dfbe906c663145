"""Forms of the patients app, all rendered through django-crispy-forms (Bootstrap 5)."""
