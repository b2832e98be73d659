"""The public pages, mounted at /report/ (each view marked `login_not_required` by `public_views.public`)."""

from __future__ import annotations

from django.urls import path

from srbgov.tips import public_views

app_name = "report"
urlpatterns = [
    path("", public_views.start, name="start"),
    path("new/", public_views.new, name="new"),
    path("follow-up/", public_views.follow_up, name="follow_up"),
    path("follow-up/reply/", public_views.reply, name="reply"),
    path("poster/", public_views.poster, name="poster"),
]
