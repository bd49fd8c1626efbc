"""Request-wide helpers: the client's address for the audit log; a clear answer when SQLite is busy."""

import contextvars
import ipaddress

from django.conf import settings

current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address the audit log keeps. X-Forwarded-For is believed only when the request comes from a
    proxy named in JIAOGUAN_TRUSTED_PROXIES, and then read from the right: the last address that is not
    one of our proxies is the client (anything further left was written by the client itself)."""
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    trusted = set(settings.TRUSTED_PROXIES)
    if remote is None or remote not in trusted:
        return remote
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            return remote
        if address not in trusted:
            return address
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class BusyDatabaseMiddleware:
    """On the embedded SQLite a large import holds the single write lock for a while; a write that
    waited its 10 s in vain gets a 503 page asking to retry, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import OperationalError
        from django.shortcuts import render

        if isinstance(exception, OperationalError) and "locked" in str(exception):
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "30"
            return response
        return None
