from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts import mfa
from communitylend import views
from communitylend.about import views as about
from communitylend.backoffice import dashboard

admin.site.site_header = "CommunityLend back-office"
admin.site.site_title = "CommunityLend admin"
admin.site.index_template = "admin/platform_index.html"  # links to the dashboards
# The admin logs in through allauth, whose login flow asks for the TOTP code (accounts/mfa.py).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("accounts.api_urls")),
    path("api/", include("payments.api_urls")),
    path("api/", include("risk.api_urls")),
    path("api/", include("loans.api_urls")),
    path("api/", include("investments.api_urls")),
    path("api/", include("bots.api_urls")),
    path("admin/bots/", include("bots.admin_urls")),  # the bot dashboard; model lists fall through
    path("admin/dashboard/", dashboard.platform_dashboard, name="platform_dashboard"),
    path("admin/", admin.site.urls),
    # Before allauth's own: activating TOTP passes the session's second factor (accounts/mfa.py).
    path("accounts/", include([path("2fa/totp/activate/", mfa.activate_totp,
                                    name="mfa_activate_totp")])),
    path("accounts/", include("allauth.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("about/design/", about.design, name="about_design"),
    path("", include("communitylend.pages.urls")),  # trust pages, favicon.ico, robots.txt
    path("", include("accounts.urls")),
    path("", include("payments.urls")),
    path("", include("payments.servicing.urls")),  # its API and its pages
    path("", include("risk.urls")),
    path("", include("loans.urls")),
    path("", include("investments.urls")),
    path("", include("bots.urls")),
]

handler404 = "communitylend.views.not_found"
handler500 = "communitylend.views.server_error"
