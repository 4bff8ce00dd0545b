"""Public URLs of this app."""

urlpatterns = []
