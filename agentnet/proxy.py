"""The address a request came from, for login throttling (django-axes).

Behind a reverse proxy every request reaches the portal from the proxy's own address, so
throttling by REMOTE_ADDR would lock a user name out for everyone once anyone guesses
wrong five times. The proxy appends the address it saw to X-Forwarded-For; the entries
before it are whatever the client wrote there and prove nothing. So the address is the
entry that the nearest of DJANGO_PROXY_COUNT proxies in a row added (counted from the
right), and the header is read only when DJANGO_BEHIND_PROXY says a proxy sets it.

django-axes' own proxy settings (AXES_IPWARE_*) take effect only with django-ipware
installed, which counts the header's entries its own way; this is the rule in one place.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    remote_addr = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_PROXY:
        return remote_addr
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < settings.PROXY_COUNT or not hops[-1]:
        # Not through all the proxies: no added entry to believe.
        return remote_addr
    try:
        return str(ipaddress.ip_address(hops[-settings.PROXY_COUNT]))
    except ValueError:
        return remote_addr
