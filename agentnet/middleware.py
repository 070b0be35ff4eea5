from django.conf import settings
from django.utils import translation


class DanishFirstLocaleMiddleware:
    """Danish unless the user chose another language with the language switch.

    Unlike Django's LocaleMiddleware the browser's Accept-Language is not consulted: the
    municipality's portal speaks Danish to everyone until they ask for English."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if code not in self.languages:
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = code
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", code)
        return response
