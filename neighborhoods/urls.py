from django.urls import path

from neighborhoods import views

app_name = "neighborhoods"

urlpatterns = [
    path("neighborhoods/", views.neighborhood_index, name="index"),
    path("neighborhoods/<int:pk>/", views.neighborhood_detail, name="neighborhood_detail"),
    path("neighborhoods/<int:pk>/needs/new/", views.need_create, name="need_create"),
    path("districts/<int:pk>/", views.district_detail, name="district_detail"),
    path("needs/", views.need_list, name="need_list"),
    path("needs/<int:pk>/", views.need_detail, name="need_detail"),
    path("needs/<int:pk>/status/", views.need_status, name="need_status"),
    path("trusteeships/<int:pk>/decree/", views.trusteeship_decree, name="trusteeship_decree"),
]
