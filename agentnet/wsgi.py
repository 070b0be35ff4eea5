import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agentnet.settings")
# The application server is production unless told otherwise (DJANGO_DEBUG=True): it then
# refuses to start without the settings a deployment must give (agentnet/settings.py).
os.environ.setdefault("DJANGO_DEBUG", "False")
application = get_wsgi_application()
