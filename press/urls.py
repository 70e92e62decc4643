"""The plugin's public URLs; a host site adds them with one `include("press.urls")`.

The press API (`api/press/`), the embargo share links (PRESS["EMBARGO_PATH"]), the photo
originals' downloads (`photos/<image id>/<file name>`, served only while a visible page shows
the photo) and the photos of releases behind a view restriction
(`photos/restricted/<release id>/<image id>/<size>`, for the readers it lets in). Releases,
their text versions and the newsroom feeds are pages and page routes, served by Wagtail where
the host put the pages; API v2 is the host's to mount (`press.api.v2`). An installed optional
part adds its own public URLs here (its AppConfig's `press_urls`, a URLconf module).
"""

from django.apps import apps
from django.urls import include, path, re_path

from . import views
from .api.endpoints import press_api, press_api_index, press_api_not_found
from .api.urls import press_api_front_door
from .conf import press_setting

embargo = press_setting("EMBARGO_PATH").strip("/")

urlpatterns = [
    # The press API: its root names the API's document; the front door answers every path
    # below it (press/api/urls.py), and what no path converter matches (a newline) is a 404.
    path("api/press/", press_api_index),
    path("api/press/<path:rest>", press_api_front_door),
    re_path(r"^api/press/", press_api_not_found),
    # ninja's operations once more, for `reverse("press_api:…")` alone: the patterns above
    # answer every address below api/press/ before these are tried.
    path("api/press/", press_api.urls),
    path(f"{embargo}/<str:token>/", views.embargo_release, name="press_embargo"),
    path(f"{embargo}/<str:token>/text/", views.embargo_release_text, name="press_embargo_text"),
    path(f"{embargo}/<str:token>/ninjs", views.embargo_release_ninjs, name="press_embargo_ninjs"),
    path(
        f"{embargo}/<str:token>/photos/<int:image_id>/<str:size>",
        views.embargo_photo,
        name="press_embargo_photo",
    ),
    path(
        "photos/<int:image_id>/<str:file_name>", views.photo_original, name="press_photo_original"
    ),
    path(
        "photos/restricted/<int:release_id>/<int:image_id>/<str:size>",
        views.release_photo,
        name="press_release_photo",
    ),
]
urlpatterns += [
    path("", include(config.press_urls))
    for config in apps.get_app_configs()
    if getattr(config, "press_urls", None)
]
