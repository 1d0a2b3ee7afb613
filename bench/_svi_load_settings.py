"""Settings for bench/svi_load.py only (never the product's): the product's settings, bench URLs on top."""

from greenlane.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "_svi_load_urls"

# Both endpoints run in the same gunicorn workers with the same settings; persistent connections stated
# explicitly so the comparison never depends on the environment (one connection per worker thread, kept).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False  # noqa: F405
