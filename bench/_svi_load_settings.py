"""Settings for bench/svi_load.py only (never the product's): the product's settings, bench URLs on top."""

from greenlane.settings import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "_svi_load_urls"
