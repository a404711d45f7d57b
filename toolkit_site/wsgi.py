import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "toolkit_site.settings.production")

application = get_wsgi_application()
get_resolver()._populate()  # the URL patterns now, rather than in the first request

# Everything loaded so far lives as long as the process: frozen, the cycle collector stops
# going through it again at every full collection. Two gunicorns side by side, taking turns
# four times: saves +4 % req/s (every turn), checklist and summary pages +3 % and +6 % (noisy).
gc.collect()
gc.freeze()
