"""The plugin's URLs; a host site adds them with one `include("press.urls")`."""

from django.urls import path, re_path

from . import views
from .api import api_router, press_api, press_api_not_found

urlpatterns = [
    path("api/v2/", api_router.urls),
    path("api/press/", press_api.urls),
    re_path(r"^api/press/", press_api_not_found),
    path("presse-vorab/<str:token>/", views.embargo_release, name="press_embargo"),
    path("presse-vorab/<str:token>/text/", views.embargo_release_text, name="press_embargo_text"),
]
