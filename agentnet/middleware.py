from django.conf import settings
from django.http import Http404
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


class RefuseNulMiddleware:
    """No address holds a NUL character: a path or query value with one is a 404.

    PostgreSQL refuses NUL in text, so such a value reaching a query would be a 500 (and a
    mail to the admins) instead of the 404 any other unknown address gets. Forms refuse NUL
    in their own fields (Django's CharField does); a cookie with one is dropped, as if the
    browser had sent none, before the session is looked up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [name for name, value in request.COOKIES.items() if "\x00" in name + value]:
            del request.COOKIES[name]
        if "\x00" in request.path_info or any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise Http404
        return self.get_response(request)
