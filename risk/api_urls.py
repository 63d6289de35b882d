from django.urls import path

from . import apis

urlpatterns = [
    path("ml/assess-risk", apis.AssessRiskApi.as_view(), name="api-assess-risk"),
]
