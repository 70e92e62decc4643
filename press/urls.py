"""The plugin's URLs; a host site adds them with one `include("press.urls")`."""

from django.urls import path

from .api import api_router

urlpatterns = [
    path("api/v2/", api_router.urls),
]
