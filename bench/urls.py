"""Bench-only URLs: the trivial reference view and stock API v2, in front of the real site."""

from django.urls import path
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from cms.urls import urlpatterns as site_urlpatterns

from . import views

stock_router = WagtailAPIRouter("benchstockapi")
stock_router.register_endpoint("pages", PagesAPIViewSet)

urlpatterns = [
    path("bench/reference/<str:name>", views.reference, name="bench_reference"),
    path("bench/stock/v2/", stock_router.urls),
    *site_urlpatterns,
]
