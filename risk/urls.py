from django.urls import path

from . import views

urlpatterns = [
    path("staff/risk/models/<int:version_id>/card/", views.model_card, name="risk_model_card"),
    path("staff/risk/models/<int:version_id>/card/<str:name>", views.model_card_image,
         name="risk_model_card_image"),
]
