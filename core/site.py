"""Addresses of the site's pages outside a page (e-mails): built from the configured
`SITE_URL`, never from the request's Host header, which the client writes."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from `reverse`) as a full address on the site, e.g. https://toolkit.example.org/lv/…"""
    return settings.SITE_URL.rstrip("/") + path
