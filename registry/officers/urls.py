"""Public officer URLs: the talent pool."""

urlpatterns = []
