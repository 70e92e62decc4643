"""The sign-up form and the subscribers' links, below PRESS["SUBSCRIPTION_PATH"] (press.urls
includes them where press.subscriptions is installed)."""

from django.urls import path

from . import views
from .conf import subscriptions_setting

subscription = subscriptions_setting("SUBSCRIPTION_PATH").strip("/")

urlpatterns = [
    path(f"{subscription}/", views.subscribe, name="press_subscribe"),
    path(f"{subscription}/confirm/<str:token>/", views.confirm, name="press_subscription_confirm"),
    path(
        f"{subscription}/unsubscribe/<str:token>/",
        views.unsubscribe,
        name="press_subscription_unsubscribe",
    ),
    path(f"{subscription}/data/<str:token>/", views.data, name="press_subscription_data"),
]
