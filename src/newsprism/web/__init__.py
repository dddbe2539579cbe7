"""The local web app and JSON API over a store (``newsprism serve``)."""

from newsprism.web.app import create_app, serve

__all__ = ["create_app", "serve"]
