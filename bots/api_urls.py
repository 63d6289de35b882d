from django.urls import path

from . import apis

urlpatterns = [
    path("auto-invest", apis.AutoInvestRuleListApi.as_view(), name="api-auto-invest"),
    path("auto-invest/<int:rule_id>", apis.AutoInvestRuleDetailApi.as_view(),
         name="api-auto-invest-rule"),
]
