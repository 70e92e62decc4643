"""The plugin's URLs; a host site adds them with one `include("press.urls")`."""

from django.urls import path

from . import views
from .api import api_router, press_api

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/press/", press_api.urls),
    path("presse-vorab/<str:token>/", views.embargo_release, name="press_embargo"),
    path("presse-vorab/<str:token>/text/", views.embargo_release_text, name="press_embargo_text"),
]
