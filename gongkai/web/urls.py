from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path

from gongkai.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("duties/", views.duties, name="duties"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="web/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
