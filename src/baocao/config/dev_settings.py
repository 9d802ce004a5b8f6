"""Settings for developer tools (the tests, type checking): the real settings with a fixed,
public development SECRET_KEY when none is set, since production refuses to start without one.

The key goes into the environment so that commands the tests start in a subprocess get it too.
Never use this module to serve the site.
"""

import os

DEVELOPMENT_SECRET_KEY = "baocao-insecure-development-key-change-me-in-production-0123456789"
os.environ.setdefault("SECRET_KEY", DEVELOPMENT_SECRET_KEY)

from baocao.config.settings import *  # noqa: E402, F403
