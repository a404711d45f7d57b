"""The WSGI entry point that gunicorn serves."""

import gc
import importlib


def test_the_wsgi_module_gives_the_application_and_freezes_what_it_loaded():
    import toolkit_site.wsgi as wsgi

    gc.unfreeze()
    try:
        importlib.reload(wsgi)
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000  # Django, the apps, the URL patterns
        assert gc.isenabled()
    finally:
        gc.unfreeze()
