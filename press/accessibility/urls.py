"""The form "Barriere melden" below PRESS["BARRIER_REPORT_PATH"] (press.urls includes it where
press.accessibility is installed)."""

from django.urls import path

from . import views
from .conf import accessibility_setting

report = accessibility_setting("BARRIER_REPORT_PATH").strip("/")

urlpatterns = [path(f"{report}/", views.barrier_report, name="press_barrier_report")]
